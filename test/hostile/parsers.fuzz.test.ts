// Property-based fuzzing of every parser that reads outside input (fast-check): SMTP replies (through the real
// line reader and reply reader), EHLO, explain input (text, logs, MIME/DSN), SPF and DMARC records, client
// configurations. Properties: no exception escapes except the typed ones (SmtpIoError, UserError); output bounded
// by the limits in src/net/limits.ts (asserted on counts, not on timings).
import { PassThrough } from 'node:stream';
import type net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDmarc } from '../../src/domain/dmarc.js';
import { parseSpfRecord } from '../../src/domain/spf.js';
import { UserError } from '../../src/errors.js';
import { parseBounce } from '../../src/explain/bounce.js';
import { explainText, findingsOf } from '../../src/explain/explain.js';
import { parseMime } from '../../src/explain/mime.js';
import { parseClientConfigText } from '../../src/input/client-config/parse.js';
import { LIMITS } from '../../src/net/limits.js';
import { SmtpConnection, SmtpIoError } from '../../src/net/smtp-connection.js';
import { TranscriptRecorder } from '../../src/net/transcript.js';
import { parseEhlo } from '../../src/probes/smtp-steps.js';

const RUNS = { numRuns: 150 };

/** Lines that look like SMTP some of the time: codes, continuations, junk, long runs. */
const replyLine = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom(' ', '-', ''), fc.string({ maxLength: 60 })).map(([c, sep, t]) => `${String(c).padStart(3, '0')}${sep}${t}`),
  fc.string({ maxLength: 80 }),
  fc.tuple(fc.constantFrom('250-', '220-', '.'), fc.integer({ min: 1, max: 6000 })).map(([p, n]) => `${p}${'x'.repeat(n)}`),
);
const replyStream = fc.tuple(fc.array(replyLine, { maxLength: 400 }), fc.constantFrom('\r\n', '\n'), fc.integer({ min: 1, max: 5000 }));

async function readOneReply(text: string, chunk: number): Promise<unknown> {
  const stream = new PassThrough();
  const conn = new SmtpConnection({ socket: stream as unknown as net.Socket, timeoutMs: 200, transcript: new TranscriptRecorder('fuzz') });
  const buf = Buffer.from(text, 'latin1');
  for (let i = 0; i < buf.length; i += chunk) stream.write(buf.subarray(i, i + chunk));
  stream.end();
  try {
    const r = await conn.readReply();
    expect(r.lines.length).toBeLessThanOrEqual(LIMITS.maxReplyLines);
    expect(r.lines.reduce((a, l) => a + l.length + 2, 0)).toBeLessThanOrEqual(LIMITS.maxReplyBytes + 2);
    expect(r.lines.every((l) => l.length <= LIMITS.maxLineBytes)).toBe(true);
    parseEhlo(r, 0);
    return r;
  } catch (e) {
    expect(e).toBeInstanceOf(SmtpIoError);
    return e;
  } finally {
    conn.destroy();
  }
}

const typedOnly = (fn: () => unknown) => {
  try {
    return fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return undefined;
  }
};

describe('fuzz: SMTP replies and EHLO', () => {
  it('any byte stream gives a bounded reply or an SmtpIoError', async () => {
    await fc.assert(fc.asyncProperty(replyStream, async ([lines, eol, chunk]) => {
      await readOneReply(lines.join(eol) + eol, chunk);
    }), RUNS);
  });
});

/** Text shaped like bounces and logs: headers, boundaries, addresses, codes, long runs of one character. */
const explainInput = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.array(fc.oneof(
    fc.constantFrom('From: MAILER-DAEMON@x.test', 'To: a@x.test', 'Subject: Undeliverable', 'Content-Type: multipart/report; report-type=delivery-status; boundary="-"', 'Content-Type: message/delivery-status', '---', '--', 'Final-Recipient: rfc822; b@y.test', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 no such user', '', '<script>', '<', '@', '5.5.5.', 'Content-Transfer-Encoding: base64', '=?utf-8?B?w6k=?='),
    fc.tuple(fc.constantFrom('.', '5.5.5.', 'a@a', '<', '-', '@.'), fc.integer({ min: 1, max: 3000 })).map(([s, n]) => s.repeat(n)),
    fc.string({ maxLength: 120 }),
  ), { maxLength: 200 }).map((ls) => ls.join('\n')),
);

describe('fuzz: explain (text, logs, MIME/DSN)', () => {
  it('explainText and findingsOf: a result or a UserError, bounded items and evidence', () => {
    fc.assert(fc.property(explainInput, (text) => {
      const r = typedOnly(() => explainText(text)) as ReturnType<typeof explainText> | undefined;
      if (!r) return;
      expect(r.items.length).toBeLessThanOrEqual(LIMITS.maxExplainItems);
      for (const f of findingsOf(r)) {
        expect(f.evidence.length).toBeLessThanOrEqual(22);
        expect(f.evidence.every((e) => e.text.length <= LIMITS.maxEvidenceChars + 60)).toBe(true);
      }
    }), RUNS);
  });

  it('parseMime and parseBounce never throw; parts stay within maxMimeParts', () => {
    const count = (p: ReturnType<typeof parseMime>): number => p.parts.length + p.parts.reduce((a, c) => a + count(c), 0);
    fc.assert(fc.property(explainInput, (text) => {
      expect(count(parseMime(text))).toBeLessThanOrEqual(LIMITS.maxMimeParts);
      const b = parseBounce(text);
      expect(b.recipients.length).toBeLessThanOrEqual(LIMITS.maxBounceRecipients + 1);
    }), RUNS);
  });
});

describe('fuzz: SPF and DMARC records', () => {
  const term = fc.oneof(fc.constantFrom('mx', 'a', 'all', '-all', '~all', 'include:', 'redirect=', 'exists:%{i}', 'ip4:', 'ip6:', 'exp=', 'ptr', '%{', '/', '//'), fc.string({ maxLength: 30 }));
  it('parseSpfRecord returns terms and errors for any record', () => {
    fc.assert(fc.property(fc.array(term, { maxLength: 40 }), (terms) => {
      const r = parseSpfRecord(`v=spf1 ${terms.join(' ')}`);
      expect(Array.isArray(r.terms) && Array.isArray(r.errors)).toBe(true);
    }), RUNS);
  });
  it('parseDmarc returns a status for any record', () => {
    const tag = fc.oneof(fc.constantFrom('p=reject', 'p=', 'sp=none', 'pct=200', 'rua=mailto:a@b', 'adkim=x', ';', '=', 'v=DMARC1'), fc.string({ maxLength: 30 }));
    fc.assert(fc.property(fc.array(tag, { maxLength: 30 }), (tags) => {
      expect(typeof parseDmarc(`v=DMARC1; ${tags.join('; ')}`).status).toBe('string');
    }), RUNS);
  });
});

describe('fuzz: client configurations', () => {
  const cfgLine = fc.oneof(
    fc.constantFrom('user_pref("mail.smtpserver.smtp1.hostname", "h.test");', 'user_pref("mail.smtpserver.smtp1.port", 99999);', 'account default', 'host smtp.x.test', 'port 587', 'tls on', 'set smtp_url = "smtps://u@h.test:465"', '[sendemail]', '\tsmtpServer = h.test', '{"host":"h.test","port":"x"}', 'SMTP_HOST=h.test', 'MAIL_PORT=', 'smtp://u:p@h.test:25', '"', '{', '['),
    fc.string({ maxLength: 60 }),
  );
  it('parseClientConfigText: accounts or a UserError for any text', () => {
    fc.assert(fc.property(fc.array(cfgLine, { maxLength: 60 }), (lines) => {
      const accounts = typedOnly(() => parseClientConfigText(lines.join('\n')));
      if (accounts) expect(Array.isArray(accounts)).toBe(true);
    }), RUNS);
  });
});
