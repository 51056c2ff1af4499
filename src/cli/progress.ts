// Live progress for a person at a terminal (stderr): a few lines in plain words as the run reaches each stage, and
// one self-rewriting line with a spinner and ticking seconds for whatever is still being waited for ("Waiting up to
// 5 s: port 465 does not answer yet"). Never used for --json or when stderr is not a terminal (see io.ts).
import { isIP } from 'node:net';
import type { ProgressEvent } from '../probes/context.js';
import { visible } from '../report/visible.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** A connection still unanswered after this long gets its own "does not answer yet" line. */
const SLOW_CONNECT_MS = 800;

export interface ProgressPrinter {
  onProgress: (e: ProgressEvent) => void;
  /** Clears the live line and stops the ticking (before a prompt or the report). */
  pause: () => void;
  end: () => void;
}

/** Names from outside (a host from DNS or a config, a folder from the IMAP server) never reach the terminal raw. */
const clean = visible;

/** What a stage is called in a person's words, or undefined for stages not worth a line of their own. */
function stageWords(e: Extract<ProgressEvent, { type: 'probe-start' }>, server?: { host: string; port: number }): string | undefined {
  const d = e.detail ? clean(e.detail) : '';
  switch (e.probe) {
    case 'resolve': return isIP(d) ? undefined : `Looking up ${d}…`;
    case 'session': return server ? `Connecting to ${clean(server.host)} port ${server.port}…` : 'Connecting…';
    case 'network': return 'Checking the network path (firewalls, filters, interception)…';
    case 'domain': return 'Auditing the sender\'s domain (SPF, DKIM, DMARC, reverse DNS, blocklists)…';
    case 'imap-login': return `Logging in to your mailbox at ${d}…`;
    case 'roundtrip-session': return `Sending the test message through ${d} instead…`;
    case 'roundtrip': return 'Sending the test message to yourself…';
    default: return undefined;
  }
}

interface Pending { port: number; address: string; since: number; timeoutMs: number }

/** What the run is doing, as far as the live line needs to know. */
interface RunState {
  server?: { host: string; port: number };
  /** The last stage worth naming ("Looking up …"), shown while nothing is slow. */
  activity: string;
  /** Connections not yet answered, by "address|port". */
  pending: Map<string, Pending>;
  /** The round trip's wait, which takes over the live line once it starts. */
  waitLine?: string;
}

/** The live line's words: the round trip's wait, else the oldest slow connection, else the current stage. */
function liveText(state: RunState, now: () => number): string {
  if (state.waitLine) return state.waitLine;
  const slow = [...state.pending.values()].filter((p) => now() - p.since >= SLOW_CONNECT_MS).sort((a, b) => a.since - b.since)[0];
  if (slow) {
    const more = [...state.pending.values()].filter((p) => p !== slow && now() - p.since >= SLOW_CONNECT_MS).length;
    return `Waiting up to ${Math.round(slow.timeoutMs / 1000)} s: port ${slow.port} does not answer yet${more ? ` (and ${more} more)` : ''}`;
  }
  return state.activity;
}

interface LiveLine {
  readonly ended: boolean;
  /** Writes a line that stays, then redraws the live line under it. */
  line: (s: string) => void;
  draw: () => void;
  /** Starts the ticking (once): the seconds and the spinner move even while no event arrives. */
  start: () => void;
  pause: () => void;
  end: () => void;
}

/** The self-rewriting bottom line: redrawn on a timer, cleared before anything else is written, silent once ended. */
function liveLine(write: (s: string) => void, text: () => string, opts: { color?: boolean; now: () => number; tickMs?: number }): LiveLine {
  const { now } = opts;
  const dim = (s: string) => (opts.color ? `\x1b[2m${s}\x1b[0m` : s);
  const t0 = now();
  let frame = 0;
  let live = false;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;

  const clearLive = () => {
    if (live) write('\r\x1b[2K');
    live = false;
  };
  const draw = () => {
    if (ended) return;
    const secs = Math.floor((now() - t0) / 1000);
    write(`\r\x1b[2K${dim(`${SPINNER[frame++ % SPINNER.length]} ${text()}  ${secs} s`)}`);
    live = true;
  };
  const start = () => {
    if (timer || ended) return;
    timer = setInterval(draw, opts.tickMs ?? 100);
    timer.unref();
  };
  const stopTicking = () => {
    clearInterval(timer);
    timer = undefined;
    clearLive();
  };
  return {
    get ended() {
      return ended;
    },
    line(s) {
      clearLive();
      write(`${dim(s)}\n`);
      draw();
      start();
    },
    draw,
    start,
    pause: stopTicking,
    end() {
      if (ended) return;
      stopTicking();
      ended = true;
    },
  };
}

/** One progress event: update what the run is doing and say so when it is worth a line. */
function noteProgress(e: ProgressEvent, state: RunState, live: LiveLine, now: () => number): void {
  switch (e.type) {
    case 'target':
      state.server = { host: e.host, port: e.port };
      if (e.foundBy) live.line(`Found ${clean(e.host)} port ${e.port} (${clean(e.foundBy)})`);
      break;
    case 'probe-start': {
      const words = stageWords(e, state.server);
      if (words) {
        state.activity = words;
        live.line(words);
      }
      break;
    }
    case 'connect-start':
      state.pending.set(`${e.address}|${e.port}`, { port: e.port, address: e.address, since: now(), timeoutMs: e.timeoutMs });
      live.start();
      break;
    case 'connect-end': {
      const p = state.pending.get(`${e.address}|${e.port}`);
      state.pending.delete(`${e.address}|${e.port}`);
      if (p && e.outcome === 'filtered') live.line(`Port ${e.port} did not answer within ${Math.round(p.timeoutMs / 1000)} s`);
      break;
    }
    case 'roundtrip-wait': {
      const how = e.mode === 'idle' ? 'IMAP IDLE' : 'checking every few seconds';
      state.waitLine = `Waiting for the test message: ${Math.round(e.elapsedMs / 1000)} s of ${Math.round(e.limitMs / 1000)} s (${e.folders.map(clean).join(', ')}; ${how})`;
      live.draw();
      live.start();
      break;
    }
    default:
      break;
  }
}

export function progressPrinter(write: (s: string) => void, opts: { color?: boolean; now?: () => number; tickMs?: number } = {}): ProgressPrinter {
  const now = opts.now ?? (() => performance.now());
  const state: RunState = { activity: 'Starting…', pending: new Map() };
  const live = liveLine(write, () => liveText(state, now), { ...opts, now });
  return {
    onProgress(e) {
      if (!live.ended) noteProgress(e, state, live, now);
    },
    pause: () => live.pause(),
    end: () => live.end(),
  };
}
