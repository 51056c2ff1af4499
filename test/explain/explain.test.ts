// sendcheck explain on fixture files (test/fixtures/explain/): replies, logs, Outlook numbers, DSNs, feedback
// reports, auto-replies; the findings are the live check's codes; bad input is one line and exit 2.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/explain/explain.js';
import { explain, isUserError } from '../../src/index.js';
import { classifyReply } from '../../src/rules/reply-classifier.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { codesOf, recordCodes } from '../helpers/findings.js';
import { tempDir } from '../helpers/tmp.js';

const FIX = new URL('../fixtures/explain/', import.meta.url).pathname;
const fx = (f: string) => readFileSync(join(FIX, f), 'utf8');
const items = (f: string) => explainText(fx(f)).items.map((i) => ({ code: i.code, recipient: i.recipient }));

describe('explain: text', () => {
  it('a pasted multi-line Gmail 535 → auth.credentials-rejected, the same code a live AUTH reply gives', () => {
    const r = explain(fx('gmail-535.txt'));
    expect(codesOf(r)).toEqual(['auth.credentials-rejected']);
    expect(classifyReply({ code: 535, enhanced: '5.7.8', text: 'Username and Password not accepted' }, 'auth')?.code).toBe('auth.credentials-rejected');
    expect(r.command).toBe('explain');
    expect(r.findings[0]!.evidence[0]!.text).toContain('BadCredentials');
    expect(r.findings[0]!.fix[0]).toMatch(/^Next: run `sendcheck check/);
  });

  it('an app log: Greeting never received on 465, ECONNREFUSED, wrong version number; the 250 is ignored', () => {
    const r = explain(fx('app.log'));
    expect(codesOf(r).sort()).toEqual(['port.refused', 'tls.mode-mismatch.implicit-on-starttls-port', 'tls.mode-mismatch.starttls-on-implicit-port']);
    expect(r.findings.find((f) => f.code === 'tls.mode-mismatch.starttls-on-implicit-port')!.fix[0]).toContain('sendcheck check --host smtp.example.com');
  });

  it('Outlook numbers: 0x800CCC79 with the server\'s relay refusal, 0x800CCC0F a dropped connection', () => {
    expect(codesOf(explain(fx('outlook.txt'))).sort()).toEqual(['connect.closed-on-connect', 'envelope.relay-denied']);
    expect(codesOf(explain('Sending reported error (0x800CCC6A): Your outgoing (SMTP) e-mail server has reported an internal error.'))).toEqual(['delivery.remote-error']);
  });

  it('reply codes alone: RFC 3463 meanings', () => {
    expect(codesOf(explain('550 5.1.1 <x@y.example>: Recipient address rejected'))).toEqual(['envelope.recipient-rejected']);
    expect(codesOf(explain('452 4.2.2 The email account that you tried to reach is over quota'))).toEqual(['envelope.mailbox-full']);
    expect(codesOf(explain('554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'))).toEqual(['reputation.ip-listed']);
  });

  it('credentials in pasted lines never reach the report', async () => {
    const line = 'Error: connect ECONNREFUSED smtp://bob:hunter2@smtp.example.com:587 password=hunter2 AUTH PLAIN AGJvYgBodW50ZXIy';
    const r = explain(line);
    expect(codesOf(r)).toEqual(['port.refused']);
    expect(JSON.stringify(r)).not.toMatch(/hunter2|AGJvYgBodW50ZXIy/);
    expect(r.findings[0]!.fix[0]).toBe('Next: run `sendcheck check --host smtp.example.com --port 587`.');
    const cli = await runCli(['explain', line]);
    expect(cli.stdout + cli.stderr).not.toMatch(/hunter2|AGJvYgBodW50ZXIy/);
  });

  it('nothing recognisable → explain.unrecognized, said plainly (not "nothing blocks sending"), exit 5', async () => {
    const r = explain('the printer is out of paper');
    expect(codesOf(r)).toEqual(['explain.unrecognized']);
    expect(r.verdict).toBe('unrecognized');
    for (const text of ['the printer is out of paper', 'hello world']) {
      const cli = await runCli(['explain', text]);
      expect(cli.code).toBe(5);
      expect(cli.stdout).toContain('NOTHING RECOGNISED');
      expect(cli.stdout).not.toMatch(/nothing blocks sending/i);
    }
  });
});

describe('explain: messages', () => {
  it('an RFC 3464 DSN with three recipients: mailbox full, spam, policy — one item per recipient', () => {
    expect(items('dsn-multi.eml')).toEqual([
      { code: 'envelope.mailbox-full', recipient: 'full@rcpt.example' },
      { code: 'envelope.message-rejected-spam', recipient: 'spam@rcpt.example' },
      { code: 'envelope.policy-rejected', recipient: 'policy@rcpt.example' },
    ]);
    const r = explain(fx('dsn-multi.eml'));
    codesOf(r);
    const spam = r.findings.find((f) => f.code === 'envelope.message-rejected-spam')!;
    expect(spam.evidence[0]).toMatchObject({ where: 'recipient spam@rcpt.example, remote MTA mx.rcpt.example, status 5.7.1' });
    expect(spam.fix[0]).toBe('Next: run `sendcheck domain sender.example`.');
  });

  it('SPF, DKIM, DMARC rejections and a delayed (expired) recipient', () => {
    const res = explainText(fx('dsn-auth.eml'));
    expect(res.items.map((i) => i.code)).toEqual(['dns.spf-fail', 'dns.dkim-fail', 'dns.dmarc-fail', 'delivery.expired']);
    expect(res.sender).toBe('bob@sender.example');
    recordCodes(explain(fx('dsn-auth.eml')).findings);
  });

  it('a feedback report (ARF) and an auto-reply are told apart from bounces', () => {
    expect(items('arf.eml')).toEqual([{ code: 'delivery.feedback-report', recipient: 'reader@provider.example' }]);
    expect(items('vacation.eml')).toEqual([{ code: 'delivery.auto-reply', recipient: 'carol@rcpt.example' }]);
    expect(explain(fx('vacation.eml')).verdict).toBe('ok');
  });
});

describe('explain: CLI and bad input', () => {
  it('file, stdin and argument give the same report', async () => {
    const a = await runCli(['explain', join(FIX, 'dsn-multi.eml'), '--json']);
    const b = await runCli(['explain', '-', '--json'], { input: fx('dsn-multi.eml') });
    expect(a.code).toBe(1);
    const ra = JSON.parse(a.stdout) as Report;
    const rb = JSON.parse(b.stdout) as Report;
    expect(codesOf(ra)).toEqual(codesOf(rb));
    const c = await runCli(['explain', '535-5.7.8 Username and Password not accepted']);
    expect(c.stdout).toContain('auth.credentials-rejected');
  });

  it('binary, truncated DSN, 50 MB, missing file, no argument: one line on stderr, exit 2', async () => {
    const dir = tempDir('explain');
    const bin = join(dir, 'x.bin');
    writeFileSync(bin, Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0xff, 0xfe, 1, 2, 3]));
    const big = join(dir, 'big.eml');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 'a'));
    const cases: [string[], RegExp, string?][] = [
      [['explain', bin], /binary data/],
      [['explain', join(FIX, 'truncated.eml')], /truncated/],
      [['explain', big], /larger than 10 MB/],
      [['explain', join(dir, 'nope.eml')], /no such file/],
      // digits in a path do not make it a reply text (a random temporary directory name once held "415")
      [['explain', join(dir, 'P415UU', 'nope.eml')], /no such file/],
      [['explain'], /nothing to explain/],
      [['explain', '-'], /binary data/, '\0\0\0\x01binary'],
    ];
    for (const [args, re, input] of cases) {
      const r = await runCli(args, { input });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    }
    let err: unknown;
    try {
      explain(fx('truncated.eml'));
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).toBe(true);
  });
});
