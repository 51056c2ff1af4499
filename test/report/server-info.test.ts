// The server-info view of a healthy run against the lab's Postfix (127.0.0.20): the certificate as openssl would
// describe it (subject, names, issuer, validity with days left, SHA-256 fingerprint, chain), the TLS session, and
// the EHLO capabilities with their meaning, AUTH before and after STARTTLS. Concise in the terminal, whole in --json.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { localTime, relative } from '../../src/report/when.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { loadLabEnv, type LabEnv } from '../helpers/lab-env.js';

let lab: LabEnv;
let cert: X509Certificate;
let args: (port: number, security: string) => string[];
beforeAll(() => {
  lab = loadLabEnv();
  cert = new X509Certificate(readFileSync(lab.certFile!));
  args = (port, security) => ['check', '--host', lab.smtpName, '--port', String(port), '--security', security, '--ports', String(port), '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--ca', lab.caFile, '--user', lab.users[0]!.user, '--password-stdin', '--no-reference', '--no-domain', '--timeout', '3'];
});

describe('server info from the lab\'s Postfix', () => {
  it('a healthy STARTTLS run shows the certificate, TLS and capabilities with their meaning', async () => {
    const r = await runCli(args(587, 'starttls'), { input: lab.users[0]!.password, env: { TZ: 'UTC' } });
    expect(r.code).toBe(0);
    const out = r.stdout;
    const days = Math.floor((Date.parse(cert.validTo) - Date.now()) / 86_400_000);
    expect(out).toContain(`Server ${lab.smtpHost}:587`);
    expect(out).toContain(`certificate  ${lab.smtpName} (names: ${lab.smtpName}, localhost, IP:${lab.smtpHost})`);
    expect(out).toMatch(new RegExp(`issued by sendcheck lab test CA, valid until ${localTime(new Date(cert.validTo).toISOString(), { timeZone: 'UTC' })} \\(expires in (${days}|${days - 1}|${days + 1}) days\\)`));
    expect(out).toContain(`SHA-256 ${cert.fingerprint256}`);
    expect(out).toMatch(/chain: \d certificates?, trusted/);
    expect(out).toMatch(/TLS +TLSv1\.3, TLS_AES_\d+_GCM_SHA\d+/);
    // The capabilities wrap at about 100 columns, between items.
    const offers = /\n  offers +([^]*?)\n  AUTH/.exec(out)![1]!.replace(/\s+/g, ' ');
    expect(offers).toMatch(/^messages up to \d+(\.\d)? MB \(SIZE\), .*commands in batches \(PIPELINING\)/);
    expect(offers).toContain('8-bit bodies (8BITMIME)');
    expect(offers).toContain('BDAT chunks (CHUNKING)');
    expect(out.split('\n').every((l) => l.length <= 120 || l.includes('SHA-256'))).toBe(true);
    // smtpd_tls_auth_only: no AUTH before STARTTLS.
    expect(out).toMatch(/AUTH +PLAIN LOGIN after STARTTLS; none before it \(login only over TLS\)/);
  });

  it('implicit TLS (465): no "before TLS"; --json holds the whole facts behind the view', async () => {
    const term = await runCli(args(465, 'implicit-tls'), { input: lab.users[0]!.password });
    expect(term.stdout).toMatch(/AUTH +PLAIN LOGIN\n/);
    expect(term.stdout).not.toMatch(/before it/);
    const json = await runCli([...args(465, 'implicit-tls'), '--json'], { input: lab.users[0]!.password });
    const report = JSON.parse(json.stdout) as Report;
    const tls = report.facts.session!.tls!;
    expect(tls.chain[0]).toMatchObject({ fingerprint256: cert.fingerprint256, subjectCN: lab.smtpName, issuerCN: 'sendcheck lab test CA', validTo: new Date(cert.validTo).toISOString() });
    expect(tls.chain[0]!.sans).toEqual([`DNS:${lab.smtpName}`, 'DNS:localhost', `IP:${lab.smtpHost}`]);
    expect(tls.protocol).toBe('TLSv1.3');
    expect(report.facts.session!.ehlo!.keywords).toEqual(expect.arrayContaining(['PIPELINING', '8BITMIME', 'CHUNKING']));
    expect(report.facts.session!.ehlo!.size).toBeGreaterThan(0);
  });
});

describe('dates: local time and relative to the run', () => {
  it('local time in the named zone, and the larger whole unit', () => {
    expect(localTime('2027-02-10T13:05:00.000Z', { timeZone: 'Europe/Berlin' })).toBe('2027-02-10 14:05 CET');
    expect(localTime('2027-02-10T13:05:09.000Z', { timeZone: 'UTC', seconds: true })).toBe('2027-02-10 13:05:09 UTC');
    expect(relative('2026-12-13T00:00:00Z', '2026-12-01T00:00:00Z')).toBe('in 12 days');
    expect(relative('2026-11-28T00:00:00Z', '2026-12-01T00:00:00Z')).toBe('3 days ago');
    expect(relative('2026-12-01T03:00:00Z', '2026-12-01T00:00:00Z')).toBe('in 3 hours');
    expect(relative('2046-12-01T00:00:00Z', '2026-12-01T00:00:00Z')).toBe('in 20 years');
  });
  it('no raw ISO timestamp in the terminal: evidence and fixes show local time and how long ago', async () => {
    const r = await runCli(['demo', 'expired-certificate'], { env: { TZ: 'UTC' } });
    expect(r.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(r.stdout).toMatch(/valid 2020-01-01 00:00 UTC \(\d+ years ago\) → 2021-01-01 00:00 UTC \(\d+ years ago\)/);
    expect(r.stdout).toMatch(/issued by sendcheck Demo Root CA, expired 2021-01-01 00:00 UTC \(\d+ years ago\)/);
  });
});
