// The round trip's time comes from the run's clock (ctx.clock: src/net/io.ts): the wait for the message sleeps on it,
// and DATA stamps acceptedAt from it. A virtual clock runs a wait of seconds in no real time, a frozen one still ends
// the wait (a bounded number of rounds), and the real IMAP session waits on the clock it is handed. No server, no root.
import { describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { maxWaitRounds, waitAndRead, type WaitingMailbox } from '../../src/roundtrip/run.js';
import { ImapMailboxSession } from '../../src/roundtrip/imap-session.js';
import { sendTestMessage } from '../../src/probes/data.js';
import type { SmtpConnection } from '../../src/net/smtp-connection.js';
import type { Clock } from '../../src/net/io.js';
import type { ProgressEvent } from '../../src/probes/context.js';
import type { RoundtripFact } from '../../src/facts/roundtrip.js';
import type { SmtpReply, TestMessage } from '../../src/facts/types.js';
import type { RoundtripSettings } from '../../src/input/roundtrip-options.js';
import { fixedClock, virtualClock } from '../helpers/fake-io.js';

const ACCEPTED = Date.UTC(2026, 11, 1, 9, 30);
const message: TestMessage = { token: 'tok-1', messageId: '<m@x>', from: 'a@example.com', to: 'b@example.com', subject: 'test', wire: 'Subject: test\r\n\r\nhi\r\n' };
const settings = (waitMs: number): RoundtripSettings => ({ waitMs, pollMs: 2000, keep: false, sender: 'a@example.com', recipient: 'b@example.com' });

function freshFact(clock: Clock): RoundtripFact {
  return {
    kind: 'roundtrip', sender: 'a@example.com', recipient: 'b@example.com', waitLimitMs: 0,
    imap: { outcome: 'accepted' } as RoundtripFact['imap'],
    folders: [{ path: 'INBOX', role: 'inbox' }, { path: 'Junk', role: 'junk' }],
    data: { accepted: true, bytes: 10, ms: 1, acceptedAt: new Date(clock.now()).toISOString() } as RoundtripFact['data'],
  };
}

/** A poll-mode mailbox (no IDLE) whose inbox holds the message from `arrivesAfterMs` on the clock; waits on `clock`. */
function scriptedMailbox(clock: Clock, arrivesAfterMs: number): WaitingMailbox & { searches: string[] } {
  const start = clock.monotonic();
  let deleted = false;
  return {
    searches: [],
    supportsIdle: false,
    async find(folder) {
      this.searches.push(folder);
      return folder === 'INBOX' && !deleted && clock.monotonic() - start >= arrivesAfterMs ? [42] : [];
    },
    fetchHeaders: async () => ({ headers: Buffer.from(`X-Sendcheck-Token: ${message.token}\r\n\r\n`) }),
    async delete() {
      deleted = true;
      return true;
    },
    waitForNews: (ms, c, signal) => c.sleep(ms, signal),
  };
}

function waitContext(clock: Clock, signal = new AbortController().signal) {
  const events: ProgressEvent[] = [];
  return { ctx: { clock, signal, progress: (e: ProgressEvent) => events.push(e) }, events };
}

describe('the round trip waits on the run\'s clock', () => {
  it('a message arriving after 7 s of virtual time is found after the backed-off sleeps, in no real time', async () => {
    const clock = virtualClock(ACCEPTED);
    const fact = freshFact(clock);
    const { ctx } = waitContext(clock);
    const t0 = performance.now();
    await waitAndRead(ctx, settings(60_000), scriptedMailbox(clock, 7000), message, fact);
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 2000, 2000]);
    expect(fact.waitedMs).toBe(7750);
    expect(fact.copy?.foundAfterMs).toBe(7750);
    expect(fact.cleanup).toEqual({ deleted: true, kept: false, error: undefined });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('no message: the wait ends at its limit on the clock, the last sleep cut to what is left', async () => {
    const clock = virtualClock(ACCEPTED);
    const fact = freshFact(clock);
    const { ctx, events } = waitContext(clock);
    await waitAndRead(ctx, settings(5000), scriptedMailbox(clock, Infinity), message, fact);
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 1250]);
    expect(fact.waitedMs).toBe(5000);
    expect(fact.copy).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'roundtrip-wait', elapsedMs: 5000, limitMs: 5000, mode: 'poll' });
  });

  it('a clock that never advances still ends the wait, after a bounded number of rounds', async () => {
    const clock = fixedClock(ACCEPTED);
    const fact = freshFact(clock);
    const mailbox = scriptedMailbox(clock, Infinity);
    await waitAndRead(waitContext(clock).ctx, settings(3000), mailbox, message, fact);
    expect(clock.sleeps).toHaveLength(maxWaitRounds(3000) - 1);
    expect(mailbox.searches).toHaveLength(2 * maxWaitRounds(3000));
    expect(fact.waitedMs).toBe(0);
  });

  it('an aborted run ends the wait after one search, without sleeping', async () => {
    const clock = virtualClock(ACCEPTED);
    const fact = freshFact(clock);
    await waitAndRead(waitContext(clock, AbortSignal.abort()).ctx, settings(60_000), scriptedMailbox(clock, Infinity), message, fact);
    expect(clock.sleeps).toEqual([]);
    expect(fact.waitedMs).toBe(0);
  });

  it('the IMAP session without IDLE sleeps on the clock it is handed, with the run\'s signal', async () => {
    const session = new ImapMailboxSession({ capabilities: new Map() } as unknown as ImapFlow, 1000);
    const clock = virtualClock(ACCEPTED);
    const t0 = clock.monotonic();
    await session.waitForNews(90_000, clock, new AbortController().signal);
    expect(clock.sleeps).toEqual([90_000]);
    expect(clock.monotonic() - t0).toBe(90_000);
  });
});

describe('DATA on the run\'s clock', () => {
  const reply = (code: number, text: string): SmtpReply => ({ code, text, lines: [`${code} ${text}`] });

  it('acceptedAt is the clock\'s wall time when the server accepted, and the exchange is timed on its monotonic counter', async () => {
    const conn = { command: async () => reply(354, 'go ahead'), sendBody: async () => reply(250, '2.0.0 Ok: queued as 4ABCD12') } as unknown as SmtpConnection;
    const data = await sendTestMessage(conn, message, 1000, fixedClock(ACCEPTED, 1000, 40));
    expect(data).toMatchObject({ accepted: true, acceptedAt: '2026-12-01T09:30:00.000Z', ms: 40 });
  });

  it('a refused message has no acceptedAt', async () => {
    const conn = { command: async () => reply(354, 'go ahead'), sendBody: async () => reply(554, 'rejected') } as unknown as SmtpConnection;
    const data = await sendTestMessage(conn, message, 1000, fixedClock(ACCEPTED));
    expect(data.accepted).toBe(false);
    expect(data.acceptedAt).toBeUndefined();
  });
});
