// The local web page's server: same engine, loopback only, its own origin only, bounded bodies, one run per
// account at a time, no secret echoed back.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaPem } from '../../src/lab/certs.js';
import { startRawServer, startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { startUiServer } from '../../src/ui/server.js';

let smtp: RunningServer;
let ui: { url: string; close(): Promise<void> };
let origin: string;
const auths: (string | undefined)[] = [];
beforeAll(async () => {
  smtp = await startScriptedSmtp({ mode: 'starttls', fault: 'app-password-required', onAuthAttempt: (u) => auths.push(u) });
  ui = await startUiServer({ ca: [demoCaPem()] });
  origin = ui.url.replace(/\/$/, '');
});
afterAll(async () => { await ui.close(); await smtp.close(); });

interface Answer { status: number; body: string; headers: http.IncomingHttpHeaders }
function request(path: string, opts: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
  const u = new URL(path, ui.url);
  return new Promise((resolve, reject) => {
    const req = http.request(u, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const api = (path: string, value: unknown, headers: Record<string, string> = {}) =>
  request(path, { method: 'POST', body: JSON.stringify(value), headers: { origin, 'content-type': 'application/json', ...headers } });
const form = (password = 'Page-Secret-123') => ({ email: 'demo@demo.test', host: '127.0.0.1', port: String(smtp.port), security: 'starttls', password, timeout: '2' });
/** The last line of a streamed check: the result or the error. */
const last = (body: string) => JSON.parse(body.trim().split('\n').pop()!);

describe('sendcheck serve', () => {
  it('serves the page with a strict CSP, its script and stylesheet from itself', async () => {
    const r = await request('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<main>');
    expect(r.body).toContain('name="viewport"');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(r.body).not.toMatch(/<script>(?!<)|<script(?![^>]*(src="\/app\.js"|type="application\/json"))/);
    expect(r.body).not.toMatch(/https?:\/\//);
    expect((await request('/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await request('/app.css')).headers['content-type']).toMatch(/css/);
  });

  it('runs a check, streams its progress and shows the root cause, without echoing the password', async () => {
    const r = await api('/api/check', form());
    expect(r.status).toBe(200);
    const lines = r.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'progress').length).toBeGreaterThan(3);
    const result = lines.at(-1);
    expect(result.type).toBe('result');
    expect(result.html).toContain('auth.app-password-required');
    expect(result.path.server).toBe('failed');
    expect(r.body).not.toContain('Page-Secret-123');
  });

  it('the fix names the settings a mail program shows, and flags only appear under "For the command line"', async () => {
    // SSL/TLS configured on a STARTTLS port: the answer says which setting to change, in a mail program's words.
    const r = last((await api('/api/check', { ...form(), security: 'implicit-tls' })).body);
    expect(r.html).toContain('Change these settings in your mail program');
    expect(r.html).toMatch(/<dt>Connection security<\/dt><dd>STARTTLS<\/dd>/);
    expect(r.html).toMatch(/<dt>Authentication<\/dt><dd>normal password<\/dd>/);
    const cli = r.html.indexOf('<summary>For the command line</summary>');
    expect(cli).toBeGreaterThan(0);
    expect(r.html.slice(0, cli)).not.toMatch(/(^|[\s(`>])--[a-z]/);
    expect(r.html.slice(cli)).toContain(`sendcheck check demo@demo.test --host 127.0.0.1 --port ${smtp.port} --security implicit-tls`);
  });

  it('bad input is a coded 400 before anything is sent', async () => {
    const r = await api('/api/check', { ...form(), host: 'bad host' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/not a valid host name/);
  });

  it('refuses a non-loopback Host header (DNS rebinding), another port, and any other origin', async () => {
    expect((await request('/', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await request('/', { headers: { host: '127.0.0.1:1' } })).status).toBe(403);
    for (const other of ['https://evil.example', 'http://localhost:9999', 'http://127.0.0.1:1', 'null']) {
      const r = await api('/api/check', form(), { origin: other });
      expect(r.status, other).toBe(403);
      expect(JSON.parse(r.body).error.code).toBe('forbidden-origin');
    }
    // No Origin at all (not a browser's POST) and a form post (no preflight needed) are refused as well.
    expect((await request('/api/check', { method: 'POST', body: JSON.stringify(form()), headers: { 'content-type': 'application/json' } })).status).toBe(403);
    expect((await request('/api/check', { method: 'POST', body: 'email=a%40b.test', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
  });

  it('an oversized body gets a coded 413, not a dropped connection', async () => {
    const big = JSON.stringify({ email: 'a@b.test', pad: 'x'.repeat(200 * 1024) });
    const r = await api('/api/check', JSON.parse(big));
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('too-large');
    // Without Content-Length (chunked), the same.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(new URL('/api/check', ui.url), { method: 'POST', headers: { origin, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      for (let i = 0; i < 40; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(chunked).toBe(413);
  });

  it('one run per account: a second concurrent check of the same account is refused, one login only', async () => {
    auths.length = 0;
    const [a, b] = await Promise.all([api('/api/check', form()), api('/api/check', form())]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = a.status === 409 ? a : b;
    expect(JSON.parse(refused.body).error.code).toBe('busy');
    expect(auths).toEqual(['demo@demo.test']);
    // Once finished, the account can be checked again.
    expect(last((await api('/api/check', form())).body).type).toBe('result');
  });

  it('explain, replay and domain answer with the rendered answer', async () => {
    const ex = await api('/api/explain', { text: '535 5.7.8 Username and Password not accepted.' });
    expect(ex.status).toBe(200);
    expect(JSON.parse(ex.body).html).toContain('auth.credentials-rejected');
    const saved = last((await api('/api/check', form())).body).json;
    const rp = await api('/api/replay', { report: saved });
    expect(rp.status).toBe(200);
    expect(JSON.parse(rp.body).html).toContain('auth.app-password-required');
    for (const bad of ['{', '{"schemaVersion":"1.0","target":{"host":1},"facts":{"speaks":"x"}}', '[]']) {
      const r = await api('/api/replay', { report: bad });
      expect(r.status, bad).toBe(400);
    }
    const dom = await api('/api/domain', { domain: 'bad domain' });
    expect(dom.status).toBe(400);
  });

  it('control characters from outside are made visible in the answer, and no raw one is on the wire', async () => {
    const r = await api('/api/explain', { text: '535 5.7.8 Authentication failed\x1b[8m hidden\x9d' });
    expect(r.body).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    const html = JSON.parse(r.body).html as string;
    expect(html).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(html).toContain('\\x1b[8m');
  });

  it('a page that goes away stops its run and frees the account', async () => {
    const silent = await startRawServer('silent');
    try {
      const body = JSON.stringify({ ...form(), port: String(silent.port), timeout: '20' });
      const gone = new AbortController();
      const first = fetch(new URL('/api/check', ui.url), { method: 'POST', body, headers: { origin, 'content-type': 'application/json' }, signal: gone.signal })
        .then(async (res) => { await res.body?.getReader().read(); return res.status; });
      expect(await first).toBe(200);
      // Still running (the server never greets, the timeout is 20 s): the account is taken.
      expect((await api('/api/check', { ...form(), port: String(silent.port), timeout: '20' })).status).toBe(409);
      gone.abort();
      // Well before the silent server's 20 s timeout, the same account can be checked again.
      await expect.poll(async () => (await api('/api/check', form())).status, { timeout: 5000 }).toBe(200);
    } finally {
      await silent.close();
    }
  });
});
