// Client configuration → one CheckInput per account (discovery runs for the account's address to compare).
import type { CheckInput } from '../parse.js';
import type { ClientAccount } from './types.js';

export { readClientConfig, parseClientConfigText } from './parse.js';
export type { ClientAccount, ConfigFormat } from './types.js';

export function accountEmail(a: ClientAccount): string | undefined {
  const cand = [a.from, a.user].find((x) => x && /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(x));
  return cand?.toLowerCase();
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
    options: { ...base.options, discovery: { ...discovery, compare: !!email && !!a.host, email } },
  };
}
