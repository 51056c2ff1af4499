// Target: what one run checks. Built from flags, an SMTP URL, an email address or a client configuration.
import type { AuthMechanism, SecurityMode } from '../facts/types.js';
import type { Secret } from './secret.js';

export interface Credentials {
  user: string;
  password?: Secret;
  oauthToken?: Secret;
}

export type TargetOrigin = 'flags' | 'url' | 'address' | 'config' | 'discovered' | 'demo';

export interface Target {
  /** The SMTP host the user configured (a DNS name or an IP literal). */
  host: string;
  port: number;
  security: SecurityMode;
  /** Whether port and security were given by the user (true) or filled in from defaults (false). */
  explicitPort: boolean;
  explicitSecurity: boolean;
  origin: TargetOrigin;
  /** The ports swept to find what works; always includes `port`. */
  sweepPorts: number[];
  /** Ports where the sweep speaks TLS first instead of waiting for a plaintext greeting (default: 465). */
  implicitTlsPorts: number[];
  credentials?: Credentials;
  /** Mechanisms the user allows; empty means any the server offers. */
  mechanisms: AuthMechanism[];
  from?: string;
  to: string[];
  /** The name we announce in EHLO. */
  heloName: string;
  /** DNS servers ("ip" or "ip:port"); empty means the system resolver. */
  resolvers: string[];
  /** Per-step network timeout in milliseconds. */
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM). */
  ca: string[];
  /** The user's opt-in to send credentials over a connection without TLS (--allow-plaintext-auth); off by default. */
  allowPlaintextAuth?: boolean;
  /** The email address the user started from, if any. */
  email?: string;
  /** Options of extension areas (network path, domain audit, discovery), by name. */
  options: Record<string, unknown>;
}

export const MAIL_PORTS = [25, 465, 587, 2525] as const;
export const DEFAULT_TIMEOUT_MS = 5000;

export function defaultPortFor(security: SecurityMode): number {
  return security === 'implicit-tls' ? 465 : security === 'starttls' ? 587 : 25;
}

export function defaultSecurityFor(port: number): SecurityMode {
  return port === 465 ? 'implicit-tls' : 'starttls';
}

export function describeSecurity(s: SecurityMode): string {
  return s === 'implicit-tls' ? 'SSL/TLS (implicit TLS)' : s === 'starttls' ? 'STARTTLS' : 'none (plaintext)';
}
