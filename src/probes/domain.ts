// The `domain` extension probe of `sendcheck check`: when the sender's domain is known (--from, or an email address
// as target), audit its DNS and reputation for the SMTP server's addresses, concurrently with the SMTP path.
// Findings land on the "domain"/"reputation" hops, after every path hop, so they never outrank a path failure.
// target.options.domain: false disables it; an object passes DomainInput fields (selectors, blocklists, …).
import { isIP } from 'node:net';
import { consumerProviderFor } from '../domain/consumer.js';
import type { DomainInput } from '../input/domain-input.js';
import type { DomainFacts } from '../facts/domain.js';
import type { ResolveFact } from '../facts/types.js';
import type { Target } from '../input/target.js';
import { defineProbe, ok } from './probe.js';
import type { SweepResult } from './speak.js';

/** RFC 2606/6761 names that public DNS never holds: audited only against a resolver the user named. */
const SPECIAL_USE = /\.(test|example|invalid|localhost|local)$/i;

export function senderDomainOf(target: Target): string | undefined {
  const addr = target.from ?? target.email;
  return addr?.split('@').pop()?.toLowerCase();
}

export const domainProbe = defineProbe<DomainFacts, { resolve?: ResolveFact }, { sweep: SweepResult[] }>({
  name: 'domain',
  // The server's addresses are audited when there are any; the EHLO name from the sweep is awaited last.
  needs: ['resolve'],
  tolerates: ['resolve'],
  later: ['sweep'],
  applies(target) {
    if (target.options.domain === false || target.origin === 'demo') return false;
    const d = senderDomainOf(target);
    if (!d || isIP(d)) return false;
    return !SPECIAL_USE.test(`.${d}`) || target.resolvers.length > 0;
  },
  async run(ctx, { resolve: resolved }, later) {
    const o = (typeof ctx.target.options.domain === 'object' ? ctx.target.options.domain : {}) as Partial<DomainInput>;
    // The EHLO name the server announces is what receivers compare with its PTR; the audit does not wait for it.
    const heloP = later.sweep.then((sweep = []) => sweep.map((s) => s.speak?.ehlo?.domain ?? s.speak?.ehloAfterTls?.domain).find((x) => x && !isIP(x))?.toLowerCase());
    // Loaded on first use: the audit's libraries (mailauth, the Public Suffix List) cost start-up time.
    const { auditDomain } = await import('../domain/audit.js');
    const factsP = auditDomain(ctx.resolver, {
      domain: senderDomainOf(ctx.target)!,
      ips: o.ips,
      smtpHost: ctx.target.host,
      smtpHostAddresses: resolved?.addresses.map((a) => a.address),
      smtpHostRole: 'submission-host',
      helo: o.helo,
      selectors: o.selectors,
      blocklists: o.blocklists,
      defaultBlocklists: o.defaultBlocklists,
      propagation: o.propagation,
      policyHostMap: o.policyHosts,
      timeoutMs: ctx.timeoutMs,
    }, ctx);
    const [facts, helo] = await Promise.all([factsP, o.helo ? Promise.resolve(undefined) : heloP]);
    // A gmail.com (outlook.com, ...) sender does not own that domain's DNS: the rules judge what the user can change.
    facts.consumerProvider = consumerProviderFor(facts.domain);
    if (helo) {
      facts.helo = helo;
      facts.heloSource = 'greeting';
      for (const p of facts.ptr) {
        p.helo = helo;
        p.heloMatches = p.names.includes(helo);
      }
    }
    return ok(facts);
  },
});
