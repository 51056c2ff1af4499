// Live progress as a person sees it: the CLI under a pseudo-terminal (util-linux `script`), with the password on
// stdin (--password-stdin), the report redirected to a file, stderr on the terminal. And never in --json or a pipe.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaPem } from '../../src/lab/certs.js';
import { startDroppingPort, type DroppingPort } from '../../src/lab/dropping-port.js';
import { startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('progress-pty');
const caFile = join(dir, 'ca.pem');
const pwFile = join(dir, 'pw.txt');
writeFileSync(caFile, demoCaPem());
writeFileSync(pwFile, 'demo-password\n');
let server: RunningServer;
let dropped: DroppingPort;
beforeAll(async () => {
  [server, dropped] = await Promise.all([startScriptedSmtp({ mode: 'starttls', user: 'demo@demo.test', password: 'demo-password' }), startDroppingPort()]);
});
afterAll(async () => {
  await server?.close();
  await dropped?.close();
});

const args = () => ['check', '--host', '127.0.0.1', '--port', String(server.port), '--ports', `${server.port},${dropped.port}`, '--ca', caFile, '--user', 'demo@demo.test', '--password-stdin', '--timeout', '2', '--no-reference', '--no-domain'];
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI with stderr on a pseudo-terminal; returns what the terminal showed and the report file. */
function underPty(cliArgs: string[], env: Record<string, string> = {}): Promise<{ terminal: string; report: string }> {
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.txt`);
  const cmd = `${q(process.execPath)} ${q(CLI)} ${cliArgs.map(q).join(' ')} < ${q(pwFile)} > ${q(out)}`;
  return new Promise((resolve, reject) => {
    execFile('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, TERM: 'xterm', NO_COLOR: '', FORCE_COLOR: '', ...env }, timeout: 30_000 }, (err, stdout) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ terminal: stdout, report: readFileSync(out, 'utf8') });
    });
  });
}

describe('progress under a pseudo-terminal', () => {
  it('--password-stdin still shows live progress on the terminal, in words, and the report stays clean', async () => {
    const { terminal, report } = await underPty(args());
    expect(terminal).toContain(`Connecting to 127.0.0.1 port ${server.port}…`);
    expect(terminal).toMatch(new RegExp(`Waiting up to 2 s: port ${dropped.port} does not answer yet`));
    expect(terminal).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .* \d s/);
    expect(terminal).toContain(`Port ${dropped.port} did not answer within 2 s`);
    expect(terminal).not.toContain('demo-password');
    expect(report).toMatch(/OK: nothing blocks sending|WORKS/);
    expect(report).not.toMatch(/Waiting up to|\x1b\[2K/);
  });

  it('NO_COLOR: progress without colour; FORCE_COLOR: colour even in a file', async () => {
    const plain = await underPty(args(), { NO_COLOR: '1' });
    expect(plain.terminal).toContain('Connecting to');
    expect(plain.terminal).not.toContain('\x1b[2m');
    const forced = await underPty(args(), { FORCE_COLOR: '1' });
    expect(forced.terminal).toContain('\x1b[2m');
    expect(forced.report).toContain('\x1b[32m');
  });

  it('never with --json, never when stderr is not a terminal', async () => {
    const json = await underPty([...args(), '--json']);
    expect(json.terminal).not.toMatch(/Connecting to|Waiting up to/);
    expect(JSON.parse(json.report).target.port).toBe(server.port);
    const piped = await runCli(args(), { input: 'demo-password\n' });
    expect(piped.stderr).toBe('');
  });
});
