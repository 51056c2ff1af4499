// The local web page: same engine, loopback only, no secret echoed back.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaPem } from '../../src/lab/certs.js';
import { startScriptedSmtp, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { startUiServer } from '../../src/ui/server.js';

let smtp: RunningServer;
let ui: { url: string; close(): Promise<void> };
beforeAll(async () => {
  smtp = await startScriptedSmtp({ mode: 'starttls', fault: 'app-password-required' });
  ui = await startUiServer({ ca: [demoCaPem()] });
});
afterAll(async () => { await ui.close(); await smtp.close(); });

function request(path: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  const u = new URL(path, ui.url);
  return new Promise((resolve, reject) => {
    const req = http.request(u, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('sendcheck serve', () => {
  it('serves the form', async () => {
    const r = await request('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<form method="post" action="/check"');
  });

  it('runs a check and shows the root cause, without echoing the password', async () => {
    const body = new URLSearchParams({ host: '127.0.0.1', port: String(smtp.port), security: 'starttls', user: 'demo@demo.test', password: 'Page-Secret-123', timeout: '2' }).toString();
    const r = await request('/check', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(200);
    expect(r.body).toContain('auth.app-password-required');
    expect(r.body).not.toContain('Page-Secret-123');
  });

  it('bad input is shown as an error on the page', async () => {
    const r = await request('/check', { method: 'POST', body: 'host=bad%20host', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/not a valid host name/);
  });

  it('refuses a non-loopback Host header (DNS rebinding) and cross-site posts', async () => {
    expect((await request('/', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await request('/check', { method: 'POST', body: 'host=x', headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });
});
