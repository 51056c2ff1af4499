// One HTTPS GET for the small documents a run fetches (a domain's autoconfig document, its MTA-STS policy): to an
// address we resolved ourselves, verified against the run's trust store (net/trust.ts: the system roots plus --ca),
// with a socket timeout, an optional deadline for the whole fetch and a size limit. No connection pooling: a pooled
// socket would carry one trust store's verdict over to a request made with another.
import { request as plainRequest } from 'node:http';
import { request } from 'node:https';
import { secureContextFor } from './trust.js';

export type HttpsGetFailure = 'timeout' | 'deadline' | 'too-large' | 'network';

export class HttpsGetError extends Error {
  constructor(readonly kind: HttpsGetFailure, message: string, readonly code?: string) {
    super(message);
  }
}

export interface HttpsGetOptions {
  /** The address to connect to (resolved through the run's resolver, or a test's host map). */
  address: string;
  port: number;
  /** The name the certificate must carry (SNI). */
  servername: string;
  /** The Host header (defaults to servername). */
  hostHeader?: string;
  path: string;
  userAgent: string;
  ca?: readonly string[];
  /** No byte for this long: 'timeout'. */
  timeoutMs: number;
  /** The whole fetch, so a server that drips bytes cannot hold us: 'deadline'. */
  deadlineMs?: number;
  /** More body than this: 'too-large'. */
  maxBytes: number;
  signal?: AbortSignal;
  /** Plain HTTP, no TLS (an autoconfig document's unauthenticated fallback, a test's ISP database). */
  plain?: boolean;
}

/** The status and, for a 200, the body as UTF-8; anything else rejects with an HttpsGetError. */
export function httpsGet(o: HttpsGetOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      fn();
    };
    const fail = (kind: HttpsGetFailure, message: string, code?: string) => settle(() => reject(new HttpsGetError(kind, message, code)));
    const deadline = o.deadlineMs ? setTimeout(() => { req.destroy(); fail('deadline', `took longer than ${o.deadlineMs} ms`); }, o.deadlineMs) : undefined;
    const common = { host: o.address, port: o.port, path: o.path, method: 'GET', headers: { host: o.hostHeader ?? o.servername, 'user-agent': o.userAgent }, timeout: o.timeoutMs, signal: o.signal, agent: false as const };
    const req = (o.plain ? plainRequest : request)(o.plain ? common : {
      ...common, servername: o.servername,
      // https passes secureContext through to tls.connect; its RequestOptions type does not list it.
      ...({ secureContext: secureContextFor(o.ca ? [...o.ca] : undefined) } as object),
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        settle(() => resolve({ status, body: '' }));
        return;
      }
      let size = 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) {
          req.destroy();
          fail('too-large', `larger than ${o.maxBytes} bytes`);
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => settle(() => resolve({ status, body: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', (e: NodeJS.ErrnoException) => fail('network', e.message, e.code));
    });
    req.on('timeout', () => { req.destroy(); fail('timeout', `no answer within ${o.timeoutMs} ms`); });
    req.on('error', (e: NodeJS.ErrnoException) => fail('network', e.message, e.code));
    req.end();
  });
}
