// `check` against a real Postfix whose admin got something wrong: one private instance (test/helpers/postfix-instance.ts)
// on 127.0.0.23, one listener per fault, SASL through the shared lab's Dovecot. Each test asserts the root cause, the
// verdict and exit code, and who the fix speaks to (the user's settings or the server's admin).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/check-command.js';
import { runCheck } from '../../src/engine.js';
import type { CheckInput } from '../../src/input/parse.js';
import type { Report } from '../../src/report/types.js';
import { makeTestCa } from '../helpers/certs.js';
import { rootCodeOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { startDovecotWithBackendDown, type DovecotAuth } from '../helpers/dovecot-auth-instance.js';
import { startPostfix, type PostfixInstance } from '../helpers/postfix-instance.js';

const HOST = '127.0.0.23';
/** Listener port per fault (587 itself where the fault depends on the port being a submission port). */
const PORT = {
  saslOff: 587, noStarttls: 20001, senderLoginMismatch: 20002, relayWithoutSasl: 20003, expiredCert: 20004,
  selfSignedCert: 20005, wrongNameCert: 20006, oldTlsOnly: 20007, authBackendDown: 20008, authServiceGone: 20010,
  clientRejected: 20009, connectionRateLimit: 20011,
} as const;
/** A second address, so that the connect-time refusal can also sit on port 587. */
const CLIENT_REJECTED_587 = { host: '127.0.0.24', port: 587 } as const;
/** Port 465 without smtpd_tls_wrappermode=yes: it speaks plaintext SMTP where clients expect TLS first. */
const PLAINTEXT_465 = { host: '127.0.0.24', port: 465 } as const;

let pf: PostfixInstance | undefined;
let dovecot: DovecotAuth | undefined;
let base: CheckInput;

/** Writes a key and certificate and returns the listener overrides that serve them. */
function certOptions(dir: string, name: string, c: { key: string; cert: string }): Record<string, string> {
  writeFileSync(join(dir, `${name}.key`), c.key, { mode: 0o644 });
  writeFileSync(join(dir, `${name}.crt`), c.cert);
  return { smtpd_tls_cert_file: join(dir, `${name}.crt`), smtpd_tls_key_file: join(dir, `${name}.key`) };
}

beforeAll(async () => {
  const lab = loadLabEnv();
  const ca = makeTestCa();
  const names = { cn: HOST, sans: [`IP:${HOST}`] };
  const good = certOptions(ca.dir, 'good', ca.issue('good', { ...names, days: 90 }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '90', '-subj', `/CN=${HOST}`,
    '-addext', `subjectAltName=IP:${HOST}`, '-keyout', 'self.key', '-out', 'self.crt'], { cwd: ca.dir, stdio: 'ignore' });
  dovecot = await startDovecotWithBackendDown(HOST);
  pf = await startPostfix(lab, HOST, { chain: good.smtpd_tls_cert_file!, key: good.smtpd_tls_key_file! }, [
    { port: PORT.saslOff, options: { smtpd_sasl_auth_enable: 'no' } },
    { port: PORT.noStarttls, options: { smtpd_tls_security_level: 'none', smtpd_tls_auth_only: 'no' } },
    { port: PORT.senderLoginMismatch, options: { smtpd_sender_login_maps: 'inline:{alice@example.test=alice@example.test}', smtpd_sender_restrictions: 'reject_sender_login_mismatch' } },
    { port: PORT.relayWithoutSasl, options: { smtpd_relay_restrictions: 'reject_unauth_destination' } },
    { port: PORT.expiredCert, options: certOptions(ca.dir, 'expired', ca.issue('expired', { ...names, startDaysFromNow: -20, days: 5 })) },
    { port: PORT.selfSignedCert, options: { smtpd_tls_cert_file: join(ca.dir, 'self.crt'), smtpd_tls_key_file: join(ca.dir, 'self.key') } },
    { port: PORT.wrongNameCert, options: certOptions(ca.dir, 'wrong', ca.issue('wrong', { cn: 'other.example.test', sans: ['DNS:other.example.test'], days: 90 })) },
    { port: PORT.oldTlsOnly, options: { smtpd_tls_protocols: 'TLSv1', smtpd_tls_mandatory_protocols: 'TLSv1' } },
    { port: PORT.clientRejected, options: { smtpd_client_restrictions: 'reject', smtpd_delay_reject: 'no' } },
    { ...CLIENT_REJECTED_587, options: { smtpd_client_restrictions: 'reject', smtpd_delay_reject: 'no' } },
    { ...PLAINTEXT_465, options: {} },
    { port: PORT.authBackendDown, options: { smtpd_sasl_path: dovecot.socketPath } },
    { port: PORT.authServiceGone, options: { smtpd_sasl_path: join(ca.dir, 'no-such-auth-socket') } },
    { port: PORT.connectionRateLimit, options: { smtpd_client_connection_rate_limit: '1' } },
  ]);
  const alice = lab.users[0]!;
  base = { host: HOST, ca: [ca.caPem], timeoutMs: 3000, user: alice.user, password: alice.password, from: alice.user, to: ['bob@elsewhere.test'], security: 'starttls' };
}, 60_000);
afterAll(async () => {
  pf?.stop();
  dovecot?.stop();
});

function fixText(r: Report): string {
  return r.rootCause!.fix.join(' ');
}

function expectBlocked(r: Report, code: string): void {
  expect(rootCodeOf(r), JSON.stringify(r.rootCause?.evidence)).toBe(code);
  expect(r.verdict).toBe('blocked');
  expect(exitCodeFor(r)).toBe(1);
}

describe('the server admin\'s faults: the fix names the admin, never the user\'s settings', () => {
  it('submission port 587 with smtpd_sasl_auth_enable=no: AUTH is never offered', async () => {
    const r = await runCheck({ ...base, port: PORT.saslOff });
    expectBlocked(r, 'auth.not-offered-on-submission-port');
    expect(r.rootCause!.fix[0]).toMatch(/^Server admin: .*smtpd_sasl_auth_enable/);
    expect(fixText(r)).not.toMatch(/Use the provider's submission server/);
  });

  it('AUTH accepted, then "Relay access denied": the relay policy omits permit_sasl_authenticated', async () => {
    const r = await runCheck({ ...base, port: PORT.relayWithoutSasl });
    expectBlocked(r, 'envelope.relay-denied-authenticated');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/554 5\.7\.1 .*Relay access denied/);
    expect(r.findings.map((f) => f.code)).toContain('auth.accepted');
    expect(r.rootCause!.fix[0]).toMatch(/^Server admin: .*permit_sasl_authenticated/);
    expect(fixText(r)).not.toMatch(/Turn on authentication/i);
  });

  it('STARTTLS not offered (smtpd_tls_security_level=none) to a client that requires it', async () => {
    const r = await runCheck({ ...base, port: PORT.noStarttls });
    expectBlocked(r, 'tls.starttls-not-offered');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/AUTH PLAIN LOGIN/);
    expect(fixText(r)).toMatch(/Server admin/);
  });

  it('an expired certificate: no password is sent, the admin renews it', async () => {
    const r = await runCheck({ ...base, port: PORT.expiredCert });
    expectBlocked(r, 'tls.certificate-expired');
    expect(r.rootCause!.fix[0]).toMatch(/^Server admin: renew/);
    expect(r.findings.map((f) => f.code)).not.toContain('auth.accepted');
  });

  it('a self-signed certificate', async () => {
    const r = await runCheck({ ...base, port: PORT.selfSignedCert });
    expectBlocked(r, 'tls.certificate-self-signed');
    expect(r.rootCause!.fix[0]).toMatch(/^Server admin: /);
  });

  it('only TLSv1 enabled (smtpd_tls_protocols=TLSv1): the server must enable TLS 1.2 or 1.3', async () => {
    const r = await runCheck({ ...base, port: PORT.oldTlsOnly });
    expectBlocked(r, 'tls.protocol-version-mismatch');
    expect(fixText(r)).toMatch(/server must enable TLS 1\.2 or 1\.3/);
  });

  it('smtpd_client_restrictions=reject with smtpd_delay_reject=no: 554 instead of a greeting', async () => {
    const r = await runCheck({ ...base, port: PORT.clientRejected });
    expectBlocked(r, 'smtp.greeting-rejected');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/^greeting: 554 5\.7\.1 .*Client host rejected/);
  });

  it('the same refusal on submission port 587: never "use your provider\'s submission server", ask the admin', async () => {
    const r = await runCheck({ ...base, host: CLIENT_REJECTED_587.host, port: 587 });
    expectBlocked(r, 'smtp.greeting-rejected');
    expect(fixText(r)).not.toMatch(/submission server \(port 587/);
    expect(fixText(r)).toMatch(/already a submission port.*server admin/);
  });

  it('Dovecot\'s auth socket missing: smtpd dies at the EHLO after STARTTLS, the admin is told, not the firewall', async () => {
    const r = await runCheck({ ...base, port: PORT.authServiceGone });
    expectBlocked(r, 'smtp.session-dropped');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/^at ehlo-after-tls: /);
    expect(r.rootCause!.fix[0]).toMatch(/^Server admin: the server closed the encrypted session itself/);
    expect(pf!.log()).toMatch(/fatal: no SASL authentication mechanisms/);
  });

  it('Dovecot\'s password backend down: Postfix says 535 as for a wrong password; the fix names the admin as the fallback', async () => {
    const r = await runCheck({ ...base, port: PORT.authBackendDown });
    expectBlocked(r, 'auth.credentials-rejected');
    expect(r.facts.session?.auth?.reply?.code).toBe(535);
    expect(fixText(r)).toMatch(/tell the server admin: Postfix with Dovecot gives this same 535/);
    expect(dovecot!.log()).toMatch(/passwd-file .*No such file or directory/);
  });

  it('smtpd_client_connection_rate_limit reached: 421 "too many connections" is a connection limit, not a blocklist', async () => {
    const r = await runCheck({ ...base, port: PORT.connectionRateLimit });
    expectBlocked(r, 'smtp.connection-limit');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/^greeting: 421 4\.7\.0 .*too many connections/);
    expect(fixText(r)).toMatch(/close other mail apps.*Server admin: .*smtpd_client_event_limit_exceptions/);
  });
});

describe('faults both sides can fix', () => {
  it('port 465 without smtpd_tls_wrappermode: STARTTLS on 465 works for the user, the admin should turn TLS on', async () => {
    const r = await runCheck({ ...base, ...PLAINTEXT_465, security: 'implicit-tls' });
    expectBlocked(r, 'tls.mode-mismatch.implicit-on-starttls-port');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/wrong version number/);
    expect(r.rootCause!.fix[0]).toMatch(/to STARTTLS and keep port 465/);
    expect(fixText(r)).toMatch(/Server admin: port 465 .*smtpd_tls_wrappermode=yes/);
  });
});

describe('the user\'s settings: the fix names what to change in the client', () => {
  it('sending as an address the login does not own (reject_sender_login_mismatch)', async () => {
    const r = await runCheck({ ...base, port: PORT.senderLoginMismatch, from: 'bob@example.test' });
    expectBlocked(r, 'envelope.sender-rejected');
    expect(r.rootCause!.evidence[0]!.text).toMatch(/not owned by user alice@example\.test/);
    expect(r.rootCause!.fix[0]).toMatch(/^Send from the address of the account you log in with/);
  });

  it('no encryption and no login where the server requires TLS (smtpd_tls_security_level=encrypt)', async () => {
    const r = await runCheck({ ...base, port: PORT.senderLoginMismatch, security: 'none', user: undefined, password: undefined });
    expectBlocked(r, 'tls.required');
    expect(fixText(r)).toMatch(/STARTTLS|SSL\/TLS/);
  });

  it('a certificate for another name: use the name the certificate is for', async () => {
    const r = await runCheck({ ...base, port: PORT.wrongNameCert });
    expectBlocked(r, 'tls.hostname-mismatch');
    expect(r.rootCause!.fix[0]).toMatch(/other\.example\.test/);
  });
});
