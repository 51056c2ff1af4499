// --from-config names the recommended setting as that client spells it (issue 11 item 11): msmtp's tls_starttls,
// Thunderbird's "Connection security", git's smtpEncryption, ... One table over every format, then the lab.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inClientTerms } from '../../src/input/client-config/spelling.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';

const FIX = fileURLToPath(new URL('../fixtures/client-config/', import.meta.url));
const starttls = { host: 'smtp.example.com', port: 587, security: 'starttls' as const };
const implicit = { host: 'smtp.example.com', port: 465, security: 'implicit-tls' as const };

describe('the recommended setting in each client\'s words', () => {
  it.each([
    ['msmtp', 'x', starttls, 'in the msmtp file: host smtp.example.com, port 587, tls on, tls_starttls on'],
    ['msmtp', 'x', implicit, 'in the msmtp file: host smtp.example.com, port 465, tls on, tls_starttls off'],
    ['thunderbird', 'x', implicit, 'in Thunderbird (Account Settings → Outgoing Server (SMTP) → Edit): Server Name smtp.example.com, Port 465, Connection security SSL/TLS'],
    ['thunderbird', 'x', starttls, 'in Thunderbird (Account Settings → Outgoing Server (SMTP) → Edit): Server Name smtp.example.com, Port 587, Connection security STARTTLS'],
    ['git', 'sendemail', starttls, 'in git config: sendemail.smtpServer smtp.example.com, sendemail.smtpServerPort 587, sendemail.smtpEncryption tls'],
    ['git', 'sendemail', implicit, 'in git config: sendemail.smtpServer smtp.example.com, sendemail.smtpServerPort 465, sendemail.smtpEncryption ssl'],
    ['nodemailer', 'transport', starttls, 'in the Nodemailer options: host: \'smtp.example.com\', port: 587, secure: false, requireTLS: true'],
    ['smtp-url', 'url', implicit, 'as a URL: smtps://smtp.example.com:465'],
    ['env', 'Laravel (MAIL_*)', starttls, 'in the .env file: MAIL_HOST=smtp.example.com MAIL_PORT=587 MAIL_ENCRYPTION=tls'],
    ['env', 'Django (EMAIL_*)', implicit, 'in the .env file: EMAIL_HOST=smtp.example.com EMAIL_PORT=465 EMAIL_USE_TLS=False EMAIL_USE_SSL=True'],
    ['env', 'Rails (SMTP_ADDRESS …)', starttls, 'in the .env file: SMTP_ADDRESS=smtp.example.com SMTP_PORT=587 SMTP_ENABLE_STARTTLS_AUTO=true'],
    ['env', 'generic (SMTP_HOST …)', implicit, 'in the .env file: SMTP_HOST=smtp.example.com SMTP_PORT=465 SMTP_SECURE=true'],
    ['env', 'MAILER_DSN', starttls, 'in the .env file: MAILER_DSN=smtp://smtp.example.com:587'],
  ] as const)('%s (%s) %o', (format, name, s, text) => {
    expect(inClientTerms({ format, name }, s)).toBe(text);
  });
  it('mutt: smtp_url with the user, ssl_starttls for STARTTLS', () => {
    expect(inClientTerms({ format: 'mutt', name: 'smtp_url', user: 'alice@example.com' }, starttls)).toBe('in the muttrc: set smtp_url = "smtp://alice%40example.com@smtp.example.com:587/", set ssl_starttls = yes, set ssl_force_tls = yes');
  });
});

describe('check --from-config (lab Postfix)', () => {
  it('msmtp with tls_starttls off on 587: the recommendation is "tls_starttls on", the same as the report\'s', async () => {
    const lab = loadLabEnv();
    const args = ['check', '--from-config', join(FIX, 'msmtprc-tls-on-587'), '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--ca', lab.caFile, '--ports', '587,465', '--no-reference', '--no-domain', '--timeout', '2'];
    const text = await runCli(args, { env: { SENDCHECK_PASSWORD: '' } });
    expect(text.stdout).toContain('Recommended in the msmtp file: host mail.example.test, port 587, tls on, tls_starttls on');
    const j = await runCli([...args, '--json'], { env: { SENDCHECK_PASSWORD: '' } });
    const doc = JSON.parse(j.stdout) as { accounts: { report: Report; recommendedInClient?: string }[] };
    const acc = doc.accounts[0]!;
    expect(codesOf(acc.report)[0]).toBe('tls.mode-mismatch.implicit-on-starttls-port');
    expect(acc.report.recommended).toMatchObject({ port: 587, security: 'starttls' });
    expect(acc.recommendedInClient).toBe('in the msmtp file: host mail.example.test, port 587, tls on, tls_starttls on');
    expect(text.code).toBe(1);
  });
});
