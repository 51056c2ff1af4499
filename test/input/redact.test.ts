// The redactor's rules (src/net/redact.ts), one by one: every form of a secret's bytes, scrub before cut, the
// start of a secret at a cut edge, short secrets withheld instead of searched for.
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/input/secret.js';
import { markAfterSecret, redactReport, Redactor, SAFE_SECRET_LENGTH, SCRUBBED, WITHHELD, withholdLine } from '../../src/net/redact.js';

const USER = 'carol@example.test';
const redactor = (password: string) => new Redactor({ user: USER, password: new Secret(password) });

describe('Redactor', () => {
  it('finds the secret in every form a server can give its bytes back in', () => {
    const pw = 'pässwörd-Ünï€';
    const bytes = Buffer.from(pw);
    const r = redactor(pw);
    const forms = [
      pw, bytes.toString('latin1'), bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'),
      bytes.toString('hex'), bytes.toString('hex').toUpperCase(), encodeURIComponent(pw), encodeURIComponent(pw).toLowerCase(),
      'p=C3=A4ssw=C3=B6rd-=C3=9Cn=C3=AF=E2=82=AC', Buffer.from(`\0${USER}\0${pw}`).toString('base64'),
      // inside a longer base64 payload, at each of the three alignments
      ...['a', 'ab', 'abc'].map((pre) => Buffer.from(`${pre}${pw}!`).toString('base64')),
    ];
    for (const f of forms) expect(r.scrub(`535 no: ${f} end`), f).not.toContain(f);
    expect(r.scrub(`535 no: ${pw}`)).toBe(`535 no: ${SCRUBBED}`);
  });

  it('scrubs before it cuts, and drops what could start a secret at the cut', () => {
    const pw = 'Eighteen-chars-pw!';
    const r = redactor(pw);
    const line = `${'x'.repeat(500)}${pw}${'y'.repeat(40)}`;
    const c = r.clip(line, 512);
    expect(c).toMatchObject({ cut: true, length: 548 });
    // What remains after [secret] may lose a character or two that some encoded form starts with.
    expect(c.text).toMatch(/^x{500}\[secret\]y{0,4}$/);
    // A server that sends only the first 17 characters: the cut at 20 would show 10 of them.
    expect(r.clip(`${'a'.repeat(10)}${pw.slice(0, 17)}`, 20).text).toBe('a'.repeat(10));
    expect(r.scrubCutEnd(`closed in the middle: ${pw.slice(0, 12)}`)).toBe('closed in the middle: ');
  });

  it('never searches for a short secret; withholds the words of replies after it, keeping code and status', () => {
    const r = redactor('wrong');
    expect('wrong'.length).toBeLessThan(SAFE_SECRET_LENGTH);
    expect(r.forms).toEqual([]);
    expect(r.scrub('a second wrong try')).toBe('a second wrong try');
    expect(r.afterSecret('5.7.8 bad password wrong\nsecond line')).toBe(`5.7.8 ${WITHHELD}\n${WITHHELD}`);
    expect(withholdLine('535-5.7.8 bad password wrong')).toBe(`535-5.7.8 ${WITHHELD}`);
    expect(withholdLine('-ERR [AUTH] bad password')).toBe(`-ERR [AUTH] ${WITHHELD}`);
    expect(withholdLine('A1 NO [AUTHENTICATIONFAILED] Invalid credentials')).toBe(`A1 NO [AUTHENTICATIONFAILED] ${WITHHELD}`);
    expect(withholdLine('535 5.7.8')).toBe('535 5.7.8');
  });

  it('on a finished report: a reply that followed a short secret is withheld wherever it is quoted, whole or cut; our words stay', () => {
    const line = '535 5.7.8 your password wrong was rejected for reasons';
    const reply = markAfterSecret({ code: 535, enhanced: '5.7.8', text: line.slice(4), lines: [line] });
    const evidence = [{ text: `AUTH PLAIN: ${line}` }, { text: `first words: ${line.slice(0, 30)}…` }, { text: 'a second wrong try can lock the account' }];
    const report = { facts: { session: { auth: { reply }, error: { code: 'auth-failed', response: reply.text } } }, findings: [{ evidence }], transcripts: [] };
    redactReport(report, redactor('wrong'));
    expect(evidence.map((e) => e.text)).toEqual([`AUTH PLAIN: 535 5.7.8 ${WITHHELD}`, `first words: 535 5.7.8 ${WITHHELD}…`, 'a second wrong try can lock the account']);
    expect(reply.lines).toEqual([`535 5.7.8 ${WITHHELD}`]);
    expect(report.facts.session.error).toEqual({ code: 'auth-failed', response: `5.7.8 ${WITHHELD}` });
  });

  it('a short reply after a short secret: its bare words are withheld where they stand alone, not inside our sentences', () => {
    const reply = markAfterSecret({ code: 535, text: 'no', lines: ['535 no'] });
    const evidence = [{ text: 'AUTH PLAIN: 535 no' }, { text: 'sendcheck does not send a second login' }];
    const report = { facts: { session: { auth: { reply }, error: { code: 'auth-failed', message: 'no reply before the timeout', response: 'no' } } }, findings: [{ evidence }], transcripts: [] };
    redactReport(report, redactor('ab'));
    expect(evidence.map((e) => e.text)).toEqual([`AUTH PLAIN: 535 ${WITHHELD}`, 'sendcheck does not send a second login']);
    expect(report.facts.session.error).toEqual({ code: 'auth-failed', message: 'no reply before the timeout', response: WITHHELD });
  });
});
