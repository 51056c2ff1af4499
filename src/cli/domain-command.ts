// `sendcheck domain`: argv → DomainInput → runDomain() → rendered report → exit code. With --file, many domains
// concurrently over one resolver (one cache), one result per line (a JSON line each with --json).
import { readBounded, readCaFile } from '../input/read-bounded.js';
import { LIMITS } from '../net/limits.js';
import { runDomain, validateDomainInput } from '../domain/run.js';
import type { DomainInput } from '../input/domain-input.js';
import type { DomainFacts } from '../facts/domain.js';
import { ExitCode, UserError } from '../errors.js';
import { DnsResolver } from '../net/resolver.js';
import { checkHtmlPath, writeHtmlReport } from './html-output.js';
import { renderJson } from '../report/json.js';
import type { Report } from '../report/types.js';
import { exitCodeOfVerdict, VERDICT_TEXT, worstVerdict, type Verdict } from '../report/verdict.js';
import { visible } from '../report/visible.js';
import { assertNoControl, validateResolver, validateTimeoutSeconds } from '../input/validate.js';
import { renderForCli } from './check-command.js';
import type { CliIo } from './io.js';
import { parseCommandLine, type OptionValues } from './options.js';
import { DOMAIN_SPEC } from './specs.js';

function policyHosts(specs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs ?? []) {
    assertNoControl('policy-host', s);
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UserError('usage', `--policy-host "${s}" must be HOST=IP:PORT (e.g. mta-sts.example.com=127.0.0.1:8443)`);
    out[s.slice(0, eq).trim().toLowerCase()] = s.slice(eq + 1).trim();
  }
  return out;
}

/** What the audit saw, in a few lines, above the findings (terminal only): the "what works" of a domain. */
export function domainSummary(d: DomainFacts): string {
  const out: string[] = [];
  const row = (k: string, v: string) => out.push(visible(`  ${k.padEnd(8)} ${v}`));
  const mx = d.addresses.mx.records;
  row('MX', mx.length ? mx.map((m) => `${m.priority} ${m.exchange}${(() => { const h = d.addresses.hosts.find((x) => x.name === m.exchange); return h?.addresses.length ? ` (${h.addresses.join(', ')})` : ''; })()}`).join('; ') : `none${d.addresses.mx.error ? ` (${d.addresses.mx.error})` : ''}`);
  row('SPF', d.spf.records.length ? `${d.spf.records.join(' | ')}  (${d.spf.totalLookups} DNS lookups)` : 'none');
  for (const e of d.spf.evaluations) row('', `${e.ip}: ${e.result}${e.decidedBy ? ` (${e.decidedBy})` : ''}`);
  const keys = d.dkim.keys.filter((k) => k.found);
  row('DKIM', keys.length ? keys.map((k) => `${k.selector}: ${k.revoked ? 'revoked' : `${k.keyType}${k.bits ? ` ${k.bits}` : ''}${k.testing ? ' t=y' : ''}`}`).join('; ') : d.dkim.discoveryTried.length ? `no key at ${d.dkim.discoveryTried.length} common selectors (give --selector)` : 'no key');
  const p = d.dmarc.parsed;
  row('DMARC', p ? `p=${p.p ?? '?'}${p.sp ? ` sp=${p.sp}` : ''}${p.pct < 100 ? ` pct=${p.pct}` : ''} at ${d.dmarc.foundAt}` : d.dmarc.records.length ? 'unusable record' : 'none');
  for (const x of d.ptr) row('PTR', `${x.ip} → ${x.names.join(', ') || 'none'}${x.names.length ? (x.confirmed.length ? ', forward-confirmed' : ', not forward-confirmed') : ''}${x.helo ? `, HELO ${x.helo} ${x.heloMatches ? 'matches' : 'differs'}` : ''}`);
  if (!d.ips.length) row('IP', `none evaluated (give --ip or --host)${d.privateIpsSkipped?.length ? `; private ${d.privateIpsSkipped.join(', ')} skipped` : ''}`);
  row('TLS', [`MTA-STS ${d.mtaSts ? (d.mtaSts.policy?.mode ?? 'policy not fetched') : 'none'}`, `TLS-RPT ${d.tlsRpt ? 'yes' : 'none'}`, `DANE ${d.dane.length ? `${d.dane.length} MX with TLSA` : 'none'}`, `BIMI ${d.bimi ? 'yes' : 'none'}`].join(', '));
  if (d.propagation) row('NS', d.propagation.error ?? `${d.propagation.nameservers.map((n) => n.name).join(', ')}: ${d.propagation.differences.length ? `${d.propagation.differences.length} answers differ from the resolver's` : 'same answers as the resolver'}`);
  const listed = d.blocklists.filter((b) => b.status === 'listed').length;
  const answered = d.blocklists.filter((b) => b.status !== 'error').length;
  row('Lists', `${d.blocklists.length} queried, ${answered} answered, ${listed} listing${listed === 1 ? '' : 's'}`);
  return `${out.join('\n')}\n\n`;
}

/** One line per domain for --file without --json. */
function summaryLine(r: Report): string {
  const d = r.facts.extra.domain;
  const name = d?.domain ?? r.facts.extra.domainName;
  const verdict = VERDICT_TEXT[r.verdict].short;
  const codes = [...new Set(r.findings.filter((f) => f.severity !== 'info').map((f) => f.code))];
  return `${visible(name ?? '?')}\t${verdict}\t${r.rootCause?.code ?? '-'}\t${codes.join(',') || '-'}\n`;
}

type DomainValues = OptionValues<typeof DOMAIN_SPEC.options>;

/** Usage errors caught before anything is read or queried. */
function checkDomainUsage(values: DomainValues, positionals: string[]): void {
  if (values.html !== undefined) {
    if (values.file) throw new UserError('usage', '--html writes one report: give a single DOMAIN, not --file');
    checkHtmlPath(values.html);
  }
  if (values.file && positionals.length) throw new UserError('usage', 'give either DOMAIN or --file, not both');
  if (!values.file && positionals.length !== 1) throw new UserError('usage', positionals.length ? `one domain at a time (or --file); got ${positionals.length}` : 'nothing to check: give a domain (sendcheck domain example.com) or --file');
}

/** Everything an audit is given except the domain itself: shared by every line of --file. */
function domainInputBase(values: DomainValues): Omit<DomainInput, 'domain'> {
  const timeoutMs = values.timeout !== undefined ? validateTimeoutSeconds(values.timeout) : undefined;
  const resolvers = (values.resolver ?? []).map(validateResolver);
  return {
    ips: values.ip,
    host: values.host,
    helo: values.helo,
    selectors: values.selector,
    message: values.message ? readBounded(values.message, LIMITS.maxMessageBytes, `--message ${values.message}`, 'give one message (.eml)').toString('utf8') : undefined,
    blocklists: values.blocklist,
    defaultBlocklists: !values['no-default-blocklists'],
    propagation: !values['no-propagation'],
    resolvers,
    timeoutMs,
    policyHosts: policyHosts(values['policy-host']),
    ca: (values.ca ?? []).map((f) => readCaFile(f, LIMITS.maxCaBytes)),
  };
}

/** One domain: the summary and the findings on the terminal (or the JSON report), and the HTML report if asked. */
async function auditOneDomain(domain: string, base: Omit<DomainInput, 'domain'>, values: DomainValues, io: CliIo): Promise<number> {
  const report = await runDomain({ ...base, domain });
  if (!values.json) {
    const d = report.facts.extra.domain;
    io.stdout(`sendcheck domain ${visible(d?.domain ?? domain)}\n\n${d ? domainSummary(d) : ''}`);
  }
  renderForCli(report, values, io);
  if (values.html !== undefined) writeHtmlReport(values.html, report);
  return exitCodeOfVerdict(report.verdict);
}

interface ListedDomain { domain: string; line: number }

/** The domains of --file, each with the line it came from, every one validated before any query. */
function readDomainList(file: string): ListedDomain[] {
  // Each domain keeps the line it came from: results are printed in file order and carry target.line.
  const domains = readBounded(file, LIMITS.maxDomainListBytes, `--file ${file}`, 'give a list of domains, one a line').toString('utf8').split(/\r?\n/)
    .map((l, i) => ({ domain: l.replace(/#.*/, '').trim(), line: i + 1 })).filter((d) => d.domain);
  if (!domains.length) throw new UserError('usage', `--file ${file}: no domains in the file`);
  return domains;
}

/** Validate every line before any query: a typo on line 900 must not surface after 899 audits. */
function validateDomainList(file: string, domains: ListedDomain[], base: Omit<DomainInput, 'domain'>): void {
  for (const d of domains) {
    try {
      validateDomainInput({ ...base, domain: d.domain });
    } catch (e) {
      if (e instanceof UserError) throw new UserError(e.code, `--file ${file} line ${d.line}: ${e.message}`);
      throw e;
    }
  }
}

/** Many domains concurrently over one resolver (one cache), one result per line, printed in file order. */
async function auditDomainList(domains: ListedDomain[], concurrency: number, base: Omit<DomainInput, 'domain'>, values: DomainValues, io: CliIo): Promise<number> {
  const resolver = new DnsResolver({ servers: base.resolvers, timeoutMs: base.timeoutMs ?? 5000 });
  const done: (Report | undefined)[] = [];
  let printed = 0;
  let next = 0;
  const verdicts: Verdict[] = [];
  // Audits finish in any order; each result is printed once it and every line before it are done.
  const flush = () => {
    for (; printed < domains.length && done[printed]; printed++) {
      const r = done[printed]!;
      io.stdout(values.json ? renderJson(r, { pretty: false }) : summaryLine(r));
      done[printed] = undefined;
    }
  };
  const worker = async () => {
    while (next < domains.length) {
      const i = next++;
      const r = await runDomain({ ...base, domain: domains[i]!.domain }, { resolver, line: domains[i]!.line });
      verdicts.push(r.verdict);
      done[i] = r;
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, domains.length) }, worker));
  return exitCodeOfVerdict(worstVerdict(verdicts));
}

export async function domainCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(DOMAIN_SPEC, argv, io.stdout);
  if (!args) return ExitCode.ok;
  const { values, positionals } = args;
  checkDomainUsage(values, positionals);
  const base = domainInputBase(values);
  if (!values.file) return auditOneDomain(positionals[0]!, base, values, io);
  const domains = readDomainList(values.file);
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : 16;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new UserError('invalid-value', '--concurrency must be a whole number between 1 and 256');
  validateDomainList(values.file, domains, base);
  return auditDomainList(domains, concurrency, base, values, io);
}
