// `sendcheck domain` as a user runs it (the built CLI in dist/), against the lab's Knot on 127.0.0.30.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../helpers/cli.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

let resolver: string;
const dir = tempDir('domain-cli');
beforeAll(() => {
  const lab = loadLabEnv();
  resolver = `${lab.dns.server}:${lab.dns.port}`;
});

describe('sendcheck domain (CLI)', () => {
  it('one domain: terminal report, exit 4: at risk (receivers refuse it), not blocked', async () => {
    const r = await runCli(['domain', 'reject.dom.test', '--resolver', resolver, '--ip', '127.0.0.42', '--no-default-blocklists', '--no-propagation']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^sendcheck domain reject\.dom\.test/);
    expect(r.stdout).toMatch(/ROOT CAUSE\n\s+SPF does not authorise the sending IP/);
    expect(r.stdout).toMatch(/DMARC rejects the mail/);
    // what the audit saw, above the findings
    expect(r.stdout).toMatch(/^  SPF +v=spf1 ip4:192\.0\.2\.1 -all/m);
    expect(r.stdout).toMatch(/^ +127\.0\.0\.42: fail \(-all\)$/m);
    expect(r.stdout).toMatch(/^  DMARC +p=reject at _dmarc\.reject\.dom\.test$/m);
    expect(r.stdout).toMatch(/^  PTR +127\.0\.0\.42 → mx\.good\.dom\.test, forward-confirmed$/m);
  });

  it('--json: the versioned Report with command "domain"', async () => {
    const r = await runCli(['domain', 'good.dom.test', '--resolver', resolver, '--ip', '127.0.0.42', '--helo', 'mx.good.dom.test', '--selector', 'sel1', '--blocklist', 'bl.test', '--no-default-blocklists', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.command).toBe('domain');
    expect(codesOf(report)).toEqual(['dns.mta-sts-policy-unreachable']);
    expect(r.code).toBe(0);
  });

  it('--file --json: many domains concurrently, one JSON line each', async () => {
    const file = join(dir, 'domains.txt');
    const list = ['good.dom.test', 'reject.dom.test', 'nospf.dom.test', 'twospf.dom.test', 'nx.dom.test', 'loop.dom.test'];
    writeFileSync(file, `# fixture domains\n${list.join('\n')}\n\n`);
    const r = await runCli(['domain', '--file', file, '--json', '--resolver', resolver, '--ip', '127.0.0.42', '--no-default-blocklists', '--concurrency', '3']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(list.length);
    const reports = lines.map((l) => JSON.parse(l) as Report);
    const byDomain = new Map(reports.map((x) => [(x.facts.extra.domain as { domain: string }).domain, x]));
    expect([...byDomain.keys()].sort()).toEqual([...list].sort());
    for (const x of reports) codesOf(x);
    expect(byDomain.get('twospf.dom.test')!.rootCause?.code).toBe('dns.spf-multiple');
    // each report counts the queries of its own domain, not those of the domains audited beside it
    expect(byDomain.get('nx.dom.test')!.stats.dnsQueries).toBeLessThan(byDomain.get('good.dom.test')!.stats.dnsQueries);
    expect(byDomain.get('good.dom.test')!.stats.dnsQueries).toBeLessThan(120);
    expect(byDomain.get('nx.dom.test')!.findings.map((f) => f.code)).toEqual(['dns.domain-not-found']);
    expect(r.code).toBe(4);
  });

  it('--file without --json: a tab-separated line per domain', async () => {
    const file = join(dir, 'two.txt');
    writeFileSync(file, 'good.dom.test\nnospf.dom.test\n');
    const r = await runCli(['domain', '--file', file, '--resolver', resolver, '--ip', '127.0.0.42', '--no-default-blocklists', '--no-propagation']);
    expect(r.stdout).toMatch(/^nospf\.dom\.test\tWARN\t-\t.*dns\.spf-missing/m);
    expect(r.code).toBe(0);
  });

  it('--message: the selectors of a real message, and its signature verified', async () => {
    const { dkimSign } = await import('mailauth/lib/dkim/sign.js');
    const message = 'From: alice@dkim.dom.test\r\nTo: bob@example.test\r\nSubject: hi\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\nHello\r\n';
    const privateKey = readFileSync(new URL('fixtures/sel1.key', import.meta.url), 'utf8');
    const s = (await dkimSign(message, { signatureData: [{ signingDomain: 'dkim.dom.test', selector: 'sel1', privateKey }] } as never)) as { signatures: string };
    const file = join(dir, 'sent.eml');
    writeFileSync(file, s.signatures + message);
    const r = await runCli(['domain', 'dkim.dom.test', '--message', file, '--resolver', resolver, '--ip', '127.0.0.42', '--no-default-blocklists', '--no-propagation', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    const d = report.facts.extra.domain as { dkim: { keys: { selector: string; source: string; bits: number }[]; messageResults: { result: string }[] } };
    expect(d.dkim.keys).toEqual([expect.objectContaining({ selector: 'sel1', source: 'message', bits: 2048 })]);
    expect(d.dkim.messageResults.map((m) => m.result)).toEqual(['pass']);
    expect(codesOf(report)).toEqual([]);
  });

  it.each([
    [['domain'], /nothing to check/],
    [['domain', 'a.test', 'b.test'], /one domain at a time/],
    [['domain', 'bad_domain!'], /not a valid host name/],
    [['domain', 'example.test', '--ip', '999.1.1.1'], /not an IPv4 or IPv6 address/],
    [['domain', 'example.test', '--selector', 'a b'], /not a DNS label/],
    [['domain', 'example.test', '--policy-host', 'mta-sts.example.test'], /HOST=IP:PORT/],
    [['domain', '--file', '/nonexistent/domains.txt'], /cannot read the file/],
    [['domain', 'example.test', '--resolver', 'dns.google'], /must be an IP address/],
  ])('usage error: %j', async (args, msg) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg as RegExp);
  });

  it('--help-all lists every option', async () => {
    const r = await runCli(['domain', '--help-all']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--blocklist ZONE/);
  });
});
