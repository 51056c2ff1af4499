// No credentials over a connection without TLS unless the user opted in (issue 10, item 4): --security none, a client
// config with TLS off, a discovered plaintext setting. The same decision refuses a certificate that did not validate
// (src/probes/auth-policy.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import type { SubmissionCandidate } from '../../src/facts/discovery.js';
import { rankCandidates } from '../../src/input/discover.js';
import { startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { authRefusal } from '../../src/probes/auth-policy.js';
import { runCli } from '../helpers/cli.js';
import { codesOf, rootCodeOf } from '../helpers/findings.js';
import { tempDir } from '../helpers/tmp.js';

const USER = 'demo@demo.test';
const PASSWORD = 'demo-password';
const servers: RunningServer[] = [];
afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });

async function plainServer(attempts: string[]): Promise<RunningServer> {
  const s = await startScriptedSmtp({ mode: 'plain', user: USER, password: PASSWORD, onAuthAttempt: (u) => attempts.push(u ?? '') });
  servers.push(s);
  return s;
}

describe('credentials never go out without TLS by default', () => {
  it('--security none against a server offering AUTH in plaintext: nothing sent, a blocker says what a client so configured exposes', async () => {
    const attempts: string[] = [];
    const s = await plainServer(attempts);
    const r = await runCheck({ host: '127.0.0.1', port: s.port, security: 'none', sweepPorts: [s.port], timeoutMs: 2000, user: USER, password: PASSWORD });
    expect(attempts).toEqual([]);
    expect(rootCodeOf(r)).toBe('auth.offered-without-tls');
    expect(r.verdict).toBe('blocked');
    expect(r.facts.session?.auth).toMatchObject({ attempted: false, notAttempted: 'no-tls' });
    expect(r.transcripts.flatMap((t) => t.lines).some((l) => /^AUTH/.test(l.text))).toBe(false);
    expect(r.rootCause!.fix.join(' ')).toContain('--allow-plaintext-auth');
    expect(codesOf(r)).not.toContain('auth.plaintext-credentials');
  });

  it('the CLI: exit 1 by default; --allow-plaintext-auth sends it, with a loud warning', async () => {
    const attempts: string[] = [];
    const s = await plainServer(attempts);
    const args = ['check', '--host', '127.0.0.1', '--port', String(s.port), '--ports', String(s.port), '--security', 'none', '--user', USER, '--password-stdin', '--timeout', '2'];
    const refused = await runCli(args, { input: PASSWORD });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('sendcheck did not send the password');
    expect(attempts).toEqual([]);
    const allowed = await runCli([...args, '--allow-plaintext-auth'], { input: PASSWORD });
    expect(allowed.stderr).toMatch(/WARNING: --allow-plaintext-auth: .*readable/);
    expect(attempts).toEqual([USER]);
    expect(allowed.stdout).toContain('The password would travel unencrypted');
  });

  it('an msmtprc with "tls off": the account is checked, its password is not sent', async () => {
    const attempts: string[] = [];
    const s = await plainServer(attempts);
    const rc = join(tempDir('plaintext-auth'), 'msmtprc');
    writeFileSync(rc, `account plain\nhost 127.0.0.1\nport ${s.port}\ntls off\nauth on\nuser ${USER}\npassword ${PASSWORD}\nfrom ${USER}\naccount default : plain\n`, { mode: 0o600 });
    const r = await runCli(['check', '--from-config', rc, '--json', '--timeout', '2', '--ports', String(s.port)]);
    const report = (JSON.parse(r.stdout) as { accounts: { report: { rootCause?: { code: string } } }[] }).accounts[0]!.report;
    expect(report.rootCause?.code).toBe('auth.offered-without-tls');
    expect(attempts).toEqual([]);
  });

  it('one decision for both refusals: no TLS, and TLS whose certificate did not validate', () => {
    expect(authRefusal({ encrypted: false, certificateProblems: [], authOffered: true })?.reason).toBe('no-tls');
    expect(authRefusal({ encrypted: false, certificateProblems: [], authOffered: true, allowPlaintext: true })).toBeUndefined();
    expect(authRefusal({ encrypted: false, certificateProblems: [], authOffered: false })).toBeUndefined();
    expect(authRefusal({ encrypted: true, certificateProblems: ['expired'], authOffered: true, allowPlaintext: true })?.reason).toBe('certificate-invalid');
    expect(authRefusal({ encrypted: true, certificateProblems: [], authOffered: true })).toBeUndefined();
  });

  it('discovery never picks a plaintext path while a TLS path exists, whatever source offers it', () => {
    const c = (source: SubmissionCandidate['source'], security: SubmissionCandidate['security'], port: number): SubmissionCandidate => ({ host: 'smtp.example.test', port, security, source, detail: source });
    // An autoconfig document saying socketType plain outranks a provider table, but not its TLS paths.
    const ranked = rankCandidates([c('autoconfig', 'none', 25), c('autoconfig', 'starttls', 587), c('provider', 'implicit-tls', 465)]);
    expect(ranked.map((x) => x.security)).toEqual(['starttls', 'implicit-tls', 'none']);
    expect(rankCandidates([c('srv', 'none', 25), c('guess', 'starttls', 587)])[0]!.security).toBe('starttls');
  });
});
