// One outgoing-mail account as found in a user's client or app configuration.
import type { SecurityMode } from '../../facts/types.js';
import type { Secret } from '../secret.js';

export type ConfigFormat = 'thunderbird' | 'msmtp' | 'mutt' | 'git' | 'nodemailer' | 'smtp-url' | 'env';

export interface ClientAccount {
  format: ConfigFormat;
  /** The account's name in the file (msmtp account, Thunderbird server key, git identity, env convention). */
  name: string;
  host?: string;
  port?: number;
  security?: SecurityMode;
  user?: string;
  /** Used for the one AUTH attempt; prints as [secret]. */
  password?: Secret;
  from?: string;
  /** The incoming (mailbox) server the same account reads mail from, when the file says: the round trip uses it. */
  incoming?: { protocol: 'imap' | 'pop3'; host: string; port?: number; security?: SecurityMode; user?: string; detail: string };
  /** Things we saw but did not use (e.g. "passwordeval is not run"). */
  notes: string[];
}
