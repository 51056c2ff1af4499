// The round-trip rules on received copies that real mail systems produced (header blocks from public archives,
// test/fixtures/roundtrip-headers/SOURCES.md): verdicts the lab's Postfix cannot give (DMARC, a 94-second hop in a
// real mailing-list chain, Microsoft's spam classification) go through the same parser and rules as a live run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainToReport } from '../../src/explain/explain.js';
import { buildReport } from '../../src/report/build.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { readReceivedCopy } from '../../src/roundtrip/read-copy.js';
import type { FolderInfo, RoundtripFact } from '../../src/facts/roundtrip.js';
import { judgeRoundtrip, SLOW_HOP_MS } from '../../src/rules/roundtrip.js';
import { buildTarget } from '../../src/input/parse.js';
import type { Target } from '../../src/input/target.js';
import { corporaDir } from '../helpers/corpora.js';
import { recordCodes } from '../helpers/findings.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/roundtrip-headers/${name}`, import.meta.url));

function factFor(headers: Uint8Array, folder: FolderInfo, extra: Partial<RoundtripFact> = {}): RoundtripFact {
  const copy = readReceivedCopy({ folder, uid: 7, headers, token: 'sc-test', foundAfterMs: 4200 });
  return {
    kind: 'roundtrip', sender: 'valeriy@virtuozzo.test', recipient: 'valeriy@virtuozzo.test',
    imap: { endpoint: { protocol: 'imap', host: 'imap.example.test', port: 993, security: 'implicit-tls', source: 'flag', detail: '--imap' }, candidates: [], outcome: 'accepted', capabilities: ['IDLE'], ms: 30 },
    message: { token: 'sc-test', messageId: '<sc-test@virtuozzo.test>', from: 'valeriy@virtuozzo.test', to: 'valeriy@virtuozzo.test', subject: 'sendcheck round-trip test sc-test' },
    data: { start: { code: 354, text: 'go ahead', lines: ['354 go ahead'] }, end: { code: 250, text: '2.0.0 Ok: queued as 4F00D', lines: ['250 2.0.0 Ok: queued as 4F00D'], enhanced: '2.0.0' }, accepted: true, queueId: '4F00D', acceptedAt: '2021-03-30T09:37:11.000Z', bytes: 600, ms: 40 },
    folders: [{ path: 'INBOX', role: 'inbox' }, folder], waitMode: 'idle', waitLimitMs: 120_000, waitedMs: 4000,
    copy, cleanup: { deleted: true, kept: false },
    ...extra,
  };
}

const target: Target = { ...buildTarget({ host: 'smtp.virtuozzo.test', user: 'valeriy@virtuozzo.test', password: 'x' }), host: 'smtp.virtuozzo.test' } as Target;

describe('round-trip rules on real received copies', () => {
  it('Microsoft 365 → redhat.com → lists.gnu.org: dkim=none, dmarc=none, a 94 s list hop, SCL 5', () => {
    const junk: FolderInfo = { path: 'Junk Email', specialUse: '\\Junk', role: 'junk' };
    const fact = factFor(fixture('lore-qemu-devel-m365-outbound-spam.eml'), junk);
    const findings = judgeRoundtrip(fact, { connects: [], speaks: [], extra: {}, roundtrip: fact }, target);
    recordCodes(findings);
    const by = (code: string) => findings.find((f) => f.code === code);
    expect(by('roundtrip.delivered-to-junk')?.title).toContain('Junk Email');
    // The topmost Authentication-Results is redhat.com's: it wins over Microsoft's ARC-Authentication-Results below.
    expect(by('roundtrip.receiver-dkim')).toMatchObject({ severity: 'warning', title: expect.stringContaining('dkim=none') });
    expect(by('roundtrip.receiver-dkim')!.evidence[0]!.text).toContain('[by redhat.com]');
    expect(by('roundtrip.receiver-dmarc')).toMatchObject({ severity: 'info', title: expect.stringContaining('dmarc=none') });
    expect(by('roundtrip.receiver-spf')).toBeUndefined();
    const slow = by('roundtrip.slow-delivery')!;
    expect(slow).toBeDefined();
    const hop = fact.copy!.delays.find((d) => (d.delayMs ?? 0) > SLOW_HOP_MS)!;
    expect(hop).toMatchObject({ by: 'lists.gnu.org', delayMs: 94_000 });
    expect(slow.evidence.map((e) => e.text).join('\n')).toContain('localhost → lists.gnu.org at 2021-03-30T09:39:11.000Z: +94 s');
    expect(by('roundtrip.spam-scored')?.title).toContain('Microsoft');
  });

  it('a copy that could not be deleted names the folder and the subject to delete by hand', () => {
    const inbox: FolderInfo = { path: 'INBOX', specialUse: '\\Inbox', role: 'inbox' };
    const fact = factFor(fixture('sisimai-googleworkspace-01.eml'), inbox, { cleanup: { deleted: false, kept: false, error: 'NO [NOPERM] Permission denied' } });
    const findings = judgeRoundtrip(fact, { connects: [], speaks: [], extra: {}, roundtrip: fact }, target);
    recordCodes(findings);
    const f = findings.find((x) => x.code === 'roundtrip.cleanup-failed')!;
    expect(f.evidence[0]!.text).toBe('NO [NOPERM] Permission denied');
    expect(f.fix[0]).toBe('Delete the message with the subject "sendcheck round-trip test sc-test" yourself.');
    expect(findings.map((x) => x.code)).toContain('roundtrip.delivered');
  });

  it('the report shows the hops oldest first, the verdicts and the clean-up', () => {
    const junk: FolderInfo = { path: 'Junk Email', specialUse: '\\Junk', role: 'junk' };
    const fact = factFor(fixture('lore-qemu-devel-m365-outbound-spam.eml'), junk);
    const facts = { connects: [], speaks: [], extra: {}, roundtrip: fact };
    const report = buildReport({ command: 'check', target, facts, findings: judgeRoundtrip(fact, facts, target), transcripts: [], startedAt: new Date(), durationMs: 1, dnsQueries: 0 });
    const text = renderTerminal(report);
    const section = text.slice(text.indexOf('Round trip:'));
    // The message's own order is newest first; the report lists the path as travelled.
    expect(section).toMatch(/hops +1\. dhcp-172-16-24-191\.sw\.ru \[185\.231\.240\.5\] → AM0PR02CA0143/);
    expect(section).toMatch(/7\. lists\.gnu\.org \[209\.51\.188\.17\] → mail\.lfdr\.de .*, \+1\.0 s/);
    expect(section).toMatch(/verdicts +dkim=none by redhat\.com; dmarc=none \(virtuozzo\.com\) by redhat\.com/);
    expect(section).toContain('test message deleted');
    expect(report.hops.find((h) => h.hop === 'delivery')).toMatchObject({ status: 'warning' });
  });
});

describe('whose verdict counts', () => {
  const inbox: FolderInfo = { path: 'INBOX', specialUse: '\\Inbox', role: 'inbox' };
  const headers = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\nbody\r\n`);

  it('the receiver\'s own header, not a lower one with another authserv-id; one passing signature is enough', () => {
    // RFC 8601 §5: the sender could have put the lower header in itself; the receiver's id is the topmost one's.
    const fact = factFor(headers([
      'Authentication-Results: mx.receiver.test; dkim=fail (bad signature) header.d=other.test; dkim=pass header.d=virtuozzo.test',
      'Received: from relay.test by mx.receiver.test; Tue, 30 Mar 2021 09:37:20 +0000',
      'Authentication-Results: mx.receiver.test; spf=softfail smtp.mailfrom=virtuozzo.test',
      'Authentication-Results: forged.test; dmarc=fail header.from=virtuozzo.test',
      'Received: from client.test by relay.test; Tue, 30 Mar 2021 09:37:16 +0000',
    ]), inbox);
    const findings = judgeRoundtrip(fact, { connects: [], speaks: [], extra: {}, roundtrip: fact }, target);
    recordCodes(findings);
    const codes = findings.map((f) => f.code);
    expect(codes).not.toContain('roundtrip.receiver-dkim');
    expect(findings.find((f) => f.code === 'roundtrip.receiver-spf')?.evidence[0]!.text).toBe('spf=softfail smtp.mailfrom=virtuozzo.test [by mx.receiver.test]');
    // forged.test's dmarc=fail is not the receiver's word: no DMARC finding at all.
    expect(codes).not.toContain('roundtrip.receiver-dmarc');
  });
});

describe('sendcheck explain on a received message (not a bounce)', () => {
  it('the receiver\'s verdicts in its headers become the same findings as a round trip\'s', () => {
    const report = explainToReport(fixture('lore-qemu-devel-m365-outbound-spam.eml').toString('utf8'));
    const codes = report.findings.map((f) => f.code);
    recordCodes(report.findings);
    expect(codes).toEqual(expect.arrayContaining(['roundtrip.receiver-dkim', 'roundtrip.spam-scored', 'roundtrip.slow-delivery', 'roundtrip.receiver-dmarc']));
    expect(codes).not.toContain('explain.unrecognized');
    expect((report.facts.extra.explain as { messageKind?: string }).messageKind).toBe('received');
  });

  it('a bounce is still read as a bounce, not as a received message', () => {
    // sisimai's Office 365 bounce carries Authentication-Results of its own delivery: still a DSN.
    const report = explainToReport(readFileSync(`${corporaDir()}/sisimai-bounces/maildir/bsd/lhost-office365-04.eml`, 'utf8'));
    expect((report.facts.extra.explain as { messageKind?: string }).messageKind).toBe('dsn');
    expect(report.findings.map((f) => f.code).filter((c) => c.startsWith('roundtrip.'))).toEqual([]);
  });
});
