// `sendcheck check`: argv → CheckInput → runCheck() → rendered report → exit code.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCheck } from '../engine.js';
import { replayReport } from '../replay.js';
import { ExitCode, UserError } from '../errors.js';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import type { Report } from '../report/types.js';
import { exitCodeOfVerdict, worstVerdict } from '../report/verdict.js';
import { escapeJsonControls, visible } from '../report/visible.js';
import type { CheckInput } from '../input/parse.js';
import { validateTimeoutSeconds } from '../input/validate.js';
import { networkOptions, validateHoldSeconds } from '../probes/network/options.js';
import type { NetworkOptions } from '../probes/network/types.js';
import { promptHidden, readSecretFromStdin } from './password.js';
import { accountToInput, readClientConfig, type ClientAccount } from '../input/client-config/index.js';
import { describeSecurity } from '../input/target.js';
import { MAX_WAIT_SECONDS, parseMailboxEndpoint, type RoundtripInput } from '../roundtrip/options.js';
import { progressPrinter } from './progress.js';

export const CHECK_HELP = `Usage: sendcheck check [TARGET] [options]

Diagnose the outgoing (SMTP) path from this machine: resolve → connect → greeting → TLS → AUTH → envelope.

TARGET is an email address (settings are discovered), an smtp:// or smtps:// URL, or a host name.

Server:
  --host HOST              SMTP server host name or IP
  --port PORT              port (default: 587 for STARTTLS, 465 for SSL/TLS)
  --security MODE          implicit-tls (alias ssl, tls) | starttls | none
  --ports LIST             ports to sweep for alternatives (default 25,465,587,2525)
  --ca FILE                trust this CA certificate (PEM) in addition to the system store
  --helo NAME              name to announce in EHLO (default sendcheck.localhost)
  --from-config PATH       check every outgoing account in a client configuration: Thunderbird prefs.js,
                           .msmtprc, muttrc, git config (sendemail.*), Nodemailer JSON or SMTP URL, a .env file
                           (docs/client-config.md); passwords in it are used, never printed
Settings discovery (when TARGET is an address; docs/explain.md):
  --no-autoconfig          do not fetch the domain's autoconfig document (HTTPS)
  --autoconfig-host H=IP:PORT  fetch autoconfig for host H from IP:PORT instead (testing; repeatable)
Credentials (one AUTH attempt per run, never more):
  --user NAME              login name (default: the email address given as TARGET)
  --password-stdin         read the password from standard input
  --password PASS          password on the command line (insecure: visible to other users; prefer the above)
  --oauth-token-stdin      read an OAuth2 access token from standard input (XOAUTH2/OAUTHBEARER)
  --mechanism MECH         allow only this mechanism (repeatable): PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER
  --no-auth                do not authenticate even if credentials are known
  environment: SENDCHECK_PASSWORD, SENDCHECK_OAUTH_TOKEN
Envelope (MAIL FROM / RCPT TO, then RSET: no message is ever sent):
  --from ADDRESS           sender to test
  --to ADDRESS             recipient to test (repeatable; needs --from)
  --no-domain              skip the audit of the sender's domain (SPF, DKIM, DMARC, PTR, blocklists) that runs
                           when the sender is known (see sendcheck domain)
Network:
  --timeout SECONDS        per-step network timeout (default 5)
  --resolver IP[:PORT]     DNS server to use instead of the system resolver (repeatable)
Network path (who blocks: your network, your ISP, security software or the server; docs/network-path.md):
  --reference HOST[:PORTS] compare with this reference server on the same ports (repeatable; default
                           smtp.gmail.com:25,465,587, used only when the server has a public address)
  --no-reference           no reference comparison
  --hold SECONDS           also hold an idle connection this long, then NOOP (finds idle cuts; max 300)
  --data-probe             with --from and --to: send DATA, then close at the 354 without any message content
                           (finds filters that cut the connection at DATA; never logs in)
Round trip through your own mailbox (sends one test message to yourself; docs/roundtrip.md):
  --roundtrip              log in to IMAP with the same credentials (cross-checks the password), send a tagged
                           message to your own address, wait for it in the inbox and junk folder, read the
                           receiver's verdicts (Received, Authentication-Results, spam headers), delete it
  --imap HOST[:PORT]       the account's IMAP server (default: discovered, then imap./mail. guesses)
  --pop3 HOST[:PORT]       an account read over POP3: cross-check the password there (POP3 cannot watch the
                           message arrive without a second login, so nothing is sent)
  --imap-security MODE     implicit-tls (default on 993/995) | starttls
  --wait SECONDS           how long to wait for the message (default 120, max 900)
  --keep                   leave the test message in the mailbox
  --to ADDRESS             with --roundtrip: send there instead of your own address (an alias of the mailbox)
Offline:
  --replay FILE            judge a saved --json report again with this version's rules (no network)
Output:
  --json                   the report as JSON (schema: docs/json-report.md)
  --html FILE              also write the report as an HTML page to FILE
  --verbose, -v            add the transcript of every SMTP conversation (secrets redacted)
  --no-color               no ANSI colours

Exit codes: 0 nothing blocks sending, 1 a blocker was found, 2 bad usage or input, 3 internal error.
`;

/** The output flags every reporting command shares (check, domain). */
export const OUTPUT_OPTIONS = {
  json: { type: 'boolean' },
  html: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const ROUNDTRIP_OPTIONS = {
  roundtrip: { type: 'boolean' },
  imap: { type: 'string' },
  pop3: { type: 'string' },
  'imap-security': { type: 'string' },
  wait: { type: 'string' },
  keep: { type: 'boolean' },
} as const;

export const CHECK_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  security: { type: 'string' },
  ports: { type: 'string' },
  ca: { type: 'string', multiple: true },
  helo: { type: 'string' },
  'from-config': { type: 'string' },
  'no-autoconfig': { type: 'boolean' },
  'no-domain': { type: 'boolean' },
  'autoconfig-host': { type: 'string', multiple: true },
  user: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'oauth-token-stdin': { type: 'boolean' },
  mechanism: { type: 'string', multiple: true },
  'no-auth': { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  resolver: { type: 'string', multiple: true },
  reference: { type: 'string', multiple: true },
  'no-reference': { type: 'boolean' },
  hold: { type: 'string' },
  'data-probe': { type: 'boolean' },
  replay: { type: 'string' },
  ...ROUNDTRIP_OPTIONS,
  ...OUTPUT_OPTIONS,
} as const;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

function readCa(files: string[] | undefined): string[] {
  return (files ?? []).map((f) => {
    try {
      const pem = readFileSync(f, 'utf8');
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError('unsupported-format', `--ca ${f}: not a PEM certificate file`);
      return pem;
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError('file-unreadable', `--ca ${f}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  });
}

const MAX_REPLAY_BYTES = 50 * 1024 * 1024;

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    if (statSync(file).size > MAX_REPLAY_BYTES) throw new UserError('file-too-large', `--replay ${file}: larger than 50 MB, not a sendcheck report`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('file-unreadable', `--replay ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError('unsupported-format', `--replay ${file}: not JSON (expected the output of sendcheck check --json)`);
  }
}

export function parseCheckArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: CHECK_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError('usage', `${(e as Error).message.split('\n')[0]} (see sendcheck check --help)`);
  }
}

export async function checkInputFromArgs(values: ReturnType<typeof parseCheckArgs>['values'], positionals: string[], io: CliIo): Promise<CheckInput> {
  if (positionals.length > 1) throw new UserError('usage', `one target at a time; got ${positionals.length}: ${positionals.join(' ')}`);
  const input: CheckInput = {
    target: positionals[0],
    host: values.host,
    port: values.port,
    security: values.security,
    user: values.user,
    mechanisms: values.mechanism,
    from: values.from,
    to: values.to,
    helo: values.helo,
    resolvers: values.resolver,
    timeoutMs: values.timeout !== undefined ? validateTimeoutSeconds(values.timeout) : undefined,
    ca: readCa(values.ca),
    sweepPorts: values.ports?.split(",").map((p) => p.trim()).filter(Boolean),
  };
  input.options = {
    ...input.options,
    network: networkInputFromArgs(values),
    discovery: discoveryInputFromArgs(values, input),
    ...(values['no-domain'] ? { domain: false } : {}),
    ...roundtripInputFromArgs(values),
  };
  if (values['password-stdin'] && values['oauth-token-stdin']) throw new UserError('usage', 'use either --password-stdin or --oauth-token-stdin, not both');
  if (!values['no-auth']) {
    if (values.password !== undefined) {
      io.stderr('warning: a password on the command line is visible to other users and kept in shell history; prefer --password-stdin or SENDCHECK_PASSWORD\n');
      input.password = values.password;
    } else if (values['password-stdin']) input.password = readSecretFromStdin();
    else if (values['oauth-token-stdin']) input.oauthToken = readSecretFromStdin();
    else if (io.env.SENDCHECK_OAUTH_TOKEN) input.oauthToken = io.env.SENDCHECK_OAUTH_TOKEN;
    else if (io.env.SENDCHECK_PASSWORD) input.password = io.env.SENDCHECK_PASSWORD;
    else if (io.isTTY && (values.user || positionals[0]?.includes('@'))) {
      const who = values.user ?? positionals[0]!.replace(/^smtps?:\/\//, '').split('@').slice(0, -1).join('@');
      const pw = await promptHidden(`Password for ${who} (empty to skip the login test): `);
      if (pw) input.password = pw;
    }
    if (input.password !== undefined && !input.user && !positionals[0]?.includes('@')) {
      throw new UserError('usage', 'a password was given without a user name: add --user NAME');
    }
  }
  return input;
}

/** --roundtrip, --imap, --imap-security, --wait, --keep → options.roundtrip (exit 2 for bad values). */
function roundtripInputFromArgs(values: ReturnType<typeof parseCheckArgs>['values']): { roundtrip?: RoundtripInput } {
  const given = (['imap', 'pop3', 'imap-security', 'wait', 'keep'] as const).filter((k) => values[k] !== undefined);
  if (!values.roundtrip) {
    if (given.length) throw new UserError('usage', `--${given[0]} belongs to the round trip: add --roundtrip (or use sendcheck roundtrip)`);
    return {};
  }
  if (values['data-probe']) throw new UserError('usage', '--data-probe and --roundtrip both use DATA: choose one');
  let waitSeconds: number | undefined;
  if (values.wait !== undefined) {
    waitSeconds = Number(values.wait);
    if (!/^\d+(\.\d+)?$/.test(values.wait.trim()) || !(waitSeconds >= 1) || waitSeconds > MAX_WAIT_SECONDS) throw new UserError('invalid-value', `--wait ${values.wait}: give seconds between 1 and ${MAX_WAIT_SECONDS}`);
  }
  const input: RoundtripInput = { imap: values.imap, pop3: values.pop3, imapSecurity: values['imap-security'], waitSeconds, keep: values.keep };
  if (input.imap !== undefined && input.pop3 !== undefined) throw new UserError('usage', 'give either --imap or --pop3: the round trip logs in to one mailbox server');
  if (input.imap !== undefined) parseMailboxEndpoint(input.imap, input.imapSecurity);
  if (input.pop3 !== undefined) parseMailboxEndpoint(input.pop3, input.imapSecurity, 'pop3');
  return { roundtrip: input };
}

/** --no-autoconfig, --autoconfig-host → options.discovery; an address given with --host is compared with discovery. */
function discoveryInputFromArgs(values: ReturnType<typeof parseCheckArgs>['values'], input: CheckInput): Record<string, unknown> {
  const hosts: Record<string, string> = {};
  for (const spec of values['autoconfig-host'] ?? []) {
    const m = /^([a-z0-9.-]+)=(\[[0-9a-f:]+\]|[0-9.]+):(\d{1,5})$/i.exec(spec.trim());
    if (!m) throw new UserError('invalid-value', `--autoconfig-host ${spec}: expected HOST=IP:PORT, e.g. autoconfig.example.com=127.0.0.1:8443`);
    hosts[m[1]!.toLowerCase()] = `${m[2]}:${m[3]}`;
  }
  return {
    autoconfig: !values['no-autoconfig'],
    autoconfigHosts: values['autoconfig-host']?.length ? hosts : undefined,
    compare: !!(input.target?.includes('@') && !/^[a-z]+:\/\//i.test(input.target) && input.host),
  };
}

/** --reference, --no-reference, --hold, --data-probe → options.network (validated here: bad input is exit 2). */
function networkInputFromArgs(values: ReturnType<typeof parseCheckArgs>['values']): NetworkOptions {
  if (values.reference?.length && values['no-reference']) throw new UserError('usage', 'use either --reference or --no-reference, not both');
  if (values['data-probe'] && !(values.from && values.to?.length)) throw new UserError('usage', '--data-probe needs --from and --to');
  const opts: NetworkOptions = {
    references: values.reference,
    noReference: values['no-reference'],
    holdSeconds: values.hold !== undefined ? validateHoldSeconds(values.hold) : undefined,
    dataProbe: values['data-probe'],
  };
  networkOptions(opts);
  return opts;
}

export function exitCodeFor(report: Report): number {
  return exitCodeOfVerdict(report.verdict);
}

export function renderForCli(report: Report, values: { json?: boolean; verbose?: boolean; 'no-color'?: boolean }, io: CliIo): void {
  if (values.json) io.stdout(renderJson(report));
  else io.stdout(renderTerminal(report, { color: io.isTTY && !values['no-color'] && !io.env.NO_COLOR, verbose: values.verbose }));
}

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCheckArgs(argv);
  if (values.help) {
    io.stdout(CHECK_HELP);
    return ExitCode.ok;
  }
  if (values.replay !== undefined) {
    const report = replayReport(readJsonFile(values.replay));
    renderForCli(report, values, io);
    return exitCodeFor(report);
  }
  if (values['from-config'] !== undefined) {
    if (positionals.length) throw new UserError('usage', '--from-config reads the accounts from the file: give no TARGET with it');
    return fromConfigCommand(values['from-config'], values, io);
  }
  const input = await checkInputFromArgs(values, positionals, io);
  const progress = io.isTTY && !values.json ? progressPrinter(io.stderr) : undefined;
  const report = await runCheck(input, { onProgress: progress?.onProgress });
  progress?.end();
  renderForCli(report, values, io);
  if (values.html) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(values.html, renderHtml(report));
  }
  return exitCodeFor(report);
}

/** --from-config: one check per account in the file, each with its settings and the diff against discovery. */
async function fromConfigCommand(path: string, values: ReturnType<typeof parseCheckArgs>['values'], io: CliIo): Promise<number> {
  const accounts = readClientConfig(path);
  const base = await checkInputFromArgs(values, [], { ...io, isTTY: false });
  const results: { account: ReturnType<typeof summarizeAccount>; report: Report }[] = [];
  for (const a of accounts) {
    const report = await runCheck(accountToInput(a, base));
    results.push({ account: summarizeAccount(a), report });
  }
  if (values.json) io.stdout(`${escapeJsonControls(JSON.stringify({ accounts: results }, null, 2))}\n`);
  else {
    for (const { account, report } of results) {
      // Names, hosts and notes come from the file: shown with their control characters visible.
      io.stdout(visible(`\n=== ${account.format} account "${account.name}": ${account.host ?? '(no host)'}:${account.port ?? 'default'} ${account.security ? describeSecurity(account.security) : ''}${account.user ? `, user ${account.user}` : ''}, password ${account.passwordGiven ? 'from the file' : 'not given'}`) + '\n');
      for (const n of account.notes) io.stdout(`    note: ${visible(n)}\n`);
      const diff = report.findings.find((f) => f.code === 'config.differs-from-discovered');
      io.stdout(diff ? `    differs from discovery: ${visible(diff.explanation.replace(/^.*?: /, ''))}\n` : '    matches the discovered settings (or nothing was discovered)\n');
      renderForCli(report, values, io);
    }
  }
  return exitCodeOfVerdict(worstVerdict(results.map((r) => r.report.verdict)));
}

function summarizeAccount(a: ClientAccount) {
  return { format: a.format, name: a.name, host: a.host, port: a.port, security: a.security, user: a.user, passwordGiven: !!a.password, from: a.from, notes: a.notes };
}
