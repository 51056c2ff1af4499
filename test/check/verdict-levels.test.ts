// Verdict levels: "blocked" (mail does not leave, or was refused) is told apart from "at-risk" (mail leaves, and
// receivers may junk or refuse some: the sender's domain DNS, a blocklist). Exit codes: 0 ok/warnings, 1 blocked,
// 4 at risk. Live runs go through the lab's Postfix with Knot as the resolver (dom.test fault zones).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFinding } from '../../src/findings/make.js';
import { buildReport } from '../../src/report/build.js';
import { buildTarget } from '../../src/input/parse.js';
import type { Target } from '../../src/input/target.js';
import { renderHtml } from '../../src/report/html.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { Report } from '../../src/report/types.js';
import { exitCodeOfVerdict, verdictOf, worstVerdict } from '../../src/report/verdict.js';
import { runCli } from '../helpers/cli.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

const lab = loadLabEnv();
const alice = lab.users.find((u) => u.user === 'alice@example.test')!;
const checkArgs = (from: string, password = alice.password) => ({
  args: ['check', '--host', lab.smtpName, '--port', '587', '--security', 'starttls', '--user', alice.user, '--password-stdin',
    '--from', from, '--to', 'bob@example.test', '--resolver', `${lab.dns.server}:${lab.dns.port}`, '--ca', lab.caFile, '--ports', '587', '--timeout', '3', '--json'],
  input: `${password}\n`,
});

describe('verdict levels from findings (fact fixtures, no network)', () => {
  const spf = makeFinding('dns.spf-multiple', { evidence: [{ text: 'two v=spf1 records' }] });
  const auth = makeFinding('auth.credentials-rejected', { evidence: [{ text: '535 5.7.8' }] });
  const dmarcMissing = makeFinding('dns.dmarc-missing', { evidence: [{ text: 'no _dmarc record' }] });
  it('a path blocker blocks; a domain or reputation blocker alone puts delivery at risk; warnings stay warnings', () => {
    expect(verdictOf('check', [spf, auth])).toBe('blocked');
    expect(verdictOf('check', [spf])).toBe('at-risk');
    expect(verdictOf('domain', [spf, dmarcMissing])).toBe('at-risk');
    expect(verdictOf('check', [makeFinding('reputation.ip-listed', { evidence: [], vars: { list: 'bl.test' } })])).toBe('at-risk');
    expect(verdictOf('check', [dmarcMissing])).toBe('warnings');
    expect(verdictOf('check', [])).toBe('ok');
  });
  it('explain reads what already happened: a receiver\'s refusal there is blocked', () => {
    expect(verdictOf('explain', [makeFinding('dns.dmarc-fail', { evidence: [] })])).toBe('blocked');
  });
  it('exit codes: 0 ok or warnings, 1 blocked, 4 at risk; several runs take the worst', () => {
    expect([exitCodeOfVerdict('ok'), exitCodeOfVerdict('warnings'), exitCodeOfVerdict('blocked'), exitCodeOfVerdict('at-risk')]).toEqual([0, 0, 1, 4]);
    expect(worstVerdict(['ok', 'at-risk', 'warnings'])).toBe('at-risk');
    expect(worstVerdict(['at-risk', 'blocked'])).toBe('blocked');
  });
  it('renderers say "at risk", never "blocked", and the domain hop is drawn as a warning', () => {
    const r = buildReport({ command: 'check', target: buildTarget({ host: 'smtp.example.test' }) as Target, facts: { connects: [], speaks: [], extra: {} }, findings: [spf], transcripts: [], startedAt: new Date(), durationMs: 1, dnsQueries: 0 });
    expect(r.verdict).toBe('at-risk');
    const text = renderTerminal(r);
    expect(text).toMatch(/AT RISK: mail leaves, but receivers may junk or refuse some of it/);
    expect(text).not.toMatch(/BLOCKED/);
    expect(renderHtml(r)).toMatch(/<h1>sendcheck: mail leaves, but receivers may junk or refuse some of it<\/h1>/);
  });
});

describe('live: a working submission with a broken sender domain is at risk, not blocked', () => {
  it('two SPF records (DMARC p=none), login and envelope accepted: at-risk, exit 4, every path hop ✓', async () => {
    const { args, input } = checkArgs('alice@twospf.dom.test');
    const run = await runCli(args, { input });
    const r = JSON.parse(run.stdout) as Report;
    expect(codesOf(r)).toContain('dns.spf-multiple');
    expect(r.verdict).toBe('at-risk');
    expect(run.code).toBe(4);
    expect(r.hops.filter((h) => h.hop !== 'domain').map((h) => h.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(r.hops.find((h) => h.hop === 'domain')).toMatchObject({ status: 'warning', summary: expect.stringMatching(/more than one SPF record/) });
    const text = await runCli(args.filter((a) => a !== '--json'), { input });
    expect(text.stdout).toMatch(/AT RISK: mail leaves/);
    expect(text.stdout).not.toMatch(/BLOCKED/);
  });
  it('the same run with a wrong password is blocked, exit 1', async () => {
    const { args, input } = checkArgs('alice@twospf.dom.test', 'not-the-password');
    const run = await runCli(args, { input });
    const r = JSON.parse(run.stdout) as Report;
    expect(codesOf(r)[0]).toBe('auth.credentials-rejected');
    expect(r.verdict).toBe('blocked');
    expect(run.code).toBe(1);
  });
  it('sendcheck domain: at-risk exits 4, a healthy domain 0, and --file takes the worst', async () => {
    const resolver = `${lab.dns.server}:${lab.dns.port}`;
    const common = ['--resolver', resolver, '--ip', '127.0.0.42', '--helo', 'mx.good.dom.test', '--no-default-blocklists', '--no-propagation', '--timeout', '2'];
    const two = await runCli(['domain', 'twospf.dom.test', ...common, '--json']);
    expect((JSON.parse(two.stdout) as Report).verdict).toBe('at-risk');
    expect(two.code).toBe(4);
    const good = await runCli(['domain', 'good.dom.test', ...common, '--selector', 'sel1', '--json']);
    expect((JSON.parse(good.stdout) as Report).verdict).not.toBe('at-risk');
    expect(good.code).toBe(0);
    const list = join(tempDir('verdict-levels'), 'domains.txt');
    writeFileSync(list, 'good.dom.test\ntwospf.dom.test\n');
    const many = await runCli(['domain', '--file', list, ...common]);
    expect(many.stdout).toMatch(/^twospf\.dom\.test\tAT-RISK\tdns\.spf-multiple\t/m);
    expect(many.code).toBe(4);
  });
});
