// What each command accepts, declared once: options with their help, usage, description and examples. The parser,
// `--help`, `--help-all` and shell completion all read these tables. Light on purpose (no engine imports): the
// completion command and "did you mean" load it without the commands themselves.
import { LIMITS } from '../net/limits.js';
import { defineCommand, EXIT_CODES, type OptionTable } from './options.js';

const ROUNDTRIP_GROUP = 'Round trip through your own mailbox (sends one test message to yourself; docs/roundtrip.md)';
const DISCOVERY_GROUP = 'Settings discovery (when TARGET is an address; docs/explain.md)';
const CREDENTIALS_GROUP = 'Credentials (one AUTH attempt per run, never more)';
const ENVELOPE_GROUP = 'Envelope (MAIL FROM / RCPT TO, then RSET: no message is ever sent)';
const PATH_GROUP = 'Network path (who blocks: your network, your ISP, security software or the server; docs/network-path.md)';
const SECURITY_WORDS = ['implicit-tls', 'starttls', 'none'] as const;

/** The output flags every reporting command shares. */
export const OUTPUT_OPTIONS = {
  json: { type: 'boolean', help: 'the report as JSON (schema: docs/json-report.md)', group: 'Output', essential: true },
  html: { type: 'string', arg: 'FILE', help: 'also write the report as an HTML page to FILE', group: 'Output', complete: 'file' },
  verbose: { type: 'boolean', short: 'v', help: 'finding codes, details and the transcript of every conversation (secrets redacted)', group: 'Output', essential: true },
  'no-color': { type: 'boolean', help: 'no ANSI colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)', group: 'Output' },
} as const satisfies OptionTable;

export const ROUNDTRIP_OPTIONS = {
  roundtrip: { type: 'boolean', help: 'log in to IMAP with the same credentials (cross-checks the password), send a tagged\nmessage to your own address, wait for it in the inbox and junk folder, read the\nreceiver\'s verdicts (Received, Authentication-Results, spam headers), delete it', group: ROUNDTRIP_GROUP },
  imap: { type: 'string', arg: 'HOST[:PORT]', help: 'the account\'s IMAP server (default: discovered, then imap./mail. guesses)', group: ROUNDTRIP_GROUP },
  pop3: { type: 'string', arg: 'HOST[:PORT]', help: 'an account read over POP3: cross-check the password there (POP3 cannot watch the\nmessage arrive without a second login, so nothing is sent)', group: ROUNDTRIP_GROUP },
  'imap-security': { type: 'string', arg: 'MODE', help: 'implicit-tls (default on 993/995) | starttls', group: ROUNDTRIP_GROUP, complete: ['implicit-tls', 'starttls'] },
  wait: { type: 'string', arg: 'SECONDS', help: 'how long to wait for the message (default 120, max 900)', group: ROUNDTRIP_GROUP },
  keep: { type: 'boolean', help: 'leave the test message in the mailbox', group: ROUNDTRIP_GROUP },
  'send-to': { type: 'string', arg: 'ADDRESS', help: 'send the test message there instead of your own address (an alias that delivers\nto this mailbox)', group: ROUNDTRIP_GROUP },
} as const satisfies OptionTable;

export const CHECK_OPTIONS = {
  host: { type: 'string', arg: 'HOST', help: 'SMTP server host name or IP', group: 'Server', essential: true },
  port: { type: 'string', arg: 'PORT', help: 'port (default: 587 for STARTTLS, 465 for SSL/TLS)', group: 'Server', essential: true },
  security: { type: 'string', arg: 'MODE', help: 'implicit-tls (alias ssl, tls) | starttls | none', group: 'Server', essential: true, complete: SECURITY_WORDS },
  ports: { type: 'string', arg: 'LIST', help: 'ports to sweep for alternatives (default 25,465,587,2525)', group: 'Server' },
  ca: { type: 'string', arg: 'FILE', multiple: true, help: 'trust this CA certificate (PEM) in addition to the system store', group: 'Server', complete: 'file' },
  helo: { type: 'string', arg: 'NAME', help: 'name to announce in EHLO (default sendcheck.localhost)', group: 'Server' },
  'from-config': { type: 'string', arg: 'PATH', help: 'check every outgoing account in a client configuration: Thunderbird prefs.js,\n.msmtprc, muttrc, git config (sendemail.*), Nodemailer JSON or SMTP URL, a .env file\n(docs/client-config.md); passwords in it are used, never printed', group: 'Server', essential: true, complete: 'file' },
  'no-autoconfig': { type: 'boolean', help: 'fetch no autoconfig document: neither the domain\'s (HTTPS, then plain HTTP)\nnor Thunderbird\'s ISP database\'s', group: DISCOVERY_GROUP },
  'autoconfig-host': { type: 'string', arg: 'H=IP:PORT', multiple: true, help: 'fetch autoconfig for host H from IP:PORT instead (testing; repeatable;\nhttp://H=IP:PORT for the plain-HTTP fetch)', group: DISCOVERY_GROUP },
  ispdb: { type: 'string', arg: 'URL', help: 'base URL of the ISP database (default https://autoconfig.thunderbird.net/v1.1/)', group: DISCOVERY_GROUP },
  user: { type: 'string', arg: 'NAME', help: 'login name (default: the email address given as TARGET)', group: CREDENTIALS_GROUP, essential: true },
  'password-stdin': { type: 'boolean', help: 'read the password from standard input (or SENDCHECK_PASSWORD; else a hidden prompt)', group: CREDENTIALS_GROUP, essential: true },
  password: { type: 'string', arg: 'PASS', help: 'password on the command line (insecure: visible to other users; prefer the above)', group: CREDENTIALS_GROUP },
  'oauth-token-stdin': { type: 'boolean', help: 'read an OAuth2 access token from standard input (XOAUTH2/OAUTHBEARER; or\nSENDCHECK_OAUTH_TOKEN)', group: CREDENTIALS_GROUP },
  mechanism: { type: 'string', arg: 'MECH', multiple: true, help: 'allow only this mechanism (repeatable): PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER', group: CREDENTIALS_GROUP, complete: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER'] },
  'no-auth': { type: 'boolean', help: 'do not authenticate even if credentials are known', group: CREDENTIALS_GROUP },
  'allow-plaintext-auth': { type: 'boolean', help: 'DANGEROUS: send the password even over a connection without TLS, where anyone on\nthe network path can read it (by default it is never sent so; docs/security.md)', group: CREDENTIALS_GROUP },
  from: { type: 'string', arg: 'ADDRESS', help: 'sender to test (MAIL FROM)', group: ENVELOPE_GROUP, essential: true },
  to: { type: 'string', arg: 'ADDRESS', multiple: true, help: 'recipient to test (RCPT TO; repeatable; needs --from). Never a message: the round\ntrip\'s recipient is --send-to', group: ENVELOPE_GROUP, essential: true },
  'no-domain': { type: 'boolean', help: 'skip the audit of the sender\'s domain (SPF, DKIM, DMARC, PTR, blocklists) that runs\nwhen the sender is known (see sendcheck domain)', group: ENVELOPE_GROUP },
  timeout: { type: 'string', arg: 'SECONDS', help: `per-step network timeout (default 5); the whole run stops after ${LIMITS.runDeadlineSteps} × the timeout\n+ ${LIMITS.runDeadlineSlackMs / 1000} s (the run deadline; docs/security.md), plus --wait and --hold when given`, group: 'Network', essential: true },
  resolver: { type: 'string', arg: 'IP[:PORT]', multiple: true, help: 'DNS server to use instead of the system resolver (repeatable)', group: 'Network' },
  'compare-resolver': { type: 'string', arg: 'IP[:PORT]', multiple: true, help: 'when the SMTP host does not resolve, also ask this resolver, to tell your resolver\'s\nfailure from the domain\'s (default: the zone\'s authoritative servers)', group: 'Network' },
  reference: { type: 'string', arg: 'HOST[:PORTS]', multiple: true, help: 'compare with this reference server on the same ports (repeatable; default\nsmtp.gmail.com:25,465,587, used only when the server has a public address)', group: PATH_GROUP },
  'no-reference': { type: 'boolean', help: 'no reference comparison', group: PATH_GROUP },
  hold: { type: 'string', arg: 'SECONDS', help: 'also hold an idle connection this long, then NOOP (finds idle cuts; max 300)', group: PATH_GROUP },
  'data-probe': { type: 'boolean', help: 'with --from and --to: send DATA, then close at the 354 without any message content\n(finds filters that cut the connection at DATA; never logs in)', group: PATH_GROUP },
  ...ROUNDTRIP_OPTIONS,
  replay: { type: 'string', arg: 'FILE', help: 'judge a saved --json report again with this version\'s rules (no network)', group: 'Offline', essential: true, complete: 'file' },
  ...OUTPUT_OPTIONS,
} as const satisfies OptionTable;

export const CHECK_SPEC = defineCommand({
  name: 'check',
  summary: 'diagnose the outgoing SMTP path (server, port, TLS, login, envelope)',
  usage: ['sendcheck check [TARGET] [options]'],
  description: 'Diagnose the outgoing (SMTP) path from this machine: resolve → connect → greeting → TLS → AUTH → envelope.\nTARGET is an email address (settings are discovered), an smtp:// or smtps:// URL, or a host name.',
  options: CHECK_OPTIONS,
  examples: [
    'sendcheck check alice@example.com                      # discover the server, ask for the password',
    'sendcheck check smtps://alice@mail.example.com:465     # an SMTP URL (smtps:// = implicit TLS)',
    'sendcheck check --host mail.example.com --port 587 --security starttls --user alice --password-stdin < pw.txt',
    'sendcheck check --host mail.example.com --from alice@example.com --to bob@example.org   # no message sent',
    'sendcheck check --from-config ~/.msmtprc               # the accounts your client already has',
  ],
  footer: EXIT_CODES,
});

// `roundtrip` is `check --roundtrip`: the same table without the flag, the round trip's options among the essentials.
const { roundtrip: _implied, ...CHECK_WITHOUT_ROUNDTRIP_FLAG } = CHECK_OPTIONS;
const ROUNDTRIP_ESSENTIALS: string[] = ['imap', 'pop3', 'wait', 'keep', 'send-to'];
const ROUNDTRIP_COMMAND_OPTIONS = Object.fromEntries(
  Object.entries(CHECK_WITHOUT_ROUNDTRIP_FLAG).map(([k, o]) => [k, ROUNDTRIP_ESSENTIALS.includes(k) ? { ...o, essential: true } : o]),
) as typeof CHECK_WITHOUT_ROUNDTRIP_FLAG;

export const ROUNDTRIP_SPEC = defineCommand({
  name: 'roundtrip',
  summary: 'send yourself a test message and watch it arrive over IMAP: folder, hops, SPF/DKIM/DMARC, spam score',
  usage: ['sendcheck roundtrip ADDRESS [options]'],
  description: `Send yourself a test message through your outgoing server and watch it arrive through the inbox that works:
  1. logs in to your IMAP server with the same password (IMAP ok + SMTP refused = an SMTP-specific cause;
     both refused = the password is wrong), one attempt each;
  2. checks the SMTP path like sendcheck check, then sends one tagged message to your own address;
  3. waits for it in the inbox and the junk folder (IMAP IDLE where offered), up to --wait seconds;
  4. reads what the receiver saw: the Received chain with the delay at each hop, Authentication-Results (SPF,
     DKIM, DMARC, ARC), spam-filter headers, the folder;
  5. deletes the message (unless --keep) and logs out.
Options: those of sendcheck check, plus the round trip's.`,
  options: ROUNDTRIP_COMMAND_OPTIONS,
  examples: [
    'sendcheck roundtrip you@example.com                     # settings and IMAP server discovered',
    'sendcheck roundtrip you@example.com --host smtp.example.com --imap imap.example.com:993 --password-stdin < pw.txt',
  ],
  footer: `${EXIT_CODES}\n("accepted but never arrived" is blocked.)`,
});

export const DOMAIN_OPTIONS = {
  ip: { type: 'string', arg: 'IP', multiple: true, help: 'the IP that sends the domain\'s mail (repeatable): SPF result, PTR, blocklists', group: 'Sender', essential: true },
  host: { type: 'string', arg: 'HOST', help: 'the SMTP server that sends; its addresses are used when no --ip is given', group: 'Sender', essential: true },
  helo: { type: 'string', arg: 'NAME', help: 'the name that server announces in HELO/EHLO (compared with the PTR)', group: 'Sender' },
  selector: { type: 'string', arg: 'NAME', multiple: true, help: 'DKIM selector to check (repeatable; default: discover among common names)', group: 'DKIM', essential: true },
  message: { type: 'string', arg: 'FILE', help: 'a message (.eml): check the selectors of its DKIM-Signature headers and verify them', group: 'DKIM', complete: 'file' },
  blocklist: { type: 'string', arg: 'ZONE', multiple: true, help: 'also query this DNS blocklist (repeatable; "domain:ZONE" for a domain list)', group: 'Reputation' },
  'no-default-blocklists': { type: 'boolean', help: 'do not query the lists in data/dnsbl.json', group: 'Reputation' },
  resolver: { type: 'string', arg: 'IP[:PORT]', multiple: true, help: 'DNS server to use instead of the system resolver (repeatable)', group: 'Network' },
  timeout: { type: 'string', arg: 'SECONDS', help: 'per-query timeout (default 5)', group: 'Network' },
  'no-propagation': { type: 'boolean', help: 'do not ask the zone\'s authoritative servers', group: 'Network' },
  'policy-host': { type: 'string', arg: 'HOST=IP:PORT', multiple: true, help: 'fetch the MTA-STS policy of HOST from IP:PORT (repeatable; testing, split DNS)', group: 'Network' },
  ca: { type: 'string', arg: 'FILE', multiple: true, help: 'trust this CA certificate (PEM) for the MTA-STS policy fetch', group: 'Network', complete: 'file' },
  file: { type: 'string', arg: 'FILE', help: 'one domain per line (# comments); audited concurrently, one result per line', group: 'Many domains', essential: true, complete: 'file' },
  concurrency: { type: 'string', arg: 'N', help: 'domains in flight with --file (default 16)', group: 'Many domains' },
  ...OUTPUT_OPTIONS,
} as const satisfies OptionTable;

export const DOMAIN_SPEC = defineCommand({
  name: 'domain',
  summary: 'audit a sending domain: SPF, DKIM, DMARC, reverse DNS, MTA-STS, propagation, blocklists',
  usage: ['sendcheck domain DOMAIN [options]', 'sendcheck domain --file domains.txt [--json]'],
  description: `Audit a sending domain: MX/A records and dangling aliases, SPF (syntax, multiple records, the 10-lookup and
2-void-lookup limits, loops, +all, the result for the sending IP), DKIM keys, DMARC (policy, syntax, external
report authorization), reverse DNS (PTR, forward-confirmed, HELO match), MTA-STS, TLS-RPT, BIMI, propagation
(the zone's authoritative servers against your resolver) and DNS blocklists (data/dnsbl.json).`,
  options: DOMAIN_OPTIONS,
  examples: [
    'sendcheck domain example.com --ip 203.0.113.7         # SPF result, PTR and blocklists for that sender',
    'sendcheck domain example.com --message bounce.eml     # verify the DKIM signatures of a received message',
    'sendcheck domain --file domains.txt --json            # many domains, one JSON line each',
  ],
  footer: `${EXIT_CODES}\nWith --file the worst domain decides.`,
});

export const EXPLAIN_SPEC = defineCommand({
  name: 'explain',
  summary: 'explain an error message, a bounce (.eml) or a log: the cause and what to run next',
  usage: ['sendcheck explain TEXT | FILE | -'],
  description: `Explain an error message, a log or a bounce: which step of sending failed, why, and what to run next.
Understands SMTP reply codes and RFC 3463 enhanced status codes, DSNs (per recipient), feedback reports,
auto-replies, client errors (OpenSSL "wrong version number", ECONNREFUSED, ETIMEDOUT, "Greeting never
received", certificate errors) and Outlook error numbers (0x800CCC0F …). Reads nothing from the network.`,
  options: {
    json: OUTPUT_OPTIONS.json,
    verbose: OUTPUT_OPTIONS.verbose,
    'no-color': OUTPUT_OPTIONS['no-color'],
  },
  examples: [
    'sendcheck explain "535-5.7.8 Username and Password not accepted"',
    'sendcheck explain bounce.eml                           # a delivery status notification (RFC 3464) or any bounce',
    'some-app 2>&1 | sendcheck explain -                    # an app\'s log on standard input',
  ],
  footer: EXIT_CODES,
});

export const SERVE_SPEC = defineCommand({
  name: 'serve',
  summary: 'the same checks in a local web page (loopback only)',
  usage: ['sendcheck serve [options]'],
  description: 'Serves the sendcheck page on http://127.0.0.1:PORT/ (default 8025): the same checks as the CLI, in a browser.\nIt listens on loopback only and answers only requests addressed to a loopback name.',
  options: {
    port: { type: 'string', arg: 'PORT', help: 'the port to listen on (default 8025)', group: 'Options', essential: true },
    ca: { type: 'string', arg: 'FILE', multiple: true, help: 'trust this CA certificate (PEM) in addition to the system store', group: 'Options', essential: true, complete: 'file' },
    resolver: { type: 'string', arg: 'IP[:PORT]', multiple: true, help: 'DNS server to use instead of the system resolver (repeatable)', group: 'Options', essential: true },
    open: { type: 'boolean', help: 'open the page in the default browser', group: 'Options', essential: true },
  },
  examples: ['sendcheck serve --open                                 # the page in your browser (also: sendcheck with no command)'],
});

export const DEMO_SPEC = defineCommand({
  name: 'demo',
  summary: 'run check against built-in faulty servers on loopback (no network, no account)',
  usage: ['sendcheck demo [SCENARIO...] [options]'],
  description: `Starts small faulty mail servers on loopback and diagnoses each with the real engine, offline: wrong TLS
mode, old password, app password, no login, expired certificate, a port the kernel silently drops, an antivirus
that re-signs TLS, a firewall that strips STARTTLS, a router that cuts idle connections.
The round trip is not among them: it needs an IMAP server, and no maintained library runs one in-process
(hoodiecrow-imap is deprecated by its author; WildDuck needs MongoDB and Redis). npm test shows it against Dovecot.`,
  options: {
    list: { type: 'boolean', help: 'the scenarios, one line each', group: 'Options', essential: true },
    json: OUTPUT_OPTIONS.json,
    verbose: OUTPUT_OPTIONS.verbose,
    'no-color': OUTPUT_OPTIONS['no-color'],
  },
  examples: ['sendcheck demo --list                                  # what each scenario shows', 'sendcheck demo antivirus-interception                  # one scenario'],
});

export const EXPORTER_SPEC = defineCommand({
  name: 'exporter',
  summary: 'a Prometheus exporter: /probe?module=M&target=T runs a check, /metrics has the exporter\'s own',
  usage: ['sendcheck exporter --config FILE [--listen HOST:PORT]'],
  description: 'Serves the multi-target exporter pattern for Prometheus (docs/monitoring.md): each scrape of\n/probe?module=M&target=T runs one check with module M of the config file and answers its metrics.\nLoopback only unless --listen names another address. At most one AUTH per probe; after a credential\nrejection the account is not logged in to again for auth_backoff (default 1h) unless the config changes.',
  options: {
    config: { type: 'string', arg: 'FILE', help: 'the modules (YAML; see docs/monitoring.md and examples/monitoring/sendcheck.yml)', group: 'Options', essential: true, complete: 'file' },
    listen: { type: 'string', arg: 'HOST:PORT', help: 'where to listen (default 127.0.0.1:9825, or the config\'s listen)', group: 'Options', essential: true },
  },
  examples: ['sendcheck exporter --config sendcheck.yml                # then scrape http://127.0.0.1:9825/probe?module=submission&target=smtp.example.com'],
});

export const COMPLETION_SPEC = defineCommand({
  name: 'completion',
  summary: 'print shell completion for bash, zsh or fish',
  usage: ['sendcheck completion bash|zsh|fish'],
  description: 'Prints a completion script for the shell; commands, options and option values complete with TAB.',
  options: {},
  examples: [
    'source <(sendcheck completion bash)                    # bash: add to ~/.bashrc',
    'sendcheck completion zsh > "${fpath[1]}/_sendcheck"    # zsh',
    'sendcheck completion fish > ~/.config/fish/completions/sendcheck.fish',
  ],
});

export const COMMAND_SPECS = [CHECK_SPEC, ROUNDTRIP_SPEC, DOMAIN_SPEC, EXPLAIN_SPEC, SERVE_SPEC, DEMO_SPEC, EXPORTER_SPEC, COMPLETION_SPEC] as const;
