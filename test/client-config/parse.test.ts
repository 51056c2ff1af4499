// Client configuration readers on real-format fixture files (test/fixtures/client-config/), and check --from-config
// end to end against the lab's Postfix: the settings, the live result, the diff against discovery, no password shown.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { accountToInput } from '../../src/input/client-config/index.js';
import { parseClientConfigText, readClientConfig } from '../../src/input/client-config/parse.js';
import { runCli } from '../helpers/cli.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

const FIX = new URL('../fixtures/client-config/', import.meta.url).pathname;
const read = (f: string) => readClientConfig(join(FIX, f));
const brief = (f: string) => read(f).map((a) => ({ format: a.format, name: a.name, host: a.host, port: a.port, security: a.security, user: a.user, pw: a.password?.reveal(), from: a.from }));
const PW = 'lab-Secret-Pa55';

describe('client configuration readers', () => {
  it('Thunderbird prefs.js: the incoming server of the account that owns the identity', () => {
    const [lab, other] = read('prefs.js');
    expect(lab!.incoming).toEqual({ protocol: 'imap', host: 'mail.example.test', port: 993, security: 'implicit-tls', user: 'alice@example.test', detail: 'prefs.js mail.server.server1' });
    // smtp2 belongs to no identity: no mailbox to go with it
    expect(other!.incoming).toBeUndefined();
    // --roundtrip takes it over unless --imap/--pop3 was given
    const input = accountToInput(lab!, { options: { roundtrip: { waitSeconds: 30 } } });
    expect(input.options?.roundtrip).toEqual({ waitSeconds: 30, imap: 'mail.example.test:993', imapSecurity: 'implicit-tls', mailboxSource: 'prefs.js mail.server.server1' });
    expect(accountToInput(lab!, { options: { roundtrip: { imap: 'imap.other.test' } } }).options?.roundtrip).toEqual({ imap: 'imap.other.test' });
    expect(accountToInput(lab!, { options: {} }).options?.roundtrip).toBeUndefined();
  });

  it('Thunderbird prefs.js: every SMTP server, try_ssl 3 = SSL/TLS, the identity\'s address', () => {
    expect(brief('prefs.js')).toEqual([
      { format: 'thunderbird', name: 'Lab mail', host: 'mail.example.test', port: 587, security: 'implicit-tls', user: 'alice@example.test', pw: undefined, from: 'alice@lab.disc.test' },
      { format: 'thunderbird', name: 'smtp2', host: 'smtp.example.org', port: 465, security: 'implicit-tls', user: 'bob', pw: undefined, from: undefined },
    ]);
  });

  it('msmtp: defaults inherited, tls_starttls off = implicit TLS, passwordeval noted and not run', () => {
    const accs = read('msmtprc');
    expect(brief('msmtprc')).toEqual([
      { format: 'msmtp', name: 'lab', host: 'mail.example.test', port: 465, security: 'implicit-tls', user: 'alice@example.test', pw: PW, from: 'alice@example.test' },
      { format: 'msmtp', name: 'work', host: 'smtp.work.example', port: 587, security: 'starttls', user: 'me@work.example', pw: undefined, from: 'me@work.example' },
    ]);
    expect(accs[1]!.notes.join()).toMatch(/passwordeval is not run/);
  });

  it('neomutt smtp_url with ssl_starttls, smtp_pass, from', () => {
    expect(brief('muttrc')).toEqual([{ format: 'mutt', name: 'smtp_url', host: 'mail.example.test', port: 587, security: 'starttls', user: 'alice@example.test', pw: PW, from: 'alice@example.test' }]);
    // The mailbox mutt reads (folder = imaps://…; spoolfile "+INBOX" is relative to it): the round trip's IMAP server.
    expect(read('muttrc')[0]!.incoming).toEqual({ protocol: 'imap', host: 'mail.example.test', port: 993, security: 'implicit-tls', user: 'alice@example.test', detail: 'muttrc folder' });
  });

  it('git sendemail: tls = STARTTLS, ssl = implicit TLS, identities inherit the base section', () => {
    expect(brief('gitconfig')).toEqual([
      { format: 'git', name: 'sendemail', host: 'mail.example.test', port: 587, security: 'starttls', user: 'alice@example.test', pw: PW, from: undefined },
      { format: 'git', name: 'sendemail.work', host: 'smtp.work.example', port: 465, security: 'implicit-tls', user: 'me@work.example', pw: PW, from: undefined },
    ]);
  });

  it('Nodemailer options (nested transport) and an SMTP URL file', () => {
    expect(brief('nodemailer.json')).toEqual([{ format: 'nodemailer', name: 'transport', host: 'mail.example.test', port: 465, security: 'starttls', user: 'alice@example.test', pw: PW, from: undefined }]);
    expect(brief('smtp-url.txt')).toEqual([{ format: 'smtp-url', name: 'url', host: 'mail.example.test', port: 465, security: 'implicit-tls', user: 'alice@example.test', pw: PW, from: undefined }]);
  });

  it('.env conventions: Laravel, Django, Rails, generic SMTP_* and a Symfony MAILER_DSN', () => {
    expect(brief('laravel.env')).toEqual([{ format: 'env', name: 'Laravel (MAIL_*)', host: 'mail.example.test', port: 587, security: 'implicit-tls', user: 'alice@example.test', pw: PW, from: 'alice@example.test' }]);
    expect(brief('django.env')).toEqual([{ format: 'env', name: 'Django (EMAIL_*)', host: 'mail.example.test', port: 587, security: 'starttls', user: 'alice@example.test', pw: PW, from: 'alice@example.test' }]);
    expect(brief('rails.env')).toEqual([{ format: 'env', name: 'Rails (SMTP_ADDRESS …)', host: 'mail.example.test', port: 2525, security: 'starttls', user: 'alice@example.test', pw: PW, from: undefined }]);
    expect(brief('generic.env').map((a) => `${a.name} ${a.host}:${a.port} ${a.security} ${a.user}`)).toEqual([
      'generic (SMTP_HOST …) mail.example.test:465 implicit-tls alice@example.test',
      'MAILER_DSN mail.example.test:587 starttls bob@example.test',
    ]);
  });

  it('passwords are Secret: never in JSON, inspect or string output', () => {
    for (const f of ['msmtprc', 'muttrc', 'gitconfig', 'nodemailer.json', 'smtp-url.txt', 'laravel.env', 'generic.env']) {
      const accs = read(f);
      expect(JSON.stringify(accs), f).not.toContain(PW);
      expect(inspect(accs, { depth: 10 }), f).not.toContain(PW);
      expect(JSON.stringify(accountToInput(accs[0]!, {})), f).not.toContain(PW);
    }
  });

  it('bad input: unknown format, binary, empty of accounts, missing, too large → one-line UserError', () => {
    const dir = tempDir('cc');
    const big = join(dir, 'big.env');
    writeFileSync(big, `SMTP_HOST=x\n${'#'.repeat(2 * 1024 * 1024)}`);
    const cases: [string, RegExp][] = [
      [join(FIX, 'unknown.conf'), /not a configuration sendcheck can read/],
      [join(FIX, 'binary.bin'), /binary data/],
      [join(dir, 'missing.env'), /cannot read the file \(ENOENT\)/],
      [big, /larger than 1 MB/],
    ];
    for (const [path, re] of cases) {
      let err: unknown;
      try {
        readClientConfig(path);
      } catch (e) {
        err = e;
      }
      expect(err, path).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    }
    expect(() => parseClientConfigText('{"notmail": true}', 'x.json')).not.toThrow();
    expect(() => parseClientConfigText('{broken', 'x.json')).toThrow(/not valid JSON/);
  });
});

describe('check --from-config (lab Postfix)', () => {
  const lab = loadLabEnv();
  const DNS = `${lab.dns.server}:${lab.dns.port}`;
  const common = ['--resolver', DNS, '--ca', lab.caFile, '--ports', '587,465', '--no-reference', '--no-autoconfig', '--timeout', '2'];

  it('Laravel MAIL_ENCRYPTION=ssl on 587: the live mismatch, and the diff against discovery, without the password', async () => {
    const r = await runCli(['check', '--from-config', join(FIX, 'laravel.env'), ...common], { env: { SENDCHECK_PASSWORD: '' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('=== env account "Laravel (MAIL_*)": mail.example.test:587 SSL/TLS (implicit TLS), user alice@example.test, password from the file');
    expect(r.stdout).toContain('your client uses SSL/TLS (implicit TLS) on port 587; this server speaks STARTTLS on 587');
    expect(r.stdout + r.stderr).not.toContain(PW);
    const j = await runCli(['check', '--from-config', join(FIX, 'laravel.env'), ...common, '--json'], { env: { SENDCHECK_PASSWORD: '' } });
    expect(j.stdout).not.toContain(PW);
    const doc = JSON.parse(j.stdout) as { accounts: { account: { passwordGiven: boolean }; report: Parameters<typeof codesOf>[0] }[] };
    expect(doc.accounts[0]!.account.passwordGiven).toBe(true);
    const codes = codesOf(doc.accounts[0]!.report);
    expect(codes).toContain('tls.mode-mismatch.implicit-on-starttls-port');
    expect(codes).toContain('config.differs-from-discovered');
  });

  it('msmtp lab account (implicit TLS on 465, password from the file): logs in once and works', async () => {
    const j = await runCli(['check', '--from-config', join(FIX, 'msmtprc'), ...common, '--json'], { env: { SENDCHECK_PASSWORD: '' } });
    expect(j.stdout).not.toContain(PW);
    const doc = JSON.parse(j.stdout) as { accounts: { account: { name: string }; report: Parameters<typeof codesOf>[0] }[] };
    const labAcc = doc.accounts.find((a) => a.account.name === 'lab')!;
    expect(codesOf(labAcc.report)).toContain('auth.accepted');
    expect(labAcc.report.verdict).not.toBe('blocked');
  });

  it('--roundtrip with a muttrc: the mailbox mutt reads is where the test message is watched for', async () => {
    const j = await runCli(['check', '--from-config', join(FIX, 'muttrc'), ...common, '--no-domain', '--roundtrip', '--wait', '20', '--json'], { env: { SENDCHECK_PASSWORD: '' }, timeoutMs: 60_000 });
    expect(j.stdout).not.toContain(PW);
    const doc = JSON.parse(j.stdout) as { accounts: { report: Parameters<typeof codesOf>[0] }[] };
    const report = doc.accounts[0]!.report;
    expect(codesOf(report)).toContain('roundtrip.delivered');
    expect(report.facts.roundtrip?.imap.endpoint).toMatchObject({ protocol: 'imap', host: 'mail.example.test', port: 993, source: 'config', detail: 'muttrc folder' });
  });

  it('an unknown format exits 2 with one line', async () => {
    const r = await runCli(['check', '--from-config', join(FIX, 'unknown.conf')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a configuration sendcheck can read/);
  });

  it('--from-config with a TARGET is a usage error', async () => {
    const r = await runCli(['check', 'a@b.test', '--from-config', join(FIX, 'laravel.env')]);
    expect(r.code).toBe(2);
  });
});
