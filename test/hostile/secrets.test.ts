// The standing hostile harness, secrets and control characters (docs/security.md): a server that echoes the
// password in every encoding and sends terminal control sequences, against every renderer. Deterministic cases for
// each item of issue 10 (non-ASCII and control-character passwords, the cut at 512 characters, catalog text never
// rewritten, short passwords), then a property test over random secrets.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { findingDef } from '../../src/findings/catalog.js';
import { demoCaPem } from '../../src/lab/certs.js';
import { startScriptedSmtp } from '../../src/lab/scripted-smtp.js';
import { replayReport } from '../../src/replay.js';
import { escapeHtml, renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { SAFE_SECRET_LENGTH, WITHHELD } from '../../src/net/redact.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { Report } from '../../src/report/types.js';
import { visible } from '../../src/report/visible.js';
import { ECHO, startEchoMailbox, startEchoServer, type EchoServer } from '../helpers/echo-server.js';
import { runCli } from '../helpers/cli.js';
import { recordCodes } from '../helpers/findings.js';
import { tempDir } from '../helpers/tmp.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const USER = 'demo@demo.test';
const servers: { close(): Promise<void> }[] = [];
afterAll(async () => { await Promise.all(servers.map((s) => s.close())); });

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEchoServer();
  servers.push(echo);
});

/** Every form of the password's bytes, computed here independently of src/net/redact.ts. */
function formsOf(pw: string): string[] {
  const bytes = Buffer.from(pw, 'utf8');
  const latin1 = bytes.toString('latin1');
  const b64 = bytes.toString('base64');
  const qp = [...bytes].map((b) => ((b >= 33 && b <= 126 && b !== 61) || b === 32 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return [
    pw, latin1, Buffer.from(latin1, 'utf8').toString('latin1'),
    b64, b64.replace(/=+$/, ''), bytes.toString('base64url'), Buffer.from(`\0${USER}\0${pw}`).toString('base64'),
    bytes.toString('hex'), bytes.toString('hex').toUpperCase(), encodeURIComponent(pw), qp,
  ];
}

/** How a string looks in each output: as is, with controls made visible (terminal, HTML), escaped in JSON. */
function shownAs(f: string): string[] {
  return [...new Set([f, visible(f), escapeHtml(f), JSON.stringify(f).slice(1, -1), JSON.stringify(visible(f)).slice(1, -1)])];
}

/** The outputs a user sees: terminal (colour, verbose), JSON, HTML. */
function outputs(r: Report): Record<string, string> {
  return { terminal: renderTerminal(r, { verbose: true, color: true }), json: renderJson(r), html: renderHtml(r) };
}

/** Raw control characters other than our own newlines and colour codes. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
function assertNoRawControl(out: Record<string, string>): void {
  for (const [name, text] of Object.entries(out)) {
    const bare = name === 'terminal' ? text.replace(/\x1b\[\d+m/g, '') : text;
    expect(RAW_CONTROL.exec(bare)?.[0], `${name} carries a raw control character`).toBeUndefined();
  }
}

/** Each output shows these texts (the visible or escaped forms of what the server sent). */
function expectShown(out: Record<string, string>, shown: Record<string, string[]>): void {
  for (const [name, texts] of Object.entries(shown)) for (const t of texts) expect(out[name], `${name} shows ${t}`).toContain(t);
}

function assertNoSecret(pw: string, out: Record<string, string>): void {
  const forms = formsOf(pw);
  // The 512-character cut must not leave the start of the password behind either (issue 10, item 2).
  const latin1 = Buffer.from(pw, 'utf8').toString('latin1');
  for (let k = SAFE_SECRET_LENGTH; k < latin1.length; k++) forms.push(latin1.slice(0, k));
  for (const [name, text] of Object.entries(out)) {
    for (const f of forms) for (const s of shownAs(f)) expect(text.includes(s), `${name} shows a form of the secret: ${JSON.stringify(s)}`).toBe(false);
  }
}

async function checkAgainstEcho(password: string, mechanisms: string[] = ['PLAIN'], server = echo): Promise<Report> {
  const r = await runCheck({ host: '127.0.0.1', port: server.port, security: 'implicit-tls', sweepPorts: [server.port], ca: [demoCaPem()], timeoutMs: 2000, user: USER, password, mechanisms, from: USER, to: ['x@elsewhere.test'] });
  recordCodes(r.findings);
  return r;
}

describe('a server that echoes the password in every encoding', () => {
  it('a non-ASCII password: no decoding or encoding of its bytes reaches any output (item 1)', async () => {
    const pw = 'pässwörd-Ünï€';
    for (const mechanisms of [['PLAIN'], ['LOGIN']]) {
      const r = await checkAgainstEcho(pw, mechanisms);
      expect(r.facts.session?.auth?.attempted).toBe(true);
      const out = outputs(r);
      assertNoSecret(pw, out);
      expect(out.json).toContain(`${ECHO}[secret]]`);
    }
  });

  it('a password with control characters: scrubbed before the controls are made visible (item 1)', async () => {
    const pw = 'Sup3r\x1bSecret\x01Pass\x7fword';
    const r = await checkAgainstEcho(pw);
    const out = outputs(r);
    assertNoSecret(pw, out);
    assertNoRawControl(out);
  });

  it('the 512-character transcript cut happens after scrubbing and leaves no start of the password (item 2)', async () => {
    const pw = 'Eighteen-chars-pw!';
    const r = await checkAgainstEcho(pw);
    const cutLine = r.transcripts.flatMap((t) => t.lines).find((l) => l.text.includes('xxxxxxxxxx'))!;
    expect(cutLine.text).toMatch(/x\[secret\]y+… \(\d+ chars\)$/);
    assertNoSecret(pw, outputs(r));
  });

  it('a password that is a word of the advice: the catalog text is never rewritten (item 3)', async () => {
    const s = await startScriptedSmtp({ mode: 'implicit-tls', fault: 'app-password-required', user: USER, password: 'other' });
    servers.push(s);
    const r = await runCheck({ host: '127.0.0.1', port: s.port, security: 'implicit-tls', sweepPorts: [s.port], ca: [demoCaPem()], timeoutMs: 2000, user: USER, password: 'password' });
    recordCodes(r.findings);
    const rc = r.rootCause!;
    expect(rc.code).toBe('auth.app-password-required');
    const def = findingDef(rc.code);
    expect(rc.title).toBe(def.title);
    expect(rc.explanation).toBe(def.explanation);
    expect(rc.fix.join(' ')).toMatch(/app password/);
    expect(renderTerminal(r)).not.toMatch(/app \[secret\]/);
    expect(rc.evidence.some((e) => e.text.includes('a second wrong try can lock the account'))).toBe(true);
  });

  it('a password too short to scrub: the replies after it are withheld, code and status kept, our words intact (item 3)', async () => {
    for (const pw of ['wrong', 'a', 'ab\x1b']) {
      const r = await checkAgainstEcho(pw);
      const out = outputs(r);
      for (const [name, text] of Object.entries(out)) expect(text.includes(ECHO), `${name} shows a reply that followed the password`).toBe(false);
      assertNoRawControl(out);
      const rc = r.rootCause!;
      expect(rc.code).toBe('auth.credentials-rejected');
      expect(rc.evidence[0]!.text).toContain(`535-5.7.8 ${WITHHELD}`);
      expect(rc.evidence.some((e) => e.text.includes('a second wrong try can lock the account'))).toBe(true);
      expect(r.facts.session?.auth?.reply).toMatchObject({ code: 535, enhanced: '5.7.8' });
      expect(out.terminal).toContain(WITHHELD);
    }
  });

  it('accepted, then echoed in the envelope replies too; through the CLI as well', async () => {
    const ok = await startEchoServer({ accept: true });
    servers.push(ok);
    const pw = 'Ünï-accepted-€-pw';
    const r = await checkAgainstEcho(pw, ['PLAIN'], ok);
    expect(r.facts.session?.auth?.accepted).toBe(true);
    assertNoSecret(pw, outputs(r));
    const cli = await runCli(['check', '--host', '127.0.0.1', '--port', String(ok.port), '--ports', String(ok.port), '--security', 'implicit-tls', '--ca', caFile(), '--user', USER, '--password-stdin', '--from', USER, '--to', 'x@elsewhere.test', '--verbose', '--timeout', '2'], { input: pw });
    assertNoSecret(pw, { stdout: cli.stdout, stderr: cli.stderr });
    assertNoRawControl({ stdout: cli.stdout, stderr: cli.stderr });
    const json = await runCli(['check', '--host', '127.0.0.1', '--port', String(ok.port), '--ports', String(ok.port), '--security', 'implicit-tls', '--ca', caFile(), '--user', USER, '--json', '--timeout', '2'], { env: { SENDCHECK_PASSWORD: pw } });
    assertNoSecret(pw, { json: json.stdout });
    assertNoRawControl({ json: json.stdout });
  });
});

describe('the round trip\'s mailbox login (POP3, IMAP) echoing the password', () => {
  for (const protocol of ['pop3', 'imap'] as const) {
    it(`${protocol}: the refusal's words are scrubbed (long password) or withheld (short), controls made visible`, async () => {
      const mailbox = await startEchoMailbox(protocol);
      servers.push(mailbox);
      for (const pw of ['Mailbox-pässwörd-€', 'short']) {
        const smtp = await startScriptedSmtp({ mode: 'implicit-tls', user: USER, password: pw });
        servers.push(smtp);
        const r = await runCheck({
          host: '127.0.0.1', port: smtp.port, security: 'implicit-tls', sweepPorts: [], ca: [demoCaPem()], timeoutMs: 2500, user: USER, password: pw,
          options: { roundtrip: { [protocol]: `127.0.0.1:${mailbox.port}`, imapSecurity: 'implicit-tls', waitSeconds: 5 }, domain: false, network: { noReference: true } },
        });
        recordCodes(r.findings);
        expect(r.facts.roundtrip?.imap.outcome).toBe('rejected');
        const out = outputs(r);
        assertNoRawControl(out);
        if (pw.length >= SAFE_SECRET_LENGTH) assertNoSecret(pw, out);
        else for (const [name, text] of Object.entries(out)) expect(text.includes(ECHO), `${name} shows the mailbox's reply to the login`).toBe(false);
      }
      expect(mailbox.authAttempts).toBe(2);
    }, 30_000);
  }
});

describe('control characters from outside are shown, never acted on (item 10)', () => {
  it('ESC, C1 (CSI, OSC, ST) and DEL from the server: visible in terminal, transcript and HTML, escaped in JSON', async () => {
    const r = await checkAgainstEcho('long-enough-password');
    const out = outputs(r);
    assertNoRawControl(out);
    expectShown(out, { terminal: ['\\x1b[8mhidden', '\\x9b31m', '\\x9d0;pwned\\x9c'], html: ['\\x9b31m'], json: ['\\u009b31m'] });
    // The data is unchanged: a JSON reader gets the server's characters back.
    expect(JSON.stringify(JSON.parse(out.json).facts.session.greeting.reply.lines)).toContain('\\u001b[8m');
  });

  it('a saved report with raw controls and bidi overrides, replayed: every renderer shows them visibly', async () => {
    const r = await checkAgainstEcho('long-enough-password');
    const saved = JSON.parse(renderJson(r)) as Report;
    const evil = 'evil \x1b]8;;http://x.test\x07link\x1b]8;;\x07 \u202egnp.exe \u2066x\u2069 \x9b2J';
    saved.facts.session!.greeting!.reply.lines[0] = `220 ${evil}`;
    saved.transcripts[0]!.lines.push({ t: 1, dir: 'received', text: evil });
    const replayed = replayReport(saved);
    const out = outputs(replayed);
    assertNoRawControl(out);
    expectShown(out, { terminal: ['\\u202egnp.exe', '\\x1b]8;;http://x.test\\x07link'], html: ['\\u2066x\\u2069'], json: ['\\u202egnp.exe'] });
  });
});

describe('property: for any password, no form of it and no raw control character in any output', () => {
  const ascii = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~'];
  const nonAscii = ['ä', 'ö', 'Ü', 'ß', 'é', '€', '中', '文', 'Ж', '😀', '\u00a0'];
  const controls = ['\x01', '\x07', '\x1b', '\x7f', '\t'];
  const char = fc.oneof({ arbitrary: fc.constantFrom(...ascii), weight: 6 }, { arbitrary: fc.constantFrom(...nonAscii), weight: 2 }, { arbitrary: fc.constantFrom(...controls), weight: 1 });
  const secret = (minLength: number, maxLength: number) => fc.array(char, { minLength, maxLength }).map((a) => a.join(''));

  it('long enough to scrub: every encoding of it is replaced wherever a server put it', async () => {
    await fc.assert(
      fc.asyncProperty(secret(SAFE_SECRET_LENGTH, 40).filter((s) => new Set(s).size >= 5), fc.constantFrom('PLAIN', 'LOGIN'), async (pw, mechanism) => {
        const r = await checkAgainstEcho(pw, [mechanism]);
        expect(r.facts.session?.auth?.attempted).toBe(true);
        const out = outputs(r);
        assertNoSecret(pw, out);
        assertNoRawControl(out);
      }),
      { numRuns: 30 },
    );
  }, 120_000);

  it('too short to scrub: every reply after it is withheld', async () => {
    await fc.assert(
      fc.asyncProperty(secret(1, SAFE_SECRET_LENGTH - 1).filter((s) => s.length < SAFE_SECRET_LENGTH), async (pw) => {
        const r = await checkAgainstEcho(pw);
        const out = outputs(r);
        for (const text of Object.values(out)) expect(text.includes(ECHO)).toBe(false);
        assertNoRawControl(out);
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});

let caPath: string | undefined;
function caFile(): string {
  if (caPath) return caPath;
  caPath = join(tempDir('hostile-secrets'), 'ca.pem');
  writeFileSync(caPath, demoCaPem());
  return caPath;
}
