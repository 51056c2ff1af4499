// The core SMTP path as probe nodes: resolve the host, sweep its submission ports (connect, greeting, EHLO, TLS on
// each), and hold the configured session (AUTH, envelope, DATA when the round trip hands over a message).
import type { ResolvedAddress, ResolveFact, SessionFact } from '../facts/types.js';
import { defineProbe, ok } from './probe.js';
import type { ProbeResult } from '../facts/types.js';
import { resolveHost } from './resolve.js';
import { probeSession, type MessageSender } from './session.js';
import { sweepEndpoint, type SweepResult } from './speak.js';

/**
 * Large providers publish many addresses per name (8 or more A records). Probing every one × every port would open
 * dozens of connections and can trip the provider's per-client connection limits ("421 too many connections"); the
 * first two of each family, in DNS order (the ones a client tries first), say the same.
 */
export const ADDRESSES_PER_FAMILY = 2;
export function probedAddresses(all: ResolvedAddress[]): ResolvedAddress[] {
  const v4 = all.filter((a) => a.family === 4).slice(0, ADDRESSES_PER_FAMILY);
  const v6 = all.filter((a) => a.family === 6).slice(0, ADDRESSES_PER_FAMILY);
  return all.filter((a) => v4.includes(a) || v6.includes(a));
}

/** A session that ended early failed; its fact (what it saw up to there) is the data either way. */
export function sessionResult(session: SessionFact): ProbeResult<SessionFact> {
  return session.error ? { status: 'failed', data: session, error: session.error } : ok(session);
}

/** Fails (with the fact as data) when the host has no address: nothing downstream has anything to connect to. */
export const resolveNode = defineProbe({
  name: 'resolve',
  needs: [],
  applies: () => true,
  detail: (ctx) => ctx.target.host,
  async run(ctx): Promise<ProbeResult<ResolveFact>> {
    const compare = (ctx.target.options.dns as { compareResolvers?: string[] } | undefined)?.compareResolvers;
    const r = await resolveHost(ctx.resolver, ctx.clock, ctx.target.host, compare);
    if (r.addresses.length) return ok(r);
    const code = r.error ?? 'NODATA';
    return { status: 'failed', data: r, error: { code, step: 'resolve', message: `${r.host}: ${code}` } };
  },
});

export const sweepNode = defineProbe<SweepResult[], { resolve: ResolveFact }>({
  name: 'sweep',
  needs: ['resolve'],
  applies: () => true,
  async run(ctx, { resolve }) {
    const t = ctx.target;
    const ports = t.sweepPorts;
    return ok(await Promise.all(probedAddresses(resolve.addresses).flatMap((a) => ports.map((port) =>
      sweepEndpoint(ctx, { address: a.address, family: a.family, port, tlsFirst: t.implicitTlsPorts.includes(port) || (port === t.port && t.security === 'implicit-tls') })))));
  },
});

/** The round trip's mailbox (when there is one) hands the session the test message once the IMAP login worked. */
export const sessionNode = defineProbe<SessionFact, { resolve: ResolveFact; mailbox?: { sender: MessageSender } }>({
  name: 'session',
  needs: ['resolve', 'mailbox'],
  tolerates: ['mailbox'],
  applies: () => true,
  async run(ctx, { resolve, mailbox }) {
    return sessionResult(await probeSession(ctx, probedAddresses(resolve.addresses), mailbox?.sender));
  },
});
