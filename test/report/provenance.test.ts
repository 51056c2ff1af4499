// Where the settings came from, said in the terminal (as Thunderbird tells its user): one line per discovery
// source, and the password asked for only once discovery found a server, naming the login that will be used.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CandidateSource, DiscoveryFact, SubmissionCandidate } from '../../src/facts/discovery.js';
import type { Facts } from '../../src/facts/index.js';
import { foundBy } from '../../src/report/provenance.js';
import { roundtripSummary } from '../../src/report/roundtrip-summary.js';
import { CLI, runCli } from '../helpers/cli.js';
import { loadLabEnv } from '../helpers/lab-env.js';

const lab = loadLabEnv();
const DNS = `${lab.dns.server}:${lab.dns.port}`;
const server = { host: 'smtp.example.com', port: 587 };
const cand = (source: string, detail: string, host = server.host): SubmissionCandidate => ({ host, port: 587, security: 'starttls', source: source as CandidateSource, detail });
const discovery = (candidates: SubmissionCandidate[], compared = false): { discovery: DiscoveryFact } => ({ discovery: { email: 'alice@example.com', compared, candidates, imap: [], autoconfig: [], failedLookups: [] } });

describe('found by: one line per discovery source', () => {
  const cases: [SubmissionCandidate, string][] = [
    [cand('srv', 'SRV _submission._tcp.example.com'), 'SRV _submission._tcp.example.com'],
    [cand('autoconfig', 'autoconfig https://autoconfig.example.com/mail/config-v1.1.xml'), 'autoconfig https://autoconfig.example.com/mail/config-v1.1.xml'],
    [cand('autoconfig', 'autoconfig http://autoconfig.example.com/mail/config-v1.1.xml'), 'autoconfig http://autoconfig.example.com/mail/config-v1.1.xml (plain HTTP: unauthenticated)'],
    [cand('provider', 'Fastmail (provider table)'), 'provider table: Fastmail'],
    [cand('mx-provider', 'MX in1-smtp.messagingengine.com belongs to Fastmail'), 'provider table: Fastmail (the domain\'s MX in1-smtp.messagingengine.com)'],
    [cand('guess', 'smtp.example.com exists (conventional name)'), 'guess: smtp.example.com exists (conventional name)'],
    [cand('ispdb', 'Thunderbird ISP database https://autoconfig.thunderbird.net/v1.1/example.com'), 'Thunderbird ISP database https://autoconfig.thunderbird.net/v1.1/example.com'],
    [cand('autoconfig-http', 'autoconfig http://autoconfig.example.com/mail/config-v1.1.xml'), 'autoconfig http://autoconfig.example.com/mail/config-v1.1.xml (plain HTTP: unauthenticated)'],
    // A source added later still shows, in its own words.
    [cand('later-source', 'a new way to find servers'), 'later-source: a new way to find servers'],
  ];
  for (const [c, words] of cases) {
    it(`${c.source}: ${words}`, () => expect(foundBy(discovery([c]), server)).toEqual([words]));
  }
  it('the sources that agree on the same server, first the one that ranked it; none when the user named the server', () => {
    const candidates = [cand('srv', 'SRV _submission._tcp.example.com'), cand('guess', 'other.example.com exists', 'other.example.com'), cand('provider', 'Fastmail (provider table)')];
    expect(foundBy(discovery(candidates), server)).toEqual(['SRV _submission._tcp.example.com', 'provider table: Fastmail']);
    expect(foundBy(discovery(candidates, true), server)).toBeUndefined();
  });
  it('the round trip\'s mailbox server says where it came from too', () => {
    const facts = (source: string, detail: string) => ({ connects: [], speaks: [], extra: {}, roundtrip: { sender: 'a@example.com', recipient: 'a@example.com', notSent: 'no', imap: { endpoint: { protocol: 'imap', host: 'imap.example.com', port: 993, security: 'implicit-tls', source, detail }, outcome: 'accepted', capabilities: ['IDLE'] } } }) as unknown as Facts;
    expect(roundtripSummary(facts('discovered', 'SRV _imaps._tcp.example.com'))!.lines[0]!.text).toBe('imap.example.com:993: login accepted (IDLE offered); found by SRV _imaps._tcp.example.com');
    expect(roundtripSummary(facts('guess', 'next to the SMTP host'))!.lines[0]!.text).toMatch(/; guess: next to the SMTP host$/);
    expect(roundtripSummary(facts('flag', '--imap'))!.lines[0]!.text).toBe('imap.example.com:993: login accepted (IDLE offered)');
  });
  it('in the terminal, under the heading (lab Knot: SRV)', async () => {
    const r = await runCli(['check', 'alice@lab.disc.test', '--resolver', DNS, '--ca', lab.caFile, '--ports', '587', '--no-reference', '--no-autoconfig', '--no-auth', '--timeout', '2']);
    expect(r.stdout).toMatch(/^sendcheck .*: mail\.example\.test:587 with STARTTLS.*\n  found by SRV _submission\._tcp\.lab\.disc\.test\n/m);
  });
});

/** The CLI on a pseudo-terminal with a person typing `typed` (script forwards its stdin to the terminal). */
function typing(args: string[], typed: string): Promise<string> {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return new Promise((resolve, reject) => {
    const child = execFile('script', ['-qfec', `${q(process.execPath)} ${q(CLI)} ${args.map(q).join(' ')}`, '/dev/null'], { env: { ...process.env, TERM: 'xterm', NO_COLOR: '1' }, timeout: 30_000 }, (err, stdout) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve(stdout);
    });
    // Typed once the prompt is up (the terminal would otherwise echo it before raw mode hides it).
    setTimeout(() => child.stdin!.end(typed), 1500);
  });
}

describe('the password prompt', () => {
  const common = ['--resolver', DNS, '--ca', lab.caFile, '--ports', '587', '--no-reference', '--no-autoconfig', '--no-domain', '--timeout', '2'];
  it('comes after discovery found the server and names the login that will be used', async () => {
    // Enter alone: skip the login test (no AUTH attempt against the shared lab account).
    const screen = await typing(['check', 'alice@lab.disc.test', ...common], '\r');
    const found = screen.indexOf('Found mail.example.test port 587 (SRV _submission._tcp.lab.disc.test)');
    const prompt = screen.indexOf('Password for alice@lab.disc.test (empty to skip the login test): ');
    expect(found).toBeGreaterThanOrEqual(0);
    expect(prompt).toBeGreaterThan(found);
    expect(screen).toMatch(/^\s+- auth\s+not tested/m);
  });
  it('is never asked when no server was found: the report says so', async () => {
    const screen = await typing(['check', 'bob@none.disc.test', ...common], '\r');
    expect(screen).not.toContain('Password for');
    expect(screen).toMatch(/No outgoing server found|no SRV, provider, MX or conventional host found/i);
  });
});
