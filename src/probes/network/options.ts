// Options of the network-path probe and their validation (shared by the CLI and the library).
import { isIP } from 'node:net';
import { UserError } from '../../errors.js';
import { validateHost, validatePort, validateSeconds } from '../../input/validate.js';
import type { NetworkOptions, ReferenceSpec } from '../../facts/network.js';

/**
 * The default reference: a large mail provider's submission host that accepts connections on 25, 465 and 587 from
 * anywhere. Used only when the server under test has a public address (a private or loopback server says nothing
 * about what the Internet lets through). Swap it with --reference HOST[:PORTS] (e.g. your own second server).
 */
export const DEFAULT_REFERENCE: ReferenceSpec = { host: 'smtp.gmail.com', ports: [25, 465, 587], source: 'default' };

/** Longest idle period the hold test may wait. */
export const MAX_HOLD_SECONDS = 300;

/** Parses "host", "host:25,587", "[2001:db8::1]:25" or a bare IPv6 literal. */
export function parseReferenceSpec(raw: string): ReferenceSpec {
  const v = raw.trim();
  let host = v;
  let ports: number[] = [...DEFAULT_REFERENCE.ports];
  const bracket = /^\[([^\]]+)\](?::([\d,\s]+))?$/.exec(v);
  if (bracket) {
    host = bracket[1]!;
    if (bracket[2]) ports = bracket[2].split(',').map((p) => validatePort(p, 'reference port'));
  } else if (isIP(v) !== 6) {
    const m = /^([^:]+)(?::([\d,\s]+))?$/.exec(v);
    if (!m) throw new UserError('invalid-value', `reference "${raw}" must be HOST or HOST:PORT[,PORT…] (e.g. smtp.example.net:25,587)`);
    host = m[1]!;
    if (m[2]) ports = m[2].split(',').map((p) => validatePort(p, 'reference port'));
  }
  if (!ports.length) throw new UserError('invalid-value', `reference "${raw}" lists no port`);
  return { host: validateHost(host, 'reference host'), ports: [...new Set(ports)].sort((a, b) => a - b), source: 'user' };
}

export function validateHoldSeconds(value: string | number): number {
  return validateSeconds(value, '--hold', 0.1, MAX_HOLD_SECONDS);
}

/** Validates Target.options.network as given by a library caller or the CLI. Throws UserError on bad input. */
export function networkOptions(raw: unknown): NetworkOptions & { referenceSpecs: ReferenceSpec[] } {
  const o = (raw && typeof raw === 'object' ? raw : {}) as NetworkOptions;
  const referenceSpecs = (o.references ?? []).map(parseReferenceSpec);
  return {
    references: o.references,
    noReference: !!o.noReference,
    holdSeconds: o.holdSeconds !== undefined ? validateHoldSeconds(o.holdSeconds) : undefined,
    dataProbe: !!o.dataProbe,
    referenceSpecs,
  };
}
