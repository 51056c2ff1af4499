// The pure parts of the network-path analysis: option parsing, local-evidence parsers, the banner and issuer
// matchers, the choice of the reference, and the CLI's refusal of bad network options.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataTable } from '../../src/data.js';
import { isPublicAddress, referenceSpecs } from '../../src/probes/network/index.js';
import { icmpDelta, readIcmpCounters } from '../../src/probes/network/icmp.js';
import { containerEvidence, mailPortListeners, ownersOf, proxyEnv, redactProxyValue } from '../../src/probes/network/local.js';
import { systemFiles } from '../../src/net/io.js';
import { DEFAULT_REFERENCE, networkOptions, parseReferenceSpec } from '../../src/probes/network/options.js';
import { isMaskedBanner } from '../../src/rules/firewall.js';
import { cloudOf } from '../../src/rules/port-blockage.js';
import { matchInterceptionCa, type InterceptionCa } from '../../src/rules/security-software.js';
import { runCli } from '../helpers/cli.js';
import { fakeFiles, fixedClock } from '../helpers/fake-io.js';
import { tempDir } from '../helpers/tmp.js';

describe('--reference HOST[:PORTS]', () => {
  it('parses names, IPv4 and IPv6 literals, with and without ports', () => {
    expect(parseReferenceSpec('smtp.example.net')).toEqual({ host: 'smtp.example.net', ports: [25, 465, 587], source: 'user' });
    expect(parseReferenceSpec('192.0.2.7:587,25')).toEqual({ host: '192.0.2.7', ports: [25, 587], source: 'user' });
    expect(parseReferenceSpec('[2001:db8::7]:465')).toEqual({ host: '2001:db8::7', ports: [465], source: 'user' });
    expect(parseReferenceSpec('2001:db8::7')).toEqual({ host: '2001:db8::7', ports: [25, 465, 587], source: 'user' });
  });
  it('refuses bad hosts, ports and hold values', () => {
    expect(() => parseReferenceSpec('exa mple.net')).toThrow(/reference/);
    expect(() => parseReferenceSpec('example.net:99999')).toThrow(/port/);
    expect(() => parseReferenceSpec('example.net:25\r\nQUIT')).toThrow();
    expect(() => networkOptions({ holdSeconds: 0 })).toThrow(/hold/);
    expect(() => networkOptions({ holdSeconds: 301 })).toThrow(/hold/);
  });
  it('the default reference is used only for a server with a public address', () => {
    const opts = networkOptions({});
    expect(referenceSpecs(opts, [{ address: '8.8.8.8', family: 4 }]).specs).toEqual([DEFAULT_REFERENCE]);
    expect(referenceSpecs(opts, [{ address: '2a00:1450:4001::6c', family: 6 }]).specs).toEqual([DEFAULT_REFERENCE]);
    for (const a of ['127.0.0.1', '10.1.2.3', '192.168.1.1', '172.16.0.1', '100.64.0.1', '169.254.1.1', '198.51.100.1']) {
      expect(isPublicAddress({ address: a, family: 4 })).toBe(false);
      expect(referenceSpecs(opts, [{ address: a, family: 4 }]).skipped).toMatch(/no public address/);
    }
    for (const a of ['::1', 'fd00::1', 'fe80::1', '2001:db8::1']) expect(isPublicAddress({ address: a, family: 6 })).toBe(false);
    expect(referenceSpecs(networkOptions({ noReference: true }), [{ address: '8.8.8.8', family: 4 }])).toEqual({ specs: [], skipped: expect.stringMatching(/--no-reference/) });
    expect(referenceSpecs(networkOptions({ references: ['10.0.0.9:25'] }), [{ address: '10.0.0.1', family: 4 }]).specs).toEqual([{ host: '10.0.0.9', ports: [25], source: 'user' }]);
  });
});

describe('local evidence parsers', () => {
  it('removes credentials from proxy URLs', () => {
    expect(redactProxyValue('http://bob:hunter2@proxy.example:8080')).toBe('http://[credentials removed]@proxy.example:8080');
    expect(redactProxyValue('socks5://user@10.0.0.1:1080')).toBe('socks5://[credentials removed]@10.0.0.1:1080');
    expect(redactProxyValue('proxy.example:3128')).toBe('proxy.example:3128');
    expect(redactProxyValue('bob:pw@proxy.example:3128')).toBe('[credentials removed]@proxy.example:3128');
    expect(redactProxyValue('http://proxy.example:8080/pac?token=abc123')).toBe('http://proxy.example:8080/…');
    expect(redactProxyValue('http://[2001:db8::1]:3128')).toBe('http://[2001:db8::1]:3128');
    expect(redactProxyValue('http://:@')).toBe('(unparsable value hidden)');
  });
  it('reads LISTEN sockets on mail ports from /proc/net/tcp and tcp6 (through the run\'s files: a fixture here)', () => {
    const head = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    const files = fakeFiles({
      '/proc/net/tcp': head +
        '   0: 0100007F:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0000000000000000 100 0 0 10 0\n' +
        '   1: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2222 1 0000000000000000 100 0 0 10 0\n' +
        '   2: 0100007F:024B 0200007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 3333 1 0000000000000000 100 0 0 10 0\n',
      '/proc/net/tcp6': head +
        '   0: 00000000000000000000000001000000:024B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 100 0 0 10 0\n' +
        '   1: 000080FE00000000FF005452BDA60FFE:01D1 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1 0000000000000000 100 0 0 10 0\n',
    });
    expect(mailPortListeners(files)).toEqual([
      { address: '127.0.0.1', port: 25, family: 4, inode: '1111' },
      { address: '::1', port: 587, family: 6, inode: '4444' },
      { address: 'fe80::5254:ff:fe0f:a6bd', port: 465, family: 6, inode: '5555' },
    ]);
    expect(files.reads).toEqual(['/proc/net/tcp', '/proc/net/tcp6']);
  });
  it('reads the same tables from a real directory through the system files', () => {
    const dir = tempDir('procnet');
    writeFileSync(join(dir, 'tcp'), '  sl  local_address\n   0: 0100007F:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0000000000000000 100 0 0 10 0\n');
    expect(mailPortListeners(systemFiles, dir)).toEqual([{ address: '127.0.0.1', port: 25, family: 4, inode: '1111' }]);
    // Past the cap a file is unreadable, never parsed cut.
    expect(systemFiles.readFile(join(dir, 'tcp'), 10)).toBeUndefined();
    expect(systemFiles.readFile(join(dir, 'missing'), 10)).toBeUndefined();
  });
  it('reads the ICMP destination-unreachable counters of both families from /proc/net/snmp and snmp6', () => {
    const snmp = 'Ip: Forwarding DefaultTTL\nIp: 2 64\n' +
      'Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds\nIcmp: 9 0 0 7 0\nIcmpMsg: InType3 OutType3\nIcmpMsg: 9 8\n';
    const before = readIcmpCounters(fakeFiles({ '/proc/net/snmp': snmp, '/proc/net/snmp6': 'Icmp6InMsgs                     \t4\nIcmp6InDestUnreachs             \t1\n' }));
    expect(before).toEqual({ v4: 7, v6: 1 });
    const after = readIcmpCounters(fakeFiles({ '/proc/net/snmp': snmp.replace('9 0 0 7 0', '10 0 0 8 0') }));
    expect(after).toEqual({ v4: 8, v6: undefined });
    expect(icmpDelta(before, after, 4)).toBe(1);
    expect(icmpDelta(before, after, 6)).toBeUndefined();
  });
  it('names the process that holds a listener, from /proc/<pid>/fd and comm', () => {
    const files = fakeFiles({ '/proc/812/comm': 'master\n', '/proc/self/comm': 'x' }, { '/proc/812/fd/3': 'socket:[1111]', '/proc/812/fd/4': 'pipe:[9]', '/proc/900/fd/0': '/dev/null' });
    expect(ownersOf(files, fixedClock(0), new Set(['1111', '2222']))).toEqual(new Map([['1111', 'master (pid 812)']]));
  });
  it('gives up scanning /proc when the time budget is spent (a clock that jumps 400 ms a reading)', () => {
    const files = fakeFiles({ '/proc/812/comm': 'master' }, { '/proc/812/fd/3': 'socket:[1111]' });
    const clock = fixedClock(0, 0, 400);
    expect(ownersOf(files, clock, new Set(['1111']), 300)).toEqual(new Map());
    expect(clock.readings).toBe(2);
  });
  it('reads container markers and proxy settings from the run\'s files and environment', () => {
    const env = (name: string) => ({ container: 'podman', HTTPS_PROXY: 'http://bob:pw@proxy.example:3128/x' } as Record<string, string>)[name];
    expect(containerEvidence(fakeFiles({ '/run/.containerenv': '', '/proc/1/cgroup': '0::/machine.slice/libpod-1234.scope\n' }), env)).toEqual([
      '/run/.containerenv exists (Podman)', '/proc/1/cgroup: libpod-1234.scope', 'environment: container=podman',
    ]);
    expect(proxyEnv(env)).toEqual([{ name: 'HTTPS_PROXY', value: 'http://[credentials removed]@proxy.example:3128/…' }]);
  });
  it('recognises cloud hosts from DMI only when the identity matches', () => {
    expect(cloudOf({ sys_vendor: 'Amazon EC2', product_name: 'm5.large' })?.id).toBe('aws');
    expect(cloudOf({ sys_vendor: 'Google', product_name: 'Google Compute Engine' })?.id).toBe('gcp');
    expect(cloudOf({ sys_vendor: 'Microsoft Corporation', product_name: 'Virtual Machine', chassis_asset_tag: '7783-7084-3265-9085-8269-3286-77' })?.id).toBe('azure');
    // Hyper-V on a desk is not Azure.
    expect(cloudOf({ sys_vendor: 'Microsoft Corporation', product_name: 'Virtual Machine', chassis_asset_tag: 'None' })).toBeUndefined();
    expect(cloudOf({ sys_vendor: 'Dell Inc.', product_name: 'XPS 13' })).toBeUndefined();
  });
});

describe('matchers', () => {
  it('masked banners: asterisks, not ordinary greetings', () => {
    expect(isMaskedBanner('220 ******************************')).toBe(true);
    expect(isMaskedBanner('220 ****************************0*0*2******0***********2002')).toBe(true);
    expect(isMaskedBanner('220 mail.example.com ESMTP Postfix')).toBe(false);
    expect(isMaskedBanner('220 mail.example.com ESMTP *** welcome ***')).toBe(false);
    expect(isMaskedBanner('554 ******************************')).toBe(false);
  });
  it('every interception-CA pattern matches its own issuer, and no public CA matches any entry', () => {
    const table = loadDataTable<InterceptionCa>('interception-cas.json');
    expect(table.length).toBeGreaterThan(5);
    for (const e of table) for (const p of e.issuerPatterns) expect(matchInterceptionCa(`CN=${p}, O=Test`, table)?.id).toBe(e.id);
    for (const issuer of [
      'C=US, O=Let\'s Encrypt, CN=R11', 'C=US, O=Google Trust Services, CN=WR2', 'C=US, O=DigiCert Inc, CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1',
      'C=GB, O=Sectigo Limited, CN=Sectigo RSA Domain Validation Secure Server CA', 'C=US, O=Microsoft Corporation, CN=Microsoft Azure RSA TLS Issuing CA 04',
      'C=BE, O=GlobalSign nv-sa, CN=GlobalSign GCC R6 AlphaSSL CA 2023', 'C=US, O=Amazon, CN=Amazon RSA 2048 M02',
    ]) expect(matchInterceptionCa(issuer, table)).toBeUndefined();
  });
  it('matches the issuer fields, never the subject', () => {
    expect(matchInterceptionCa('CN=Avast Web/Mail Shield Root, O=Avast Web/Mail Shield')?.id).toBe('avast');
    expect(matchInterceptionCa('L=ESET SSL Filter CA, CN=Real CA')).toBeUndefined();
  });
});

describe('CLI', () => {
  it('refuses contradictory or incomplete network options (exit 2)', async () => {
    const a = await runCli(['check', '--host', '127.0.0.1', '--reference', '127.0.0.2', '--no-reference']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--reference or --no-reference/);
    const b = await runCli(['check', '--host', '127.0.0.1', '--data-probe']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--data-probe needs --from and --to/);
    const c = await runCli(['check', '--host', '127.0.0.1', '--hold', '-3']);
    expect(c.code).toBe(2);
    const d = await runCli(['check', '--help-all']);
    expect(d.stdout).toMatch(/--reference HOST\[:PORTS\]/);
  });
});

describe('DANE', () => {
  it('matches usage 3 against the leaf and usage 2 against the chain; other forms give no verdict', async () => {
    const { daneVerdict } = await import('../../src/rules/security-software.js');
    const cert = (spki: string, fp: string) => ({ subject: 's', issuer: 'i', sans: [], validFrom: '', validTo: '', fingerprint256: fp, selfIssued: false, spkiSha256: spki });
    const chain = [cert('aa11', 'AB:CD'), cert('bb22', '12:34')];
    expect(daneVerdict([{ usage: 3, selector: 1, matchingType: 1, data: 'AA11' }], chain)).toBe('match');
    expect(daneVerdict([{ usage: 3, selector: 1, matchingType: 1, data: 'bb22' }], chain)).toBe('mismatch');
    expect(daneVerdict([{ usage: 2, selector: 1, matchingType: 1, data: 'bb22' }], chain)).toBe('match');
    expect(daneVerdict([{ usage: 3, selector: 0, matchingType: 1, data: 'abcd' }], chain)).toBe('match');
    expect(daneVerdict([{ usage: 3, selector: 1, matchingType: 2, data: 'ff' }], chain)).toBe('unknown');
  });
});
