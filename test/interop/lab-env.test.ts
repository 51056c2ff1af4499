// Smoke test of the lab (scripts/lab/up.sh) as the integration tests see it: env.json via loadLabEnv(), the
// certificate chain against caFile, STARTTLS/AUTH advertisement on 587, implicit TLS on 465, and Knot answers.
// Skipped when the lab is not running.
import { Resolver } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { loadLabEnv } from '../helpers/lab-env.js';

/** Minimal SMTP line reader: resolves with the next complete reply (all lines of a multi-line reply). */
function replyReader(sock: net.Socket | tls.TLSSocket): () => Promise<string> {
  let buf = '';
  let waiter: (() => void) | undefined;
  sock.setEncoding('utf8');
  sock.on('data', (d: string) => {
    buf += d;
    waiter?.();
  });
  return () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SMTP reply; buffer: ${buf}`)), 5000);
      const check = (): void => {
        const m = /^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/.exec(buf);
        if (m) {
          buf = buf.slice(m[0].length);
          clearTimeout(timer);
          waiter = undefined;
          resolve(m[0]);
        }
      };
      waiter = check;
      check();
    });
}

describe('lab environment', () => {
  it('env.json has the documented shape', () => {
    const env = loadLabEnv();
    expect(env.smtpHost).toBe('127.0.0.20');
    expect(env.smtpName).toBe('mail.example.test');
    expect(env.ports).toEqual({ smtp: 25, submission: 587, submissions: 465, alt: 2525, imap: 143, imaps: 993, pop3: 110, pop3s: 995 });
    expect(env.users.map((u) => [u.user, u.role])).toEqual([
      ['alice@example.test', 'inbox'], ['bob@example.test', 'inbox'], ['carol@example.test', 'junk'],
      ['dave@example.test', 'smtp-auth-disabled'], ['erin@example.test', 'held'],
      ['frank@example.test', 'no-expunge'], ['gina@example.test', 'unsigned'],
    ]);
    expect(env.dns).toEqual({ server: '127.0.0.30', port: 53 });
    expect(readFileSync(env.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('587: no AUTH before STARTTLS, certificate verifies against caFile, AUTH after', async () => {
    const env = loadLabEnv();
    const plain = net.connect({ host: env.smtpHost, port: env.ports.submission });
    try {
      let next = replyReader(plain);
      expect(await next()).toMatch(/^220 mail\.example\.test /);
      plain.write('EHLO client.example\r\n');
      const ehlo1 = await next();
      expect(ehlo1).toContain('STARTTLS');
      expect(ehlo1).not.toMatch(/AUTH/);
      plain.write('STARTTLS\r\n');
      expect(await next()).toMatch(/^220 /);
      plain.removeAllListeners('data');
      const secure = tls.connect({
        socket: plain,
        servername: env.smtpName,
        ca: readFileSync(env.caFile),
      });
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', resolve);
        secure.once('error', reject);
      });
      expect(secure.authorized).toBe(true);
      next = replyReader(secure);
      secure.write('EHLO client.example\r\n');
      expect(await next()).toMatch(/250.AUTH PLAIN/);
      const { user, password } = env.users[0]!;
      secure.write(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}\r\n`);
      expect(await next()).toMatch(/^235 /);
      secure.write('QUIT\r\n');
      secure.end();
    } finally {
      plain.destroy();
    }
  });

  it('465: implicit TLS, verified by IP address SAN too', async () => {
    const env = loadLabEnv();
    const s = tls.connect({ host: env.smtpHost, port: env.ports.submissions, ca: readFileSync(env.caFile) });
    try {
      const next = replyReader(s);
      expect(await next()).toMatch(/^220 mail\.example\.test /);
      expect(s.authorized).toBe(true); // no servername: checked against IP:127.0.0.20
    } finally {
      s.destroy();
    }
  });

  it('Knot serves example.test', async () => {
    const env = loadLabEnv();
    const r = new Resolver({ timeout: 2000, tries: 1 });
    r.setServers([`${env.dns.server}:${env.dns.port}`]);
    expect(await r.resolve4('mail.example.test')).toEqual(['127.0.0.20']);
    expect(await r.resolveMx('example.test')).toEqual([{ exchange: 'mail.example.test', priority: 10 }]);
    expect(await r.resolveSrv('_submission._tcp.example.test')).toEqual([
      { name: 'mail.example.test', port: 587, priority: 0, weight: 1 },
    ]);
    expect(await r.resolveCname('smtp.example.test')).toEqual(['mail.example.test']);
    expect(await r.resolve6('v6only.example.test')).toEqual(['::1']);
  });
});
