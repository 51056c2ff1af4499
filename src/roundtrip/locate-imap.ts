// Which IMAP server holds the user's mailbox: --imap, else what settings discovery found, else the usual names
// next to the SMTP host and the address's domain. Candidates are tried at the TCP level only (all at once, one
// timeout); the password is sent to one of them, never to each.
import { isIP } from 'node:net';
import type { ProbeContext } from '../probes/context.js';
import { resolveHost } from '../probes/resolve.js';
import type { ImapCandidate } from '../facts/discovery.js';
import type { MailboxEndpoint } from '../facts/roundtrip.js';

const SMTP_LABELS = /^(smtp|mail|submission|outgoing|smtpout|smtp-mail|send|out)\./i;
export const MAX_IMAP_CANDIDATES = 8;

export function guessImapEndpoints(smtpHost: string, address: string): MailboxEndpoint[] {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  const hosts: { host: string; why: string }[] = [];
  if (isIP(smtpHost)) hosts.push({ host: smtpHost, why: 'the SMTP server\'s address' });
  else {
    if (SMTP_LABELS.test(smtpHost)) hosts.push({ host: smtpHost.replace(SMTP_LABELS, 'imap.').toLowerCase(), why: `next to ${smtpHost}` });
    hosts.push({ host: smtpHost.toLowerCase(), why: 'the SMTP server itself' });
  }
  hosts.push({ host: `imap.${domain}`, why: `conventional name for ${domain}` }, { host: `mail.${domain}`, why: `conventional name for ${domain}` });
  const out: MailboxEndpoint[] = [];
  for (const h of hosts) {
    out.push({ protocol: 'imap', host: h.host, port: 993, security: 'implicit-tls', source: 'guess', detail: h.why });
    out.push({ protocol: 'imap', host: h.host, port: 143, security: 'starttls', source: 'guess', detail: h.why });
  }
  return out;
}

export function fromDiscovery(c: ImapCandidate[]): MailboxEndpoint[] {
  // Plaintext IMAP is never used for a login, so a discovered "none" entry is upgraded to STARTTLS.
  return c.map((x) => ({ protocol: 'imap', host: x.host, port: x.port, security: x.security === 'none' ? 'starttls' : x.security, source: 'discovered', detail: x.detail }));
}

export function dedupeEndpoints(list: MailboxEndpoint[]): MailboxEndpoint[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.host.toLowerCase()}:${e.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface LocatedImap {
  endpoint?: MailboxEndpoint;
  address?: string;
  tried: { endpoint: MailboxEndpoint; outcome: string; ms: number }[];
}

/** Resolves and dials every candidate at once; the first open one in rank order wins. */
export async function locateImap(ctx: ProbeContext, candidates: MailboxEndpoint[]): Promise<LocatedImap> {
  const list = dedupeEndpoints(candidates).slice(0, MAX_IMAP_CANDIDATES);
  const results = await Promise.all(
    list.map(async (endpoint) => {
      const t0 = ctx.clock.monotonic();
      const r = await resolveHost(ctx.resolver, ctx.clock, endpoint.host);
      const a = r.addresses[0];
      if (!a) return { endpoint, outcome: `not resolvable (${r.error ?? 'no address'})`, ms: Math.round(ctx.clock.monotonic() - t0) };
      const d = await ctx.dial({ address: a.address, family: a.family, port: endpoint.port, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      if (d.outcome === 'open') d.socket.destroy();
      return { endpoint, address: a.address, outcome: d.outcome, ms: Math.round(ctx.clock.monotonic() - t0) };
    }),
  );
  const winner = results.find((r) => r.outcome === 'open');
  return { endpoint: winner?.endpoint, address: winner?.address, tried: results.map(({ endpoint, outcome, ms }) => ({ endpoint, outcome, ms })) };
}
