// Settings discovery judged: no server found for the address (or DNS that could not be asked), and the user's
// settings against what the domain publishes. Facts: facts.extra.discovery (src/input/discover.ts gathers them).
import type { DiscoveryFact, SubmissionCandidate } from '../facts/discovery.js';
import type { ExtraFacts } from '../facts/index.js';
import type { SecurityMode } from '../facts/types.js';
import { makeFinding } from '../findings/make.js';
import type { Finding } from '../findings/types.js';
import { describeSecurity, type Target } from '../input/target.js';
import { defineRule } from './types.js';
import type { WorkingConfig } from '../report/types.js';
import { recommendedConfig, workingConfigs } from './works.js';

export interface SettingsDiff {
  field: 'host' | 'port' | 'security';
  yours: string;
  discovered: string;
}

/** How the user's settings differ from a candidate; empty when they match one of the discovered candidates. */
export function diffSettings(yours: { host: string; port: number; security: SecurityMode }, candidates: SubmissionCandidate[]): SettingsDiff[] {
  const best = candidates[0];
  if (!best) return [];
  const norm = (h: string) => h.toLowerCase().replace(/\.$/, '');
  if (candidates.some((c) => norm(c.host) === norm(yours.host) && c.port === yours.port && c.security === yours.security)) return [];
  // Compare with the candidate on the same host if there is one (the port or mode is what differs), else the best.
  const ref = candidates.find((c) => norm(c.host) === norm(yours.host) && c.port === yours.port) ?? candidates.find((c) => norm(c.host) === norm(yours.host)) ?? best;
  const d: SettingsDiff[] = [];
  if (norm(ref.host) !== norm(yours.host)) d.push({ field: 'host', yours: yours.host, discovered: ref.host });
  if (ref.port !== yours.port) d.push({ field: 'port', yours: String(yours.port), discovered: String(ref.port) });
  if (ref.security !== yours.security) d.push({ field: 'security', yours: describeSecurity(yours.security), discovered: describeSecurity(ref.security) });
  return d;
}

/** One sentence: "your client uses SSL/TLS (implicit TLS) on port 587; this server speaks STARTTLS on 587". */
export function describeDiff(yours: { host: string; port: number; security: SecurityMode }, candidates: SubmissionCandidate[]): string | undefined {
  const d = diffSettings(yours, candidates);
  if (!d.length) return undefined;
  const ref = candidates.find((c) => c.host === (d.find((x) => x.field === 'host')?.discovered ?? yours.host) && (d.some((x) => x.field === 'port') || c.port === yours.port)) ?? candidates[0]!;
  if (d.length === 1 && d[0]!.field === 'security') return `your client uses ${describeSecurity(yours.security)} on port ${yours.port}; this server speaks ${describeSecurity(ref.security)} on ${ref.port} (${ref.detail})`;
  return `your settings are ${yours.host}:${yours.port} ${describeSecurity(yours.security)}; discovered: ${ref.host}:${ref.port} ${describeSecurity(ref.security)} (${ref.detail})`;
}

/** The config.differs-from-discovered finding, when the user's explicit settings differ from the discovered ones. */
/** `seen`: the configuration this run saw working and recommends; the finding then recommends the same one (one
 * report, one recommendation), else the best discovered candidate, said to be untested. */
export function compareWithDiscovered(yours: { host: string; port: number; security: SecurityMode }, all: SubmissionCandidate[], seen?: WorkingConfig): Finding[] {
  // A conventional name (smtp.DOMAIN) that merely exists is no reason to call another host wrong; on the same host
  // its port and mode still are.
  const candidates = all.filter((c) => c.source !== 'guess' || c.host.toLowerCase() === yours.host.toLowerCase().replace(/\.$/, ''));
  const diff = describeDiff(yours, candidates);
  if (!diff) return [];
  const best = candidates.find((c) => c.host === yours.host) ?? candidates[0]!;
  return [makeFinding('config.differs-from-discovered', {
    evidence: diffSettings(yours, candidates).map((x) => ({ text: `${x.field}: yours ${x.yours}, discovered ${x.discovered}`, where: best.detail })),
    vars: { diff, recommended: seen ? `${seen.host} port ${seen.port}, ${describeSecurity(seen.security)} (seen working in this run)` : `${best.host} port ${best.port}, ${describeSecurity(best.security)} (discovered; not seen working in this run)` },
    confidence: best.source === 'guess' ? 'possible' : 'likely',
  })];
}

/** The discovery fact, completed for reports saved before schema 1.3 (no `compared`, no `failedLookups`): a run
 * started from an address alone chose its server by discovery. */
export function discoveryFactOf(extra: ExtraFacts, target: Target): DiscoveryFact | undefined {
  const d = extra.discovery as (Partial<DiscoveryFact> & { email: string; candidates: SubmissionCandidate[] }) | undefined;
  return d ? { imap: [], autoconfig: [], failedLookups: [], compared: target.origin !== 'address', ...d } : undefined;
}

/** Nothing found: a domain that publishes nothing, or lookups that got no answer (then nothing is known). */
function nothingFound(d: DiscoveryFact): Finding {
  const domain = d.email.slice(d.email.lastIndexOf('@') + 1);
  if (d.failedLookups.length) {
    return makeFinding('discovery.dns-failed', {
      evidence: d.failedLookups.map((l) => ({ text: `${l.type} ${l.name}: ${l.error}${l.detail && l.error === 'OTHER' ? ` (${l.detail})` : ''}`, where: d.resolver })),
      vars: { domain, resolver: d.resolver ?? 'the resolver' },
      confidence: 'likely',
    });
  }
  return makeFinding('discovery.no-server-found', { evidence: [{ text: `no SRV, provider, MX or conventional host found for ${domain}`, where: d.resolver }] });
}

export const discoveryRule = defineRule({
  name: 'discovery',
  run(facts, target) {
    const d = discoveryFactOf(facts.extra, target);
    if (!d) return [];
    if (!d.compared) return d.candidates.length ? [] : [nothingFound(d)];
    return compareWithDiscovered(target, d.candidates, recommendedConfig(workingConfigs(facts, target.host), target));
  },
});
