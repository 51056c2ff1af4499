// Validation of every user-supplied value. Refuses CR, LF, NUL and other control characters anywhere: they
// would let a value inject SMTP commands or forge output lines.
import net from 'node:net';
import { domainToASCII } from 'node:url';
import { UserError } from '../errors.js';
import type { SecurityMode } from '../facts/types.js';

const CONTROL = /[\x00-\x1f\x7f]/;

export function assertNoControl(what: string, value: string): string {
  if (CONTROL.test(value)) {
    const ch = value.match(CONTROL)![0];
    const name = ch === '\r' ? 'CR' : ch === '\n' ? 'LF' : ch === '\0' ? 'NUL' : `control character 0x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    throw new UserError('injection', `${what} contains ${name}, which is not allowed (it could inject commands into the SMTP conversation)`);
  }
  return value;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** A DNS name or an IP literal (IPv6 may be given in brackets). Returns the ASCII form. */
export function validateHost(value: string, what = 'host'): string {
  assertNoControl(what, value);
  let v = value.trim();
  if (!v) throw new UserError('invalid-host', `${what} is empty`);
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
  if (net.isIP(v)) return v;
  if (v.length > 253) throw new UserError('invalid-host', `${what} "${value}" is longer than 253 characters`);
  const ascii = domainToASCII(v.replace(/\.$/, ''));
  if (!ascii) throw new UserError('invalid-host', `${what} "${value}" is not a valid host name`);
  const labels = ascii.split('.');
  if (labels.some((l) => !LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1]!)) {
    throw new UserError('invalid-host', `${what} "${value}" is not a valid host name (letters, digits and hyphens in dot-separated labels, e.g. smtp.example.com)`);
  }
  return ascii.toLowerCase();
}

export function validatePort(value: string | number, what = 'port'): number {
  const s = String(value).trim();
  assertNoControl(what, s);
  if (!/^\d{1,5}$/.test(s) || Number(s) < 1 || Number(s) > 65535) {
    throw new UserError('invalid-port', `${what} "${s}" is not a TCP port (1-65535; mail uses 25, 465, 587 or 2525)`);
  }
  return Number(s);
}

const SECURITY_ALIASES: Record<string, SecurityMode> = {
  'implicit-tls': 'implicit-tls', implicit: 'implicit-tls', ssl: 'implicit-tls', tls: 'implicit-tls', 'ssl/tls': 'implicit-tls', smtps: 'implicit-tls',
  starttls: 'starttls', 'start-tls': 'starttls',
  none: 'none', plain: 'none', plaintext: 'none', off: 'none',
};

export function validateSecurity(value: string): SecurityMode {
  assertNoControl('security', value);
  const s = SECURITY_ALIASES[value.trim().toLowerCase()];
  if (!s) throw new UserError('invalid-value', `security "${value}" is not one of: implicit-tls (also ssl, tls), starttls, none`);
  return s;
}

/** An email address as used in MAIL FROM / RCPT TO: local@domain, no spaces or angle brackets. */
export function validateAddress(value: string, what = 'address'): string {
  assertNoControl(what, value);
  const v = value.trim();
  const at = v.lastIndexOf('@');
  if (at < 1 || at === v.length - 1 || /[\s<>(),;:"\\]/.test(v.slice(0, at)) || v.length > 254) {
    throw new UserError('invalid-address', `${what} "${value}" is not an email address (expected name@domain)`);
  }
  const domain = validateHost(v.slice(at + 1), `${what} domain`);
  return `${v.slice(0, at)}@${domain}`;
}

/** A number of seconds between min and max, from a flag or a form ("5", "0.5"): one wording for every such value. */
export function validateSeconds(value: string | number, what: string, min: number, max: number): number {
  const text = String(value).trim();
  assertNoControl(what, text);
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n >= min) || n > max) {
    throw new UserError('invalid-value', `${what} must be between ${min} and ${max} seconds (got "${text}")`);
  }
  return n;
}

/** The per-step network timeout's range, in seconds. */
export const TIMEOUT_RANGE = { min: 0.1, max: 300 } as const;

export function validateTimeoutSeconds(value: string): number {
  return Math.round(validateSeconds(value, 'timeout', TIMEOUT_RANGE.min, TIMEOUT_RANGE.max) * 1000);
}

/** A timeout given in milliseconds (the library API): the same range as the flag. */
export function validateTimeoutMs(ms: number): number {
  if (!(ms >= TIMEOUT_RANGE.min * 1000) || ms > TIMEOUT_RANGE.max * 1000) throw new UserError('invalid-value', `timeout must be between ${TIMEOUT_RANGE.min} and ${TIMEOUT_RANGE.max} seconds`);
  return ms;
}

/** A resolver as "ip", "ip:port" or "[ipv6]:port"; returns the form node:dns setServers() accepts. */
export function validateResolver(value: string): string {
  assertNoControl('resolver', value);
  const v = value.trim();
  if (net.isIP(v)) return v;
  const m = /^(?:\[([0-9a-f:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/i.exec(v);
  if (m && net.isIP(m[1] ?? m[2]!)) {
    validatePort(m[3]!, 'resolver port');
    return m[1] ? `[${m[1]}]:${m[3]}` : `${m[2]}:${m[3]}`;
  }
  throw new UserError('invalid-value', `resolver "${value}" must be an IP address, optionally with a port (e.g. 192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53)`);
}
