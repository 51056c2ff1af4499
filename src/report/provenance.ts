// Where the settings came from, in words (Thunderbird tells its user too): "SRV _submission._tcp.example.com",
// "autoconfig https://autoconfig.example.com/…", "provider table: Fastmail", "guess: …". Read from the discovery
// facts; sources this file does not know yet still show, as "source: detail".
import type { ExtraFacts } from '../facts/index.js';

/** The part of a discovery candidate this needs (facts.extra.discovery.candidates[]). */
export interface DiscoveredCandidate {
  host: string;
  port: number;
  security: string;
  source: string;
  detail: string;
  alsoFrom?: string[];
}

function candidatesOf(extra: ExtraFacts): DiscoveredCandidate[] {
  const d = extra.discovery as { candidates?: unknown } | undefined;
  return Array.isArray(d?.candidates) ? (d.candidates as DiscoveredCandidate[]).filter((c) => c && typeof c.source === 'string' && typeof c.detail === 'string') : [];
}

/** One source in words. */
export function sourceWords(source: string, detail: string): string {
  switch (source) {
    case 'srv': return detail;
    case 'autoconfig': return /^autoconfig http:/i.test(detail) ? `${detail} (plain HTTP: unauthenticated)` : detail;
    case 'provider': return `provider table: ${detail.replace(/ \(provider table\)$/, '')}`;
    case 'mx-provider': {
      const m = /^MX (\S+) belongs to (.+)$/.exec(detail);
      return m ? `provider table: ${m[2]} (the domain's MX ${m[1]})` : `provider table: ${detail}`;
    }
    case 'guess': return `guess: ${detail}`;
    default: return `${source}: ${detail}`;
  }
}

/**
 * "found by" for the server the run checked, when discovery chose it: the source that named it first, then the
 * other sources that named the same host, port and security. Undefined when the user gave the server.
 */
export function foundBy(extra: ExtraFacts, server: { host: string; port: number; security: string }, origin: string): string[] | undefined {
  if (origin !== 'address') return undefined;
  const same = candidatesOf(extra).filter((c) => c.host === server.host && c.port === server.port);
  if (!same.length) return undefined;
  const seen = new Set<string>();
  return same
    .map((c) => sourceWords(c.source, c.detail))
    .filter((w) => !seen.has(w) && seen.add(w));
}
