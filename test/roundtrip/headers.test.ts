// The header parsers of `sendcheck roundtrip` on real header blocks: fixtures under
// test/fixtures/roundtrip-headers/ (provenance in SOURCES.md there: sisimai corpus files and public mailing-list
// messages), field values quoted from the corpora in /work/shared/corpora (file named at each use), RFC examples,
// and hand-made hostile input for the bounds. Every expectation is a concrete parsed value.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_HEADER_BYTES,
  MAX_HEADER_FIELDS,
  headerValues,
  hopDelays,
  parseArcAuthenticationResults,
  parseAuthenticationResults,
  parseHeaderBlock,
  parseMailDate,
  parseReceived,
  parseReceivedChain,
  parseReceivedSpf,
  readSpamVerdicts,
  type HeaderField,
} from '../../src/roundtrip/headers/index.js';
import { corporaDir } from '../helpers/corpora.js';

const FIX = new URL('../fixtures/roundtrip-headers/', import.meta.url).pathname;
const fixture = (name: string): HeaderField[] => parseHeaderBlock(readFileSync(join(FIX, name)));
const first = (fields: HeaderField[], name: string): string => headerValues(fields, name)[0]!;

describe('parseHeaderBlock', () => {
  it('unfolds, keeps order and the name as written, and stops at the empty line (sisimai office365-04 NDR)', () => {
    const fields = fixture('sisimai-office365-04-ndr.eml');
    expect(fields).toHaveLength(74);
    expect(fields[0]).toEqual({
      name: 'Received',
      key: 'received',
      value: 'from HE1EUR01HT085.eop-EUR01.prod.protection.outlook.com (2603:1096:100:18::29) by SLXP216MB0381.KORP216.PROD.OUTLOOK.COM with HTTPS via SL2P216CA0019.KORP216.PROD.OUTLOOK.COM; Mon, 21 May 2018 05:08:01 +0000',
    });
    expect(fields.map((f) => f.key).slice(0, 5)).toEqual(['received', 'received', 'authentication-results', 'received-spf', 'received']);
    expect(fields[fields.length - 1]).toEqual({ name: 'MIME-Version', key: 'mime-version', value: '1.0' });
    // Folding keeps the whitespace that followed the line break (RFC 5322 §2.2.3): tabs stay tabs.
    expect(first(fixture('sisimai-ezweb-08.eml'), 'X-Spam-Status')).toBe(
      'No, score=-99.1 required=15.0 tests=AWL,BAYES_50,\tCONTENT_TYPE_PRESENT,ISO2022JP_BODY,JPHANDPHONE,ONLY1HOPDIRECT,\tUSER_IN_WHITELIST autolearn=no version=3.2.5',
    );
    // An empty field body is a field ("X-Spam-Level: ", "X-MS-Exchange-Message-Is-Ndr:").
    expect(headerValues(fields, 'x-ms-exchange-message-is-ndr')).toEqual(['']);
  });

  it('reads CRLF, bare LF and bare CR alike (the sisimai corpus has all three: maildir/bsd, dos, mac)', () => {
    const lf = readFileSync(join(FIX, 'sisimai-rfc3464-65.eml'), 'utf8');
    const expected = parseHeaderBlock(lf);
    expect(expected).toHaveLength(19);
    expect(parseHeaderBlock(lf.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(parseHeaderBlock(lf.replace(/\n/g, '\r'))).toEqual(expected);
    const root = join(corporaDir(), 'sisimai-bounces/maildir');
    const dos = parseHeaderBlock(readFileSync(join(root, 'dos/lhost-postfix-01.eml')));
    const mac = parseHeaderBlock(readFileSync(join(root, 'mac/lhost-postfix-01.eml')));
    expect(dos.length).toBeGreaterThan(5);
    expect(mac).toEqual(dos);
  });

  it('the body is never read; a line that is not a field (an mbox "From " line, a stray word) is skipped', () => {
    const raw = 'From MAILER-DAEMON Thu Apr 29 23:34:45 2010\nReceived: from a\n by b; Thu, 29 Apr 2010 23:34:45 +0900\nnot a field\n continuation of nothing\nSubject : obsolete space before the colon\n\nX-Body: not a header\n';
    expect(parseHeaderBlock(raw)).toEqual([
      { name: 'Received', key: 'received', value: 'from a by b; Thu, 29 Apr 2010 23:34:45 +0900' },
      { name: 'Subject', key: 'subject', value: 'obsolete space before the colon' },
    ]);
  });

  it('bytes are decoded as UTF-8, invalid sequences become U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('Subject: caf\xc3\xa9 ', 'latin1'), Buffer.from([0xff, 0xfe]), Buffer.from('\r\nX-A: 1\r\n\r\n')]);
    expect(parseHeaderBlock(bytes)).toEqual([
      { name: 'Subject', key: 'subject', value: 'café \ufffd\ufffd' },
      { name: 'X-A', key: 'x-a', value: '1' },
    ]);
  });

  it(`ignores everything past ${MAX_HEADER_BYTES / 1024} KiB: a 20 MB header block costs no more than 256 KiB`, () => {
    const filler = `X-Filler: ${'a'.repeat(200 * 1024)}\r\n`;
    const raw = `${filler}X-Before: 1\r\n${'X-Pad: '.padEnd(70 * 1024, 'b')}\r\nX-After: 1\r\n`;
    const fields = parseHeaderBlock(raw);
    expect(fields.map((f) => f.key)).toEqual(['x-filler', 'x-before', 'x-pad']);
    expect(fields[2]!.value.length).toBeLessThan(70 * 1024);
    const huge = Buffer.alloc(20 * 1024 * 1024, 0x61);
    huge.write('X-Big: ', 0);
    const started = performance.now();
    const big = parseHeaderBlock(huge);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(big).toHaveLength(1);
    expect(big[0]!.value.length).toBe(MAX_HEADER_BYTES - 'X-Big: '.length);
  });

  it(`keeps at most ${MAX_HEADER_FIELDS} fields`, () => {
    const raw = Array.from({ length: 5000 }, (_, i) => `X-F${i}: ${i}`).join('\n');
    const fields = parseHeaderBlock(raw);
    expect(fields).toHaveLength(MAX_HEADER_FIELDS);
    expect(fields[MAX_HEADER_FIELDS - 1]).toEqual({ name: 'X-F999', key: 'x-f999', value: '999' });
  });

  it('headerValues: every field of a name, any case, in order', () => {
    const fields = fixture('lore-stable-suse-rspamd.eml');
    expect(headerValues(fields, 'AUTHENTICATION-RESULTS')).toHaveLength(5);
    expect(headerValues(fields, 'x-spam-flag')).toEqual(['NO']);
    expect(headerValues(fields, 'x-nothing')).toEqual([]);
  });
});

describe('parseReceived', () => {
  it('Postfix with the two-line TLSv1.3 comment (lore stable fixture)', () => {
    const hops = parseReceivedChain(fixture('lore-stable-suse-rspamd.eml'));
    expect(hops).toHaveLength(7);
    const { raw, ...hop } = hops[4]!;
    expect(hop).toEqual({
      from: 'imap1.dmz-prg2.suse.org',
      fromIp: '10.150.64.97',
      by: 'smtp-out2.suse.de',
      with: 'ESMTPS',
      id: '74ACF1F8C4',
      tls: 'TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (4096 bits) server-digest SHA256',
      date: '2024-02-26T10:12:46.000Z',
    });
    expect(raw).toMatch(/^from imap1\.dmz-prg2\.suse\.org \(imap1/);
    // ESMTPSA: authenticated, and TLS as far as the protocol name says; "(envelope-from …)" after the id is skipped.
    expect(hops[6]).toMatchObject({ from: 'dovecot-director2.suse.de', fromIp: '10.150.64.162', with: 'ESMTPSA', id: '1xZlDx5k3GX/LAAAD6G6ig', tls: 'ESMTPSA', authenticated: true, date: '2024-02-26T10:12:46.000Z' });
    expect(hops[0]).toMatchObject({ fromIp: '2604:1380:45e3:2400::1', by: 'mail.lfdr.de', for: 'lists+stable@lfdr.de', date: '2024-02-26T10:27:13.000Z' });
  });

  it('Gmail submission: ESMTPSA with "(version=TLS1_3 cipher=… bits=256/256)" (lore cgroups fixture)', () => {
    const hops = parseReceivedChain(fixture('lore-cgroups-rspamd-add-header.eml'));
    expect(hops).toHaveLength(7);
    expect(hops[6]).toMatchObject({
      from: '[127.0.1.1]',
      fromIp: '138.199.21.246',
      by: 'smtp.gmail.com',
      with: 'ESMTPSA',
      tls: 'version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256',
      authenticated: true,
      date: '2026-07-10T03:29:38.000Z',
    });
    expect(hops[0]).toMatchObject({ from: 'mail.lfdr.de', by: 'mail.lfdr.de', with: 'LMTP', id: 'N0AvJOdpUGoPygIAu9opvQ', for: 'lists+cgroups@lfdr.de' });
    expect(hops[0]!.tls).toBeUndefined();
    expect(hops[0]!.authenticated).toBeUndefined();
  });

  it('Microsoft 365: multi-word "with", "(version=TLS1_2, cipher=…)", a date folded in the middle (sisimai office365-04)', () => {
    const hops = parseReceivedChain(fixture('sisimai-office365-04-ndr.eml'));
    expect(hops.map(({ raw, ...h }) => h)).toEqual([
      { from: 'HE1EUR01HT085.eop-EUR01.prod.protection.outlook.com', fromIp: '2603:1096:100:18::29', by: 'SLXP216MB0381.KORP216.PROD.OUTLOOK.COM', with: 'HTTPS', date: '2018-05-21T05:08:01.000Z' },
      { from: 'HE1EUR01FT042.eop-EUR01.prod.protection.outlook.com', fromIp: '10.152.0.60', by: 'HE1EUR01HT085.eop-EUR01.prod.protection.outlook.com', with: 'Microsoft SMTP Server', id: '15.20.776.10', tls: 'version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384', date: '2018-05-21T05:07:58.000Z' },
      { from: 'APC01-HK2-obe.outbound.protection.outlook.com', fromIp: '104.47.124.246', by: 'HE1EUR01FT042.mail.protection.outlook.com', with: 'Microsoft SMTP Server', id: '15.20.776.10', tls: 'version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384', date: '2018-05-21T05:07:58.000Z' },
    ]);
    const mapi = parseReceivedChain(fixture('sisimai-office365-04-original.eml'))[2]!;
    expect(mapi).toMatchObject({ fromIp: 'fe80::10d2:b426:34cf:d5d0', with: 'mapi', id: '15.20.0776.015', date: '2018-05-21T05:07:53.000Z' });
  });

  it('Exim: "([ip]:port helo=…)", "with esmtps (TLS1.2:…:256)" and 4.94+ "(TLS1.3) tls <cipher>"', () => {
    const hops = parseReceivedChain(fixture('lore-qemu-devel-m365-outbound-spam.eml'));
    expect(hops[1]).toMatchObject({ from: 'localhost', fromIp: '::1', by: 'lists.gnu.org', with: 'esmtp', id: '1lRAq7-00070X-R7', for: 'lists+qemu-devel@lfdr.de', date: '2021-03-30T09:39:11.000Z' });
    expect(hops[3]).toMatchObject({
      from: 'mail-ve1eur03hn2229.outbound.protection.outlook.com',
      fromIp: '52.100.16.229',
      by: 'eggs.gnu.org',
      with: 'esmtps',
      tls: 'TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256',
      id: '1lRAoQ-00060o-Ha',
      for: 'qemu-devel@nongnu.org',
      date: '2021-03-30T09:37:33.000Z',
    });
    // qemu-devel, Message-ID <9abe612d775aaf42e31646796acd2363c723a57a.1741124640.git.maciej.szmigiero@oracle.com>
    const exim498 = parseReceived('from MUA\n by vps-ovh.mhejs.net with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384\n (Exim 4.98) (envelope-from <mhej@vps-ovh.mhejs.net>)\n id 1tpaPp-00000000Lar-2q30; Tue, 04 Mar 2025 23:07:05 +0100');
    expect(exim498).toMatchObject({ from: 'MUA', by: 'vps-ovh.mhejs.net', with: 'esmtpsa', tls: 'TLS1.3 TLS_AES_256_GCM_SHA384', authenticated: true, id: '1tpaPp-00000000Lar-2q30', date: '2025-03-04T22:07:05.000Z' });
    expect(exim498.fromIp).toBeUndefined();
  });

  it('authenticated submissions: Postfix "(Authenticated sender: …)", sendmail "(authenticated bits=128)", Google "Transport Security"', () => {
    const hotmail = parseReceivedChain(fixture('sisimai-outlook-08-original.eml'));
    expect(hotmail[2]).toMatchObject({ from: 'r091.example.org', fromIp: '203.0.113.31', by: 'r1.example.co.jp', with: 'ESMTPA', id: 'EEEEEEEE000', for: 'kijitora@hotmail.com', authenticated: true });
    expect(hotmail[0]).toMatchObject({ fromIp: '192.0.2.89', by: 'BAY004-NEKO22.hotmail.com', with: 'Microsoft SMTPSVC', tls: 'TLS secured channel' });
    const groups = parseReceivedChain(fixture('sisimai-googlegroups-01-original.eml'));
    expect(groups[1]).toMatchObject({ fromIp: '203.0.113.25', by: 'neko.example.jp', with: 'ESMTP', authenticated: true });
    const amavis = parseReceivedChain(fixture('lore-dri-devel-amavis.eml'));
    expect(amavis[5]).toMatchObject({ from: 'mail1.shipmail.org', fromIp: '155.4.205.35', with: 'ESMTPA', authenticated: true, date: '2019-09-25T11:55:48.000Z' });
    // sisimai maildir/bsd/rhost-mimecast-01.eml, the returned original:
    expect(parseReceived('from 6bBckZSRc0zMvk9Z (unknown [192.0.2.2])\n\t(Authenticated sender: kijitora@example.co.jp)\n\tby smtp.example.co.jp (Postfix) with ESMTPSA id XkB0QWwjfhzQcf0c\n\tfor <sabatora@example.com>; Thu,  2 Feb 2021 23:34:45 +0900 (JST)'))
      .toMatchObject({ from: '6bBckZSRc0zMvk9Z', fromIp: '192.0.2.2', authenticated: true, tls: 'ESMTPSA', date: '2021-02-02T14:34:45.000Z' });
    const gmail = parseReceivedChain(fixture('sisimai-googleworkspace-01.eml'))[1]!;
    expect(gmail).toMatchObject({ from: 'mail-sor-f69.google.com', fromIp: '209.85.220.69', by: 'mx.google.com', with: 'SMTPS', for: 'kijitora-cat-neko-nyaan@google.example.com', tls: 'Google Transport Security', date: '2023-02-27T02:30:56.000Z' });
  });

  it('client address: Yahoo\'s "(EHLO name) (ip)", qmail-style comment-only fields, an IP in the from name', () => {
    // sisimai maildir/bsd/arf-14.eml
    expect(parseReceived('from 127.0.0.1  (EHLO a22-22.smtp-out.amazonses.com) (192.0.2.222)\n  by mta2222.biz.mail.sg2.yahoo.com with SMTPS; Thu, 29 Apr 2017 23:34:45 +0000'))
      .toMatchObject({ from: '127.0.0.1', fromIp: '192.0.2.222', by: 'mta2222.biz.mail.sg2.yahoo.com', with: 'SMTPS', tls: 'SMTPS', date: '2017-04-29T23:34:45.000Z' });
    // sisimai maildir/bsd/arf-18.eml: ecelerity's "[ip:port]" and a comment that is never closed.
    expect(parseReceived('from [192.0.2.222] ([192.0.2.222:222] helo=mta-2.example.org)\n\tby example.org (envelope-from <sironeko@example.org>)\n\t(ecelerity 3.6.5.1 r(Core:3.6.5.0)) with ESMTPS (cipher=AES256-GCM-SHA384\n\tid 22/00-00000-EEEEEEEE; Thu, 29 Apr 2015 23:34:45 +0000'))
      .toMatchObject({ from: '[192.0.2.222]', fromIp: '192.0.2.222', by: 'example.org', with: 'ESMTPS', date: '2015-04-29T23:34:45.000Z' });
    const qmail = parseReceived('(qmail 12345 invoked by uid 89); 29 Apr 2017 23:34:45 -0000');
    expect(qmail).toEqual({ date: '2017-04-29T23:34:45.000Z', raw: '(qmail 12345 invoked by uid 89); 29 Apr 2017 23:34:45 -0000' });
  });

  it('the date: after the LAST top-level ";", with trailing comments, obsolete zones, odd spacing', () => {
    // arc-test-suite (arc-draft-validation-tests.yml, every message): "(envelope-from …)" after the date.
    expect(parseReceived('from segv.d1.example (segv.d1.example [72.52.75.15])\n    by lists.example.org (8.14.5/8.14.5) with ESMTP id t0EKaNU9010123\n    for <arc@example.org>; Thu, 14 Jan 2015 15:01:30 -0800 (PST)\n    (envelope-from jqd@d1.example)'))
      .toMatchObject({ fromIp: '72.52.75.15', by: 'lists.example.org', for: 'arc@example.org', date: '2015-01-14T23:01:30.000Z' });
    // A ';' inside a comment is not the separator: "(…; …)" after the real one.
    expect(parseReceived('from a by b id 1; Mon, 26 Feb 2024 10:12:46 +0000 (note; not a date)').date).toBe('2024-02-26T10:12:46.000Z');
    // sisimai maildir/bsd: yahoo.co.jp's "JST" (lhost-yahoo-11), "GMT" (rfc3834-03), Barracuda's zero-padded "029"
    // (lhost-barracuda-02), ctime order with a zone (lhost-x2-06), no space after the comma (lhost-ezweb-08's Date).
    expect(parseMailDate('Wed, 23 May 2018 17:44:39 JST')).toBe('2018-05-23T08:44:39.000Z');
    expect(parseMailDate('Tue, 17 Dec 2019 02:53:09 GMT')).toBe('2019-12-17T02:53:09.000Z');
    expect(parseMailDate('Thu, 029 Apr 2011 23:34:45 +0900 (JST)')).toBe('2011-04-29T14:34:45.000Z');
    expect(parseMailDate('Apr 29 23:34:45 2005 +0000')).toBe('2005-04-29T23:34:45.000Z');
    expect(parseMailDate('Thu,29 Apr 2012 23:34:45 +0900')).toBe('2012-04-29T14:34:45.000Z');
    // RFC 5322 §4.3 obsolete forms: two-digit year, EDT, military zone (taken as -0000), no seconds, no day name.
    expect(parseMailDate('Fri, 21 Nov 97 09:55:06 EDT')).toBe('1997-11-21T13:55:06.000Z');
    expect(parseMailDate('1 Jan 2000 00:00 Z')).toBe('2000-01-01T00:00:00.000Z');
    expect(parseMailDate('Mon, 1 Jan 24 12:00:00 Q')).toBe('2024-01-01T12:00:00.000Z');
    expect(parseMailDate('Mon, 01 Jan 2024 12:00:00 +0000 (UTC)')).toBe('2024-01-01T12:00:00.000Z');
    expect(parseMailDate('Mon, 01 Jan 2024 12:00:00 -0000')).toBe('2024-01-01T12:00:00.000Z');
    expect(parseMailDate('2024-01-01T12:00:00+01:00')).toBe('2024-01-01T11:00:00.000Z');
  });

  it('an unparseable date is undefined, never a guess', () => {
    for (const text of ['', 'not a date', 'Mon, 30 Feb 2024 12:00:00 +0000', 'Mon, 1 Jan 2024 25:00:00 +0000', 'Mon, 1 Jan 2024 12:00:00',
      'Mon, 1 Jan 2024 12:00:00 IST', 'Mon, 1 Jan 2024 12:00:00 +0075', 'Mon, 1 Foo 2024 12:00:00 +0000', '(only a comment)']) {
      expect(parseMailDate(text), text).toBeUndefined();
    }
    expect(parseReceived('from a by b with ESMTP id 1; =?utf-8?Q?garbage?=').date).toBeUndefined();
    expect(parseReceived('from a by b with ESMTP id 1').date).toBeUndefined();
  });

  it('garbage and hostile input do not throw', () => {
    for (const v of ['', ';;;;', '((((((((', ')))))', '"unterminated', 'from', 'by by by by', 'from (a (b (c', '\\', 'for <>; x']) {
      expect(() => parseReceived(v), v).not.toThrow();
    }
    const deep = `from x ${'('.repeat(100_000)}a${')'.repeat(100_000)} by y; Mon, 1 Jan 2024 12:00:00 +0000`;
    const started = performance.now();
    expect(parseReceived(deep)).toMatchObject({ from: 'x', by: 'y', date: '2024-01-01T12:00:00.000Z' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('parseReceivedChain and hopDelays', () => {
  it('message order in, oldest first out, the delay at each hop (sisimai rfc3464-65: Google → Exim)', () => {
    const hops = parseReceivedChain(fixture('sisimai-rfc3464-65.eml'));
    expect(hops.map((h) => h.by)).toEqual(['shelby.example.net', 'mail-lf0-f66.google.com', '10.25.37.10']);
    expect(hopDelays(hops)).toEqual([
      { by: '10.25.37.10', at: '2017-03-24T09:28:38.000Z' },
      { by: 'mail-lf0-f66.google.com', at: '2017-03-24T09:28:44.000Z', delayMs: 6000 },
      { from: 'mail-lf0-f66.google.com', by: 'shelby.example.net', at: '2017-03-24T09:28:49.000Z', delayMs: 5000 },
    ]);
  });

  it('a list server that held the message 14 minutes (lore stable fixture)', () => {
    const delays = hopDelays(parseReceivedChain(fixture('lore-stable-suse-rspamd.eml')));
    expect(delays.map((d) => d.delayMs)).toEqual([undefined, 0, 0, 3000, 2000, 861_000, 1000]);
    expect(delays[5]).toEqual({ from: 'smtp.subspace.kernel.org', by: 'sv.mirrors.kernel.org', at: '2024-02-26T10:27:12.000Z', delayMs: 861_000 });
  });

  it('clock skew is kept as it is: +8 h (sisimai outlook-08) and -7 h (sisimai googlegroups-01)', () => {
    expect(hopDelays(parseReceivedChain(fixture('sisimai-outlook-08-original.eml'))).map((d) => d.delayMs)).toEqual([undefined, 28_800_000, 0]);
    const groups = hopDelays(parseReceivedChain(fixture('sisimai-googlegroups-01-original.eml')));
    expect(groups).toEqual([
      { from: '[172.31.127.64]', by: 'neko.example.jp', at: '2019-04-29T14:34:45.000Z' },
      { from: 'neko.example.jp', by: 'gmr-mx.google.com', at: '2019-04-29T07:34:45.000Z', delayMs: -25_200_000 },
    ]);
  });

  it('a hop without a usable date breaks the delay on both sides of it', () => {
    const hops = [
      parseReceived('from c by d; Mon, 01 Jan 2024 12:00:09 +0000'),
      parseReceived('from b by c; yesterday'),
      parseReceived('from a by b; Mon, 01 Jan 2024 12:00:00 +0000'),
    ];
    expect(hopDelays(hops)).toEqual([
      { from: 'a', by: 'b', at: '2024-01-01T12:00:00.000Z' },
      { from: 'b', by: 'c' },
      { from: 'c', by: 'd', at: '2024-01-01T12:00:09.000Z' },
    ]);
    expect(hopDelays([])).toEqual([]);
  });

  it('X-Received is not a hop', () => {
    const fields = fixture('lore-cgroups-rspamd-add-header.eml');
    expect(headerValues(fields, 'x-received')).toHaveLength(1);
    expect(parseReceivedChain(fields).some((h) => h.raw.includes('2002:a17:903:2411'))).toBe(false);
  });
});

describe('parseAuthenticationResults', () => {
  it("Gmail's form (the brief's sample)", () => {
    const v = 'mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=AbCd; spf=pass (google.com: domain of x@example.com designates 203.0.113.7 as permitted sender) smtp.mailfrom=x@example.com; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com';
    expect(parseAuthenticationResults(v)).toEqual({
      authservId: 'mx.google.com',
      results: [
        { method: 'dkim', result: 'pass', props: { 'header.i': '@example.com', 'header.s': 's1', 'header.b': 'AbCd' } },
        { method: 'spf', result: 'pass', comment: 'google.com: domain of x@example.com designates 203.0.113.7 as permitted sender', props: { 'smtp.mailfrom': 'x@example.com' } },
        { method: 'dmarc', result: 'pass', comment: 'p=NONE sp=NONE dis=NONE', props: { 'header.from': 'example.com' } },
      ],
    });
  });

  it('Gmail for real, folded (sisimai googleworkspace-01)', () => {
    const ar = parseAuthenticationResults(first(fixture('sisimai-googleworkspace-01.eml'), 'authentication-results'));
    expect(ar.authservId).toBe('mx.google.com');
    expect(ar.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'spf=none', 'dmarc=pass']);
    expect(ar.results[0]!.props).toEqual({ 'header.i': '@googlemail.com', 'header.s': '20210112', 'header.b': 'PqBP51+l' });
    expect(ar.results[1]).toEqual({ method: 'spf', result: 'none', comment: 'google.com: mail-sor-f69.google.com does not designate permitted sender hosts', props: { 'smtp.helo': 'mail-sor-f69.google.com' } });
    expect(ar.results[2]!.comment).toBe('p=QUARANTINE sp=QUARANTINE dis=NONE');
  });

  it('Microsoft 365: no authserv-id, and "header.d=none;outlook.com;" stray domains skipped (sisimai office365-04)', () => {
    const ar = parseAuthenticationResults(first(fixture('sisimai-office365-04-ndr.eml'), 'authentication-results'));
    expect(ar).toEqual({
      results: [
        { method: 'spf', result: 'pass', comment: 'sender IP is 104.47.124.246', props: { 'smtp.helo': 'APC01-HK2-obe.outbound.protection.outlook.com' } },
        { method: 'dkim', result: 'none', comment: 'message not signed', props: { 'header.d': 'none' } },
        { method: 'dmarc', result: 'pass', props: { action: 'none', 'header.from': 'outlook.com' } },
      ],
    });
    // The returned original's "spf=none (sender IP is ) smtp.mailfrom=…;" (lowercase field name).
    expect(parseAuthenticationResults(first(fixture('sisimai-office365-04-original.eml'), 'authentication-results'))).toEqual({
      results: [{ method: 'spf', result: 'none', comment: 'sender IP is', props: { 'smtp.mailfrom': 'azumakuniyuki@outlook.example.com' } }],
    });
    // Microsoft's documented compauth with a numeric reason= (anti-spam-message-headers.md).
    expect(parseAuthenticationResults('spf=pass (sender IP is 192.168.0.1) smtp.mailfrom=contoso.com; dkim=pass (signature was verified) header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100').results.at(-1))
      .toEqual({ method: 'compauth', result: 'pass', reason: '100', props: {} });
  });

  it('Microsoft with an authserv-id the other way round (lore qemu-devel: "redhat.com; … header.d=none;redhat.com;")', () => {
    expect(parseAuthenticationResults(first(fixture('lore-qemu-devel-m365-outbound-spam.eml'), 'authentication-results'))).toEqual({
      authservId: 'redhat.com',
      results: [
        { method: 'dkim', result: 'none', comment: 'message not signed', props: { 'header.d': 'none' } },
        { method: 'dmarc', result: 'none', props: { action: 'none', 'header.from': 'virtuozzo.com' } },
      ],
    });
  });

  it('quoted values, with "=" and "+" inside, a quoted comment (lore cgroups, written by Rspamd)', () => {
    const ar = parseAuthenticationResults(first(fixture('lore-cgroups-rspamd-add-header.eml'), 'authentication-results'));
    expect(ar.authservId).toBe('mail.lfdr.de');
    expect(ar.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'dmarc=pass', 'spf=pass', 'arc=pass']);
    expect(ar.results[1]).toEqual({ method: 'dmarc', result: 'pass', comment: 'policy=none', props: { 'header.from': 'gmail.com' } });
    expect(ar.results[2]!.props).toEqual({ 'smtp.mailfrom': 'cgroups+bounces-17640-lists+cgroups=lfdr.de@vger.kernel.org' });
    expect(ar.results[3]).toEqual({ method: 'arc', result: 'pass', comment: '"subspace.kernel.org:s=arc-20240116:i=1"', props: {} });
    const suse = parseAuthenticationResults(first(fixture('lore-stable-suse-rspamd.eml'), 'authentication-results'));
    expect(suse.results).toEqual([
      { method: 'dkim', result: 'pass', comment: '1024-bit key', props: { 'header.d': 'suse.com', 'header.i': '@suse.com', 'header.b': 'hB1W1n8/' } },
      { method: 'dkim', result: 'pass', comment: '1024-bit key', props: { 'header.d': 'suse.com', 'header.i': '@suse.com', 'header.b': 'hB1W1n8/' } },
    ]);
    // An unquoted SRS address keeps its '=' signs.
    expect(parseAuthenticationResults('mx.example.net; spf=pass smtp.mailfrom=SRS0=Ab12=XY=example.org=user@fwd.example.net').results[0]!.props)
      .toEqual({ 'smtp.mailfrom': 'SRS0=Ab12=XY=example.org=user@fwd.example.net' });
  });

  it('"none" as the only result (lore stable: "smtp-out2.suse.de;\\n\\tnone"; RFC 8601 B.2 "example.org 1; none")', () => {
    expect(parseAuthenticationResults(headerValues(fixture('lore-stable-suse-rspamd.eml'), 'authentication-results')[4]!)).toEqual({ authservId: 'smtp-out2.suse.de', results: [] });
    expect(parseAuthenticationResults('mx.example.com; none')).toEqual({ authservId: 'mx.example.com', results: [] });
    expect(parseAuthenticationResults('example.org 1; none')).toEqual({ authservId: 'example.org', results: [] });
    expect(parseAuthenticationResults('none')).toEqual({ results: [] });
  });

  it('reason="…" (sisimai arf-20: OpenDKIM behind a list) and RFC 8601 B.6', () => {
    const v = 'example.net;\n\tdkim=pass (1024-bit key; unprotected) header.d=ietf.example.org header.i=@ietf.example.org header.b=Nekochan;\n\tdkim=fail reason="signature verification failed" (1024-bit key; unprotected) header.d=example.net header.i=@example.net header.b=NekoNyaan;\n\tdkim-adsp=none (unprotected policy); dkim-atps=neutral';
    expect(parseAuthenticationResults(v).results).toEqual([
      { method: 'dkim', result: 'pass', comment: '1024-bit key; unprotected', props: { 'header.d': 'ietf.example.org', 'header.i': '@ietf.example.org', 'header.b': 'Nekochan' } },
      { method: 'dkim', result: 'fail', reason: 'signature verification failed', comment: '1024-bit key; unprotected', props: { 'header.d': 'example.net', 'header.i': '@example.net', 'header.b': 'NekoNyaan' } },
      { method: 'dkim-adsp', result: 'none', comment: 'unprotected policy', props: {} },
      { method: 'dkim-atps', result: 'neutral', props: {} },
    ]);
    const b6 = 'example.com;\n      dkim=pass reason="good signature"\n        header.i=@mail-router.example.net;\n      dkim=fail reason="bad signature"\n        header.i=@newyork.example.com';
    expect(parseAuthenticationResults(b6).results).toEqual([
      { method: 'dkim', result: 'pass', reason: 'good signature', props: { 'header.i': '@mail-router.example.net' } },
      { method: 'dkim', result: 'fail', reason: 'bad signature', props: { 'header.i': '@newyork.example.com' } },
    ]);
  });

  it('comments anywhere, nested, with ";" inside; CFWS around "=", "/" and "." (RFC 8601 B.7, B.5)', () => {
    const b7 = "foo.example.net (foobar) 1 (baz);\n    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\n      policy (A dot can go here) . (like that) expired\n      (this surprised me) = (as I wasn't expecting it) 1362471462";
    expect(parseAuthenticationResults(b7)).toEqual({
      authservId: 'foo.example.net',
      results: [{ method: 'dkim', result: 'fail', comment: "Because I like it One yay wait for it A dot can go here like that this surprised me as I wasn't expecting it", props: { 'policy.expired': '1362471462' } }],
    });
    expect(parseAuthenticationResults('example.com;\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\n          spf=pass smtp.mailfrom=example.net').results).toEqual([
      { method: 'auth', result: 'pass', comment: 'cram-md5', props: { 'smtp.auth': 'sender@example.net' } },
      { method: 'spf', result: 'pass', props: { 'smtp.mailfrom': 'example.net' } },
    ]);
    expect(parseAuthenticationResults('example.com; spf=pass (a (nested (deep)) comment; with semicolon) smtp.mailfrom=x@example.com').results).toEqual([
      { method: 'spf', result: 'pass', comment: 'a (nested (deep)) comment; with semicolon', props: { 'smtp.mailfrom': 'x@example.com' } },
    ]);
    expect(parseAuthenticationResults('example.com; iprev=pass\n          policy.iprev=192.0.2.200').results).toEqual([{ method: 'iprev', result: 'pass', props: { 'policy.iprev': '192.0.2.200' } }]);
  });

  it("Yahoo's old form: \"from=domain;\" before each result, a property after a stray ';' (sisimai arf-14, lhost-yahoo-01)", () => {
    expect(parseAuthenticationResults('mta2222.mail.bf2.yahoo.com  from=example.jp; domainkeys=neutral (no sig);  from=amazonses.com; dkim=pass (ok)')).toEqual({
      authservId: 'mta2222.mail.bf2.yahoo.com',
      results: [
        { method: 'domainkeys', result: 'neutral', comment: 'no sig', props: { from: 'example.jp' } },
        { method: 'dkim', result: 'pass', comment: 'ok', props: { from: 'amazonses.com' } },
      ],
    });
    expect(parseAuthenticationResults('mta508.mail.kks.y.example.co.jp from=y.example.co.jp; domainkeys=pass (ok); dkim=pass (ok); header.i=@y.example.co.jp').results).toEqual([
      { method: 'domainkeys', result: 'pass', comment: 'ok', props: { from: 'y.example.co.jp' } },
      { method: 'dkim', result: 'pass', comment: 'ok', props: { 'header.i': '@y.example.co.jp' } },
    ]);
  });

  it('garbage does not throw and yields nothing it cannot read', () => {
    const cases: Array<[string, { authservId?: string; results: unknown[] }]> = [
      ['', { results: [] }],
      [';;;', { results: [] }],
      ['=;=', { results: [] }],
      [')))(((;;=="', { results: [] }],
      ['"unterminated; spf=pass', { results: [] }],
      ['x; spf=pass (unterminated comment smtp.mailfrom=a', { authservId: 'x', results: [{ method: 'spf', result: 'pass', comment: 'unterminated comment smtp.mailfrom=a', props: {} }] }],
      ['x; __proto__=pass; spf=pass __proto__=polluted', { authservId: 'x', results: [{ method: 'spf', result: 'pass', props: { ['__proto__']: 'polluted' } }] }],
    ];
    for (const [v, expected] of cases) expect(parseAuthenticationResults(v), v).toEqual(expected);
    const polluted = parseAuthenticationResults('x; spf=pass __proto__=polluted').results[0]!.props;
    expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype);
    expect(Object.keys(polluted)).toEqual(['__proto__']);
    const long = `x; ${Array.from({ length: 20_000 }, (_, i) => `m${i}=pass (${'('.repeat(5)}c${')'.repeat(5)}) p.q=${i}`).join('; ')}`;
    const started = performance.now();
    expect(parseAuthenticationResults(long).results).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('parseArcAuthenticationResults', () => {
  it('i=N then an A-R body (sisimai googleworkspace-01; lore fixtures with "i=1;" right after the colon and a version)', () => {
    const gmail = parseArcAuthenticationResults(first(fixture('sisimai-googleworkspace-01.eml'), 'arc-authentication-results'));
    expect(gmail.instance).toBe(1);
    expect(gmail.authservId).toBe('mx.google.com');
    expect(gmail.results.map((r) => r.method)).toEqual(['dkim', 'spf', 'dmarc']);
    const kernel = parseArcAuthenticationResults(first(fixture('lore-cgroups-rspamd-add-header.eml'), 'arc-authentication-results'));
    expect(kernel).toMatchObject({ instance: 1, authservId: 'smtp.subspace.kernel.org' });
    expect(kernel.results.at(-1)).toEqual({ method: 'arc', result: 'none', props: { 'smtp.client-ip': '209.85.214.178' } });
    expect(kernel.results[2]).toEqual({ method: 'dkim', result: 'pass', comment: '2048-bit key', props: { 'header.d': 'gmail.com', 'header.i': '@gmail.com', 'header.b': 'Bt8EBiUI' } });
    expect(parseArcAuthenticationResults(first(fixture('lore-qemu-devel-m365-outbound-spam.eml'), 'arc-authentication-results'))).toEqual({
      instance: 1,
      authservId: 'mx.microsoft.com',
      results: [
        { method: 'spf', result: 'pass', props: { 'smtp.mailfrom': 'virtuozzo.com' } },
        { method: 'dmarc', result: 'pass', props: { action: 'none', 'header.from': 'virtuozzo.com' } },
        { method: 'dkim', result: 'pass', props: { 'header.d': 'virtuozzo.com' } },
        { method: 'arc', result: 'none', props: {} },
      ],
    });
  });

  it('the ARC test suite\'s malformed instances (arc-test-suite/arc-draft-validation-tests.yml, "Arc Authentication Results")', () => {
    const body = 'lists.example.org;\n    spf=pass smtp.mfrom=jqd@d1.example;\n    dkim=pass (1024-bit key) header.i=@d1.example;\n    dmarc=pass';
    const good = parseArcAuthenticationResults(`i=1; ${body}`);
    expect(good).toEqual({
      instance: 1,
      authservId: 'lists.example.org',
      results: [
        { method: 'spf', result: 'pass', props: { 'smtp.mfrom': 'jqd@d1.example' } },
        { method: 'dkim', result: 'pass', comment: '1024-bit key', props: { 'header.i': '@d1.example' } },
        { method: 'dmarc', result: 'pass', props: {} },
      ],
    });
    const { instance, ...rest } = good;
    expect(instance).toBe(1);
    expect(parseArcAuthenticationResults(`i=yo-mama; ${body}`)).toEqual(rest);
    expect(parseArcAuthenticationResults(`i=; ${body}`)).toEqual(rest);
    expect(parseArcAuthenticationResults(`i=1 ${body}`)).toEqual(good);
    expect(parseArcAuthenticationResults(`lists.example.org; i=1;${body.slice('lists.example.org;'.length)}`)).toEqual(good);
    expect(parseArcAuthenticationResults(`i=0; ${body}`).instance).toBe(0);
    expect(parseArcAuthenticationResults(body)).toEqual(rest);
    expect(parseArcAuthenticationResults('')).toEqual({ results: [] });
  });
});

describe('parseReceivedSpf', () => {
  it('RFC 7208 §9.1 form: result (comment) key=value; … (the brief\'s sample; quoted values)', () => {
    expect(parseReceivedSpf('softfail (mail.example.com: domain of transitioning x@example.com does not designate 203.0.113.7 as permitted sender) client-ip=203.0.113.7; envelope-from=x@example.com; helo=mx.example.org;')).toEqual({
      method: 'spf',
      result: 'softfail',
      comment: 'mail.example.com: domain of transitioning x@example.com does not designate 203.0.113.7 as permitted sender',
      props: { 'client-ip': '203.0.113.7', 'envelope-from': 'x@example.com', helo: 'mx.example.org' },
    });
    expect(parseReceivedSpf('pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender) receiver=mybox.example.org; client-ip=192.0.2.1; envelope-from="myname@example.com"; helo=foo.example.com;').props)
      .toEqual({ receiver: 'mybox.example.org', 'client-ip': '192.0.2.1', 'envelope-from': 'myname@example.com', helo: 'foo.example.com' });
  });

  it('Microsoft (capitalised result), Gmail, Exim without a comment, a comment-only "None", pairs without spaces', () => {
    expect(parseReceivedSpf(first(fixture('sisimai-office365-04-ndr.eml'), 'received-spf'))).toEqual({
      method: 'spf',
      result: 'pass',
      comment: 'protection.outlook.com: domain of APC01-HK2-obe.outbound.protection.outlook.com designates 104.47.124.246 as permitted sender',
      props: { receiver: 'protection.outlook.com', 'client-ip': '104.47.124.246', helo: 'APC01-HK2-obe.outbound.protection.outlook.com' },
    });
    expect(parseReceivedSpf(first(fixture('sisimai-googleworkspace-01.eml'), 'received-spf'))).toMatchObject({ result: 'none', props: { 'client-ip': '209.85.220.69' } });
    expect(parseReceivedSpf(first(fixture('lore-qemu-devel-m365-outbound-spam.eml'), 'received-spf'))).toEqual({
      method: 'spf',
      result: 'pass',
      props: { 'client-ip': '52.100.16.229', 'envelope-from': 'Valeriy.Vdovin@virtuozzo.com', helo: 'EUR03-VE1-obe.outbound.protection.outlook.com' },
    });
    expect(parseReceivedSpf(headerValues(fixture('sisimai-office365-04-ndr.eml'), 'received-spf')[1]!)).toEqual({
      method: 'spf',
      result: 'none',
      comment: 'protection.outlook.com: does not designate permitted sender hosts',
      props: {},
    });
    expect(parseReceivedSpf('fail client-ip=192.0.2.1;envelope-from=a@b.example;helo=x').props).toEqual({ 'client-ip': '192.0.2.1', 'envelope-from': 'a@b.example', helo: 'x' });
  });

  it('garbage: an empty result, no throw', () => {
    expect(parseReceivedSpf('')).toEqual({ method: 'spf', result: '', props: {} });
    expect(parseReceivedSpf('client-ip=1.2.3.4')).toEqual({ method: 'spf', result: '', props: { 'client-ip': '1.2.3.4' } });
    expect(() => parseReceivedSpf('((((;;;=====""""')).not.toThrow();
  });
});

describe('readSpamVerdicts', () => {
  it('SpamAssassin: tests folded over three lines, required=, checker version (sisimai rfc3464-65, ezweb-08)', () => {
    expect(readSpamVerdicts(fixture('sisimai-rfc3464-65.eml'))).toEqual([{
      filter: 'spamassassin',
      header: 'X-Spam-Checker-Version, X-Spam-Level, X-Spam-Status',
      isSpam: false,
      score: -0.8,
      threshold: 5,
      tests: ['BAYES_00', 'DKIM_SIGNED', 'DKIM_VALID', 'DKIM_VALID_AU', 'FREEMAIL_FROM', 'HTML_MESSAGE', 'MIME_HEADER_CTYPE_ONLY', 'RCVD_IN_DNSWL_NONE', 'RCVD_IN_SORBS_SPAM', 'URIBL_BLOCKED'],
      detail: 'SpamAssassin 3.3.2 (2011-06-06) on shelby.example.net',
      attributes: { autolearn: 'no', version: '3.3.2', level: '0' },
    }]);
    expect(readSpamVerdicts(fixture('sisimai-ezweb-08.eml'))[0]).toMatchObject({
      filter: 'spamassassin', isSpam: false, score: -99.1, threshold: 15,
      tests: ['AWL', 'BAYES_50', 'CONTENT_TYPE_PRESENT', 'ISO2022JP_BODY', 'JPHANDPHONE', 'ONLY1HOPDIRECT', 'USER_IN_WHITELIST'],
    });
  });

  it('SpamAssassin: Flag + Status + Score + Level merge into one verdict; "Yes" with autolearn_force', () => {
    const fields = parseHeaderBlock('X-Spam-Flag: YES\nX-Spam-Score: 7.3\nX-Spam-Level: *******\nX-Spam-Status: Yes, score=7.3 required=5.0 tests=BAYES_99,RDNS_NONE autolearn=no version=3.4.6\n');
    expect(readSpamVerdicts(fields)).toEqual([{
      filter: 'spamassassin',
      header: 'X-Spam-Flag, X-Spam-Score, X-Spam-Level, X-Spam-Status',
      isSpam: true,
      score: 7.3,
      threshold: 5,
      tests: ['BAYES_99', 'RDNS_NONE'],
      attributes: { autolearn: 'no', version: '3.4.6', level: '7' },
    }]);
    // A spam sample from a public list archive, Message-ID <CAKG2jqhDsquG8dFNZummg=yxtueZeGvMR14sTq-FPgfOap8MTQ@mail.gmail.com>.
    const yes = parseHeaderBlock('X-Spam-Status: Yes, score=5.0 required=5.0 tests=BAYES_50,DKIM_SIGNED,\n        DKIM_VALID,DKIM_VALID_AU,DKIM_VALID_EF,FREEMAIL_FROM,FREEMAIL_REPLYTO,\n        FREEMAIL_REPLYTO_END_DIGIT,RCVD_IN_DNSWL_NONE,SPF_HELO_NONE,SPF_PASS,\n        SUBJ_ALL_CAPS,UNDISC_FREEM autolearn=no autolearn_force=no\n        version=3.4.6\n');
    const v = readSpamVerdicts(yes)[0]!;
    expect(v).toMatchObject({ filter: 'spamassassin', isSpam: true, score: 5, threshold: 5, attributes: { autolearn: 'no', version: '3.4.6' } });
    expect(v.tests).toHaveLength(13);
    expect(v.tests.at(-1)).toBe('UNDISC_FREEM');
    // Flag wins over the status line; a score alone is compared with required=.
    expect(readSpamVerdicts(parseHeaderBlock('X-Spam-Status: No, score=9 required=5\nX-Spam-Flag: YES\n'))[0]!.isSpam).toBe(true);
    expect(readSpamVerdicts(parseHeaderBlock('X-Spam-Status: score=9 required=5 tests=none\n'))[0]).toMatchObject({ isSpam: true, tests: [] });
  });

  it('amavisd-new: "tests=[NAME=score, …]" gives per-test scores (lore dri-devel fixture)', () => {
    expect(readSpamVerdicts(fixture('lore-dri-devel-amavis.eml'))).toEqual([{
      filter: 'spamassassin',
      header: 'X-Spam-Flag, X-Spam-Score, X-Spam-Level, X-Spam-Status',
      isSpam: false,
      score: -2.099,
      threshold: 6.31,
      tests: ['BAYES_00', 'DKIM_SIGNED', 'DKIM_VALID', 'DKIM_VALID_AU', 'DKIM_VALID_EF', 'URIBL_BLOCKED'],
      testScores: { BAYES_00: -1.9, DKIM_SIGNED: 0.1, DKIM_VALID: -0.1, DKIM_VALID_AU: -0.1, DKIM_VALID_EF: -0.1, URIBL_BLOCKED: 0.001 },
      attributes: { autolearn: 'ham', level: '0' },
    }]);
  });

  it('Rspamd: "add header" is spam although X-Spamd-Result says "default: False" (lore cgroups fixture)', () => {
    const [v, ...others] = readSpamVerdicts(fixture('lore-cgroups-rspamd-add-header.eml'));
    expect(others).toEqual([]);
    expect(v).toMatchObject({
      filter: 'rspamd',
      header: 'X-Rspamd-Action, X-Spamd-Result, X-Rspamd-Server, X-Rspamd-Queue-Id, X-Spam',
      isSpam: true,
      score: 7.34,
      threshold: 15,
      detail: 'action: add header',
      attributes: { action: 'add header', default: 'False' },
    });
    expect(v!.tests).toHaveLength(36);
    expect(v!.tests.slice(0, 3)).toEqual(['URIBL_BLACK', 'MAILLIST', 'MIME_GOOD']);
    expect(v!.testScores).toMatchObject({ URIBL_BLACK: 7.5, MAILLIST: -0.15, BAD_REP_POLICIES: 0.1, ARC_ALLOW: 0 });
  });

  it('Rspamd writing SpamAssassin\'s header names: one Rspamd verdict (lore stable fixture)', () => {
    expect(readSpamVerdicts(fixture('lore-stable-suse-rspamd.eml'))).toEqual([expect.objectContaining({
      filter: 'rspamd',
      header: 'X-Spam-Level, X-Spam-Score, X-Spamd-Result, X-Spam-Flag',
      isSpam: false,
      score: 3.13,
      threshold: 50,
      attributes: { default: 'False' },
    })]);
    expect(readSpamVerdicts(fixture('lore-stable-suse-rspamd.eml'))[0]!.tests).toHaveLength(20);
  });

  it('Rspamd: options with nested brackets, old format without ";", "default: True", actions', () => {
    // linux-stm32 list via lore (Rspamd on lfdr.de): ARC_REJECT's option holds "{[1] = …}".
    const nested = readSpamVerdicts(parseHeaderBlock('X-Rspamd-Action: add header\nX-Spamd-Result: default: False [7.29 / 15.00];\n\tDMARC_POLICY_REJECT(2.00)[altera.com : SPF not aligned (relaxed),reject];\n\tSUSPICIOUS_RECIPS(1.50)[];\n\tARC_REJECT(1.00)[signature check failed: fail, {[1] = sig:microsoft.com:reject}];\n\tR_DKIM_REJECT(1.00)[altera.com:s=selector2]\n'))[0]!;
    expect(nested.tests).toEqual(['DMARC_POLICY_REJECT', 'SUSPICIOUS_RECIPS', 'ARC_REJECT', 'R_DKIM_REJECT']);
    expect(nested.testScores).toEqual({ DMARC_POLICY_REJECT: 2, SUSPICIOUS_RECIPS: 1.5, ARC_REJECT: 1, R_DKIM_REJECT: 1 });
    // Rspamd's milter_headers.lua joins symbols with "\n " and no ';' (older releases).
    const old = readSpamVerdicts(parseHeaderBlock('X-Spamd-Result: default: True [16.20 / 15.00]\n R_SPF_FAIL(1.00)[-all]\n BAYES_SPAM(5.10)[99.99%]\n'))[0]!;
    expect(old).toMatchObject({ isSpam: true, score: 16.2, threshold: 15, tests: ['R_SPF_FAIL', 'BAYES_SPAM'] });
    expect(readSpamVerdicts(parseHeaderBlock('X-Spamd-Result: default: False [0.10 / 15.00]\n'))[0]!.isSpam).toBeUndefined();
    expect(readSpamVerdicts(parseHeaderBlock('X-Rspamd-Action: no action\nX-Rspamd-Score: -4.16\n'))[0]).toMatchObject({ isSpam: false, score: -4.16 });
    expect(readSpamVerdicts(parseHeaderBlock('X-Rspamd-Action: greylist\n'))[0]!.isSpam).toBe(false);
    expect(readSpamVerdicts(parseHeaderBlock('X-Rspamd-Action: rewrite subject\n'))[0]!.isSpam).toBe(true);
    expect(readSpamVerdicts(parseHeaderBlock('X-Rspamd-Server: mx1\nX-Spam: Yes\n'))[0]).toMatchObject({ filter: 'rspamd', isSpam: true });
  });

  it('Microsoft: SCL 5 + SFV:SPM (+ CAT:OSPM, DIR:OUT) is spam, BCL from X-Microsoft-Antispam (lore qemu-devel)', () => {
    expect(readSpamVerdicts(fixture('lore-qemu-devel-m365-outbound-spam.eml'))).toEqual([{
      filter: 'microsoft',
      header: 'X-Forefront-Antispam-Report, X-Microsoft-Antispam',
      isSpam: true,
      score: 5,
      threshold: 5,
      tests: [],
      detail: 'SCL:5 SFV:SPM CAT:OSPM IPV:NLI DIR:OUT BCL:0',
      attributes: { CIP: '255.255.255.255', CTRY: '', LANG: 'en', SCL: '5', SRV: '', IPV: 'NLI', SFV: 'SPM', H: 'AM9PR08MB5988.eurprd08.prod.outlook.com', PTR: '', CAT: 'OSPM', DIR: 'OUT', SFP: '1501', BCL: '0' },
    }, expect.objectContaining({
      // lists.gnu.org's Exim + SpamAssassin further down the same message
      filter: 'spamassassin', isSpam: false, score: -2.1, detail: 'action: no action',
    })]);
  });

  it('Microsoft: SFV:NSPM with SCL:1 is not spam; EFV:NLI alone says nothing but the mailbox filed it in the Inbox', () => {
    expect(readSpamVerdicts(fixture('sisimai-office365-04-original.eml'))[0]).toMatchObject({
      filter: 'microsoft', header: 'x-microsoft-antispam, x-forefront-antispam-report', isSpam: false, score: 1, threshold: 5, detail: 'SCL:1 SFV:NSPM DIR:OUT BCL:0',
    });
    expect(readSpamVerdicts(fixture('sisimai-office365-04-ndr.eml'))).toEqual([{
      filter: 'microsoft',
      header: 'X-Forefront-Antispam-Report, X-Microsoft-Antispam, X-Microsoft-Antispam-Mailbox-Delivery',
      isSpam: false,
      tests: [],
      detail: 'BCL:0 DEST:I',
      attributes: { EFV: 'NLI', BCL: '0', PCL: '0', SRVR: 'HE1EUR01HT085', DEST: 'I', OFR: 'SpamFilterPass' },
    }]);
    expect(readSpamVerdicts(parseHeaderBlock('X-MS-Exchange-Organization-SCL: 5\n'))[0]).toMatchObject({ isSpam: true, score: 5, threshold: 5 });
    expect(readSpamVerdicts(parseHeaderBlock('X-MS-Exchange-Organization-SCL: -1\n'))[0]).toMatchObject({ isSpam: false, score: -1 });
    expect(readSpamVerdicts(parseHeaderBlock('X-Forefront-Antispam-Report: SFV:NSPM;SCL:6;\n'))[0]!.isSpam).toBe(true);
    expect(readSpamVerdicts(parseHeaderBlock('X-Forefront-Antispam-Report: CIP:192.0.2.1;SFV:SKS;\n'))[0]!.isSpam).toBe(true);
    // The sending tenant's report travels as "-Untrusted" and is not the receiver's verdict.
    expect(readSpamVerdicts(parseHeaderBlock('X-Forefront-Antispam-Report-Untrusted: SFV:SPM;SCL:9;\n'))).toEqual([]);
  });

  it('generic flags: X-Spam (no Rspamd around) and X-Spam-Verdict', () => {
    // sisimai maildir/bsd/lhost-mailru-03.eml: "X-Spam: Not detected"; lhost-mailru-05.eml: "X-Spam: undefined".
    expect(readSpamVerdicts(parseHeaderBlock('X-Spam: Not detected\n'))).toEqual([{ filter: 'generic', header: 'X-Spam', isSpam: false, tests: [], detail: 'Not detected' }]);
    expect(readSpamVerdicts(parseHeaderBlock('X-Spam: undefined\n'))).toEqual([{ filter: 'generic', header: 'X-Spam', tests: [], detail: 'undefined' }]);
    expect(readSpamVerdicts(parseHeaderBlock('X-Spam: yes\n'))[0]).toMatchObject({ filter: 'generic', isSpam: true });
    // tiscali.it's gateway, seen on linux-btrfs via lore: "X-Spam-Verdict: clean".
    expect(readSpamVerdicts(parseHeaderBlock('X-Spam-Verdict: clean\n'))).toEqual([{ filter: 'generic', header: 'X-Spam-Verdict', isSpam: false, tests: [], detail: 'clean' }]);
  });

  it('Gmail\'s X-Gm-Spam / X-Gm-Phishy and Exim\'s SpamAssassin variables (lists.nongnu.org qemu-devel, 2023-07)', () => {
    // Header lines as archived for Message-ID <CAE+aGtUdgF9yt8Ydz6zojA7uj9fwQXKYG5K0QjZmy6MF+xbM0A@mail.gmail.com>'s
    // thread on qemu-devel (public-inbox mirror), unchanged.
    const fields = parseHeaderBlock([
      'X-CLOUD-SEC-AV-Info: celesticainc,google_mail,monitor',
      'X-Gm-Spam: 0',
      'X-Gm-Phishy: 0',
      'Received-SPF: pass client-ip=2607:f8b0:4864:20::435;',
      ' envelope-from=ssinprem@celestica.com; helo=mail-pf1-x435.google.com',
      'X-Spam_score_int: -20',
      'X-Spam_score: -2.1',
      'X-Spam_bar: --',
      'X-Spam_report: (-2.1 / 5.0 requ) BAYES_00=-1.9, DKIM_SIGNED=0.1,',
      ' DKIM_VALID=-0.1, DKIM_VALID_AU=-0.1, DKIM_VALID_EF=-0.1, HTML_MESSAGE=0.001,',
      ' RCVD_IN_DNSWL_NONE=-0.0001, SPF_HELO_NONE=0.001, SPF_PASS=-0.001,',
      ' T_SCC_BODY_TEXT_LINE=-0.01 autolearn=unavailable autolearn_force=no',
      'X-Spam_action: no action',
      '',
    ].join('\n'));
    const [gm, sa] = readSpamVerdicts(fields);
    expect(gm).toEqual({ filter: 'gmail', header: 'X-Gm-Spam, X-Gm-Phishy', isSpam: false, tests: [], detail: 'X-Gm-Spam: 0, X-Gm-Phishy: 0', attributes: { spam: '0', phishy: '0' } });
    expect(sa).toMatchObject({ filter: 'spamassassin', header: 'X-Spam_score_int, X-Spam_score, X-Spam_bar, X-Spam_report, X-Spam_action', isSpam: false, score: -2.1, threshold: 5, detail: 'action: no action' });
    expect(sa!.tests).toEqual(['BAYES_00', 'DKIM_SIGNED', 'DKIM_VALID', 'DKIM_VALID_AU', 'DKIM_VALID_EF', 'HTML_MESSAGE', 'RCVD_IN_DNSWL_NONE', 'SPF_HELO_NONE', 'SPF_PASS', 'T_SCC_BODY_TEXT_LINE']);
    expect(sa!.testScores!.BAYES_00).toBe(-1.9);
    expect(sa!.attributes).toEqual({ action: 'no action', autolearn: 'unavailable' });
    // Flagged: Gmail says 1
    expect(readSpamVerdicts(parseHeaderBlock('X-Gm-Spam: 0\nX-Gm-Phishy: 1\n'))[0]).toMatchObject({ filter: 'gmail', isSpam: true, tests: ['PHISHY'] });
  });

  it('the topmost header of a kind wins, and verdicts come topmost filter first', () => {
    const fields = parseHeaderBlock('X-Forefront-Antispam-Report: SFV:SPM;SCL:5;\nX-Spam-Status: No, score=1.0 required=5.0 tests=A\nX-Spam-Status: Yes, score=9.0 required=5.0 tests=B\n');
    const verdicts = readSpamVerdicts(fields);
    expect(verdicts.map((v) => v.filter)).toEqual(['microsoft', 'spamassassin']);
    expect(verdicts[1]).toMatchObject({ isSpam: false, score: 1, tests: ['A'] });
    expect(readSpamVerdicts([])).toEqual([]);
    expect(readSpamVerdicts(fixture('sisimai-googleworkspace-01.eml'))).toEqual([]);
  });

  it('garbage values do not throw', () => {
    const raw = ['X-Spam-Status: ', 'X-Spam-Score: abc', 'X-Spam-Level: *x*', 'X-Spamd-Result: default: [', `X-Spamd-Result: ${'['.repeat(50_000)}A(1.00)`,
      'X-Forefront-Antispam-Report: ;;;:::SCL:x;', 'X-Microsoft-Antispam: __proto__:1;BCL:', 'X-Spam-Verdict:'].join('\n');
    expect(() => readSpamVerdicts(parseHeaderBlock(raw))).not.toThrow();
    // No SpamAssassin marks next to an X-Spamd-Result: the X-Spam-* fields are taken for Rspamd's.
    expect(readSpamVerdicts(parseHeaderBlock(raw)).map((v) => [v.filter, v.isSpam, v.score])).toEqual([
      ['rspamd', undefined, undefined],
      ['microsoft', undefined, undefined],
      ['generic', undefined, undefined],
    ]);
  });
});

describe('every message of the sisimai corpus', () => {
  it('parses without throwing; 99 % of Received dates that exist are read', () => {
    const root = join(corporaDir(), 'sisimai-bounces/maildir');
    let received = 0;
    let dated = 0;
    let files = 0;
    for (const dir of readdirSync(root)) {
      for (const name of readdirSync(join(root, dir))) {
        files++;
        const text = readFileSync(join(root, dir, name), 'utf8');
        // The message's own header block, and every part that starts like one (returned originals).
        for (const block of [text, ...text.split(/\r?\n\r?\n|\r\r/).slice(1)]) {
          const fields = parseHeaderBlock(block);
          for (const f of fields) {
            if (f.key === 'received' && f.value.includes(';') && !/=\r?$|=\s|&#|&lt;/.test(f.value)) {
              received++;
              if (parseReceived(f.value).date) dated++;
            }
            if (f.key === 'authentication-results') parseAuthenticationResults(f.value);
            if (f.key === 'arc-authentication-results') parseArcAuthenticationResults(f.value);
            if (f.key === 'received-spf') parseReceivedSpf(f.value);
          }
          hopDelays(parseReceivedChain(fields));
          readSpamVerdicts(fields);
        }
      }
    }
    expect(files).toBeGreaterThan(800);
    expect(received).toBeGreaterThan(2500);
    expect(dated / received).toBeGreaterThan(0.99);
  });
});
