// Every text the web page shows, in one table, so the page can be translated later: a translation is another
// object of the same shape. Server-rendered parts read it directly; the page's script gets the `client` part as a
// JSON data block. Values with {name} placeholders are filled by fill().

export const STRINGS = {
  lang: 'en',
  title: 'sendcheck',
  tagline: 'I can receive email, so why can\'t I send it? This page runs on your computer and checks from here.',
  tabs: { check: 'Check my email', domain: 'Domain', explain: 'Explain an error', replay: 'Open a report' },
  check: {
    legend: 'Your email account',
    email: 'Email address',
    password: 'Password (optional)',
    passwordHint: 'Used for one login to your outgoing server, never stored. Without it, sendcheck checks everything up to the login.',
    submit: 'Check',
    running: 'Checking…',
    advanced: 'Advanced settings (filled in from what your domain publishes)',
    host: 'Outgoing server (SMTP)',
    port: 'Port',
    security: 'Connection security',
    securityAuto: 'Automatic',
    user: 'User name',
    userHint: 'Leave empty to use the email address.',
    timeout: 'Timeout per step (seconds)',
    roundtrip: 'Send myself a test message and watch it arrive (round trip)',
    roundtripHint: 'Sends one message to your own address, finds it over IMAP, reads the receiver\'s verdicts, deletes it. Needs the password.',
    imap: 'Incoming server (IMAP)',
    wait: 'Wait for the message (seconds)',
    discovering: 'Looking up the settings your domain publishes…',
    discovered: 'Found settings for {domain}.',
    notDiscovered: 'No published settings found for {domain}; sendcheck will guess and test the usual ports.',
    from: 'from {source}',
    source: { srv: 'DNS SRV record', autoconfig: 'autoconfig', provider: 'provider table', 'mx-provider': 'MX record', guess: 'conventional name', ispdb: 'ISPDB' } as Record<string, string>,
  },
  domain: {
    legend: 'Audit a sending domain',
    domain: 'Domain',
    hint: 'SPF, DKIM, DMARC, reverse DNS, MTA-STS, blocklists: what receivers check before they accept your mail.',
    submit: 'Audit',
  },
  explain: {
    legend: 'Explain an error message or a bounce',
    text: 'Paste the error, the bounce or a log line',
    file: 'Or open a bounce or message file (.eml)',
    submit: 'Explain',
  },
  replay: {
    legend: 'Open a saved report',
    file: 'A report saved as JSON (from this page or sendcheck check --json)',
    hint: 'The saved observations are judged again by this version, offline.',
    submit: 'Open',
  },
  path: {
    label: 'The path your mail takes',
    nodes: { device: 'This device', local: 'Local network / security software', isp: 'Internet provider', server: 'Mail server', recipient: 'Recipient' },
    states: { idle: 'not checked yet', active: 'checking', ok: 'works', failed: 'broken here', warning: 'works, with a warning', skipped: 'not reached', 'not-tested': 'not tested' },
  },
  answer: {
    verdict: { ok: 'Sending works', warnings: 'Sending works, with warnings', 'at-risk': 'Sending works, but is at risk', blocked: 'Sending is blocked' } as Record<string, string>,
    verdictDomain: { ok: 'The domain looks right', warnings: 'The domain works, with warnings', 'at-risk': 'The domain works, but mail is at risk', blocked: 'Receivers will refuse this domain\'s mail' } as Record<string, string>,
    verdictExplain: { unrecognized: 'Nothing in this text was recognised', ok: 'Nothing in this text points to a problem', warnings: 'What this message means', 'at-risk': 'What this message means', blocked: 'What this message means' } as Record<string, string>,
    checked: 'Checked {what}',
    rootCause: 'What is wrong',
    noProblem: 'Nothing on the path stopped your mail.',
    noProblemDomain: 'What receivers check (SPF, DKIM, DMARC, reverse DNS, MTA-STS, blocklists) raised no problem.',
    fix: 'How to fix it',
    change: 'Change these settings in your mail program',
    settings: 'Settings that work',
    settingsNote: 'What this check saw working from here.',
    copy: 'Copy settings',
    copied: 'Copied',
    serverName: 'Outgoing server (SMTP)',
    port: 'Port',
    security: 'Connection security',
    auth: 'Authentication',
    user: 'User name',
    authNames: { normal: 'normal password', encrypted: 'encrypted password', oauth: 'OAuth2', none: 'none offered' } as Record<string, string>,
    securityNames: { 'implicit-tls': 'SSL/TLS', starttls: 'STARTTLS', none: 'None' } as Record<string, string>,
    noWorking: 'No working setting was seen from here: fix the problem above first.',
    otherFindings: 'Also found ({count})',
    evidence: 'Evidence: what was seen',
    steps: 'Each step',
    transcript: 'Conversation with the server (passwords removed)',
    roundtrip: 'Round trip',
    cli: 'For the command line',
    cliCommand: 'The same check in a terminal:',
    cliSteps: 'Steps that use sendcheck\'s options:',
    download: 'Save the report for a help desk',
    downloadHtml: 'Download report (HTML)',
    downloadJson: 'Download report (JSON)',
    code: 'code',
    where: 'at',
    severity: { blocker: 'Problem', warning: 'Warning', info: 'Note' } as Record<string, string>,
  },
  errors: {
    forbiddenHost: 'forbidden: this page answers only on a loopback address',
    forbiddenOrigin: 'forbidden: this page accepts requests only from itself',
    tooLarge: 'too large: at most {limit} KB',
    busy: 'A check of this account is already running: wait for it to finish (one check means one login).',
    notJson: 'the request must be JSON',
    notFound: 'not found',
    internal: 'internal error: this is a bug in sendcheck',
    network: 'The page lost its connection to sendcheck. Is `sendcheck serve` still running?',
    readFile: 'Cannot read that file.',
    notAReport: 'That file is not JSON.',
    emailNeeded: 'Enter your email address.',
    fileTooLarge: 'That file is too large (at most {limit} KB).',
  },
  footer: 'Everything runs on this computer; nothing is sent anywhere but to the servers being checked.',
};

export type Strings = typeof STRINGS;

/** "{limit} KB" + { limit: 16 } → "16 KB". Unknown names stay as they are. */
export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** What the page's script needs (the rest is rendered on the server). */
export function clientStrings(s: Strings = STRINGS) {
  return {
    running: s.check.running, submit: { check: s.check.submit, domain: s.domain.submit, explain: s.explain.submit, replay: s.replay.submit },
    discovering: s.check.discovering, discovered: s.check.discovered, notDiscovered: s.check.notDiscovered, from: s.check.from, source: s.check.source,
    copied: s.answer.copied, copy: s.answer.copy, states: s.path.states, nodes: s.path.nodes, errors: s.errors,
  };
}
