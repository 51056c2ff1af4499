// What was seen to work: every swept port where SMTP answered with TLS, and the one to recommend.
import type { Facts } from '../facts/index.js';
import type { Target } from '../input/target.js';
import type { WorkingConfig } from '../report/types.js';

export function workingConfigs(facts: Facts, host = ''): WorkingConfig[] {
  const out: WorkingConfig[] = [];
  for (const s of facts.speaks) {
    const hostName = host || s.tls?.servername || s.address;
    if (s.speaks === 'smtp-implicit-tls' && s.greeting?.reply.code === 220 && s.tls?.ok) {
      out.push({ host: hostName, address: s.address, port: s.port, security: 'implicit-tls', authMechanisms: s.ehlo?.authMechanisms ?? [], certificateOk: s.tls.problems.length === 0, tlsProtocol: s.tls.protocol });
    } else if (s.speaks === 'smtp' && s.greeting?.reply.code === 220 && s.tls?.ok && s.ehloAfterTls) {
      out.push({ host: hostName, address: s.address, port: s.port, security: 'starttls', authMechanisms: s.ehloAfterTls.authMechanisms, certificateOk: s.tls.problems.length === 0, tlsProtocol: s.tls.protocol });
    }
  }
  // One entry per port+security (several addresses of the same host say the same thing).
  const seen = new Set<string>();
  return out.filter((w) => {
    const k = `${w.port}/${w.security}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** What works and what to recommend, as the report shows them. */
export function whatWorks(facts: Facts, target: Target): { works: WorkingConfig[]; recommended?: WorkingConfig } {
  const works = workingConfigs(facts, target.host);
  return { works, recommended: recommendedConfig(works, target) };
}

/** Seen working without a blocker: a certificate that validates, and AUTH offered when the user logs in. Only
 * these are recommended: a configuration whose certificate just failed is not one to switch to. */
export function usableConfigs(works: WorkingConfig[], target: Pick<Target, 'credentials'>): WorkingConfig[] {
  return works.filter((w) => w.certificateOk && (!target.credentials || w.authMechanisms.length > 0));
}

/** Among the usable configurations: what the user configured first, then the smallest change (same port), then
 * submission with AUTH: 465 (RFC 8314), 587, others. Undefined when nothing was seen working without a blocker. */
export function recommendedConfig(all: WorkingConfig[], target: Target): WorkingConfig | undefined {
  const works = usableConfigs(all, target);
  const wantsAuth = !!target.credentials;
  const score = (w: WorkingConfig) =>
    (w.port === target.port && w.security === target.security ? 1000 : 0) +
    // Same port, other encryption: the smallest change to the user's settings.
    (w.port === target.port ? 200 : 0) +
    (w.authMechanisms.length ? 100 : wantsAuth ? -100 : 0) +
    (w.certificateOk ? 50 : 0) +
    (w.port === 465 ? 20 : w.port === 587 ? 15 : w.port === 2525 ? 5 : 0);
  return [...works].sort((a, b) => score(b) - score(a))[0];
}
