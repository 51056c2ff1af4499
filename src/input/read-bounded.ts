// Reads a file or standard input with a size cap, chunk by chunk: /dev/zero, a FIFO that never ends or a huge file
// stops at the cap with one clear line (exit 2), instead of readFileSync() growing until the process aborts.
// The caps are in src/net/limits.ts.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../errors.js';

const CHUNK = 64 * 1024;

function sizeWords(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`;
}

function unreadable(what: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return new UserError('file-unreadable', `${what}: a directory, not a file`);
  return new UserError('file-unreadable', `${what}: cannot read the file (${code ?? 'error'})`);
}

/**
 * Up to `maxBytes` from `source` (a path, or 0 for standard input). `what` names the input in errors
 * ("--ca /tmp/x.pem", "standard input"); `hint` says what was expected instead of a huge input.
 */
export function readBounded(source: string | 0, maxBytes: number, what: string, hint = ''): Buffer {
  let fd: number;
  try {
    fd = source === 0 ? 0 : openSync(source, 'r');
  } catch (e) {
    throw unreadable(what, e);
  }
  try {
    if (source !== 0 && fstatSync(fd).isDirectory()) throw new UserError('file-unreadable', `${what}: a directory, not a file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte more than allowed tells "exactly at the cap" from "over it".
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A non-blocking stdin (inherited from some shells) has no data yet: wait a little instead of spinning.
        if (code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
          continue;
        }
        if (code === 'EOF') break;
        throw unreadable(what, e);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new UserError('file-too-large', `${what}: larger than ${sizeWords(maxBytes)}${hint ? `; ${hint}` : ''}`);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (source !== 0) closeSync(fd);
  }
}

/** A `--ca FILE`: a PEM certificate file, bounded like every input. */
export function readCaFile(file: string, maxBytes: number): string {
  const pem = readBounded(file, maxBytes, `--ca ${file}`, 'not a CA certificate file').toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError('unsupported-format', `--ca ${file}: not a PEM certificate file`);
  return pem;
}
