// The live progress lines on a terminal (stderr, dim): one line per probe start, and one self-overwriting line
// while the round trip waits for its message.
import type { ProgressEvent } from '../probes/context.js';
import { visible } from '../report/visible.js';

export function progressPrinter(write: (s: string) => void): { onProgress: (e: ProgressEvent) => void; end: () => void } {
  let waiting = false;
  const endWait = () => {
    if (waiting) write('\n');
    waiting = false;
  };
  return {
    onProgress(e) {
      if (e.type === 'probe-start') {
        endWait();
        write(`\x1b[2m… ${visible(`${e.probe}${e.detail ? ` ${e.detail}` : ''}`)}\x1b[0m\n`);
      } else if (e.type === 'roundtrip-wait') {
        waiting = true;
        const how = e.mode === 'idle' ? 'IMAP IDLE' : 'polling';
        write(`\r\x1b[2K\x1b[2m… waiting for the test message: ${Math.round(e.elapsedMs / 1000)} s of ${Math.round(e.limitMs / 1000)} s (${visible(e.folders.join(', '))}; ${how})\x1b[0m`);
      }
    },
    end: endWait,
  };
}
