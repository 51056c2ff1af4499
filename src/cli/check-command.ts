// `sendcheck check`: argv → CheckInput → runCheck() → rendered report → exit code.
import { runCheck, type RunOptions } from '../engine.js';
import { ExitCode, UserError } from '../errors.js';
import { checkHtmlPath, writeHtmlReport } from './html-output.js';
import { renderJson } from '../report/json.js';
import { renderTerminal } from '../report/terminal.js';
import type { Report } from '../report/types.js';
import { exitCodeOfVerdict, worstVerdict } from '../report/verdict.js';
import { escapeJsonControls, visible } from '../report/visible.js';
import type { CheckInput } from '../input/parse.js';
import { validateResolver, validateTimeoutSeconds } from '../input/validate.js';
import { networkOptions, validateHoldSeconds } from '../probes/network/options.js';
import type { NetworkOptions } from '../facts/network.js';
import { promptHidden, readSecretFromStdin } from './password.js';
import { readBounded, readCaFile } from '../input/read-bounded.js';
import { LIMITS } from '../net/limits.js';
import { accountToInput, readClientConfig, type ClientAccount } from '../input/client-config/index.js';
import { inClientTerms } from '../input/client-config/spelling.js';
import { describeSecurity } from '../input/target.js';
import { parseMailboxEndpoint, validateWaitSeconds, type RoundtripInput } from '../input/roundtrip-options.js';
import { progressPrinter, type ProgressPrinter } from './progress.js';
import { progressColor, reportColor, showProgress, type CliIo } from './io.js';
import { parseCommandLine, type OptionValues } from './options.js';
import { CHECK_SPEC } from './specs.js';

function readCa(files: string[] | undefined): string[] {
  return (files ?? []).map((f) => readCaFile(f, LIMITS.maxCaBytes));
}

function readJsonFile(file: string): unknown {
  const text = readBounded(file, LIMITS.maxReplayBytes, `--replay ${file}`, 'not a sendcheck report').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError('unsupported-format', `--replay ${file}: not JSON (expected the output of sendcheck check --json)`);
  }
}

export type CheckValues = OptionValues<typeof CHECK_SPEC.options>;

/** The flags as a CheckInput. No prompt here: the password is asked for once a server was found (passwordPrompt). */
export function checkInputFromArgs(values: CheckValues, positionals: string[], io: CliIo): CheckInput {
  if (positionals.length > 1) throw new UserError('usage', `one target at a time; got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.roundtrip && values.to?.length) throw new UserError('usage', '--to tests a recipient without sending anything; the round trip\'s recipient is --send-to ADDRESS');
  const input: CheckInput = {
    target: positionals[0],
    host: values.host,
    port: values.port,
    security: values.security,
    user: values.user,
    mechanisms: values.mechanism,
    from: values.from,
    to: values.roundtrip ? (values['send-to'] !== undefined ? [values['send-to']] : undefined) : values.to,
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
    ...(values['compare-resolver']?.length ? { dns: { compareResolvers: values['compare-resolver'].map(validateResolver) } } : {}),
    ...roundtripInputFromArgs(values),
  };
  if (values['password-stdin'] && values['oauth-token-stdin']) throw new UserError('usage', 'use either --password-stdin or --oauth-token-stdin, not both');
  if (values['allow-plaintext-auth'] && !values['no-auth']) {
    io.stderr('WARNING: --allow-plaintext-auth: if the connection has no TLS, the password is sent readable to anyone on the network path (router, Wi-Fi, ISP). Use it only to test a server you trust, on a network you trust, then change the password.\n');
    input.allowPlaintextAuth = true;
  }
  if (!values['no-auth']) {
    if (values.password !== undefined) {
      io.stderr('warning: a password on the command line is visible to other users and kept in shell history; prefer --password-stdin or SENDCHECK_PASSWORD\n');
      input.password = values.password;
    } else if (values['password-stdin']) input.password = readSecretFromStdin();
    else if (values['oauth-token-stdin']) input.oauthToken = readSecretFromStdin('--oauth-token-stdin');
    else if (io.env.SENDCHECK_OAUTH_TOKEN) input.oauthToken = io.env.SENDCHECK_OAUTH_TOKEN;
    else if (io.env.SENDCHECK_PASSWORD) input.password = io.env.SENDCHECK_PASSWORD;
    if (input.password !== undefined && !input.user && !positionals[0]?.includes('@')) {
      throw new UserError('usage', 'a password was given without a user name: add --user NAME');
    }
  }
  return input;
}

/** The hidden prompt, asked by the engine once it knows the server, naming the login that will be used. */
function passwordPrompt(values: CheckValues, input: CheckInput, io: CliIo, progress?: ProgressPrinter): RunOptions['askPassword'] {
  if (!io.canPrompt || values['no-auth'] || input.password !== undefined || input.oauthToken !== undefined) return undefined;
  return async (login, server) => {
    progress?.pause();
    const where = login.includes('@') ? '' : ` at ${server.host}`;
    return promptHidden(`Password for ${visible(login)}${where} (empty to skip the login test): `);
  };
}

/** --roundtrip, --imap, --pop3, --imap-security, --wait, --keep, --send-to → options.roundtrip (exit 2 for bad values). */
function roundtripInputFromArgs(values: CheckValues): { roundtrip?: RoundtripInput } {
  const given = (['imap', 'pop3', 'imap-security', 'wait', 'keep', 'send-to'] as const).filter((k) => values[k] !== undefined);
  if (!values.roundtrip) {
    if (given.length) throw new UserError('usage', `--${given[0]} belongs to the round trip: add --roundtrip (or use sendcheck roundtrip)`);
    return {};
  }
  if (values['data-probe']) throw new UserError('usage', '--data-probe and --roundtrip both use DATA: choose one');
  const waitSeconds = values.wait !== undefined ? validateWaitSeconds(values.wait) : undefined;
  const input: RoundtripInput = { imap: values.imap, pop3: values.pop3, imapSecurity: values['imap-security'], waitSeconds, keep: values.keep };
  if (input.imap !== undefined && input.pop3 !== undefined) throw new UserError('usage', 'give either --imap or --pop3: the round trip logs in to one mailbox server');
  if (input.imap !== undefined) parseMailboxEndpoint(input.imap, input.imapSecurity);
  if (input.pop3 !== undefined) parseMailboxEndpoint(input.pop3, input.imapSecurity, 'pop3');
  return { roundtrip: input };
}

/** --no-autoconfig, --autoconfig-host, --ispdb → options.discovery; an address given with --host is compared with discovery. */
function discoveryInputFromArgs(values: CheckValues, input: CheckInput): Record<string, unknown> {
  const hosts: Record<string, string> = {};
  for (const spec of values['autoconfig-host'] ?? []) {
    const m = /^((?:http:\/\/)?[a-z0-9.-]+)=(\[[0-9a-f:]+\]|[0-9.]+):(\d{1,5})$/i.exec(spec.trim());
    if (!m) throw new UserError('invalid-value', `--autoconfig-host ${spec}: expected [http://]HOST=IP:PORT, e.g. autoconfig.example.com=127.0.0.1:8443`);
    hosts[m[1]!.toLowerCase()] = `${m[2]}:${m[3]}`;
  }
  let ispdb: string | undefined;
  if (values.ispdb !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(values.ispdb);
    } catch {
      u = undefined;
    }
    if (!u || !/^https?:$/.test(u.protocol) || u.search || u.hash || u.username || u.password) throw new UserError('invalid-value', `--ispdb ${visible(values.ispdb)}: expected a base URL such as https://autoconfig.thunderbird.net/v1.1/`);
    ispdb = u.href.endsWith('/') ? u.href : `${u.href}/`;
  }
  return {
    autoconfig: !values['no-autoconfig'],
    autoconfigHosts: values['autoconfig-host']?.length ? hosts : undefined,
    ispdb,
    compare: !!(input.target?.includes('@') && !/^[a-z]+:\/\//i.test(input.target) && input.host),
  };
}

/** --reference, --no-reference, --hold, --data-probe → options.network (validated here: bad input is exit 2). */
function networkInputFromArgs(values: CheckValues): NetworkOptions {
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
  else io.stdout(renderTerminal(report, { color: reportColor(io, values), verbose: values.verbose }));
}

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(CHECK_SPEC, argv, io.stdout);
  return args ? runCheckCommand(args.values, args.positionals, io) : ExitCode.ok;
}

/** check and roundtrip after parsing: replay, client configs, or one live check with progress and a prompt. */
export async function runCheckCommand(values: CheckValues, positionals: string[], io: CliIo): Promise<number> {
  if (values.html !== undefined) checkHtmlPath(values.html);
  if (values.replay !== undefined) {
    // Loaded here: replay validates with the report schema (ajv), which a live check does not need at start-up.
    const { replayReport } = await import('../replay.js');
    const report = replayReport(readJsonFile(values.replay));
    renderForCli(report, values, io);
    if (values.html !== undefined) writeHtmlReport(values.html, report);
    return exitCodeFor(report);
  }
  if (values['from-config'] !== undefined) {
    if (positionals.length) throw new UserError('usage', '--from-config reads the accounts from the file: give no TARGET with it');
    return fromConfigCommand(values['from-config'], values, io);
  }
  const input = checkInputFromArgs(values, positionals, io);
  const progress = showProgress(io, values) ? progressPrinter(io.stderr, { color: progressColor(io, values) }) : undefined;
  let report: Report;
  try {
    report = await runCheck(input, { onProgress: progress?.onProgress, askPassword: passwordPrompt(values, input, io, progress) });
  } finally {
    progress?.end();
  }
  renderForCli(report, values, io);
  if (values.html !== undefined) writeHtmlReport(values.html, report);
  return exitCodeFor(report);
}

/** --from-config: one check per account in the file, each with its settings and the diff against discovery. */
async function fromConfigCommand(path: string, values: CheckValues, io: CliIo): Promise<number> {
  const all = readClientConfig(path);
  // Each account is a whole run: a file with thousands of them would print nothing for minutes.
  const accounts = all.slice(0, LIMITS.maxConfigAccounts);
  if (all.length > accounts.length) io.stderr(`note: ${visible(path)} has ${all.length} outgoing accounts; checking the first ${accounts.length} (the rest were cut)\n`);
  const base = checkInputFromArgs(values, [], io);
  const results: { account: ReturnType<typeof summarizeAccount>; report: Report; recommendedInClient?: string }[] = [];
  for (const a of accounts) {
    const report = await runCheck(accountToInput(a, base));
    // The one recommendation of the report, in the words of this client's own settings.
    results.push({ account: summarizeAccount(a), report, recommendedInClient: report.recommended ? inClientTerms(a, report.recommended) : undefined });
  }
  if (values.json) io.stdout(`${escapeJsonControls(JSON.stringify({ accounts: results }, null, 2))}\n`);
  else {
    for (const { account, report, recommendedInClient } of results) {
      // Names, hosts and notes come from the file: shown with their control characters visible.
      io.stdout(visible(`\n=== ${account.format} account "${account.name}": ${account.host ?? '(no host)'}:${account.port ?? 'default'} ${account.security ? describeSecurity(account.security) : ''}${account.user ? `, user ${account.user}` : ''}, password ${account.passwordGiven ? 'from the file' : 'not given'}`) + '\n');
      for (const n of account.notes) io.stdout(`    note: ${visible(n)}\n`);
      const diff = report.findings.find((f) => f.code === 'config.differs-from-discovered');
      io.stdout(diff ? `    differs from discovery: ${visible(diff.explanation.replace(/^.*?: /, ''))}\n` : '    matches the discovered settings (or nothing was discovered)\n');
      renderForCli(report, values, io);
      if (recommendedInClient) io.stdout(visible(`  Recommended ${recommendedInClient}`) + '\n');
    }
  }
  return exitCodeOfVerdict(worstVerdict(results.map((r) => r.report.verdict)));
}

function summarizeAccount(a: ClientAccount) {
  return { format: a.format, name: a.name, host: a.host, port: a.port, security: a.security, user: a.user, passwordGiven: !!a.password, from: a.from, notes: a.notes };
}
