// Consumer addresses (issue 11 item 10): a gmail.com / outlook.com sender does not own that domain's DNS, so `check`
// says what the user can act on (send through the provider's own server, or use a domain of one's own) instead of
// auditing the provider's SPF/DKIM/DMARC as the user's. Live through the lab's Postfix with Knot as the resolver
// (which refuses gmail.com: the provider's DNS is never asked outside loopback); the judgement on fact fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consumerProviderFor } from '../../src/domain/consumer.js';
import type { DmarcRecord, DomainFacts } from '../../src/facts/domain.js';
import { runCheck } from '../../src/engine.js';
import { judgeDomainDns } from '../../src/rules/dns.js';
import { judgeReputation } from '../../src/rules/reputation.js';
import { codesOf, recordCodes } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';

const lab = loadLabEnv();
const base = { host: lab.smtpName, port: 587, security: 'starttls' as const, resolvers: [`${lab.dns.server}:${lab.dns.port}`], ca: [readFileSync(lab.caFile, 'utf8')], timeoutMs: 3000, sweepPorts: [587], options: { network: { noReference: true } } };

describe('the consumer-domain table', () => {
  it('knows the big providers by address domain, with their submission hosts and a source', () => {
    expect(consumerProviderFor('Gmail.com')).toMatchObject({ id: 'gmail', submissionHosts: ['smtp.gmail.com'], source: expect.stringMatching(/^https:\/\//) });
    expect(consumerProviderFor('hotmail.co.uk')).toMatchObject({ id: 'outlook-com', submissionHosts: ['smtp-mail.outlook.com'] });
    expect(consumerProviderFor('icloud.com')?.submissionHosts).toEqual(['smtp.mail.me.com']);
    expect(consumerProviderFor('example.test')).toBeUndefined();
  });
});

describe('check with a gmail.com sender', () => {
  it('through another server: one finding about what the user can do, nothing about gmail.com\'s own DNS', async () => {
    const r = await runCheck({ ...base, from: 'someone@gmail.com' });
    const domainCodes = codesOf(r).filter((c) => c.startsWith('dns.') || c.startsWith('reputation.'));
    expect(domainCodes).toEqual(['dns.consumer-address-foreign-server']);
    const f = r.findings.find((x) => x.code === 'dns.consumer-address-foreign-server')!;
    expect(f).toMatchObject({ severity: 'warning', confidence: 'possible' });
    expect(f.fix[0]).toBe('Send @gmail.com mail through Gmail\'s own server: smtp.gmail.com (with your Gmail login).');
    expect(f.title).not.toMatch(/\{/);
    expect(r.verdict).toBe('warnings');
  });

  it('judged on facts: through smtp.gmail.com nothing to change; a p=reject provider through another server puts mail at risk', async () => {
    const live = await runCheck({ ...base, from: 'someone@gmail.com' });
    const d = live.facts.extra.domain as DomainFacts;
    const viaProvider: DomainFacts = { ...d, smtpHost: 'smtp.gmail.com' };
    const ok = judgeDomainDns(viaProvider);
    recordCodes(ok);
    expect(ok.map((f) => [f.code, f.severity])).toEqual([['dns.consumer-address', 'info']]);
    expect(ok[0]!.fix).toEqual(['Nothing to change in DNS. Keep sending @gmail.com mail through Gmail\'s server.']);
    expect(judgeReputation({ ...viaProvider, blocklists: [{ zone: 'bl.test', type: 'ip', query: '1.0.0.127.bl.test', subject: '127.0.0.1', status: 'listed', codes: ['127.0.0.2'], meaning: 'listed' } as never] })).toEqual([]);
    const rejecting: DomainFacts = { ...d, dmarc: { ...d.dmarc, parsed: { p: 'reject', pct: 100 } as DmarcRecord } };
    expect(judgeDomainDns(rejecting)[0]).toMatchObject({ code: 'dns.consumer-address-foreign-server', severity: 'blocker', confidence: 'likely' });
  });
});
