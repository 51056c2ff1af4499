// The round trip against the real lab: Postfix submission with Dovecot SASL, LMTP delivery into Dovecot, Sieve
// filing into Junk, Postfix header rules and an OpenDKIM milter adding the headers the receiver's verdicts come from.
// Users (scripts/lab/up.sh): alice (inbox), carol (spam headers → Junk), dave (SMTP AUTH refused, IMAP allowed),
// erin (held in Postfix's queue: accepted, never delivered).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { roundtrip } from '../../src/index.js';
import { REDACTED } from '../../src/net/transcript.js';
import { startUiServer } from '../../src/ui/server.js';
import { demoCaPem } from '../../src/lab/certs.js';
import { startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import type { CheckInput } from '../../src/input/parse.js';
import { runCli } from '../helpers/cli.js';
import { codesOf, rootCodeOf } from '../helpers/findings.js';
import { loadLabEnv, type LabEnv, type LabUser } from '../helpers/lab-env.js';

let lab: LabEnv;
let ca: string;
let base: CheckInput;
const user = (role: string): LabUser => {
  const u = lab.users.find((x) => x.role === role);
  if (!u) throw new Error(`lab has no user with role ${role}: is scripts/lab/up.sh current?`);
  return u;
};
const rt = (extra: Record<string, unknown> = {}) => ({ roundtrip: { imap: `${lab.smtpName}:${lab.ports.imaps}`, pollMs: 200, waitSeconds: 20, ...extra }, domain: false, network: { noReference: true } });

/** Messages in a folder carrying our token (the test's own IMAP session, not the tool's). */
async function messagesWithToken(u: LabUser, folder: string, token: string): Promise<number> {
  const c = new ImapFlow({ host: lab.smtpHost, port: lab.ports.imaps, secure: true, servername: lab.smtpName, auth: { user: u.user, pass: u.password }, logger: false, tls: { ca: [ca] } });
  await c.connect();
  try {
    const lock = await c.getMailboxLock(folder);
    try {
      return ((await c.search({ header: { 'X-Sendcheck-Token': token } }, { uid: true })) || []).length;
    } finally {
      lock.release();
    }
  } finally {
    await c.logout();
  }
}

function imapLogins(u: string): number {
  return readFileSync(lab.dovecotLog, 'utf8').split('\n').filter((l) => /imap-login: (Info: )?Login:/.test(l) && l.includes(`user=<${u}>`)).length;
}

beforeAll(() => {
  lab = loadLabEnv();
  ca = readFileSync(lab.caFile, 'utf8');
  base = { host: lab.smtpName, port: 587, security: 'starttls', resolvers: [`${lab.dns.server}:${lab.dns.port}`], ca: [ca], timeoutMs: 3000, sweepPorts: [] };
});

describe('round trip through the lab mailbox', () => {
  it('delivered to the inbox: hops with delays, the milter\'s Authentication-Results, message deleted, one login each', async () => {
    const alice = user('inbox');
    const loginsBefore = imapLogins(alice.user);
    const r = await runCheck({ ...base, user: alice.user, password: alice.password, options: rt() });
    const codes = codesOf(r);
    expect(r.verdict).toBe('ok');
    expect(codes).toContain('roundtrip.delivered');
    const f = r.facts.roundtrip!;
    expect(f.imap.outcome).toBe('accepted');
    expect(f.imap.capabilities).toEqual(expect.arrayContaining(['IDLE', 'SPECIAL-USE']));
    expect(f.waitMode).toBe('idle');
    expect(f.data?.accepted).toBe(true);
    expect(f.data?.queueId).toMatch(/^[0-9A-Za-z]{5,}$/);
    expect(f.copy?.folder).toMatchObject({ path: 'INBOX', role: 'inbox' });
    expect(f.copy?.tokenHeaderKept).toBe(true);
    // Postfix's submission smtpd, the content-filter hop and Dovecot's LMTP each add a Received header.
    expect(f.copy!.hops.length).toBeGreaterThanOrEqual(2);
    expect(f.copy!.hops.some((h) => h.authenticated)).toBe(true);
    expect(f.copy!.delays.every((d) => d.delayMs === undefined || d.delayMs < 30_000)).toBe(true);
    const dkim = f.copy!.authResults.flatMap((h) => h.results).find((x) => x.method === 'dkim');
    expect(dkim?.result).toBe('pass');
    expect(f.cleanup).toEqual({ deleted: true, kept: false });
    expect(await messagesWithToken(alice, 'INBOX', f.message!.token)).toBe(0);
    // One IMAP login by the tool (the test's own check above adds one more).
    expect(imapLogins(alice.user) - loginsBefore).toBe(2);
    expect(r.hops.find((h) => h.hop === 'delivery')?.status).toBe('ok');
    // base sweeps no extra port: the sweep of 587, the session, the IMAP candidate's TCP check and the IMAP session
    expect(r.stats.connections).toBe(4);
  });

  it('--keep leaves the message where it arrived; explain reads the kept copy\'s verdicts', async () => {
    const alice = user('inbox');
    const r = await runCheck({ ...base, user: alice.user, password: alice.password, options: rt({ keep: true }) });
    expect(r.facts.roundtrip?.cleanup).toEqual({ deleted: false, kept: true });
    const token = r.facts.roundtrip!.message!.token;
    expect(await messagesWithToken(alice, 'INBOX', token)).toBe(1);
    // The user's "show original": the stored copy, as Dovecot has it, given to sendcheck explain.
    const c = new ImapFlow({ host: lab.smtpHost, port: lab.ports.imaps, secure: true, servername: lab.smtpName, auth: { user: alice.user, pass: alice.password }, logger: false, tls: { ca: [ca] } });
    await c.connect();
    let source = '';
    try {
      const lock = await c.getMailboxLock('INBOX');
      try {
        const [uid] = (await c.search({ header: { 'X-Sendcheck-Token': token } }, { uid: true })) || [];
        const msg = await c.fetchOne(String(uid), { source: true }, { uid: true });
        if (!msg || !msg.source) throw new Error('the kept copy could not be fetched');
        source = msg.source.toString('utf8');
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
    const e = await runCli(['explain', '-', '--json'], { input: source });
    const report = JSON.parse(e.stdout) as Parameters<typeof codesOf>[0];
    expect(codesOf(report)).toEqual(['explain.received-checks']);
    expect(report.findings[0]!.evidence[0]!.text).toMatch(/^dkim=pass .*header\.d=example\.test .*\[by mail\.example\.test\]$/);
  });

  it('filed into Junk by Sieve: the receiver\'s SPF softfail and SpamAssassin score become findings', async () => {
    const carol = user('junk');
    const r = await runCheck({ ...base, user: carol.user, password: carol.password, options: rt() });
    const codes = codesOf(r);
    expect(codes).toEqual(expect.arrayContaining(['roundtrip.delivered-to-junk', 'roundtrip.receiver-spf', 'roundtrip.spam-scored']));
    expect(r.verdict).toBe('warnings');
    const f = r.facts.roundtrip!;
    expect(f.copy?.folder).toMatchObject({ path: 'Junk', specialUse: '\\Junk', role: 'junk' });
    const junk = r.findings.find((x) => x.code === 'roundtrip.delivered-to-junk')!;
    expect(junk.evidence.map((e) => e.text)).toEqual(expect.arrayContaining([
      'receiver\'s SPF verdict: softfail', 'receiver\'s DKIM verdict: pass', 'spam filter (X-Spam-Flag, X-Spam-Status): score 7.3 of 5',
    ]));
    const spf = r.findings.find((x) => x.code === 'roundtrip.receiver-spf')!;
    expect(spf.title).toContain('softfail');
    expect(spf.fix[0]).toMatch(/\(ip4:127\.0\.0\.\d+\) to the SPF record of example\.test/);
    const spam = r.findings.find((x) => x.code === 'roundtrip.spam-scored')!;
    expect(spam.evidence[0]!.text).toMatch(/score 7\.3 of 5/);
    expect(await messagesWithToken(carol, 'Junk', f.message!.token)).toBe(0);
  });

  it('a mailbox that may not delete: the server says OK, the message stays, the user is told to delete it', async () => {
    const frank = user('no-expunge');
    const r = await runCheck({ ...base, user: frank.user, password: frank.password, options: rt() });
    const codes = codesOf(r);
    expect(codes).toEqual(expect.arrayContaining(['roundtrip.delivered', 'roundtrip.cleanup-failed']));
    const f = r.facts.roundtrip!;
    expect(f.cleanup).toMatchObject({ deleted: false, kept: false, error: expect.stringMatching(/still in INBOX/) });
    expect(await messagesWithToken(frank, 'INBOX', f.message!.token)).toBe(1);
    expect(r.findings.find((x) => x.code === 'roundtrip.cleanup-failed')!.fix[0]).toBe(`Delete the message with the subject "${f.message!.subject}" yourself.`);
  });

  it('an unsigned sender: the receiver\'s dkim=none is a finding with its header as evidence', async () => {
    const gina = user('unsigned');
    const r = await runCheck({ ...base, user: gina.user, password: gina.password, options: rt() });
    expect(codesOf(r)).toEqual(expect.arrayContaining(['roundtrip.delivered', 'roundtrip.receiver-dkim']));
    const dkim = r.findings.find((x) => x.code === 'roundtrip.receiver-dkim')!;
    expect(dkim.title).toContain('dkim=none');
    expect(dkim.evidence[0]!.text).toBe('dkim=none [by mail.example.test]');
  });

  it('accepted with a queue ID but held by Postfix: not delivered within --wait', async () => {
    const erin = user('held');
    const r = await runCheck({ ...base, user: erin.user, password: erin.password, options: rt({ waitSeconds: 2 }) });
    expect(rootCodeOf(r)).toBe('roundtrip.not-delivered');
    const f = r.facts.roundtrip!;
    expect(f.data?.accepted).toBe(true);
    expect(f.copy).toBeUndefined();
    expect(r.rootCause!.evidence[0]!.text).toContain(`queue ID ${f.data!.queueId}`);
    expect(r.rootCause!.fix.at(-1)).toBe(`If the message arrives later, delete it: its subject is "${f.message!.subject}".`);
    // The message really is in Postfix's hold queue under that ID (and is removed there, not by the tool).
    const queue = execFileSync('postqueue', ['-c', lab.postfixConfigDir!, '-j'], { encoding: 'utf8' });
    expect(queue).toContain(f.data!.queueId);
    execFileSync('postsuper', ['-c', lab.postfixConfigDir!, '-d', f.data!.queueId!], { stdio: 'ignore' });
  });

  it('IMAP accepts the password and SMTP AUTH refuses it: an SMTP-specific cause, nothing sent', async () => {
    const dave = user('smtp-auth-disabled');
    const r = await runCheck({ ...base, user: dave.user, password: dave.password, options: rt() });
    expect(rootCodeOf(r)).toBe('auth.smtp-only-rejected');
    expect(r.rootCause!.evidence.map((e) => e.text).join('\n')).toMatch(/IMAP login accepted[\s\S]*SMTP AUTH PLAIN: 535/);
    expect(r.facts.roundtrip?.data).toBeUndefined();
    expect(codesOf(r)).toContain('roundtrip.not-sent');
  });

  it('both refuse a wrong password: the password is wrong', async () => {
    const alice = user('inbox');
    const r = await runCheck({ ...base, user: alice.user, password: 'not-the-password', options: rt() });
    expect(rootCodeOf(r)).toBe('auth.rejected-by-imap-too');
    expect(r.facts.roundtrip?.imap.outcome).toBe('rejected');
    expect(r.facts.roundtrip?.imap.responseCode).toBe('AUTHENTICATIONFAILED');
  });

  it('no IMAP server answers: nothing is sent, the check itself still runs', async () => {
    const alice = user('inbox');
    const r = await runCheck({ ...base, user: alice.user, password: alice.password, options: { ...rt(), roundtrip: { imap: `${lab.smtpHost}:1`, imapSecurity: 'implicit-tls' } } });
    expect(codesOf(r)).toEqual(expect.arrayContaining(['roundtrip.imap-unreachable', 'roundtrip.not-sent', 'auth.accepted', 'envelope.accepted']));
    expect(r.facts.session?.steps.map((s) => s.step)).toContain('rset');
  });

  it('the configured path is broken before any login: the message goes through the path the sweep found working', async () => {
    const alice = user('inbox');
    // SSL/TLS configured on the STARTTLS port 587: the configured session fails at TLS; the sweep saw 587 with
    // STARTTLS and 465 with SSL/TLS work, and the smallest change (same port, STARTTLS) is the one recommended.
    const r = await runCheck({ ...base, port: 587, security: 'implicit-tls', sweepPorts: [465], user: alice.user, password: alice.password, options: rt() });
    expect(r.facts.session?.error?.step).toBe('tls');
    expect(r.facts.session?.auth).toBeUndefined();
    const f = r.facts.roundtrip!;
    expect(f.via).toMatchObject({ port: 587, security: 'starttls' });
    expect(f.via?.session.auth?.accepted).toBe(true);
    expect(f.copy?.folder.path).toBe('INBOX');
    const delivered = r.findings.find((x) => x.code === 'roundtrip.delivered')!;
    expect(delivered.evidence[1]!.text).toMatch(/sent through port 587 \(starttls\), the path this run found working: the configured 587\/implicit-tls session ended at tls/);
    // The configured path's failure is still the root cause: that is what the user's client does.
    expect(r.verdict).toBe('blocked');
    expect(rootCodeOf(r)).not.toMatch(/^roundtrip\./);
  });

  it('POP3 account: the password cross-check works there too; nothing is sent (POP3 cannot watch it arrive)', async () => {
    const dave = user('smtp-auth-disabled');
    for (const [spec, security] of [[`${lab.smtpName}:${lab.ports.pop3s}`, undefined], [`${lab.smtpName}:${lab.ports.pop3}`, 'starttls']] as const) {
      const r = await runCheck({ ...base, user: dave.user, password: dave.password, options: { ...rt(), roundtrip: { pop3: spec, imapSecurity: security } } });
      expect(rootCodeOf(r)).toBe('auth.smtp-only-rejected');
      expect(r.rootCause!.evidence[0]!.text).toBe('POP3 login accepted');
      expect(r.rootCause!.evidence[0]!.where).toBe(`POP3 ${spec}`);
      expect(r.facts.roundtrip?.notSent).toMatch(/^POP3 shows only the messages present at login/);
    }
    const alice = user('inbox');
    const wrong = await runCheck({ ...base, user: alice.user, password: 'not-the-password', options: { ...rt(), roundtrip: { pop3: `${lab.smtpName}:${lab.ports.pop3s}` } } });
    expect(rootCodeOf(wrong)).toBe('auth.rejected-by-imap-too');
    expect(wrong.rootCause!.evidence[0]!.text).toBe('POP3 login refused: [AUTH] Authentication failed.');
    // The POP3 transcript shows the AUTH line as a marker only.
    const pop = wrong.transcripts.find((t) => t.label.startsWith('POP3'))!;
    expect(pop.lines.filter((l) => l.dir === 'sent').map((l) => l.text)).toEqual(['CAPA', `AUTH PLAIN ${REDACTED}`]);
    expect(JSON.stringify(wrong)).not.toContain(Buffer.from(`\0${alice.user}\0not-the-password`).toString('base64'));
  });

  it('from the address alone: SMTP and IMAP both come from the domain\'s SRV records (RFC 6186)', async () => {
    const alice = user('inbox');
    const r = await runCheck({
      target: alice.user, password: alice.password, resolvers: base.resolvers, ca: base.ca, timeoutMs: 3000, sweepPorts: [],
      options: { roundtrip: { pollMs: 200, waitSeconds: 20 }, domain: false, network: { noReference: true }, discovery: { autoconfig: false } },
    });
    // RFC 8314: implicit TLS (_submissions, 465) ranks before STARTTLS (_submission, 587).
    expect(r.target).toMatchObject({ host: lab.smtpName, port: 465, security: 'implicit-tls' });
    expect(r.facts.roundtrip?.imap.endpoint).toMatchObject({ protocol: 'imap', host: lab.smtpName, port: 993, source: 'discovered', detail: 'SRV _imaps._tcp.example.test' });
    expect(codesOf(r)).toContain('roundtrip.delivered');
  });

  it('--to an alias of the mailbox: the envelope names the alias, the copy arrives in the same inbox', async () => {
    const alice = user('inbox');
    const r = await runCheck({ ...base, user: alice.user, password: alice.password, to: ['user@example.test'], options: rt() });
    expect(r.facts.session?.envelope?.rcptTo.map((x) => x.address)).toEqual(['user@example.test']);
    expect(r.facts.roundtrip).toMatchObject({ sender: alice.user, recipient: 'user@example.test' });
    expect(codesOf(r)).toContain('roundtrip.delivered');
    expect(r.facts.roundtrip?.copy?.hops.some((h) => h.for === 'user@example.test' || h.for === alice.user)).toBe(true);
  });

  it('library roundtrip(), no IMAP record for the sender\'s domain: the guess next to the SMTP host answers on 993', async () => {
    const alice = user('inbox');
    // dom.test publishes no _imaps/_imap SRV (test/fixtures/zones/dom.test.zone): imap.example.test does not resolve,
    // mail.example.test (the SMTP host itself) answers.
    const r = await roundtrip({ ...base, user: alice.user, password: alice.password, from: 'alice@dom.test', to: [alice.user], options: { domain: false, discovery: { autoconfig: false } } }, { pollMs: 200, waitSeconds: 20 });
    expect(r.facts.roundtrip?.imap.candidates.map((c) => `${c.endpoint.host}:${c.endpoint.port} ${c.outcome}`)).toEqual(expect.arrayContaining([`imap.example.test:993 not resolvable (NXDOMAIN)`, `${lab.smtpName}:993 open`]));
    expect(codesOf(r)).toContain('roundtrip.delivered');
    expect(r.facts.roundtrip?.imap.endpoint).toMatchObject({ host: lab.smtpName, port: 993, source: 'guess' });
  });
});

describe('round trip with a scripted submission server and the lab IMAP', () => {
  let smtp: RunningServer;
  let rejecting: RunningServer;
  afterAll(async () => {
    await smtp?.close();
    await rejecting?.close();
  });

  it('SMTP accepts the password and IMAP refuses it: arrival cannot be confirmed, nothing is sent', async () => {
    const alice = user('inbox');
    smtp = await startScriptedSmtp({ mode: 'starttls', user: alice.user, password: 'smtp-only-secret' });
    const r = await runCheck({ ...base, host: '127.0.0.1', port: smtp.port, ca: [ca, demoCaPem()], user: alice.user, password: 'smtp-only-secret', options: rt() });
    expect(codesOf(r)).toEqual(expect.arrayContaining(['auth.accepted', 'roundtrip.imap-login-failed', 'roundtrip.not-sent']));
    expect(r.findings.find((f) => f.code === 'roundtrip.imap-login-failed')!.evidence[1]!.text).toMatch(/SMTP AUTH \w+ accepted/);
  });

  it('the message refused at the end of DATA', async () => {
    const alice = user('inbox');
    rejecting = await startScriptedSmtp({ mode: 'starttls', user: alice.user, password: alice.password, fault: 'data-rejected' });
    const r = await runCheck({ ...base, host: '127.0.0.1', port: rejecting.port, ca: [ca, demoCaPem()], user: alice.user, password: alice.password, options: rt() });
    expect(rootCodeOf(r)).toBe('roundtrip.data-rejected');
    expect(r.rootCause!.evidence[0]!.text).toContain('554 5.6.0 Message refused');
  });
});

describe('sendcheck roundtrip (CLI)', () => {
  it('terminal and JSON never show the password; exit 0 when delivered', async () => {
    const alice = user('inbox');
    const args = ['roundtrip', alice.user, '--host', lab.smtpName, '--port', '587', '--imap', `${lab.smtpName}:993`, '--ca', lab.caFile, '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--ports', '587', '--no-domain', '--no-reference', '--wait', '20', '--password-stdin'];
    const term = await runCli(args, { input: alice.password, timeoutMs: 60_000 });
    expect(term.stderr).toBe('');
    expect(term.code).toBe(0);
    expect(term.stdout).toMatch(/arrived in your inbox/);
    const json = await runCli([...args, '--json', '--verbose'], { input: alice.password, timeoutMs: 60_000 });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.facts.roundtrip.copy.folder.path).toBe('INBOX');
    // --verbose: the IMAP conversation too, with the login hidden (imapflow's masked command log)
    const imapLines = (report.transcripts as { label: string; lines: { text: string }[] }[]).find((t) => t.label.startsWith('IMAP '))!.lines.map((l) => l.text);
    expect(imapLines.some((l) => /UID SEARCH OR HEADER X-SENDCHECK-TOKEN sc-/.test(l))).toBe(true);
    expect(imapLines.some((l) => /^\d+ AUTHENTICATE PLAIN$/.test(l))).toBe(true);
    for (const out of [term.stdout, term.stderr, json.stdout, json.stderr]) {
      expect(out).not.toContain(alice.password);
      expect(out).not.toContain(Buffer.from(alice.password).toString('base64'));
      expect(out).not.toContain(Buffer.from(`\0${alice.user}\0${alice.password}`).toString('base64'));
    }
  });

  it('the web page runs the round trip too, and never shows the password', async () => {
    const alice = user('inbox');
    const ui = await startUiServer({ ca: [ca], resolvers: [`${lab.dns.server}:${lab.dns.port}`] });
    try {
      const origin = ui.url.replace(/\/$/, '');
      const post = (value: Record<string, unknown>) => fetch(`${ui.url}api/check`, { method: 'POST', body: JSON.stringify(value), headers: { origin, 'content-type': 'application/json' } });
      const res = await post({ email: alice.user, host: lab.smtpName, port: '587', security: 'starttls', password: alice.password, roundtrip: true, imap: `${lab.smtpName}:993`, wait: '20', timeout: '3' });
      const text = await res.text();
      expect(res.status).toBe(200);
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; text?: string; html?: string; steps?: { node: string; state: string }[] });
      const result = lines.at(-1)!;
      expect(result.type).toBe('result');
      expect(result.html).toContain('The test message arrived in your inbox');
      expect(result.html).toContain('Round trip: alice@example.test → alice@example.test');
      expect(result.html).toContain('test message deleted');
      expect(text).not.toContain(alice.password);
      // The page streamed its progress before the result: the IMAP login, the wait, the recipient lit up.
      expect(lines.map((l) => l.text)).toContain('Logging in to your mailbox at mail.example.test:993…');
      expect(lines.some((l) => l.steps?.some((x) => x.node === 'recipient' && x.state === 'active'))).toBe(true);
      const noPassword = await post({ email: alice.user, host: lab.smtpName, roundtrip: true });
      expect(noPassword.status).toBe(400);
      expect(await noPassword.text()).toContain('the round trip logs in to your mailbox');
      const bad = await post({ email: alice.user, host: lab.smtpName, roundtrip: true, wait: '5000' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('wait must be between 1 and 900 seconds');
    } finally {
      await ui.close();
    }
  });

  it('bad round-trip input is exit 2 with one line', async () => {
    const r1 = await runCli(['check', 'alice@example.test', '--wait', '5']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/--wait belongs to the round trip/);
    const r2 = await runCli(['roundtrip', 'alice@example.test', '--imap', 'imap.example.test:99999', '--password-stdin'], { input: 'x' });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/port/);
    const r3 = await runCli(['roundtrip', '--host', 'smtp.example.test', '--user', 'alice'], { input: 'x' });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/password|own address/);
    // An address alone and no password: refused before any discovery or DNS query (the domain does not exist).
    const r4 = await runCli(['roundtrip', 'alice@nowhere.invalid']);
    expect(r4.code).toBe(2);
    expect(r4.stderr).toMatch(/give the account's password/);
    for (const r of [r1, r2, r3, r4]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
