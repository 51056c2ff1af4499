// The round trip, start to end, hooked into one check run:
//   1. right away, alongside the SMTP probes: find the IMAP server and log in once (the credential cross-check);
//   2. when the configured SMTP session has its envelope accepted, it asks us for the message (MessageSender):
//      we hand it over only if the IMAP login worked (a message we cannot find or delete is not sent);
//   3. after the session: wait for the copy in the inbox and the junk folder, read its headers, delete it, log out.
import type { SessionFact, TestMessage } from '../facts/types.js';
import type { ProbeContext } from '../probes/context.js';
import type { MessageSender } from '../probes/session.js';
import type { ImapCandidate } from '../facts/discovery.js';
import { loginImap, type ImapMailboxSession } from './imap-session.js';
import { loginPop3 } from './pop3-login.js';
import { guessImapEndpoints, fromDiscovery, locateImap } from './locate-imap.js';
import { buildTestMessage, TOKEN_HEADER } from './message.js';
import type { RoundtripSettings } from '../input/roundtrip-options.js';
import { readReceivedCopy } from './read-copy.js';
import type { FolderInfo, MailboxLoginFact, RoundtripFact } from '../facts/roundtrip.js';

const FIRST_POLL_MS = 250;

export interface RoundtripRun {
  sender: MessageSender;
  /** Finishes after the SMTP session; never throws (failures become facts). `via` is set when the message went
   * through another working path than the configured one (then `session` is that path's session). */
  finish(session: SessionFact | undefined, via?: Omit<NonNullable<RoundtripFact['via']>, 'session'>): Promise<RoundtripFact>;
}

interface Opened {
  login: MailboxLoginFact;
  session?: ImapMailboxSession;
  folders: FolderInfo[];
  error?: string;
}

async function openMailbox(ctx: ProbeContext, settings: RoundtripSettings, discovered: () => Promise<ImapCandidate[]>): Promise<Opened> {
  const t0 = ctx.clock.monotonic();
  const ms = () => Math.round(ctx.clock.monotonic() - t0);
  const candidates = settings.imap
    ? [settings.imap]
    : [...fromDiscovery(await discovered().catch(() => [])), ...guessImapEndpoints(ctx.target.host, settings.sender)];
  const located = await locateImap(ctx, candidates);
  const login: MailboxLoginFact = { candidates: located.tried, outcome: 'unreachable', capabilities: [], ms: 0 };
  if (!located.endpoint || !located.address) {
    login.ms = ms();
    return { login, folders: [] };
  }
  login.endpoint = located.endpoint;
  login.address = located.address;
  ctx.progress({ type: 'probe-start', probe: 'imap-login', detail: `${located.endpoint.host}:${located.endpoint.port}` });
  const r = located.endpoint.protocol === 'pop3'
    ? await loginPop3(ctx, { endpoint: located.endpoint, address: located.address, credentials: ctx.target.credentials! })
    : await loginImap({ endpoint: located.endpoint, address: located.address, credentials: ctx.target.credentials!, ca: ctx.target.ca, timeoutMs: ctx.timeoutMs, transcript: ctx.transcript(`IMAP ${located.endpoint.host}:${located.endpoint.port} (round trip)`) });
  Object.assign(login, { outcome: r.outcome, response: r.response, responseCode: r.responseCode, message: r.message, capabilities: r.capabilities, ms: ms() });
  if (!r.session) return { login, folders: [] };
  try {
    return { login, session: r.session, folders: await r.session.folders() };
  } catch (e) {
    await r.session.logout();
    return { login, folders: [], error: `listing folders failed: ${(e as Error).message}` };
  }
}

export const POP3_NOT_SENT = 'POP3 shows only the messages present at login, so watching the message arrive would take a second login, and the round trip logs in once: give --imap to confirm delivery';

function reasonNotSent(session: SessionFact | undefined, opened: Opened): string {
  if (opened.login.outcome === 'accepted' && opened.login.endpoint?.protocol === 'pop3') return POP3_NOT_SENT;
  if (opened.login.outcome !== 'accepted') return 'the IMAP login did not work, so the message could not be found or deleted afterwards';
  if (opened.error) return opened.error;
  if (!session) return 'the SMTP server could not be reached';
  if (session.error) return `the SMTP session ended at ${session.error.step}: ${session.error.message}`;
  if (session.envelope && !session.data) return 'the envelope (MAIL FROM / RCPT TO) was not accepted';
  return 'the SMTP session did not reach DATA';
}

export function startRoundtrip(ctx: ProbeContext, settings: RoundtripSettings, discovered: () => Promise<ImapCandidate[]>): RoundtripRun {
  const openedP = openMailbox(ctx, settings, discovered).catch((e: Error): Opened => ({
    login: { candidates: [], outcome: 'failed', message: e.message, capabilities: [], ms: 0 }, folders: [],
  }));
  let message: TestMessage | undefined;

  return {
    sender: {
      async prepare() {
        const opened = await openedP;
        if (!opened.session || opened.error) return undefined;
        message = buildTestMessage({ from: settings.sender, to: settings.recipient, date: new Date(ctx.clock.now()) });
        return message;
      },
    },

    async finish(session, via) {
      const opened = await openedP;
      const fact: RoundtripFact = {
        kind: 'roundtrip', sender: settings.sender, recipient: settings.recipient, imap: opened.login,
        via: via && session ? { ...via, session } : undefined,
        folders: opened.folders, waitLimitMs: settings.waitMs, error: opened.error,
      };
      const imap = opened.session;
      if (message) {
        const { wire: _wire, ...shown } = message;
        fact.message = shown;
      }
      fact.data = session?.data;
      if (!imap || !message || !session?.data?.accepted) {
        fact.notSent = session?.data && !session.data.accepted ? undefined : reasonNotSent(session, opened);
        await imap?.logout();
        return fact;
      }
      try {
        await waitAndRead(ctx, settings, imap, message, fact);
      } catch (e) {
        fact.error = (e as Error).message;
      } finally {
        await imap.logout();
      }
      return fact;
    },
  };
}

/** What the wait needs of the mailbox session (a test hands in a scripted one). */
export type WaitingMailbox = Pick<ImapMailboxSession, 'supportsIdle' | 'find' | 'fetchHeaders' | 'delete' | 'waitForNews'>;

/**
 * The most rounds one wait may take. A round sleeps FIRST_POLL_MS or more unless IDLE wakes it early, so four times
 * the rounds the time allows leaves a busy inbox ample room, while a clock that does not advance (a test's) or a
 * server that wakes IDLE without end still ends the wait.
 */
export function maxWaitRounds(waitMs: number): number {
  return 4 * Math.ceil(waitMs / FIRST_POLL_MS) + 16;
}

/** Waits for the copy on the run's clock (ctx.clock.sleep, through the session's waitForNews), reads it, deletes it. */
export async function waitAndRead(ctx: Pick<ProbeContext, 'clock' | 'signal' | 'progress'>, settings: RoundtripSettings, imap: WaitingMailbox, message: TestMessage, fact: RoundtripFact): Promise<void> {
  const sentAt = fact.data?.acceptedAt ? Date.parse(fact.data.acceptedAt) : ctx.clock.now();
  const t0 = ctx.clock.monotonic();
  const elapsed = () => Math.round(ctx.clock.monotonic() - t0);
  fact.waitMode = imap.supportsIdle ? 'idle' : 'poll';
  const rounds = maxWaitRounds(settings.waitMs);
  // IDLE wakes us for the inbox only; the junk folder is searched on a timer that starts short (most mail arrives
  // within a second or two) and backs off to pollMs.
  for (let round = 0; ; round++) {
    const found = await searchFolders(imap, fact.folders, message.token);
    if (found) {
      fact.waitedMs = elapsed();
      const got = await imap.fetchHeaders(found.folder.path, found.uid);
      fact.copy = readReceivedCopy({ folder: found.folder, uid: found.uid, headers: got.headers, token: message.token, foundAfterMs: ctx.clock.now() - sentAt, internalDate: got.internalDate, size: got.size });
      fact.cleanup = settings.keep ? { deleted: false, kept: true } : await deleteCopies(imap, found.folder.path, found.uids, message.token);
      return;
    }
    const left = settings.waitMs - elapsed();
    ctx.progress({ type: 'roundtrip-wait', elapsedMs: elapsed(), limitMs: settings.waitMs, folders: fact.folders.map((f) => f.path), mode: fact.waitMode });
    if (left <= 0 || ctx.signal.aborted || round + 1 >= rounds) {
      fact.waitedMs = elapsed();
      return;
    }
    await imap.waitForNews(Math.min(settings.pollMs, FIRST_POLL_MS * 2 ** round, left), ctx.clock, ctx.signal);
  }
}

/** The first folder holding the token, with its newest such UID and all of them; the inbox is searched last: IDLE then
 * continues on the mailbox just searched, so nothing arriving in between is missed. */
async function searchFolders(imap: WaitingMailbox, folders: FolderInfo[], token: string): Promise<{ folder: FolderInfo; uid: number; uids: number[] } | undefined> {
  for (const folder of [...folders].sort((a, b) => Number(a.role === 'inbox') - Number(b.role === 'inbox'))) {
    const uids = await imap.find(folder.path, TOKEN_HEADER, token);
    const uid = uids.at(-1);
    if (uid !== undefined) return { folder, uid, uids };
  }
  return undefined;
}

/** Deletes only the UIDs that carry our token, in the folder we found them in: nothing else is touched. */
async function deleteCopies(imap: WaitingMailbox, folder: string, uids: number[], token: string): Promise<NonNullable<RoundtripFact['cleanup']>> {
  try {
    let confirmed = true;
    for (const u of uids) confirmed = (await imap.delete(folder, u)) && confirmed;
    // A server may answer OK to STORE \Deleted and EXPUNGE and keep the message (Dovecot's ACLs without the
    // delete rights do): only a second search says whether it is gone.
    const left = await imap.find(folder, TOKEN_HEADER, token);
    const deleted = confirmed && left.length === 0;
    return {
      deleted, kept: false,
      error: deleted ? undefined : left.length ? `the server answered the deletion but the message is still in ${folder} (the account may lack the right to delete there)` : 'the server did not confirm the deletion',
    };
  } catch (e) {
    return { deleted: false, kept: false, error: (e as Error).message };
  }
}
