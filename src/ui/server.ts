// The local web page's server: loopback only, the same engine as the CLI. It answers only requests addressed to a
// loopback name on its own port (DNS rebinding), accepts API calls only from its own origin as JSON (another local
// web app cannot start checks or logins through it), bounds every body with a coded 413, and never logs a form.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUserError } from '../errors.js';
import { readPackageFile } from '../package-files.js';
import { fill, STRINGS } from './strings.js';
import { renderPage } from './page.js';
import { ROUTES, type ApiError, type RouteContext } from './routes.js';

export interface UiServerOptions {
  port?: number;
  host?: string;
  /** Extra trusted CAs (PEM) and resolvers for every check run from the page. */
  ca?: string[];
  resolvers?: string[];
}

const LOOPBACK_NAME = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
const COMMON_HEADERS = {
  'content-security-policy': CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The page's script and stylesheet: shipped files (assets/web/), like the data tables. */
const asset = (name: string) => readPackageFile(`assets/web/${name}`);
const ASSETS: Record<string, { type: string; body: () => string }> = {
  '/app.js': { type: 'text/javascript; charset=utf-8', body: () => asset('app.js') },
  '/app.css': { type: 'text/css; charset=utf-8', body: () => asset('app.css') },
};

function send(res: http.ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': type, ...extra });
  res.end(body);
}

export function sendError(res: http.ServerResponse, status: number, error: ApiError, extra: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify({ error }), extra);
}

/** The Host header if it names a loopback address on this server's own port. */
function ownHost(req: http.IncomingMessage, port: number): string | undefined {
  const host = req.headers.host ?? '';
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!m || !LOOPBACK_NAME.test(m[1]!) || Number(m[2] ?? 80) !== port) return undefined;
  return host.toLowerCase();
}

/**
 * Reads a body of at most `limit` bytes. Past the limit the rest is read and dropped (up to a hard cap) so the
 * client gets its 413 instead of a reset connection; past the hard cap the connection is closed.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<string | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const hardCap = limit * 4 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    let size = 0;
    let over = declared > limit;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (!over) chunks.push(c);
      if (size > hardCap) req.destroy();
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => (over ? resolve('too-large') : undefined));
  });
}

export async function startUiServer(opts: UiServerOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const running = new Set<string>();
  let port = 0;
  const server = http.createServer(async (req, res) => {
    const host = ownHost(req, port);
    if (!host) return sendError(res, 403, { code: 'forbidden-host', message: STRINGS.errors.forbiddenHost });
    const path = (req.url ?? '/').replace(/\?.*$/, '');
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/') return send(res, 200, 'text/html; charset=utf-8', renderPage());
      const a = ASSETS[path];
      if (a) return send(res, 200, a.type, a.body());
      return sendError(res, 404, { code: 'not-found', message: STRINGS.errors.notFound });
    }
    const route = req.method === 'POST' ? ROUTES[path] : undefined;
    if (!route) return sendError(res, 404, { code: 'not-found', message: STRINGS.errors.notFound });
    // Browsers send Origin on every POST; only this page's own origin may start anything.
    if (req.headers.origin !== `http://${host}`) return sendError(res, 403, { code: 'forbidden-origin', message: STRINGS.errors.forbiddenOrigin });
    // JSON only: a cross-site form cannot send it without a preflight, which this server never grants.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendError(res, 415, { code: 'not-json', message: STRINGS.errors.notJson });
    const raw = await readBody(req, route.maxBytes).catch(() => undefined);
    if (raw === undefined) return;
    if (raw === 'too-large') return sendError(res, 413, { code: 'too-large', message: fill(STRINGS.errors.tooLarge, { limit: Math.round(route.maxBytes / 1024) }) }, { connection: 'close' });
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return sendError(res, 400, { code: 'not-json', message: STRINGS.errors.notJson });
    }
    const ctx: RouteContext = { body, req, res, ca: opts.ca, resolvers: opts.resolvers, running };
    try {
      await route.handle(ctx);
    } catch (e) {
      if (res.headersSent) return void res.end();
      if (isUserError(e)) return sendError(res, 400, { code: e.code, message: e.message });
      sendError(res, 500, { code: 'internal', message: STRINGS.errors.internal });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const a = server.address() as AddressInfo;
  port = a.port;
  return {
    url: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/`,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

export { COMMON_HEADERS };
