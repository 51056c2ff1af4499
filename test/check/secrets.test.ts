// The password (and every encoding of it that goes on the wire) never appears in any output: terminal,
// verbose transcript, JSON, HTML, errors. One test runs every scenario, through the library and the CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { demoCaPem } from '../../src/lab/certs.js';
import { startDialogServer, startScriptedSmtp, type Fault, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { runCli } from '../helpers/cli.js';
import { recordCodes } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

const USER = 'demo@demo.test';
const PASSWORD = 'Sup3r-Secret-Passw0rd';
const TOKEN = 'ya29.Secret-OAuth-Token-123';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const FORBIDDEN = [
  PASSWORD, b64(PASSWORD), b64(`\0${USER}\0${PASSWORD}`), TOKEN, b64(`user=${USER}\x01auth=Bearer ${TOKEN}\x01\x01`),
  b64(`n,a=${USER},\x01auth=Bearer ${TOKEN}\x01\x01`),
];

function assertClean(what: string, text: string) {
  for (const f of FORBIDDEN) expect(text.includes(f), `${what} contains a secret form`).toBe(false);
}

const servers: RunningServer[] = [];
afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });
const dir = tempDir('secrets');
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, demoCaPem());

describe('secrets never appear in output', () => {
  it('every scripted scenario, every mechanism, every renderer, library and CLI', async () => {
    const faults: Fault[] = ['none', 'auth-rejected', 'app-password-required', 'web-login-required', 'smtp-auth-disabled', 'too-many-attempts', 'auth-temporary', 'oauth-only', 'relay-denied', 'rate-limited', 'echo-password'];
    for (const fault of faults) {
      for (const mode of ['starttls', 'implicit-tls', 'plain'] as const) {
        const s = await startScriptedSmtp({ mode, fault, user: USER, password: PASSWORD });
        servers.push(s);
        const security = mode === 'plain' ? 'none' : mode;
        for (const mechanisms of [['PLAIN'], ['LOGIN'], ['CRAM-MD5'], []]) {
          const creds = fault === 'oauth-only' ? { oauthToken: TOKEN } : { password: PASSWORD };
          // Plaintext AUTH only with the opt-in: the echo must be exercised there too.
          const r = await runCheck({ host: '127.0.0.1', port: s.port, security, sweepPorts: [s.port], ca: [demoCaPem()], timeoutMs: 1500, user: USER, ...creds, mechanisms, from: USER, to: ['x@elsewhere.test'], allowPlaintextAuth: mode === 'plain' });
          recordCodes(r.findings);
          assertClean(`${fault}/${mode} json`, renderJson(r));
          assertClean(`${fault}/${mode} terminal`, renderTerminal(r, { verbose: true }));
          assertClean(`${fault}/${mode} html`, renderHtml(r));
          assertClean(`${fault}/${mode} inspect`, JSON.stringify(r.transcripts) + inspect(r, { depth: null }));
        }
        const cli = await runCli(['check', '--host', '127.0.0.1', '--port', String(s.port), '--ports', String(s.port), '--security', security, '--ca', caFile, '--user', USER, fault === 'oauth-only' ? '--oauth-token-stdin' : '--password-stdin', '--verbose', '--timeout', '2', '--html', join(dir, 'r.html')], { input: fault === 'oauth-only' ? TOKEN : PASSWORD });
        assertClean(`${fault}/${mode} cli stdout`, cli.stdout);
        assertClean(`${fault}/${mode} cli stderr`, cli.stderr);
        assertClean(`${fault}/${mode} cli html`, readFileSync(join(dir, 'r.html'), 'utf8'));
        const json = await runCli(['check', '--host', '127.0.0.1', '--port', String(s.port), '--ports', String(s.port), '--security', security, '--ca', caFile, '--user', USER, '--json', '--timeout', '2'], { env: fault === 'oauth-only' ? { SENDCHECK_OAUTH_TOKEN: TOKEN } : { SENDCHECK_PASSWORD: PASSWORD } });
        assertClean(`${fault}/${mode} cli json`, json.stdout + json.stderr);
      }
    }
  }, 180_000);

  it('against the real Postfix/Dovecot lab too: accepted and rejected logins, every port', async () => {
    const lab = loadLabEnv();
    const alice = lab.users[0]!;
    const forms = [alice.password, b64(alice.password), b64(`\0${alice.user}\0${alice.password}`)];
    for (const [port, security] of [[587, 'starttls'], [465, 'implicit-tls'], [2525, 'starttls'], [25, 'starttls'], [587, 'none']] as const) {
      for (const password of [alice.password, `${alice.password}-wrong`]) {
        const r = await runCli(['check', '--host', lab.smtpName, '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--ca', lab.caFile, '--port', String(port), '--security', security, '--user', alice.user, '--password-stdin', '--verbose', '--from', alice.user, '--to', 'bob@example.test', '--timeout', '3'], { input: password });
        const json = await runCli(['check', '--host', lab.smtpName, '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--ca', lab.caFile, '--port', String(port), '--security', security, '--user', alice.user, '--json', '--timeout', '3'], { env: { SENDCHECK_PASSWORD: password } });
        for (const out of [r.stdout + r.stderr, json.stdout + json.stderr]) {
          for (const f of [...forms, password, b64(password)]) expect(out.includes(f), `${port}/${security} leaks a secret form`).toBe(false);
        }
        recordCodes((JSON.parse(json.stdout) as { findings: [] }).findings);
      }
    }
  }, 120_000);

  it('a server that echoes our AUTH line back cannot make us print it', async () => {
    // A hostile server puts whatever we sent into its reply; the transcript records replies verbatim.
    // The only defence is that our own lines are redacted: check the reply side too.
    const s = await startDialogServer({ ehlo: ['AUTH PLAIN'], replies: [[/^AUTH PLAIN/, '535 5.7.8 rejected']] });
    servers.push(s);
    const r = await runCheck({ host: '127.0.0.1', port: s.port, security: 'none', sweepPorts: [s.port], user: USER, password: PASSWORD, timeoutMs: 1500, allowPlaintextAuth: true });
    recordCodes(r.findings);
    assertClean('dialog', renderJson(r) + renderTerminal(r, { verbose: true }));
  });

  it('errors for bad input never echo the password', async () => {
    const r = await runCli(['check', '--host', 'bad host', '--user', USER, '--password-stdin'], { input: PASSWORD });
    expect(r.code).toBe(2);
    assertClean('error', r.stdout + r.stderr);
    for (const url of [`smtp://alice:${PASSWORD}@mail.example.test:99999`, `smtps://alice:${PASSWORD}@mail.example.test/path`]) {
      const u = await runCli(['check', url]);
      expect(u.code).toBe(2);
      expect(u.stderr).toContain('alice:[secret]@mail.example.test');
      assertClean('url error', u.stdout + u.stderr);
    }
  });

  it('a server that puts the password itself into its reply: the report shows [secret] in its place', async () => {
    const s = await startScriptedSmtp({ mode: 'starttls', fault: 'echo-password', user: USER, password: PASSWORD });
    servers.push(s);
    const r = await runCheck({ host: '127.0.0.1', port: s.port, security: 'starttls', sweepPorts: [], ca: [demoCaPem()], user: USER, password: PASSWORD, mechanisms: ['PLAIN'], timeoutMs: 1500 });
    recordCodes(r.findings);
    expect(r.facts.session?.auth?.reply?.text).toBe('5.7.8 Authentication failed for demo@demo.test with password [secret] ([secret])');
    assertClean('echo', renderJson(r) + renderTerminal(r, { verbose: true }) + renderHtml(r));
  });
});
