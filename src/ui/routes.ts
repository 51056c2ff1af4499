// The page's API: one handler per action, JSON in, JSON (or a stream of JSON lines for a check) out. Handlers turn
// the form into the same inputs the CLI builds and call the same engine; the answer is rendered here, on the server.
import type http from 'node:http';
import { runCheck } from '../engine.js';
import { UserError } from '../errors.js';
import { runDomain } from '../domain/run.js';
import { explainToReport } from '../explain/explain.js';
import { discoverSettings } from '../input/discover.js';
import { buildTarget, type CheckInput } from '../input/parse.js';
import { validateAddress, validateTimeoutSeconds } from '../input/validate.js';
import { DnsResolver } from '../net/resolver.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import type { Report } from '../report/types.js';
import { escapeJsonControls, visible } from '../report/visible.js';
import type { ProgressEvent } from '../probes/context.js';
import { replayReport } from '../replay.js';
import { roundtripSettings, validateWaitSeconds } from '../input/roundtrip-options.js';
import { renderAnswer, subjectOf } from './answer.js';
import { finalPath, progressStep } from './path.js';
import { fill, STRINGS } from './strings.js';

export interface ApiError {
  code: string;
  message: string;
}

export interface RouteContext {
  body: Record<string, unknown>;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  ca?: string[];
  resolvers?: string[];
  /** Accounts with a check running now: one check of an account at a time (one click, one login). */
  running: Set<string>;
}

interface Route {
  maxBytes: number;
  handle(ctx: RouteContext): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
/** Form posts are small; a pasted bounce or a saved report may be larger. */
const FORM_BYTES = 16 * 1024;
const FILE_BYTES = 2 * 1024 * 1024;
/** Discovery (SRV, autoconfig over HTTPS, MX) gets this long before the page gives up on pre-filling. */
const DISCOVERY_MS = 15_000;

function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '' || v === false) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new UserError('invalid-value', `${key} must be text`);
  return String(v);
}

/** What the page shows for a report: the rendered answer, the path's final states and both downloads. */
export function resultOf(report: Report): Record<string, unknown> {
  return { html: renderAnswer(report), path: finalPath(report), json: renderJson(report), reportHtml: renderHtml(report), name: `sendcheck-${report.command}-${subjectOf(report) ?? 'report'}`.replace(/[^\w.@-]+/g, '_') };
}

function json(res: http.ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, JSON_HEADERS);
  res.end(escapeJsonControls(JSON.stringify(value)));
}

/** The check form → the CLI's CheckInput. Only fields the user filled in are passed: an address alone means discovery. */
export function checkInput(body: Record<string, unknown>, ctx: Pick<RouteContext, 'ca' | 'resolvers'>): CheckInput {
  const email = str(body, 'email');
  if (!email) throw new UserError('usage', STRINGS.errors.emailNeeded);
  const input: CheckInput = {
    target: validateAddress(email, 'email address'),
    host: str(body, 'host'),
    port: str(body, 'port'),
    security: str(body, 'security'),
    user: str(body, 'user'),
    password: str(body, 'password'),
    timeoutMs: str(body, 'timeout') ? validateTimeoutSeconds(str(body, 'timeout')!) : undefined,
    ca: ctx.ca,
    resolvers: ctx.resolvers,
  };
  if (str(body, 'roundtrip')) {
    const wait = str(body, 'wait') ? validateWaitSeconds(str(body, 'wait')!, 'wait') : undefined;
    input.options = { roundtrip: { imap: str(body, 'imap'), waitSeconds: wait } };
  }
  return input;
}

/** Whose login a check would use: the same account is never checked twice at once. */
export function accountKey(input: CheckInput): string {
  return (input.user ?? input.target ?? input.host ?? '').trim().toLowerCase();
}

async function check(ctx: RouteContext): Promise<void> {
  const input = checkInput(ctx.body, ctx);
  // Input errors (bad host, a round trip without a password) are a 400 before anything is sent.
  const partial = buildTarget(input);
  roundtripSettings({ ...partial, host: partial.host ?? '' });
  const key = accountKey(input);
  if (ctx.running.has(key)) return json(ctx.res, { error: { code: 'busy', message: STRINGS.errors.busy } }, 409);
  ctx.running.add(key);
  const abort = new AbortController();
  // The page went away (tab closed, reload): stop the run, so its sockets and the account's slot are freed.
  ctx.res.on('close', () => abort.abort());
  try {
    ctx.res.writeHead(200, { ...JSON_HEADERS, 'content-type': 'application/x-ndjson; charset=utf-8' });
    const line = (v: unknown) => ctx.res.write(`${escapeJsonControls(JSON.stringify(v))}\n`);
    line({ type: 'progress', steps: [{ node: 'device', state: 'active' }], text: STRINGS.progress.start });
    const report = await runCheck(input, {
      signal: abort.signal,
      onProgress: (e) => {
        const steps = progressStep(e);
        const text = progressText(e);
        // Each connection's start and end (the terminal's finer events) neither move the picture nor need a line.
        if (steps.length || text) line({ type: 'progress', steps, text });
      },
    });
    line({ type: 'result', ...resultOf(report) });
  } catch (e) {
    const message = e instanceof UserError ? e.message : STRINGS.errors.internal;
    ctx.res.write(`${JSON.stringify({ type: 'error', error: { code: e instanceof UserError ? e.code : 'internal', message } })}\n`);
  } finally {
    ctx.running.delete(key);
    ctx.res.end();
  }
}

/** A progress event in words (the strings table); stages not worth a line keep the previous text. */
export function progressText(e: ProgressEvent): string | undefined {
  const p = STRINGS.progress;
  if (e.type === 'roundtrip-wait') return fill(p.wait!, { elapsed: Math.round(e.elapsedMs / 1000), limit: Math.round(e.limitMs / 1000), folders: e.folders.join(', ') });
  if (e.type === 'target') return fill(e.foundBy ? p.targetFound! : p.target!, { host: visible(e.host), port: e.port, source: visible(e.foundBy ?? '') });
  if (e.type !== 'probe-start') return undefined;
  const words = p[e.probe];
  return words ? fill(words, { detail: visible(e.detail ?? '') }) : undefined;
}

async function discover(ctx: RouteContext): Promise<void> {
  const email = validateAddress(str(ctx.body, 'email') ?? '', 'email address');
  if (!email.includes('@')) throw new UserError('invalid-address', STRINGS.errors.emailNeeded);
  const resolver = new DnsResolver({ servers: ctx.resolvers ?? [], timeoutMs: 5000 });
  const d = await discoverSettings(email, resolver, { ca: ctx.ca, timeoutMs: 5000, signal: AbortSignal.timeout(DISCOVERY_MS) });
  // Host names and URLs from DNS or an autoconfig document are outside text: shown, never acted on.
  const pick = <T extends { host: string; port: number; security: string; source: string; detail: string }>(c: T | undefined) => (c ? { host: visible(c.host), port: c.port, security: c.security, source: c.source, detail: visible(c.detail) } : null);
  json(ctx.res, { email, domain: email.slice(email.lastIndexOf('@') + 1), submission: pick(d.submission[0]), imap: pick(d.imap[0]), candidates: d.submission.length });
}

async function domain(ctx: RouteContext): Promise<void> {
  const report = await runDomain({ domain: str(ctx.body, 'domain') ?? '', resolvers: ctx.resolvers });
  json(ctx.res, resultOf(report));
}

async function explain(ctx: RouteContext): Promise<void> {
  const text = str(ctx.body, 'text');
  if (!text) throw new UserError('usage', STRINGS.explain.text);
  json(ctx.res, resultOf(explainToReport(text)));
}

async function replay(ctx: RouteContext): Promise<void> {
  let saved: unknown;
  try {
    saved = JSON.parse(str(ctx.body, 'report') ?? '');
  } catch {
    throw new UserError('unsupported-format', STRINGS.errors.notAReport);
  }
  let result: Record<string, unknown>;
  try {
    result = resultOf(replayReport(saved));
  } catch (e) {
    // A file of the wrong shape is the user's, whatever part of it the replay or the rendering tripped over.
    throw e instanceof UserError ? e : new UserError('unsupported-format', STRINGS.errors.notACheckReport);
  }
  json(ctx.res, result);
}

export const ROUTES: Record<string, Route> = {
  '/api/check': { maxBytes: FORM_BYTES, handle: check },
  '/api/discover': { maxBytes: FORM_BYTES, handle: discover },
  '/api/domain': { maxBytes: FORM_BYTES, handle: domain },
  '/api/explain': { maxBytes: FILE_BYTES, handle: explain },
  '/api/replay': { maxBytes: FILE_BYTES, handle: replay },
};
