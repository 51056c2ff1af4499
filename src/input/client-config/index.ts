// Client configuration → one CheckInput per account (discovery runs for the account's address to compare).
import type { RoundtripInput } from '../roundtrip-options.js';
import type { CheckInput } from '../parse.js';
import type { ClientAccount } from './types.js';

export { readClientConfig, parseClientConfigText } from './parse.js';
export type { ClientAccount, ConfigFormat } from './types.js';

export function accountEmail(a: ClientAccount): string | undefined {
  const cand = [a.from, a.user].find((x) => x && /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(x));
  return cand?.toLowerCase();
}

/** With --roundtrip: the mailbox server the client itself reads from, unless --imap/--pop3 named one. */
function roundtripFromAccount(a: ClientAccount, base: CheckInput): { roundtrip?: RoundtripInput } {
  const rt = base.options?.roundtrip as RoundtripInput | false | undefined;
  if (!rt || !a.incoming || rt.imap !== undefined || rt.pop3 !== undefined) return {};
  const i = a.incoming;
  const spec = `${i.host.includes(':') ? `[${i.host}]` : i.host}${i.port ? `:${i.port}` : ''}`;
  // A plaintext mailbox setting is upgraded: the round trip never sends a password without TLS.
  const security = i.security && i.security !== 'none' ? i.security : i.port === 993 || i.port === 995 ? 'implicit-tls' : 'starttls';
  return { roundtrip: { ...rt, [i.protocol]: spec, imapSecurity: rt.imapSecurity ?? security, mailboxSource: i.detail } };
}

/** The check input for one account: its settings over `base` (the user's other flags). */
export function accountToInput(a: ClientAccount, base: CheckInput): CheckInput {
  const email = accountEmail(a);
  const discovery = (base.options?.discovery ?? {}) as Record<string, unknown>;
  return {
    ...base,
    // No server in the file (git without smtpServer …): discover it for the account's address.
    target: a.host ? undefined : email,
    host: a.host,
    port: a.port ?? base.port,
    security: a.security ?? base.security,
    user: base.user ?? a.user,
    password: base.password ?? (base.oauthToken ? undefined : a.password),
    origin: 'config',
    options: { ...base.options, discovery: { ...discovery, compare: !!email && !!a.host, email }, ...roundtripFromAccount(a, base) },
  };
}
