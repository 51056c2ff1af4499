// What every probe receives: the target, the run's deadline (AbortSignal), the resolver and transcript sinks.
// All I/O configuration comes in through here, so tests point probes at local servers without patching modules.
import type { Resolver } from '../net/resolver.js';
import type { DialOptions, DialResult } from '../net/tcp.js';
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

export interface ProbeContext {
  target: Target;
  signal: AbortSignal;
  /** Per-step network timeout in milliseconds. */
  timeoutMs: number;
  resolver: Resolver;
  /** TCP connect, shared per address and port within a run (see DialCoordinator). */
  dial(opts: DialOptions): Promise<DialResult>;
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
