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

export function progressPrinter(write: (s: string) => void, opts: { color?: boolean; now?: () => number; tickMs?: number } = {}): ProgressPrinter {
  const now = opts.now ?? (() => performance.now());
  const dim = (s: string) => (opts.color ? `\x1b[2m${s}\x1b[0m` : s);
  const t0 = now();
  const pending = new Map<string, Pending>();
  let server: { host: string; port: number } | undefined;
  let activity = 'Starting…';
  let waitLine: string | undefined;
  let frame = 0;
  let live = false;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;

  const clearLive = () => {
    if (live) write('\r\x1b[2K');
    live = false;
  };
  const liveText = (): string => {
    if (waitLine) return waitLine;
    const slow = [...pending.values()].filter((p) => now() - p.since >= SLOW_CONNECT_MS).sort((a, b) => a.since - b.since)[0];
    if (slow) {
      const more = [...pending.values()].filter((p) => p !== slow && now() - p.since >= SLOW_CONNECT_MS).length;
      return `Waiting up to ${Math.round(slow.timeoutMs / 1000)} s: port ${slow.port} does not answer yet${more ? ` (and ${more} more)` : ''}`;
    }
    return activity;
  };
  const draw = () => {
    if (ended) return;
    const secs = Math.floor((now() - t0) / 1000);
    write(`\r\x1b[2K${dim(`${SPINNER[frame++ % SPINNER.length]} ${liveText()}  ${secs} s`)}`);
    live = true;
  };
  const start = () => {
    if (timer || ended) return;
    timer = setInterval(draw, opts.tickMs ?? 100);
    timer.unref();
  };
  const line = (s: string) => {
    clearLive();
    write(`${dim(s)}\n`);
    draw();
    start();
  };

  return {
    onProgress(e) {
      if (ended) return;
      switch (e.type) {
        case 'target':
          server = { host: e.host, port: e.port };
          if (e.foundBy) line(`Found ${clean(e.host)} port ${e.port} (${clean(e.foundBy)})`);
          break;
        case 'probe-start': {
          const words = stageWords(e, server);
          if (words) {
            activity = words;
            line(words);
          }
          break;
        }
        case 'connect-start':
          pending.set(`${e.address}|${e.port}`, { port: e.port, address: e.address, since: now(), timeoutMs: e.timeoutMs });
          start();
          break;
        case 'connect-end': {
          const p = pending.get(`${e.address}|${e.port}`);
          pending.delete(`${e.address}|${e.port}`);
          if (p && e.outcome === 'filtered') line(`Port ${e.port} did not answer within ${Math.round(p.timeoutMs / 1000)} s`);
          break;
        }
        case 'roundtrip-wait': {
          const how = e.mode === 'idle' ? 'IMAP IDLE' : 'checking every few seconds';
          waitLine = `Waiting for the test message: ${Math.round(e.elapsedMs / 1000)} s of ${Math.round(e.limitMs / 1000)} s (${e.folders.map(clean).join(', ')}; ${how})`;
          draw();
          start();
          break;
        }
        default:
          break;
      }
    },
    pause() {
      clearInterval(timer);
      timer = undefined;
      clearLive();
    },
    end() {
      if (ended) return;
      clearInterval(timer);
      timer = undefined;
      clearLive();
      ended = true;
    },
  };
}
