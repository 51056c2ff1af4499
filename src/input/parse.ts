// Turns what the user typed (an SMTP URL, an email address, a host, flags) into a validated Target.
import { LIMITS } from '../net/limits.js';
import { UserError } from '../errors.js';
import type { AuthMechanism, SecurityMode } from '../facts/types.js';
import { Secret } from './secret.js';
import { DEFAULT_TIMEOUT_MS, MAIL_PORTS, defaultPortFor, defaultSecurityFor, type Target, type TargetOrigin } from './target.js';
import { assertNoControl, validateAddress, validateHost, validatePort, validateResolver, validateSecurity, validateTimeoutMs } from './validate.js';

/** What a caller of check() gives: every field optional, strings as typed by a user. */
export interface CheckInput {
  /** An email address, an smtp:// / smtps:// URL, or a host name. */
  target?: string;
  host?: string;
  port?: number | string;
  security?: string;
  user?: string;
  password?: string | Secret;
  oauthToken?: string | Secret;
  mechanisms?: string[];
  from?: string;
  to?: string[];
  helo?: string;
  resolvers?: string[];
  /** Per-step timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Extra trusted CA certificates, PEM text. */
  ca?: string[];
  /** Ports to sweep besides the configured one (default 25, 465, 587, 2525). */
  sweepPorts?: (number | string)[];
  /** Ports known to use implicit TLS, for the sweep (default 465). */
  implicitTlsPorts?: number[];
  /** Options of extension areas, by name. */
  options?: Record<string, unknown>;
  origin?: TargetOrigin;
  /** Send credentials even over a connection without TLS (never the default; docs/security.md). */
  allowPlaintextAuth?: boolean;
}

const MECHANISMS: AuthMechanism[] = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER'];

export interface ParsedLocation {
  host?: string;
  port?: number;
  security?: SecurityMode;
  user?: string;
  password?: string;
  email?: string;
}

/** The URL as we may echo it in an error: a password in its user part is never repeated. */
function shownUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_m, scheme: string, userinfo: string) => `${scheme}${userinfo.includes(':') ? `${userinfo.split(':')[0]}:[secret]` : userinfo}@`);
}

/** Parses the positional target: smtp://user@host:port, smtps://…, an email address or a bare host[:port]. */
export function parseLocation(raw: string): ParsedLocation {
  assertNoControl('target', raw);
  const v = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw new UserError('invalid-url', `"${shownUrl(raw)}" is not a valid URL (expected e.g. smtp://user@smtp.example.com:587)`);
    }
    const scheme = url.protocol.replace(/:$/, '').toLowerCase();
    let security: SecurityMode | undefined;
    if (scheme === 'smtps') security = 'implicit-tls';
    else if (scheme === 'smtp' || scheme === 'submission') security = undefined;
    else throw new UserError('invalid-url', `URL scheme "${scheme}:" is not supported (use smtp:// or smtps://)`);
    const q = url.searchParams.get('security') ?? url.searchParams.get('secure');
    if (q) security = q === 'true' ? 'implicit-tls' : q === 'false' ? 'starttls' : validateSecurity(q);
    if (url.pathname && url.pathname !== '/' && url.pathname !== '') throw new UserError('invalid-url', `URL "${shownUrl(raw)}" has a path; an SMTP URL is smtp://[user@]host[:port]`);
    const host = validateHost(url.hostname, 'URL host');
    const port = url.port ? validatePort(url.port, 'URL port') : undefined;
    return {
      host, port, security,
      user: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
    };
  }
  if (v.includes('@')) {
    const email = validateAddress(v, 'email address');
    return { email, user: email };
  }
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(v);
  if (!m) throw new UserError('invalid-host', `"${raw}" is not an email address, an smtp:// URL or a host name`);
  return { host: validateHost(m[1]!), port: m[2] ? validatePort(m[2]) : undefined };
}

function toSecret(v: string | Secret | undefined, what: string): Secret | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Secret) return v;
  // Control characters in a password are refused like any other value: they would break the AUTH exchange.
  if (/[\r\n\0]/.test(v)) throw new UserError('injection', `${what} contains CR, LF or NUL, which is not allowed`);
  return new Secret(v);
}

/** A password typed at a prompt, checked like one given as a flag. */
export function passwordSecret(value: string): Secret {
  return toSecret(value, 'password')!;
}

/**
 * Validates everything and fills in defaults. `host` may still be undefined when only an email address was
 * given: the engine then runs settings discovery before probing.
 */
export function buildTarget(input: CheckInput): Omit<Target, 'host'> & { host?: string } {
  const loc: ParsedLocation = input.target ? parseLocation(input.target) : {};
  const host = input.host !== undefined ? validateHost(input.host) : loc.host;
  const explicitPort = input.port !== undefined || loc.port !== undefined;
  const explicitSecurity = input.security !== undefined || loc.security !== undefined;
  let security: SecurityMode | undefined = input.security !== undefined ? validateSecurity(input.security) : loc.security;
  let port = input.port !== undefined ? validatePort(input.port) : loc.port;
  if (port === undefined) port = defaultPortFor(security ?? 'starttls');
  if (security === undefined) security = defaultSecurityFor(port);

  const user = input.user !== undefined ? assertNoControl('user', input.user) : loc.user;
  const password = toSecret(input.password ?? loc.password, 'password');
  const oauthToken = toSecret(input.oauthToken, 'OAuth token');
  if ((password || oauthToken) && !user) throw new UserError('usage', 'a password or token was given without a user name: add --user NAME');

  const mechanisms = (input.mechanisms ?? []).map((m) => {
    const up = assertNoControl('mechanism', m).trim().toUpperCase() as AuthMechanism;
    if (!MECHANISMS.includes(up)) throw new UserError('invalid-value', `mechanism "${m}" is not one of ${MECHANISMS.join(', ')}`);
    return up;
  });
  const from = input.from !== undefined ? validateAddress(input.from, 'from address') : undefined;
  const to = (input.to ?? []).map((t) => validateAddress(t, 'to address'));
  // The round trip fills in the sender (the user's own address) itself.
  if (to.length && !from && !input.options?.roundtrip) throw new UserError('usage', '--to needs --from: the envelope test sends MAIL FROM before RCPT TO');
  const heloName = input.helo !== undefined ? validateHost(input.helo, 'HELO name') : 'sendcheck.localhost';
  const resolvers = (input.resolvers ?? []).map(validateResolver);
  const timeoutMs = validateTimeoutMs(input.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const sweep = input.sweepPorts ?? [...MAIL_PORTS];
  // Each port is a connection per address: a list of thousands would flood the server (and trip its limits).
  if (sweep.length > LIMITS.maxSweepPorts) throw new UserError('invalid-value', `--ports: at most ${LIMITS.maxSweepPorts} ports (got ${sweep.length})`);
  const sweepPorts = [...new Set([...sweep.map((p) => validatePort(p)), port])].sort((a, b) => a - b);
  if (!host && !loc.email) throw new UserError('usage', 'nothing to check: give an email address, an smtp:// URL or --host');

  return {
    host,
    port,
    security,
    explicitPort,
    explicitSecurity,
    origin: input.origin ?? (input.target ? (loc.email ? 'address' : 'url') : 'flags'),
    sweepPorts,
    implicitTlsPorts: (input.implicitTlsPorts ?? [465]).map((p) => validatePort(p)),
    credentials: user ? { user, password, oauthToken } : undefined,
    mechanisms,
    from,
    to,
    heloName,
    resolvers,
    timeoutMs,
    ca: input.ca ?? [],
    allowPlaintextAuth: input.allowPlaintextAuth === true,
    email: loc.email,
    options: input.options ?? {},
  };
}
