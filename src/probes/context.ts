// What every probe receives: the target, the run's deadline (AbortSignal), the resolver, TCP connects, the rest of the
// I/O seam (TLS, HTTPS, clock, environment, local files: net/io.ts) and transcript sinks. All I/O comes in through
// here, so tests point probes at local servers, fixtures or a fixed clock without patching modules.
import { systemIo, type RunIo } from '../net/io.js';
import type { Resolver } from '../net/resolver.js';
import { dial, DialCoordinator, type DialOptions, type DialResult } from '../net/tcp.js';
import { TranscriptRecorder } from '../net/transcript.js';
import { Redactor } from '../net/redact.js';
import type { Target } from '../input/target.js';

export type ProgressEvent =
  /** The server the run checks, once known; `foundBy` says how discovery found it (absent when the user named it). */
  | { type: 'target'; host: string; port: number; foundBy?: string }
  | { type: 'probe-start'; probe: string; detail?: string }
  /** A TCP connect begins / ends (the first per address and port: later ones reuse its outcome). */
  | { type: 'connect-start'; address: string; port: number; timeoutMs: number }
  | { type: 'connect-end'; address: string; port: number; outcome: string; ms: number }
  | { type: 'probe-end'; probe: string; status: 'ok' | 'failed' | 'skipped'; ms: number; detail?: string }
  /** The round trip is waiting for the test message to arrive (sent after each search of the folders). */
  | { type: 'roundtrip-wait'; elapsedMs: number; limitMs: number; folders: string[]; mode: 'idle' | 'poll' };

export interface ProbeContext extends RunIo {
  target: Target;
  signal: AbortSignal;
  /** Per-step network timeout in milliseconds. */
  timeoutMs: number;
  resolver: Resolver;
  /** TCP connect, shared per address and port within a run (see DialCoordinator). */
  dial(opts: DialOptions): Promise<DialResult>;
  /**
   * A TCP connect of its own, outside the run's sharing and not shown as progress: for a repeat that must see the
   * network answer again (a reset or an ICMP error, see network/), and for a probe's extra conversations.
   */
  dialFresh(opts: DialOptions): Promise<DialResult>;
  /** Starts a transcript that will be part of the report. */
  transcript(label: string): TranscriptRecorder;
  progress(event: ProgressEvent): void;
}

/** Transcripts for one run; each scrubs what a server says with the run's redactor before anything cuts it. */
export function createTranscriptSink(redactor: Redactor = Redactor.none): { make: (label: string) => TranscriptRecorder; all: TranscriptRecorder[] } {
  const all: TranscriptRecorder[] = [];
  return {
    all,
    make: (label: string) => {
      const t = new TranscriptRecorder(label, redactor);
      all.push(t);
      return t;
    },
  };
}

/**
 * The context for one run: every probe of the run shares its dial coordinator, deadline, resolver, trust store and
 * transcripts. `io` replaces parts of the system seam (tests: a fixed clock, /proc fixtures, a fake TLS).
 */
export function createProbeContext(o: {
  target: Target;
  signal: AbortSignal;
  resolver: Resolver;
  transcript: (label: string) => TranscriptRecorder;
  onProgress?: (event: ProgressEvent) => void;
  io?: Partial<RunIo>;
}): ProbeContext {
  const progress = (e: ProgressEvent) => o.onProgress?.(e);
  return {
    ...systemIo({ ca: o.target.ca, signal: o.signal, timeoutMs: o.target.timeoutMs }),
    ...o.io,
    target: o.target, signal: o.signal, timeoutMs: o.target.timeoutMs, resolver: o.resolver,
    dial: dialReporting(new DialCoordinator(), progress),
    dialFresh: dial,
    transcript: o.transcript,
    progress,
  };
}

/** ctx.dial that tells the progress display when a connect begins and how it ended. */
function dialReporting(dialer: DialCoordinator, progress: (e: ProgressEvent) => void): ProbeContext['dial'] {
  return async (o) => {
    progress({ type: 'connect-start', address: o.address, port: o.port, timeoutMs: o.timeoutMs });
    const r = await dialer.dial(o);
    progress({ type: 'connect-end', address: o.address, port: o.port, outcome: r.outcome, ms: r.ms });
    return r;
  };
}
