// `check` against the real lab: Postfix with Dovecot SASL on 127.0.0.20, names served by Knot on 127.0.0.30.
// Started by scripts/lab/up.sh (npm test does it). Every expectation here comes from a real MTA's replies.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { serverTarget } from '../../src/report/types.js';
import type { CheckInput } from '../../src/input/parse.js';
import { codesOf, rootCodeOf } from '../helpers/findings.js';
import { loadLabEnv, type LabEnv } from '../helpers/lab-env.js';

let lab: LabEnv;
let ca: string;
let alice: { user: string; password: string };
let base: CheckInput;

beforeAll(() => {
  lab = loadLabEnv();
  ca = readFileSync(lab.caFile, 'utf8');
  alice = lab.users[0]!;
  base = { host: lab.smtpName, resolvers: [`${lab.dns.server}:${lab.dns.port}`], ca: [ca], timeoutMs: 3000 };
});

describe('Postfix + Dovecot', () => {
  it('healthy submission on 587: STARTTLS, AUTH, envelope accepted, all mail ports mapped', async () => {
    const r = await runCheck({ ...base, port: 587, security: 'starttls', ...alice, from: alice.user, to: ['bob@example.test'] });
    expect(r.verdict).toBe('ok');
    expect(codesOf(r)).toEqual(expect.arrayContaining(['auth.accepted', 'envelope.accepted']));
    expect(r.facts.resolve?.addresses).toEqual([{ address: lab.smtpHost, family: 4 }]);
    // AUTH is offered only after STARTTLS on Postfix's submission port (smtpd_tls_auth_only).
    expect(r.facts.session?.ehlo?.authMechanisms).toEqual([]);
    expect(r.facts.session?.ehloAfterTls?.authMechanisms).toEqual(expect.arrayContaining(['PLAIN', 'LOGIN']));
    const works = r.works.map((w) => `${w.port}/${w.security}`).sort();
    expect(works).toEqual(['25/starttls', '2525/starttls', '465/implicit-tls', '587/starttls']);
    expect(r.facts.session?.tls?.hostnameMatch).toBe(true);
  });

  it('healthy implicit TLS on 465', async () => {
    const r = await runCheck({ ...base, port: 465, security: 'implicit-tls', ...alice });
    expect(r.verdict).toBe('ok');
    expect(codesOf(r)).toContain('auth.accepted');
  });

  it('wrong password: 535, one attempt', async () => {
    const r = await runCheck({ ...base, port: 587, security: 'starttls', user: alice.user, password: 'not-the-password' });
    expect(rootCodeOf(r)).toBe('auth.credentials-rejected');
    expect(r.facts.session?.auth?.reply?.code).toBe(535);
    const log = readFileSync(lab.postfixLog, 'utf8');
    expect(log).toMatch(/authentication failed/);
  });

  it('no TLS on 587: AUTH is offered only after STARTTLS', async () => {
    const r = await runCheck({ ...base, port: 587, security: 'none', ...alice });
    expect(rootCodeOf(r)).toBe('auth.offered-only-after-starttls');
    expect(r.rootCause!.fix[0]).toContain('STARTTLS');
  });

  it('port 25 without login: relay access denied', async () => {
    const r = await runCheck({ ...base, port: 25, security: 'starttls', from: alice.user, to: ['bob@elsewhere.test'] });
    expect(rootCodeOf(r)).toBe('envelope.relay-denied');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/Relay access denied/);
  });

  it('port 25 with credentials: AUTH not offered (an MX port, not submission)', async () => {
    const r = await runCheck({ ...base, port: 25, security: 'starttls', ...alice });
    expect(rootCodeOf(r)).toBe('auth.not-offered');
  });

  it('SSL/TLS against 587 and STARTTLS against 465', async () => {
    const a = await runCheck({ ...base, port: 587, security: 'implicit-tls', ...alice });
    expect(rootCodeOf(a)).toBe('tls.mode-mismatch.implicit-on-starttls-port');
    const b = await runCheck({ ...base, port: 465, security: 'starttls', ...alice, timeoutMs: 1500 });
    expect(rootCodeOf(b)).toBe('tls.mode-mismatch.starttls-on-implicit-port');
  });

  it('an email address alone: settings discovered from SRV records, then checked', async () => {
    const r = await runCheck({ target: alice.user, resolvers: base.resolvers, ca: [ca], password: alice.password, timeoutMs: 3000 });
    expect(r.target).toMatchObject({ kind: 'server', host: lab.smtpName });
    expect([465, 587]).toContain(serverTarget(r)?.port);
    expect(r.verdict).toBe('ok');
  });
});

describe('name resolution against Knot', () => {
  it('NXDOMAIN', async () => {
    const r = await runCheck({ ...base, host: 'nosuch.example.test' });
    expect(rootCodeOf(r)).toBe('resolve.nxdomain');
  });
  it('a name without addresses (NODATA)', async () => {
    const r = await runCheck({ ...base, host: 'example.test' });
    expect(rootCodeOf(r)).toBe('resolve.no-address');
  });
  it('a zone the server refuses to answer for: REFUSED is the resolver\'s refusal, never titled SERVFAIL', async () => {
    const r = await runCheck({ ...base, host: 'smtp.not-served.invalid' });
    expect(rootCodeOf(r)).toBe('resolve.refused');
    expect(r.rootCause!.title).not.toMatch(/SERVFAIL/);
    expect(r.rootCause!.fix.join(' ')).not.toMatch(/domain owner/);
  });
  it('resolves, but nothing listens on any mail port', async () => {
    const r = await runCheck({ ...base, host: 'nothing.example.test' });
    expect(rootCodeOf(r)).toBe('connect.nothing-listening');
  });
  it('a domain with nothing to discover', async () => {
    const r = await runCheck({ target: 'someone@nowhere.example.test', resolvers: base.resolvers, timeoutMs: 2000 });
    expect(rootCodeOf(r)).toBe('discovery.no-server-found');
  });
});

describe('a resolver that never answers (in-process: a real server will not time out on demand)', () => {
  let sock: dgram.Socket;
  beforeAll(async () => {
    sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  });
  afterAll(() => sock.close());
  it('DNS timeout: the resolver answers nothing at all, so the blame is on this side, not the domain\'s', async () => {
    const r = await runCheck({ host: 'mail.example.test', resolvers: [`127.0.0.1:${sock.address().port}`], timeoutMs: 800 });
    expect(rootCodeOf(r)).toBe('resolve.resolver-failed');
    expect(r.rootCause!.confidence).toBe('likely');
    expect(r.rootCause!.fix.join(' ')).not.toMatch(/domain owner/);
    expect(r.durationMs).toBeLessThan(800 * 3 + 1000);
  });
});

describe('the sender-domain audit inside check', () => {
  it('runs when the sender is known, and --no-domain turns it off', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const args = ['check', '--host', lab.smtpName, '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--ca', lab.caFile, '--user', alice.user, '--password-stdin', '--from', alice.user, '--json', '--timeout', '3'];
    const withAudit = JSON.parse((await runCli(args, { input: alice.password })).stdout) as import('../../src/report/types.js').Report;
    const without = JSON.parse((await runCli([...args, '--no-domain'], { input: alice.password })).stdout) as import('../../src/report/types.js').Report;
    expect(Object.keys(withAudit.facts.extra)).toContain('domain');
    expect(Object.keys(without.facts.extra)).not.toContain('domain');
    expect(without.stats.dnsQueries).toBeLessThan(withAudit.stats.dnsQueries);
    expect(without.verdict).toBe('ok');
  });
});
