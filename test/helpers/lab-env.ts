// Access to the integration-test lab started by scripts/lab/up.sh (Postfix + Dovecot + Knot on loopback).
// up.sh writes <repo>/.lab/env.json; this module reads it. The repo root is found relative to this file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LabUser {
  user: string;
  password: string;
  /**
   * What the lab does with this mailbox (scripts/lab/up.sh):
   * - `inbox` (alice, bob): mail submitted to it is DKIM-signed (d=example.test s=lab), verified on the lab's inbound
   *   hop (Authentication-Results: mail.example.test; dkim=pass ...) and delivered to INBOX.
   * - `junk` (carol): the inbound hop prepends X-Spam-Flag: YES, X-Spam-Status and an spf=softfail
   *   Authentication-Results; Sieve files the message into the \Junk special-use folder ("Junk").
   * - `smtp-auth-disabled` (dave): IMAP login works, SMTP AUTH is refused (535) with the right password.
   * - `held` (erin): submission accepts mail to it (250 queued as ...), Postfix keeps it on the hold queue: it never
   *   reaches the mailbox.
   * - `no-expunge` (frank): delivered to INBOX like `inbox` (signed, dkim=pass), but a global Dovecot ACL withholds
   *   the `t` (set \Deleted) and `e` (expunge) rights in his INBOX. Dovecot refuses silently: SELECT's PERMANENTFLAGS
   *   lacks \Deleted (it keeps `\*`), `STORE +FLAGS (\Deleted)` answers OK without setting the flag, `UID EXPUNGE`
   *   answers OK and the message stays (imapflow's messageDelete() resolves true). His other folders (Junk, Trash...)
   *   allow everything.
   * - `unsigned` (gina): OpenDKIM does not sign what she submits (not in its SigningTable); the inbound hop adds
   *   `Authentication-Results: mail.example.test; dkim=none; dkim-atps=neutral`. Delivered to INBOX.
   * Every mailbox has Junk, Trash, Sent and Drafts with their SPECIAL-USE flags. Absent in env files written before
   * roles existed.
   */
  role?: string;
}

export interface LabPorts {
  /** plain SMTP, STARTTLS offered, no AUTH, relay denied for 127.0.0.1 */
  smtp: number;
  /** submission: STARTTLS required, AUTH only after STARTTLS */
  submission: number;
  /** implicit TLS submission (smtps) with AUTH */
  submissions: number;
  /** alternative submission port, configured like 587 */
  alt: number;
  imap: number;
  imaps: number;
  /** Dovecot POP3 (STLS) and POP3S, for the round trip's POP3 cross-check */
  pop3: number;
  pop3s: number;
}

export interface LabEnv {
  /** address every Postfix/Dovecot listener is bound to (127.0.0.20) */
  smtpHost: string;
  /** the name in the server certificate and the SMTP banner (mail.example.test) */
  smtpName: string;
  ports: LabPorts;
  /** absolute path of the test CA certificate (PEM) that signed the server certificate */
  caFile: string;
  /** absolute path of the server (leaf) certificate, PEM */
  certFile?: string;
  users: LabUser[];
  /** authoritative Knot server for the zones in zonesDir */
  dns: { server: string; port: number };
  zonesDir: string;
  /** zone names served (from the *.zone file names) */
  zones?: string[];
  postfixLog: string;
  /** Postfix's config directory, for `postqueue -c DIR -j` (erin's held mail) and `postsuper -c DIR -d ID` */
  postfixConfigDir?: string;
  dovecotLog: string;
  knotLog?: string;
  mailDir?: string;
}

/** Repository root: this file is <repo>/test/helpers/lab-env.ts. */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of the env file written by scripts/lab/up.sh. */
export const labEnvPath: string = resolve(repoRoot, '.lab', 'env.json');

/** True if up.sh has written env.json (the lab is presumably running). For diagnostics only: tests never skip on it. */
export function labAvailable(): boolean {
  return existsSync(labEnvPath);
}

/**
 * Read .lab/env.json. Throws Error("lab not running: run scripts/lab/up.sh") if it does not exist
 * (down.sh removes it), and a descriptive error if it is not valid.
 */
export function loadLabEnv(): LabEnv {
  let text: string;
  try {
    text = readFileSync(labEnvPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('lab not running: run scripts/lab/up.sh');
    }
    throw err;
  }
  let env: LabEnv;
  try {
    env = JSON.parse(text) as LabEnv;
  } catch (err) {
    throw new Error(`lab env ${labEnvPath} is not valid JSON (${(err as Error).message}): re-run scripts/lab/up.sh`);
  }
  for (const key of ['smtpHost', 'smtpName', 'ports', 'caFile', 'users', 'dns', 'zonesDir'] as const) {
    if (env[key] === undefined) {
      throw new Error(`lab env ${labEnvPath} lacks "${key}": re-run scripts/lab/up.sh`);
    }
  }
  return env;
}

/** The user with this address (default: the first one, alice@example.test). */
export function labUser(env: LabEnv, user?: string): LabUser {
  const found = user === undefined ? env.users[0] : env.users.find((u) => u.user === user);
  if (!found) throw new Error(`lab has no user ${user ?? '(none)'}`);
  return found;
}
