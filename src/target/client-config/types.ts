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
  /** Things we saw but did not use (e.g. "passwordeval is not run"). */
  notes: string[];
}
