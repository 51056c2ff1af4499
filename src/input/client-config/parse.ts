// Reads outgoing-mail accounts from where users already keep them: Thunderbird prefs.js, msmtp .msmtprc,
// mutt/neomutt muttrc (smtp_url), git sendemail.* config, Nodemailer options (JSON) or an SMTP URL, and the
// environment-variable conventions of web frameworks in a .env file (docs/client-config.md lists which).
// Passwords become Secret at once. Nothing here runs commands (msmtp passwordeval, mutt backticks are noted only).
import { LIMITS } from '../../net/limits.js';
import { readBounded } from '../read-bounded.js';
import { UserError } from '../../errors.js';
import type { SecurityMode } from '../../facts/types.js';
import { Secret } from '../secret.js';
import type { ClientAccount, ConfigFormat } from './types.js';

export const MAX_CONFIG_BYTES = LIMITS.maxConfigBytes;

const bool = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
const num = (v: string | undefined) => (v !== undefined && /^\d{1,5}$/.test(v.trim()) ? Number(v.trim()) : undefined);
const secret = (v: string | undefined) => (v ? new Secret(v) : undefined);
function unquote(v: string): string {
  const t = v.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1).replace(/\\(["'\\])/g, '$1');
  return t.replace(/\s+#.*$/, '');
}

// ---------------------------------------------------------------- Thunderbird prefs.js
/** mail.smtpserver.<key>.try_ssl: 0 none, 1 STARTTLS if available (old), 2 STARTTLS, 3 SSL/TLS. */
function tbSecurity(v: string | undefined): SecurityMode | undefined {
  if (v === '3') return 'implicit-tls';
  if (v === '2' || v === '1') return 'starttls';
  if (v === '0') return 'none';
  return undefined;
}

/** mail.server.<key>.socketType: 0 none, 2 STARTTLS, 3 SSL/TLS (Thunderbird's nsMsgSocketType). */
function tbSocketType(v: string | undefined): SecurityMode | undefined {
  return v === '3' ? 'implicit-tls' : v === '2' || v === '1' ? 'starttls' : v === '0' ? 'none' : undefined;
}

/** The incoming server of the account that owns an identity: mail.account.<a>.identities lists it, .server names it. */
function tbIncoming(prefs: Map<string, string>, identityId: string): ClientAccount['incoming'] {
  const account = [...prefs].find(([k, v]) => /^mail\.account\.[^.]+\.identities$/.test(k) && v.split(',').map((x) => x.trim()).includes(identityId))?.[0].replace(/\.identities$/, '');
  const server = account ? prefs.get(`${account}.server`) : undefined;
  if (!server) return undefined;
  const s = (f: string) => prefs.get(`mail.server.${server}.${f}`);
  const type = s('type');
  const host = s('hostname');
  if (!host || (type !== 'imap' && type !== 'pop3')) return undefined;
  return { protocol: type, host, port: num(s('port')), security: tbSocketType(s('socketType')), user: s('userName'), detail: `prefs.js mail.server.${server}` };
}

export function parseThunderbird(text: string): ClientAccount[] {
  const prefs = new Map<string, string>();
  for (const m of text.matchAll(/user_pref\(\s*"([^"]+)"\s*,\s*("(?:[^"\\]|\\.)*"|[^)]*?)\s*\)\s*;/g)) prefs.set(m[1]!, unquote(m[2]!));
  const keys = new Set<string>();
  for (const k of prefs.keys()) {
    const m = /^mail\.smtpserver\.([^.]+)\./.exec(k);
    if (m) keys.add(m[1]!);
  }
  return [...keys].map((key) => {
    const p = (f: string) => prefs.get(`mail.smtpserver.${key}.${f}`);
    const identity = [...prefs].find(([k, v]) => /^mail\.identity\.[^.]+\.smtpServer$/.test(k) && v === key)?.[0].replace(/\.smtpServer$/, '');
    const port = num(p('port'));
    return {
      format: 'thunderbird' as const, name: p('description') || key,
      host: p('hostname'), port: port || undefined, security: tbSecurity(p('try_ssl')),
      user: p('username'), from: identity ? prefs.get(`${identity}.useremail`) : undefined,
      incoming: identity ? tbIncoming(prefs, identity.replace(/^mail\.identity\./, '')) : undefined,
      notes: ['Thunderbird keeps passwords in logins.json (encrypted): give it with --password-stdin if the login should be tested'],
    };
  });
}

// ---------------------------------------------------------------- msmtp
export function parseMsmtp(text: string): ClientAccount[] {
  const sections: { name: string; fields: Map<string, string> }[] = [];
  let defaults = new Map<string, string>();
  let cur: { name: string; fields: Map<string, string> } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const [key, val] = [m[1]!.toLowerCase(), unquote(m[2] ?? '')];
    if (key === 'defaults') {
      cur = undefined;
      continue;
    }
    if (key === 'account') {
      const am = /^([^:\s]+)\s*(?::\s*(.*))?$/.exec(val);
      if (!am) continue;
      if (am[2] !== undefined) {
        // "account default : work" names the default; "account x : y" inherits y.
        const base = sections.find((s) => s.name === am[2]!.split(',')[0]!.trim());
        cur = { name: am[1]!, fields: new Map(base?.fields ?? []) };
        if (am[1] === 'default' && base) continue;
      } else cur = { name: am[1]!, fields: new Map(defaults) };
      sections.push(cur);
      continue;
    }
    (cur ? cur.fields : defaults).set(key, val);
    if (!cur) defaults = new Map(defaults);
  }
  return sections.filter((s) => s.fields.has('host')).map(({ name, fields }) => {
    const tls = bool(fields.get('tls'));
    const starttls = fields.has('tls_starttls') ? bool(fields.get('tls_starttls')) : true;
    const notes: string[] = [];
    if (fields.has('passwordeval')) notes.push('passwordeval is not run by sendcheck: give the password with --password-stdin');
    const port = num(fields.get('port'));
    return {
      format: 'msmtp' as const, name, host: fields.get('host'), port,
      security: !tls ? ('none' as const) : starttls ? ('starttls' as const) : ('implicit-tls' as const),
      user: fields.get('user'), password: secret(fields.get('password')), from: fields.get('from'), notes,
    };
  });
}

// ---------------------------------------------------------------- SMTP URLs (mutt, Nodemailer, env)
export function accountFromUrl(url: string, format: ConfigFormat, name: string, starttlsHint?: boolean): ClientAccount | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  if (!/^(smtps?|submission|smtp\+tls|smtp\+ssl)$/.test(scheme)) return undefined;
  const implicit = scheme === 'smtps' || scheme === 'smtp+ssl' || /^(true|ssl)$/i.test(u.searchParams.get('secure') ?? '') || u.searchParams.get('encryption') === 'ssl';
  const port = u.port ? Number(u.port) : undefined;
  const security: SecurityMode = implicit ? 'implicit-tls' : scheme === 'smtp+tls' || starttlsHint !== false ? 'starttls' : 'none';
  return {
    format, name, host: u.hostname.replace(/^\[|\]$/g, ''), port, security,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? new Secret(decodeURIComponent(u.password)) : undefined,
    notes: [],
  };
}

/** mutt reads mail from `folder` / `spoolfile` when they are imap(s):// or pop(s):// URLs. */
function muttIncoming(vars: Map<string, string>): ClientAccount['incoming'] {
  for (const name of ['spoolfile', 'folder']) {
    const v = vars.get(name);
    const m = v ? /^(imaps?|pops?):\/\/(?:([^@/]+)@)?([^/:]+|\[[^\]]+\])(?::(\d{1,5}))?/i.exec(v) : null;
    if (!m) continue;
    const scheme = m[1]!.toLowerCase();
    const protocol = scheme.startsWith('imap') ? 'imap' : 'pop3';
    const user = m[2] ? decodeURIComponent(m[2].split(':')[0]!) : vars.get(protocol === 'imap' ? 'imap_user' : 'pop_user');
    return { protocol, host: m[3]!.replace(/^\[|\]$/g, ''), port: m[4] ? Number(m[4]) : undefined, security: scheme.endsWith('s') ? 'implicit-tls' : 'starttls', user, detail: `muttrc ${name}` };
  }
  return undefined;
}

export function parseMutt(text: string): ClientAccount[] {
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/^\s*set\s+(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|\S+)/gm)) vars.set(m[1]!.toLowerCase(), unquote(m[2]!));
  const url = vars.get('smtp_url');
  if (!url) return [];
  const acc = accountFromUrl(url, 'mutt', 'smtp_url', vars.has('ssl_starttls') ? bool(vars.get('ssl_starttls')) : true);
  if (!acc) return [];
  const pass = vars.get('smtp_pass');
  if (pass && !pass.startsWith('`')) acc.password = new Secret(pass);
  else if (pass) acc.notes.push('smtp_pass runs a command (backticks): not run by sendcheck; give the password with --password-stdin');
  acc.from = vars.get('from')?.replace(/^.*<([^>]+)>.*$/, '$1');
  if (!acc.user && vars.get('smtp_user')) acc.user = vars.get('smtp_user');
  acc.incoming = muttIncoming(vars);
  return [acc];
}

// ---------------------------------------------------------------- git config (sendemail.*)
/** git send-email: smtpEncryption "ssl" = implicit TLS, "tls" = STARTTLS (git-send-email(1)). */
export function parseGitConfig(text: string): ClientAccount[] {
  const sections = new Map<string, Map<string, string>>();
  let cur: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[\s*([\w.-]+)(?:\s+"([^"]*)")?\s*\]$/.exec(line);
    if (sec) {
      const name = sec[1]!.toLowerCase() === 'sendemail' ? (sec[2] ?? '') : undefined;
      if (name === undefined) cur = undefined;
      else {
        cur = sections.get(name) ?? new Map();
        sections.set(name, cur);
      }
      continue;
    }
    const kv = /^([\w-]+)\s*=\s*(.*)$/.exec(line);
    if (kv && cur) cur.set(kv[1]!.toLowerCase(), unquote(kv[2]!));
  }
  const base = sections.get('') ?? new Map<string, string>();
  return [...sections].map(([identity, own]) => {
    const f = new Map([...base, ...own]);
    const enc = f.get('smtpencryption')?.toLowerCase();
    const server = f.get('smtpserver');
    const notes: string[] = [];
    if (server?.startsWith('/')) notes.push(`smtpServer is a local program (${server}), not an SMTP server`);
    return {
      format: 'git' as const, name: identity ? `sendemail.${identity}` : 'sendemail',
      host: server?.startsWith('/') ? undefined : server, port: num(f.get('smtpserverport')),
      security: enc === 'ssl' ? ('implicit-tls' as const) : enc === 'tls' ? ('starttls' as const) : enc ? undefined : ('none' as const),
      user: f.get('smtpuser'), password: secret(f.get('smtppass')), from: f.get('from'), notes,
    };
  }).filter((a) => a.host);
}

// ---------------------------------------------------------------- Nodemailer options
interface NodemailerOptions { host?: string; port?: number | string; secure?: boolean; requireTLS?: boolean; ignoreTLS?: boolean; auth?: { user?: string; pass?: string }; url?: string; from?: string }

export function parseNodemailer(text: string): ClientAccount[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UserError('unsupported-format', 'not valid JSON (expected Nodemailer transport options such as {"host": …, "port": …, "secure": …})');
  }
  const pick = (d: unknown): NodemailerOptions | string | undefined => {
    if (typeof d === 'string') return d;
    if (!d || typeof d !== 'object') return undefined;
    const o = d as Record<string, unknown>;
    if (typeof o.host === 'string' || typeof o.url === 'string') return o as NodemailerOptions;
    for (const k of ['transport', 'smtp', 'mail', 'mailer', 'options']) {
      const inner = pick(o[k]);
      if (inner) return inner;
    }
    return undefined;
  };
  const o = pick(doc);
  if (!o) return [];
  if (typeof o === 'string' || o.url) {
    const acc = accountFromUrl(typeof o === 'string' ? o : o.url!, 'nodemailer', 'url');
    return acc ? [acc] : [];
  }
  const port = typeof o.port === 'number' ? o.port : num(o.port);
  // Nodemailer: secure true = implicit TLS; otherwise STARTTLS when offered (requireTLS forces it), ignoreTLS = none.
  const security: SecurityMode = o.secure ? 'implicit-tls' : o.ignoreTLS ? 'none' : 'starttls';
  return [{ format: 'nodemailer', name: 'transport', host: o.host, port: port ?? (o.secure ? 465 : 587), security, user: o.auth?.user, password: secret(o.auth?.pass), from: typeof o.from === 'string' ? o.from : undefined, notes: [] }];
}

// ---------------------------------------------------------------- .env conventions
export function parseDotenv(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (m) env.set(m[1]!.toUpperCase(), unquote(m[2]!));
  }
  return env;
}

/** The conventions read from a .env file; docs/client-config.md documents the same list. */
export function accountsFromEnv(env: Map<string, string>): ClientAccount[] {
  const out: ClientAccount[] = [];
  const g = (k: string) => { const v = env.get(k); return v === undefined || v === '' || v === 'null' ? undefined : v; };
  // Laravel: MAIL_ENCRYPTION tls = STARTTLS, ssl = implicit TLS (Laravel 11: MAIL_SCHEME smtps).
  if (g('MAIL_HOST')) {
    const enc = g('MAIL_ENCRYPTION')?.toLowerCase();
    const scheme = g('MAIL_SCHEME')?.toLowerCase();
    const port = num(g('MAIL_PORT'));
    out.push({ format: 'env', name: 'Laravel (MAIL_*)', host: g('MAIL_HOST'), port,
      security: enc === 'ssl' || scheme === 'smtps' ? 'implicit-tls' : enc === 'tls' || enc === 'starttls' ? 'starttls' : port === 465 ? 'implicit-tls' : 'starttls',
      user: g('MAIL_USERNAME'), password: secret(g('MAIL_PASSWORD')), from: g('MAIL_FROM_ADDRESS'), notes: [] });
  }
  // Django settings from the environment: EMAIL_USE_TLS = STARTTLS, EMAIL_USE_SSL = implicit TLS.
  if (g('EMAIL_HOST')) {
    out.push({ format: 'env', name: 'Django (EMAIL_*)', host: g('EMAIL_HOST'), port: num(g('EMAIL_PORT')) ?? 25,
      security: bool(g('EMAIL_USE_SSL')) ? 'implicit-tls' : bool(g('EMAIL_USE_TLS')) ? 'starttls' : 'none',
      user: g('EMAIL_HOST_USER'), password: secret(g('EMAIL_HOST_PASSWORD')), from: g('DEFAULT_FROM_EMAIL'), notes: [] });
  }
  // Rails (the usual ActionMailer smtp_settings names): SMTP_ADDRESS, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD,
  // SMTP_ENABLE_STARTTLS_AUTO, SMTP_TLS / SMTP_SSL.
  if (g('SMTP_ADDRESS')) {
    out.push({ format: 'env', name: 'Rails (SMTP_ADDRESS …)', host: g('SMTP_ADDRESS'), port: num(g('SMTP_PORT')) ?? 25,
      security: bool(g('SMTP_TLS')) || bool(g('SMTP_SSL')) ? 'implicit-tls' : g('SMTP_ENABLE_STARTTLS_AUTO') === undefined || bool(g('SMTP_ENABLE_STARTTLS_AUTO')) ? 'starttls' : 'none',
      user: g('SMTP_USERNAME') ?? g('SMTP_USER'), password: secret(g('SMTP_PASSWORD')), from: g('SMTP_FROM') ?? g('MAIL_FROM'), notes: [] });
  }
  // Generic (Nodemailer examples, many apps): SMTP_HOST, SMTP_PORT, SMTP_SECURE (true = implicit TLS), SMTP_USER / SMTP_USERNAME, SMTP_PASS / SMTP_PASSWORD.
  if (g('SMTP_HOST')) {
    const port = num(g('SMTP_PORT'));
    const secure = g('SMTP_SECURE') ?? g('SMTP_SSL') ?? g('SMTP_TLS');
    out.push({ format: 'env', name: 'generic (SMTP_HOST …)', host: g('SMTP_HOST'), port,
      security: secure !== undefined ? (bool(secure) ? 'implicit-tls' : 'starttls') : port === 465 ? 'implicit-tls' : 'starttls',
      user: g('SMTP_USER') ?? g('SMTP_USERNAME') ?? g('SMTP_LOGIN'), password: secret(g('SMTP_PASS') ?? g('SMTP_PASSWORD')), from: g('SMTP_FROM') ?? g('MAIL_FROM'), notes: [] });
  }
  // URLs: SMTP_URL (Nodemailer), MAILER_DSN (Symfony), EMAIL_URL (django-environ: smtp+tls://, smtp+ssl://), MAIL_URL (Meteor).
  for (const k of ['SMTP_URL', 'MAILER_DSN', 'EMAIL_URL', 'MAIL_URL']) {
    const v = g(k);
    const acc = v ? accountFromUrl(v, 'env', k) : undefined;
    if (acc) out.push(acc);
  }
  return out;
}

// ---------------------------------------------------------------- detection
export function detectFormat(text: string, path: string): ConfigFormat | undefined {
  const t = text.trim();
  if (/user_pref\s*\(/.test(t)) return 'thunderbird';
  if (/^\s*\[\s*sendemail/im.test(t)) return 'git';
  if (/^\s*set\s+smtp_url\s*=/m.test(t)) return 'mutt';
  if (t.startsWith('{') || t.startsWith('"')) return 'nodemailer';
  if (/^(smtps?|smtp\+tls|smtp\+ssl):\/\/\S+$/i.test(t)) return 'smtp-url';
  if (/^\s*(account|host)\s+\S/m.test(t) && !/^\s*[A-Z_]+\s*=/m.test(t) || /msmtprc$/.test(path)) return 'msmtp';
  if (/^\s*(export\s+)?(MAIL_HOST|EMAIL_HOST|SMTP_ADDRESS|SMTP_HOST|SMTP_URL|MAILER_DSN|EMAIL_URL|MAIL_URL)\s*=/m.test(t)) return 'env';
  return undefined;
}

export function parseClientConfigText(text: string, path = ''): ClientAccount[] {
  const format = detectFormat(text, path);
  if (!format) throw new UserError('unsupported-format', `${path || 'config'}: not a configuration sendcheck can read (Thunderbird prefs.js, .msmtprc, muttrc, git config, Nodemailer JSON, SMTP URL or a .env file)`);
  switch (format) {
    case 'thunderbird': return parseThunderbird(text);
    case 'msmtp': return parseMsmtp(text);
    case 'mutt': return parseMutt(text);
    case 'git': return parseGitConfig(text);
    case 'nodemailer': return parseNodemailer(text);
    case 'smtp-url': {
      const a = accountFromUrl(text.trim(), 'smtp-url', 'url');
      return a ? [a] : [];
    }
    case 'env': return accountsFromEnv(parseDotenv(text));
  }
}

/** Reads a config file; a clear UserError (exit 2) for anything that is not one. */
export function readClientConfig(path: string): ClientAccount[] {
  const buf = readBounded(path, LIMITS.maxConfigBytes, `--from-config ${path}`, 'not a mail client configuration');
  if (buf.includes(0)) throw new UserError('unsupported-format', `--from-config ${path}: binary data, not a configuration file`);
  const accounts = parseClientConfigText(buf.toString('utf8'), path);
  if (!accounts.length) throw new UserError('unsupported-format', `--from-config ${path}: no outgoing (SMTP) account found in the file`);
  return accounts;
}
