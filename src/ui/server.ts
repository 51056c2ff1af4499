// The local web page's server: loopback only, the same engine as the CLI. It refuses requests whose Host
// header is not a loopback name (DNS rebinding) and cross-site form posts, and never logs the form.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCheck } from '../engine.js';
import { isUserError, UserError } from '../errors.js';
import { MAX_WAIT_SECONDS, roundtripSettings } from '../roundtrip/options.js';
import type { CheckInput } from '../input/parse.js';
import { validateTimeoutSeconds } from '../input/validate.js';
import { escapeHtml } from '../report/html.js';
import { buildTarget } from '../input/parse.js';
import { pageHalves, renderForm, renderPage, reportSection, type FormValues } from './page.js';

const MAX_BODY = 16 * 1024;
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

export interface UiServerOptions {
  port?: number;
  host?: string;
  /** Extra trusted CAs (PEM) and resolvers for every check run from the page. */
  ca?: string[];
  resolvers?: string[];
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('form too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

function send(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(html);
}

/** How often a waiting round trip adds a progress line to the page. */
const WAIT_LINE_EVERY_MS = 5000;

/**
 * A run that can take minutes (the round trip waits for its message): the page up to the report goes out at once,
 * then one line per step and one every few seconds of waiting, then the report. Input errors still get a 400
 * because they are found before anything is sent.
 */
async function streamRun(res: http.ServerResponse, input: CheckInput, values: FormValues): Promise<void> {
  const partial = buildTarget(input);
  roundtripSettings({ ...partial, host: partial.host ?? '' });
  const [head, tail] = pageHalves(renderForm(values));
  res.writeHead(200, PAGE_HEADERS);
  res.write(`${head}<div class="progress-log">\n`);
  let lastWaitLine = -Infinity;
  const line = (text: string) => res.write(`<p class="progress">… ${escapeHtml(text)}</p>\n`);
  try {
    const report = await runCheck(input, {
      onProgress: (e) => {
        if (e.type === 'probe-start') line(`${e.probe}${e.detail ? ` ${e.detail}` : ''}`);
        else if (e.type === 'roundtrip-wait' && e.elapsedMs - lastWaitLine >= WAIT_LINE_EVERY_MS) {
          lastWaitLine = e.elapsedMs;
          line(`waiting for the test message: ${Math.round(e.elapsedMs / 1000)} s of ${Math.round(e.limitMs / 1000)} s (${e.folders.join(', ')})`);
        }
      },
    });
    res.end(`</div>\n${reportSection(report)}${tail}`);
  } catch (e) {
    const message = isUserError(e) ? e.message : 'internal error: this is a bug in sendcheck';
    res.end(`</div>\n<p class="error" role="alert">${escapeHtml(message)}</p>${tail}`);
  }
}

export async function startUiServer(opts: UiServerOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) return send(res, 403, 'forbidden: this page answers only on a loopback address');
    if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) return send(res, 200, renderPage(renderForm()));
    if (req.method === 'POST' && req.url === '/check') {
      const origin = req.headers.origin;
      if (origin && !LOOPBACK_HOST.test(origin.replace(/^https?:\/\//, ''))) return send(res, 403, 'forbidden: cross-site request');
      let form: URLSearchParams;
      try {
        form = new URLSearchParams(await readBody(req));
      } catch {
        return send(res, 413, 'form too large');
      }
      const values: FormValues = Object.fromEntries(['host', 'port', 'security', 'user', 'from', 'to', 'timeout', 'roundtrip', 'imap', 'wait'].map((k) => [k, form.get(k) ?? undefined]));
      try {
        const input: CheckInput = {
          host: values.host || undefined,
          port: values.port || undefined,
          security: values.security || undefined,
          user: values.user || undefined,
          password: form.get('password') || undefined,
          from: values.from || undefined,
          to: values.to ? [values.to] : undefined,
          timeoutMs: values.timeout ? validateTimeoutSeconds(values.timeout) : undefined,
          ca: opts.ca,
          resolvers: opts.resolvers,
        };
        if (!input.user) delete input.password;
        if (values.roundtrip) {
          const wait = values.wait ? Number(values.wait) : undefined;
          if (wait !== undefined && !(wait >= 1 && wait <= MAX_WAIT_SECONDS)) throw new UserError('invalid-value', `wait must be between 1 and ${MAX_WAIT_SECONDS} seconds`);
          input.options = { roundtrip: { imap: values.imap || undefined, waitSeconds: wait } };
        }
        if (values.roundtrip) return await streamRun(res, input, values);
        const report = await runCheck(input);
        return send(res, 200, renderPage(renderForm(values), report));
      } catch (e) {
        if (isUserError(e)) return send(res, 400, renderPage(renderForm(values, e.message)));
        return send(res, 500, renderPage(renderForm(values, 'internal error: this is a bug in sendcheck')));
      }
    }
    send(res, 404, 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
