// Where the settings came from, in words (Thunderbird tells its user too): "SRV _submission._tcp.example.com",
// "autoconfig https://autoconfig.example.com/…", "provider table: Fastmail", "guess: …". Read from the discovery
// facts; sources this file does not know yet still show, as "source: detail".
import type { CandidateSource } from '../facts/discovery.js';
import type { ExtraFacts } from '../facts/index.js';

/** One source in words. */
export function sourceWords(source: CandidateSource, detail: string): string {
  switch (source) {
    case 'srv': return detail;
    case 'autoconfig': return /^autoconfig http:/i.test(detail) ? `${detail} (plain HTTP: unauthenticated)` : detail;
    case 'autoconfig-http': return `${detail} (plain HTTP: unauthenticated)`;
    case 'ispdb': return /ISP database http:/i.test(detail) ? `${detail} (plain HTTP: unauthenticated)` : detail;
    case 'provider': return `provider table: ${detail.replace(/ \(provider table\)$/, '')}`;
    case 'mx-provider': {
      const m = /^MX (\S+) belongs to (.+)$/.exec(detail);
      return m ? `provider table: ${m[2]} (the domain's MX ${m[1]})` : `provider table: ${detail}`;
    }
    case 'guess': return `guess: ${detail}`;
    default: return `${source as string}: ${detail}`;
  }
}

/**
 * "found by" for the server the run checked, when discovery chose it: the source that named it first, then the
 * other sources that named the same host and port. Undefined when the user gave the server (discovery only compared).
 */
export function foundBy(extra: ExtraFacts, server: { host: string; port: number }): string[] | undefined {
  const d = extra.discovery;
  if (!d || d.compared) return undefined;
  const same = d.candidates.filter((c) => c.host === server.host && c.port === server.port);
  if (!same.length) return undefined;
  return [...new Set(same.map((c) => sourceWords(c.source, c.detail)))];
}
