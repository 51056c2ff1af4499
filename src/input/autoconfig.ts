// Thunderbird-style autoconfig (the "config-v1.1.xml" document a domain publishes for mail clients):
// https://autoconfig.DOMAIN/mail/config-v1.1.xml and https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml.
// Fetched over HTTPS only (a plain-HTTP document could be forged on the path), with a size limit and a timeout.
// `hostMap` sends a host's requests to another address (tests serve the documents on loopback); when a map is
// given, hosts not in it are not fetched at all.
import { httpsGet, type HttpsGetError } from '../net/https.js';
import { LIMITS } from '../net/limits.js';
import type { AutoconfigResult, AutoconfigServer } from '../facts/discovery.js';
import type { SecurityMode } from '../facts/types.js';

export type { AutoconfigResult, AutoconfigServer };

export const MAX_AUTOCONFIG_BYTES = LIMITS.maxAutoconfigBytes;

export interface AutoconfigOptions {
  /** host → "ip:port" for tests (e.g. { "autoconfig.disc.test": "127.0.0.1:8443" }). */
  hostMap?: Record<string, string>;
  ca?: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Resolves a host name to one address through the run's resolver (--resolver), so the document comes from the
   * same DNS view as everything else; a name that does not resolve is not fetched. */
  resolve?: (host: string) => Promise<string | undefined>;
}


function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'i').exec(xml)?.[1]?.trim();
}

function socketType(v: string | undefined, port: number): SecurityMode {
  const s = (v ?? '').toUpperCase();
  if (s === 'SSL' || s === 'TLS') return 'implicit-tls';
  if (s === 'STARTTLS') return 'starttls';
  if (s === 'PLAIN') return 'none';
  return port === 465 || port === 993 ? 'implicit-tls' : 'starttls';
}

/** Parses a config-v1.1.xml document; placeholders (%EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%) are filled in. */
export function parseAutoconfig(xml: string, email: string): AutoconfigServer[] {
  const [local, domain] = [email.slice(0, email.lastIndexOf('@')), email.slice(email.lastIndexOf('@') + 1)];
  const fill = (v: string | undefined) => v?.replace(/%EMAILADDRESS%/g, email).replace(/%EMAILLOCALPART%/g, local).replace(/%EMAILDOMAIN%/g, domain);
  const out: AutoconfigServer[] = [];
  const re = /<(outgoingServer|incomingServer)\s+type="(\w+)"[^>]*>([\s\S]*?)<\/\1>/gi;
  for (const m of xml.matchAll(re)) {
    const kind = m[2]!.toLowerCase();
    if (kind !== 'smtp' && kind !== 'imap' && kind !== 'pop3') continue;
    const body = m[3]!;
    const host = fill(tag(body, 'hostname'))?.toLowerCase();
    const port = Number(tag(body, 'port'));
    if (!host || !/^[a-z0-9.-]+$/.test(host) || !(port > 0 && port < 65536)) continue;
    out.push({
      kind, host, port, security: socketType(tag(body, 'socketType'), port),
      username: fill(tag(body, 'username')),
      authentication: [...body.matchAll(/<authentication>([^<]*)<\/authentication>/gi)].map((a) => a[1]!.trim()),
    });
  }
  return out;
}

export function autoconfigUrls(domain: string, email: string): string[] {
  const q = `emailaddress=${encodeURIComponent(email)}`;
  return [`https://autoconfig.${domain}/mail/config-v1.1.xml?${q}`, `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml?${q}`];
}

async function fetchText(url: string, opts: AutoconfigOptions): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  let host = u.hostname;
  let port = Number(u.port || 443);
  const mapped = opts.hostMap?.[u.hostname.toLowerCase()];
  if (opts.hostMap && !mapped) throw new Error('not in the autoconfig host map');
  if (mapped) {
    const m = /^(.+):(\d+)$/.exec(mapped);
    host = (m?.[1] ?? mapped).replace(/^\[|\]$/g, '');
    port = m ? Number(m[2]) : 443;
  } else if (opts.resolve) {
    const addr = await opts.resolve(u.hostname);
    if (!addr) throw new Error(`${u.hostname} does not resolve`);
    host = addr;
  }
  try {
    return await httpsGet({
      address: host, port, servername: u.hostname, hostHeader: u.host, path: `${u.pathname}${u.search}`,
      userAgent: 'sendcheck (autoconfig)', ca: opts.ca, timeoutMs: opts.timeoutMs ?? 5000, maxBytes: MAX_AUTOCONFIG_BYTES, signal: opts.signal,
      // The socket timeout counts idle time only: a document trickled a byte at a time is bounded by the wall clock.
      deadlineMs: opts.timeoutMs ?? 5000,
    });
  } catch (e) {
    const err = e as HttpsGetError;
    if (err.kind === 'timeout') throw new Error('timed out');
    if (err.kind === 'deadline') throw new Error(`not complete within ${opts.timeoutMs ?? 5000} ms`);
    if (err.kind === 'too-large') throw new Error(`document larger than ${MAX_AUTOCONFIG_BYTES} bytes`);
    throw err;
  }
}

/** Tries both well-known URLs in parallel; returns what each gave (for the report) — never throws. */
export async function fetchAutoconfig(domain: string, email: string, opts: AutoconfigOptions = {}): Promise<AutoconfigResult[]> {
  return Promise.all(autoconfigUrls(domain, email).map(async (url): Promise<AutoconfigResult> => {
    try {
      const r = await fetchText(url, opts);
      if (r.status !== 200) return { url, ok: false, status: r.status, servers: [] };
      const servers = parseAutoconfig(r.body, email);
      return { url, ok: servers.length > 0, status: r.status, servers, error: servers.length ? undefined : 'no usable server in the document' };
    } catch (e) {
      return { url, ok: false, error: (e as Error).message, servers: [] };
    }
  }));
}
