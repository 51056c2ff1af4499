// Thunderbird-style autoconfig (the "config-v1.1.xml" document a domain publishes for mail clients), from three places,
// as Thunderbird looks: https://autoconfig.DOMAIN/mail/config-v1.1.xml and
// https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml; Thunderbird's ISP database (ISPDB,
// https://autoconfig.thunderbird.net/v1.1/DOMAIN, base URL configurable); and http://autoconfig.DOMAIN/… over plain
// HTTP, recorded as unauthenticated (anyone on the path could have written it; discovery uses it only when no HTTPS
// document named a server). Each fetch has a size limit and a timeout. Documents are read with an XML parser
// (fast-xml-parser): namespace prefixes, CDATA, comments and attribute order do not change what is found.
// `hostMap` sends a host's requests to another address (tests serve the documents on loopback); when a map is
// given, hosts not in it (and not IP literals) are not fetched at all.
import { isIP } from 'node:net';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { HttpsGetError } from '../net/https.js';
import type { RunIo } from '../net/io.js';
import { LIMITS } from '../net/limits.js';
import type { AutoconfigResult, AutoconfigServer } from '../facts/discovery.js';
import type { SecurityMode } from '../facts/types.js';

export type { AutoconfigResult, AutoconfigServer };

/** Thunderbird's ISP database (https://github.com/thunderbird/autoconfig), queried as BASE + DOMAIN. */
export const DEFAULT_ISPDB_URL = 'https://autoconfig.thunderbird.net/v1.1/';

export const MAX_AUTOCONFIG_BYTES = LIMITS.maxAutoconfigBytes;

export interface AutoconfigOptions {
  /** host → "ip:port" for tests (e.g. { "autoconfig.disc.test": "127.0.0.1:8443" }); a key "http://HOST" maps the
   * plain-HTTP fetch of that host. */
  hostMap?: Record<string, string>;
  /** Base URL of the ISP database (default DEFAULT_ISPDB_URL); false: do not ask it. */
  ispdb?: string | false;
  /** Also fetch the domain's document over plain HTTP (default true). */
  plainHttp?: boolean;
  /** The run's HTTPS fetch (its trust store: the system roots plus any --ca), through the I/O seam. */
  fetch: RunIo['https'];
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Resolves a host name to one address through the run's resolver (--resolver), so the document comes from the
   * same DNS view as everything else; a name that does not resolve is not fetched. */
  resolve?: (host: string) => Promise<string | undefined>;
}


function socketType(v: string | undefined, port: number): SecurityMode {
  const s = (v ?? '').toUpperCase();
  if (s === 'SSL' || s === 'TLS') return 'implicit-tls';
  if (s === 'STARTTLS') return 'starttls';
  if (s === 'PLAIN') return 'none';
  return port === 465 || port === 993 ? 'implicit-tls' : 'starttls';
}

const XML = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false,
  // No entity expansion: a hostile document cannot grow (and host names have no entities).
  processEntities: false, trimValues: true,
  isArray: (name) => ['emailProvider', 'incomingServer', 'outgoingServer', 'authentication'].includes(name),
});

type XmlNode = Record<string, unknown>;
const isNode = (v: unknown): v is XmlNode => !!v && typeof v === 'object' && !Array.isArray(v);
/** An element's text (CDATA included), whether the parser gave a string or a node with attributes and `#text`. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (isNode(v) && typeof v['#text'] === 'string') return v['#text'].trim();
  return undefined;
}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Why a document is not well-formed XML, or undefined when it is. */
export function xmlProblem(xml: string): string | undefined {
  const r = XMLValidator.validate(xml);
  return r === true ? undefined : `not well-formed XML (line ${r.err.line}: ${r.err.msg})`;
}

/** Parses a config-v1.1.xml document; placeholders (%EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%) are filled in. */
export function parseAutoconfig(xml: string, email: string): AutoconfigServer[] {
  const [local, domain] = [email.slice(0, email.lastIndexOf('@')), email.slice(email.lastIndexOf('@') + 1)];
  const fill = (v: string | undefined) => v?.replace(/%EMAILADDRESS%/g, email).replace(/%EMAILLOCALPART%/g, local).replace(/%EMAILDOMAIN%/g, domain);
  let doc: XmlNode;
  try {
    doc = XML.parse(xml) as XmlNode;
  } catch {
    return [];
  }
  const root = isNode(doc.clientConfig) ? doc.clientConfig : {};
  const out: AutoconfigServer[] = [];
  for (const provider of list(root.emailProvider).filter(isNode)) {
    for (const server of [...list(provider.outgoingServer), ...list(provider.incomingServer)].filter(isNode)) {
      const kind = String(server['@type'] ?? '').toLowerCase();
      if (kind !== 'smtp' && kind !== 'imap' && kind !== 'pop3') continue;
      const host = fill(text(server.hostname))?.toLowerCase();
      const port = Number(text(server.port));
      if (!host || !/^[a-z0-9.-]+$/.test(host) || !(Number.isInteger(port) && port > 0 && port < 65536)) continue;
      out.push({
        kind, host, port, security: socketType(text(server.socketType), port),
        username: fill(text(server.username)),
        authentication: list(server.authentication).map(text).filter((a): a is string => !!a),
      });
    }
  }
  // Outgoing first, in document order, as the regex reader gave them.
  return [...out.filter((x) => x.kind === 'smtp'), ...out.filter((x) => x.kind !== 'smtp')];
}

/** One document to fetch: where, and what kind of source it is. */
export interface AutoconfigSource {
  url: string;
  source: NonNullable<AutoconfigResult['source']>;
}

/** Every document discovery asks for, best first: the domain's over HTTPS, the ISP database, the domain's over HTTP. */
export function autoconfigSources(domain: string, email: string, opts: Pick<AutoconfigOptions, 'ispdb' | 'plainHttp'> = {}): AutoconfigSource[] {
  const q = `emailaddress=${encodeURIComponent(email)}`;
  const out: AutoconfigSource[] = [
    { url: `https://autoconfig.${domain}/mail/config-v1.1.xml?${q}`, source: 'autoconfig' },
    { url: `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml?${q}`, source: 'autoconfig' },
  ];
  if (opts.ispdb !== false) out.push({ url: `${opts.ispdb ?? DEFAULT_ISPDB_URL}${encodeURIComponent(domain)}`, source: 'ispdb' });
  if (opts.plainHttp !== false) out.push({ url: `http://autoconfig.${domain}/mail/config-v1.1.xml?${q}`, source: 'autoconfig-http' });
  return out;
}

export function autoconfigUrls(domain: string, email: string): string[] {
  return autoconfigSources(domain, email, { ispdb: false, plainHttp: false }).map((s) => s.url);
}

async function fetchText(url: string, opts: AutoconfigOptions): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const plain = u.protocol === 'http:';
  let host = u.hostname.replace(/^\[|\]$/g, '');
  let port = Number(u.port || (plain ? 80 : 443));
  const mapped = opts.hostMap?.[`${plain ? 'http://' : ''}${u.hostname.toLowerCase()}`];
  if (opts.hostMap && !mapped && !isIP(host)) throw new Error('not in the autoconfig host map');
  if (mapped) {
    const m = /^(.+):(\d+)$/.exec(mapped);
    host = (m?.[1] ?? mapped).replace(/^\[|\]$/g, '');
    port = m ? Number(m[2]) : port;
  } else if (opts.resolve && !isIP(host)) {
    const addr = await opts.resolve(u.hostname);
    if (!addr) throw new Error(`${u.hostname} does not resolve`);
    host = addr;
  }
  try {
    return await opts.fetch({
      address: host, port, servername: u.hostname, hostHeader: u.host, path: `${u.pathname}${u.search}`,
      userAgent: 'sendcheck (autoconfig)', timeoutMs: opts.timeoutMs ?? 5000, maxBytes: MAX_AUTOCONFIG_BYTES, signal: opts.signal, plain,
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

/** Fetches every source in parallel; returns what each gave (for the report), never throws. */
export async function fetchAutoconfig(domain: string, email: string, opts: AutoconfigOptions): Promise<AutoconfigResult[]> {
  return Promise.all(autoconfigSources(domain, email, opts).map(async ({ url, source }): Promise<AutoconfigResult> => {
    const base = { url, source, authenticated: !url.startsWith('http:') };
    try {
      const r = await fetchText(url, opts);
      if (r.status !== 200) return { ...base, ok: false, status: r.status, servers: [] };
      const problem = xmlProblem(r.body);
      if (problem) return { ...base, ok: false, status: r.status, servers: [], error: problem };
      const servers = parseAutoconfig(r.body, email);
      return { ...base, ok: servers.length > 0, status: r.status, servers, error: servers.length ? undefined : 'no usable server in the document' };
    } catch (e) {
      return { ...base, ok: false, error: (e as Error).message, servers: [] };
    }
  }));
}
