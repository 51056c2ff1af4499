// `check` against scripted SMTP servers on loopback: each fault produced by a real SMTP conversation
// (smtp-server, or a raw dialog for replies no library produces), diagnosed by the real engine.
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { demoCaPem } from '../../src/lab/certs.js';
import {
  closedPort, startDialogServer, startRawServer, startScriptedSmtp, type Fault, type RunningServer, type ScriptedOptions,
} from '../../src/lab/scripted-smtp.js';
import type { CheckInput } from '../../src/input/parse.js';
import { makeTestCa } from '../helpers/certs.js';
import { codesOf, rootCodeOf } from '../helpers/findings.js';

const USER = 'demo@demo.test';
const PASSWORD = 'demo-password';
const CA = demoCaPem();
const servers: RunningServer[] = [];
afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });

async function scripted(opts: ScriptedOptions): Promise<RunningServer> {
  const s = await startScriptedSmtp({ user: USER, password: PASSWORD, ...opts });
  servers.push(s);
  return s;
}

function input(s: RunningServer, extra: Partial<CheckInput> = {}): CheckInput {
  return { host: '127.0.0.1', port: s.port, security: 'starttls', ca: [CA], sweepPorts: [s.port], timeoutMs: 1500, ...extra };
}

const login = { user: USER, password: PASSWORD };

describe('healthy server', () => {
  it('passes every hop, with AUTH and envelope accepted', async () => {
    const s = await scripted({ mode: 'starttls' });
    const r = await runCheck(input(s, { ...login, from: USER, to: ['friend@elsewhere.test'] }));
    const codes = codesOf(r);
    expect(r.verdict).toBe('ok');
    expect(r.rootCause).toBeUndefined();
    expect(codes).toEqual(expect.arrayContaining(['auth.accepted', 'envelope.accepted']));
    expect(r.hops.map((h) => [h.hop, h.status])).toEqual([
      ['resolve', 'ok'], ['connect', 'ok'], ['greeting', 'ok'], ['tls', 'ok'], ['auth', 'ok'], ['envelope', 'ok'],
    ]);
    expect(r.recommended).toMatchObject({ port: s.port, security: 'starttls' });
    expect(r.facts.session?.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(r.facts.session?.ehloAfterTls?.authMechanisms).toEqual(['PLAIN', 'LOGIN', 'CRAM-MD5']);
  });

  it('authenticates with LOGIN and CRAM-MD5 when only those are allowed', async () => {
    const s = await scripted({ mode: 'starttls' });
    for (const m of ['LOGIN', 'CRAM-MD5']) {
      const r = await runCheck(input(s, { ...login, mechanisms: [m] }));
      expect(r.facts.session?.auth).toMatchObject({ mechanism: m, accepted: true });
    }
  });
});

describe('encryption mode mismatches', () => {
  it('SSL/TLS on a STARTTLS port: "wrong version number"', async () => {
    const s = await scripted({ mode: 'starttls' });
    const r = await runCheck(input(s, { security: 'implicit-tls', ...login }));
    expect(rootCodeOf(r)).toBe('tls.mode-mismatch.implicit-on-starttls-port');
    expect(r.rootCause!.evidence[0]!.text).toContain('wrong version number');
    expect(r.rootCause!.fix[0]).toContain('STARTTLS');
  });

  it('STARTTLS on an implicit-TLS port: "Greeting never received", with a working alternative', async () => {
    const implicit = await scripted({ mode: 'implicit-tls' });
    const starttls = await scripted({ mode: 'starttls' });
    const r = await runCheck({ ...input(implicit, { security: 'starttls', ...login }), sweepPorts: [implicit.port, starttls.port] });
    expect(rootCodeOf(r)).toBe('tls.mode-mismatch.starttls-on-implicit-port');
    expect(r.works.map((w) => `${w.port}/${w.security}`).sort()).toEqual([`${implicit.port}/implicit-tls`, `${starttls.port}/starttls`].sort());
    expect(r.recommended).toMatchObject({ port: implicit.port, security: 'implicit-tls' });
  });

  it('STARTTLS configured but not offered', async () => {
    const s = await scripted({ mode: 'plain' });
    const r = await runCheck(input(s));
    expect(rootCodeOf(r)).toBe('tls.starttls-not-offered');
  });

  it('STARTTLS offered but refused', async () => {
    const s = await startDialogServer({ ehlo: ['STARTTLS'], replies: [[/^STARTTLS/, '454 4.7.0 TLS not available due to local problem']] });
    servers.push(s);
    const r = await runCheck(input(s));
    expect(rootCodeOf(r)).toBe('tls.starttls-refused');
  });

  it('no encryption while the server demands STARTTLS first', async () => {
    const s = await startDialogServer({ ehlo: ['STARTTLS'], replies: [[/^MAIL FROM/, '530 5.7.0 Must issue a STARTTLS command first']] });
    servers.push(s);
    const r = await runCheck(input(s, { security: 'none', from: USER }));
    expect(rootCodeOf(r)).toBe('tls.required');
  });
});

describe('certificates and TLS versions', () => {
  it('expired', async () => {
    const r = await runCheck(input(await scripted({ mode: 'starttls', cert: 'expired' })));
    expect(rootCodeOf(r)).toBe('tls.certificate-expired');
  });
  it('a certificate that does not validate never gets the password: no AUTH is sent, and the finding says so', async () => {
    for (const cert of ['expired', 'wronghost'] as const) {
      let attempts = 0;
      const s = await scripted({ mode: 'starttls', cert, onAuthAttempt: () => attempts++ });
      const r = await runCheck(input(s, login));
      expect(r.facts.session?.auth).toMatchObject({ attempted: false, notAttempted: 'certificate-invalid' });
      expect(attempts).toBe(0);
      expect(r.transcripts.flatMap((t) => t.lines).some((l) => l.dir === 'sent' && /^AUTH\b/.test(l.text))).toBe(false);
      expect(r.rootCause!.evidence.map((e) => e.text).join('\n')).toContain('the login was not attempted');
      expect(r.hops.find((h) => h.hop === 'auth')?.status).toBe('skipped');
    }
    // With the server's CA trusted (and the right name), the same login goes ahead.
    const ok = await runCheck(input(await scripted({ mode: 'starttls' }), login));
    expect(ok.facts.session?.auth?.accepted).toBe(true);
  });
  it('self-signed', async () => {
    const r = await runCheck(input(await scripted({ mode: 'implicit-tls', cert: 'selfsigned' }), { security: 'implicit-tls' }));
    expect(rootCodeOf(r)).toBe('tls.certificate-self-signed');
  });
  it('untrusted issuer (CA not known to this machine)', async () => {
    const r = await runCheck({ ...input(await scripted({ mode: 'starttls' })), ca: [] });
    expect(rootCodeOf(r)).toBe('tls.certificate-untrusted');
  });
  it('hostname mismatch, naming the host the certificate is for', async () => {
    const r = await runCheck(input(await scripted({ mode: 'starttls', cert: 'wronghost' })));
    expect(rootCodeOf(r)).toBe('tls.hostname-mismatch');
    expect(r.rootCause!.fix.join(' ')).toContain('other-provider.invalid');
  });
  it('not valid yet, and expiring soon', async () => {
    const ca = makeTestCa();
    const future = ca.issue('future', { cn: 'localhost', sans: ['IP:127.0.0.1'], startDaysFromNow: 10, days: 30 });
    const soon = ca.issue('soon', { cn: 'localhost', sans: ['IP:127.0.0.1'], startDaysFromNow: -20, days: 25 });
    const r1 = await runCheck({ ...input(await scripted({ mode: 'starttls', cert: future })), ca: [ca.caPem] });
    expect(rootCodeOf(r1)).toBe('tls.certificate-not-yet-valid');
    const r2 = await runCheck({ ...input(await scripted({ mode: 'starttls', cert: soon })), ca: [ca.caPem] });
    expect(r2.verdict).toBe('warnings');
    expect(codesOf(r2)).toContain('tls.certificate-expiring-soon');
  });
  it('server that only speaks TLS 1.0/1.1: protocol version mismatch', async () => {
    const s = await scripted({ mode: 'implicit-tls', tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } });
    const r = await runCheck(input(s, { security: 'implicit-tls' }));
    expect(rootCodeOf(r)).toBe('tls.protocol-version-mismatch');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/the server negotiates TLSv1\.1/);
  });
  it('STARTTLS to a TLS 1.0-only server: the version is named too', async () => {
    const s = await scripted({ mode: 'starttls', tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } });
    const r = await runCheck(input(s));
    expect(rootCodeOf(r)).toBe('tls.protocol-version-mismatch');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/negotiates TLSv1 with/);
  });
  it('no cipher in common', async () => {
    const s = await scripted({ mode: 'implicit-tls', tls: { maxVersion: 'TLSv1.2', ciphers: 'NULL-SHA256:@SECLEVEL=0' } });
    const r = await runCheck(input(s, { security: 'implicit-tls' }));
    expect(rootCodeOf(r)).toBe('tls.cipher-mismatch');
  });
});

describe('authentication replies', () => {
  const cases: [Fault, string][] = [
    ['auth-rejected', 'auth.credentials-rejected'],
    ['app-password-required', 'auth.app-password-required'],
    ['web-login-required', 'auth.web-login-required'],
    ['smtp-auth-disabled', 'auth.smtp-auth-disabled'],
    ['too-many-attempts', 'auth.too-many-attempts'],
    ['auth-temporary', 'auth.temporary-failure'],
  ];
  for (const [fault, code] of cases) {
    it(`${fault} → ${code}, after exactly one attempt`, async () => {
      const attempts: (string | undefined)[] = [];
      const s = await scripted({ mode: 'starttls', fault, onAuthAttempt: (u) => attempts.push(u) });
      const r = await runCheck(input(s, login));
      expect(rootCodeOf(r)).toBe(code);
      expect(attempts).toEqual([USER]);
    });
  }

  it('wrong password: one attempt only, even with several ports swept', async () => {
    const attempts: (string | undefined)[] = [];
    const a = await scripted({ mode: 'starttls', onAuthAttempt: (u) => attempts.push(u) });
    const b = await scripted({ mode: 'implicit-tls', onAuthAttempt: (u) => attempts.push(u) });
    const r = await runCheck({ ...input(a, { user: USER, password: 'wrong' }), sweepPorts: [a.port, b.port] });
    expect(rootCodeOf(r)).toBe('auth.credentials-rejected');
    expect(attempts).toHaveLength(1);
  });

  it('OAuth-only server with a password', async () => {
    const r = await runCheck(input(await scripted({ mode: 'starttls', fault: 'oauth-only' }), login));
    expect(rootCodeOf(r)).toBe('auth.oauth-required');
  });

  it('XOAUTH2 with a token on an OAuth-only server', async () => {
    const s = await scripted({ mode: 'starttls', fault: 'oauth-only' });
    const r = await runCheck(input(s, { user: USER, oauthToken: 'ya29.test-token' }));
    expect(r.facts.session?.auth?.mechanism).toBe('XOAUTH2');
  });

  it('no mechanism in common with the allowed ones', async () => {
    const s = await startDialogServer({ ehlo: ['AUTH PLAIN LOGIN'] });
    servers.push(s);
    const r = await runCheck(input(s, { security: 'none', ...login, mechanisms: ['CRAM-MD5'], allowPlaintextAuth: true }));
    expect(rootCodeOf(r)).toBe('auth.no-common-mechanism');
  });

  it('504 and 538 replies to AUTH', async () => {
    for (const [reply, code] of [['504 5.5.4 Unrecognized authentication type', 'auth.mechanism-unsupported'], ['538 5.7.11 Encryption required for requested authentication mechanism', 'auth.encryption-required']]) {
      const s = await startDialogServer({ ehlo: ['AUTH PLAIN LOGIN'], replies: [[/^AUTH/, reply!]] });
      servers.push(s);
      const r = await runCheck(input(s, { security: 'none', ...login, allowPlaintextAuth: true }));
      expect(rootCodeOf(r)).toBe(code);
    }
  });

  it('password over an unencrypted connection, when the user opted in (--allow-plaintext-auth), is a warning', async () => {
    const r = await runCheck(input(await scripted({ mode: 'plain' }), { security: 'none', ...login, allowPlaintextAuth: true }));
    expect(codesOf(r)).toEqual(expect.arrayContaining(['auth.plaintext-credentials', 'auth.accepted']));
    expect(r.verdict).toBe('warnings');
  });
});

describe('envelope replies', () => {
  const cases: [Fault, string, boolean][] = [
    ['relay-denied', 'envelope.relay-denied', false],
    ['rate-limited', 'envelope.rate-limited', true],
    ['greylisted', 'envelope.greylisted', true],
    ['sender-rejected', 'envelope.sender-rejected', true],
    ['ip-blocked', 'envelope.ip-blocked', true],
    ['auth-required', 'auth.required', false],
  ];
  for (const [fault, code, withLogin] of cases) {
    it(`${fault} → ${code}`, async () => {
      const s = await scripted({ mode: 'starttls', fault });
      const r = await runCheck(input(s, { ...(withLogin ? login : {}), from: USER, to: ['friend@elsewhere.test'] }));
      if (code === 'envelope.greylisted') {
        // Greylisting is a warning: a real MTA retries and gets through.
        expect(codesOf(r)).toEqual([code, 'auth.accepted']);
        expect(r.verdict).toBe('warnings');
      } else expect(rootCodeOf(r)).toBe(code);
    });
  }
  it('recipient unknown is reported per recipient', async () => {
    const s = await startDialogServer({ ehlo: [], replies: [[/^RCPT TO:<nobody@/, '550 5.1.1 <nobody@demo.test>: Recipient address rejected: User unknown in virtual mailbox table']] });
    servers.push(s);
    const r = await runCheck(input(s, { security: 'none', from: USER, to: ['nobody@demo.test', 'friend@demo.test'] }));
    expect(codesOf(r)).toEqual(['envelope.recipient-rejected']);
  });
});

describe('broken and hostile servers', () => {
  it('nothing listens on the port while another port answers: refused', async () => {
    const open = await scripted({ mode: 'starttls' });
    const port = await closedPort();
    const r = await runCheck({ ...input(open), port, sweepPorts: [open.port, port] });
    expect(rootCodeOf(r)).toBe('port.refused');
    expect(r.rootCause!.fix[0]).toContain(`${port} → ${open.port}`);
  });
  it('nothing listens anywhere', async () => {
    const [p1, p2] = [await closedPort(), await closedPort()];
    const r = await runCheck({ host: '127.0.0.1', port: p1, sweepPorts: [p1, p2], timeoutMs: 1500 });
    expect(rootCodeOf(r)).toBe('connect.nothing-listening');
  });
  it('HTTP on the mail port', async () => {
    const s = await startRawServer('http');
    servers.push(s);
    const r = await runCheck(input(s));
    expect(rootCodeOf(r)).toBe('smtp.not-smtp');
    expect(r.facts.speaks[0]?.speaks).toBe('http');
  });
  it('silent server: bounded by the timeout', async () => {
    const s = await startRawServer('silent');
    servers.push(s);
    const t0 = Date.now();
    const r = await runCheck(input(s, { timeoutMs: 1000 }));
    expect(rootCodeOf(r)).toBe('smtp.greeting-timeout');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
  it('implicit TLS to a port that never answers the handshake', async () => {
    const s = await startRawServer('silent');
    servers.push(s);
    const r = await runCheck(input(s, { security: 'implicit-tls', timeoutMs: 1000 }));
    expect(rootCodeOf(r)).toBe('tls.handshake-failed');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/not completed within 1000 ms/);
  });
  it('endless line and endless multi-line greeting: stopped by the size limits', async () => {
    for (const b of ['endless-line', 'many-lines'] as const) {
      const s = await startRawServer(b);
      servers.push(s);
      const r = await runCheck(input(s));
      expect(rootCodeOf(r)).toBe('smtp.reply-too-large');
    }
  });
  it('closed right after connect', async () => {
    const s = await startRawServer('close-at-once');
    servers.push(s);
    expect(rootCodeOf(await runCheck(input(s)))).toBe('connect.closed-on-connect');
  });
  it('rejecting greeting', async () => {
    const s = await startRawServer('banner-reject');
    servers.push(s);
    expect(rootCodeOf(await runCheck(input(s)))).toBe('smtp.greeting-rejected');
  });
  it('EHLO and HELO rejected', async () => {
    const s = await startDialogServer({ replies: [[/^(EHLO|HELO)/, '550 5.7.1 Helo command rejected: Host not found']] });
    servers.push(s);
    expect(rootCodeOf(await runCheck(input(s, { security: 'none' })))).toBe('smtp.ehlo-rejected');
  });
  it('connection dropped mid-conversation', async () => {
    const s = await startRawServer('drop-after-ehlo');
    servers.push(s);
    expect(rootCodeOf(await runCheck(input(s, { security: 'none' })))).toBe('smtp.session-dropped');
  });
});
