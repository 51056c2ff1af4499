// The command line as a user meets it: exit codes, one-line errors for bad input, JSON output, the demo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaPem } from '../../src/lab/certs.js';
import { DEMO_SCENARIOS } from '../../src/lab/demo-scenarios.js';
import { startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { recordCodes } from '../helpers/findings.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('cli');
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, demoCaPem());
let server: RunningServer;
beforeAll(async () => { server = await startScriptedSmtp({ mode: 'starttls', user: 'demo@demo.test', password: 'demo-password' }); });
afterAll(async () => { await server.close(); });

function expectOneLineError(r: { code: number | null; stderr: string; stdout: string }, code: number, pattern: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bad input: a clear one-line error, exit code 2, never a stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['check', '--host', 'bad_host!'], /not a valid host name/],
    [['check', '--host', 'mail.example.com', '--port', '70000'], /not a TCP port/],
    [['check', '--host', 'mail.example.com', '--port', 'abc'], /not a TCP port/],
    [['check', 'ftp://mail.example.com'], /scheme "ftp:" is not supported/],
    [['check', 'smtp://'], /not a valid URL|host is empty/],
    [['check', '--host', 'mail.example.com', '--from', 'alice@example.com\r\nRCPT TO:<x@y>'], /contains CR/],
    [['check', '--host', 'mail.example.com', '--helo', 'x\ny'], /contains LF/],
    [['check', '--host', 'mail.example.com', '--security', 'magic'], /is not one of/],
    [['check', '--host', 'mail.example.com', '--timeout', '-1'], /timeout/],
    [['check', '--host', 'mail.example.com', '--resolver', 'dns.google'], /must be an IP address/],
    [['check', '--host', 'mail.example.com', '--to', 'bob@example.com'], /--to needs --from/],
    [['check', 'not an address'], /not an email address|not a valid host/],
    [['check', '--host', 'mail.example.com', '--ca', '/nonexistent/ca.pem'], /cannot read the file/],
    [['check', '--bogus-flag'], /unknown option --bogus-flag/],
    [['check'], /nothing to check/],
    [['frobnicate'], /unknown command/],
  ];
  for (const [args, pattern] of cases) {
    it(args.join(' ').replace(/[\r\n\0]/g, '?'), async () => {
      expectOneLineError(await runCli(args), 2, pattern);
    });
  }
  it('NUL in a password from stdin (argv cannot carry NUL)', async () => {
    expectOneLineError(await runCli(['check', '--host', 'mail.example.com', '--user', 'a', '--password-stdin'], { input: 'pass\u0000word' }), 2, /contains CR, LF or NUL/);
  });
  it('a password given on the command line works but warns', async () => {
    const r = await runCli(['check', '--host', '127.0.0.1', '--port', String(server.port), '--ports', String(server.port), '--ca', caFile, '--user', 'demo@demo.test', '--password', 'demo-password']);
    expect(r.stderr).toMatch(/visible to other users/);
    expect(r.code).toBe(0);
  });
});

describe('exit codes and output formats', () => {
  const args = () => ['check', '--host', '127.0.0.1', '--port', String(server.port), '--ports', String(server.port), '--ca', caFile, '--user', 'demo@demo.test', '--password-stdin', '--timeout', '2'];
  it('0 when nothing blocks sending; the terminal report draws the hops', async () => {
    const r = await runCli(args(), { input: 'demo-password\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ resolve/);
    expect(r.stdout).toMatch(/✓ auth\s+AUTH PLAIN accepted/);
    expect(r.stdout).toMatch(/OK: nothing blocks sending/);
  });
  it('1 when a blocker is found; --json is the versioned report', async () => {
    const r = await runCli([...args(), '--json'], { input: 'wrong-password\n' });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    recordCodes(report.findings);
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(report.rootCause?.code).toBe('auth.credentials-rejected');
    expect(report.target).toMatchObject({ host: '127.0.0.1', port: server.port, passwordGiven: true });
  });
  it('the password from the environment', async () => {
    const a = args().filter((x) => x !== '--password-stdin');
    const r = await runCli([...a, '--json'], { env: { SENDCHECK_PASSWORD: 'demo-password' } });
    expect((JSON.parse(r.stdout) as Report).facts.session?.auth?.accepted).toBe(true);
  });
  it('--verbose adds the transcript', async () => {
    const r = await runCli([...args(), '--verbose'], { input: 'demo-password\n' });
    expect(r.stdout).toMatch(/-> EHLO sendcheck\.localhost/);
    expect(r.stdout).toMatch(/-> AUTH PLAIN \/\* secret redacted \*\//);
  });
  it('--help and --version exit 0', async () => {
    expect((await runCli(['check', '--help'])).code).toBe(0);
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('sendcheck demo', () => {
  it('diagnoses every built-in scenario with its expected root cause', async () => {
    const r = await runCli(['demo', '--json'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report);
    expect(reports).toHaveLength(DEMO_SCENARIOS.length);
    reports.forEach((rep, i) => {
      const s = DEMO_SCENARIOS[i]!;
      recordCodes(rep.findings);
      expect(rep.rootCause?.code ?? null, s.id).toBe(s.expect);
      if (s.shows) expect(rep.findings.map((f) => f.code), s.id).toContain(s.shows);
    });
  });
  it('prints a readable diagnosis', async () => {
    const r = await runCli(['demo', 'ssl-on-starttls-port']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ROOT CAUSE/);
    expect(r.stdout).toMatch(/wrong version number/);
    expect(r.stdout).toMatch(/Change the encryption setting from SSL\/TLS \(implicit TLS\) to STARTTLS and keep port \d+ \(seen working in this run\)/);
  });
});
