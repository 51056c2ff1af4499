// Every file and stdin input is read with a size cap (src/input/read-bounded.ts, caps in src/net/limits.ts): an
// endless source (/dev/zero, a FIFO a writer never closes) ends with one line and exit 2, never an abort at 1 GB.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs the CLI with standard input read from `stdinPath`. */
function runWithStdin(args: string[], stdinPath: string): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(stdinPath, 'r');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: [fd, 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    closeSync(fd);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => { clearTimeout(t); resolve({ code, stderr }); });
  });
}

/** A FIFO with a writer that writes forever (until the reader goes away). */
function endlessFifo(): { path: string; stop(): void } {
  const path = join(tempDir('fifo'), 'endless');
  execFileSync('mkfifo', [path]);
  const w = createWriteStream(path);
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let stopped = false;
  const pump = () => { while (!stopped && w.write(chunk)); };
  w.on('drain', pump);
  w.on('error', () => { stopped = true; });
  w.on('open', pump);
  return { path, stop: () => { stopped = true; w.destroy(); } };
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

describe('file inputs are capped: /dev/zero', () => {
  it.each([
    [['check', '--replay', '/dev/zero'], /--replay \/dev\/zero: larger than 50 MB/],
    [['domain', '--file', '/dev/zero'], /--file \/dev\/zero: larger than 10 MB/],
    [['check', '--host', '127.0.0.1', '--ca', '/dev/zero'], /--ca \/dev\/zero: larger than 1 MB/],
    [['domain', 'example.test', '--ca', '/dev/zero'], /--ca \/dev\/zero: larger than 1 MB/],
    [['check', '--from-config', '/dev/zero'], /--from-config \/dev\/zero: larger than 1 MB/],
    [['explain', '/dev/zero'], /\/dev\/zero: larger than 10 MB/],
  ])('%j', async (args, message) => {
    const r = await runCli(args as string[], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
  }, 40_000);

  it.each([
    [['check', '--host', '127.0.0.1', '--user', 'a', '--password-stdin'], /--password-stdin: standard input: larger than 64 KB/],
    [['check', '--host', '127.0.0.1', '--user', 'a', '--oauth-token-stdin'], /--oauth-token-stdin: standard input: larger than 64 KB/],
    [['explain', '-'], /standard input: larger than 10 MB/],
  ])('stdin from /dev/zero: %j', async (args, message) => {
    const r = await runWithStdin(args as string[], '/dev/zero');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
  }, 40_000);
});

describe('file inputs are capped: a FIFO that never ends', () => {
  it.each([
    [['check', '--replay'], /larger than 50 MB/],
    [['check', '--from-config'], /larger than 1 MB/],
    [['domain', '--file'], /larger than 10 MB/],
  ])('%j FIFO', async (args, message) => {
    const fifo = endlessFifo();
    try {
      const r = await runCli([...(args as string[]), fifo.path], { timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(message as RegExp);
    } finally {
      fifo.stop();
    }
  }, 40_000);
});

describe('a directory where a file is expected', () => {
  it.each([['check', '--replay'], ['check', '--from-config'], ['domain', '--file']])('%s %s DIR: one line, exit 2', async (cmd, flag) => {
    const r = await runCli([cmd!, flag!, tempDir('dir')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a directory, not a file/);
  });
});
