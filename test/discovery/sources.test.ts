// Discovery sources beyond SRV and the HTTPS autoconfig document: Thunderbird's ISP database (base URL configurable,
// here a local server) and the domain's autoconfig document over plain HTTP (unauthenticated), each recorded with
// where it came from; and the XML reader on real ISPDB documents and on what a regex reader got wrong.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAutoconfig, xmlProblem } from '../../src/input/autoconfig.js';
import { discoverSettings } from '../../src/input/discover.js';
import { DnsResolver } from '../../src/net/resolver.js';
import { runCli } from '../helpers/cli.js';
import { loadLabEnv } from '../helpers/lab-env.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/autoconfig/${name}`, import.meta.url), 'utf8');
const lab = loadLabEnv();
const DNS = `${lab.dns.server}:${lab.dns.port}`;
const resolver = () => new DnsResolver({ servers: [DNS], timeoutMs: 2000 });

describe('autoconfig XML is read with a parser', () => {
  it('real ISPDB documents (mailbox.org; gmx.net with a malformed entity and a comment after the root)', () => {
    expect(parseAutoconfig(fixture('mailbox.org.xml'), 'me@mailbox.org').filter((s) => s.kind === 'smtp').map((s) => `${s.host}:${s.port}/${s.security}/${s.username}`))
      .toEqual(['smtp.mailbox.org:465/implicit-tls/me@mailbox.org', 'smtp.mailbox.org:587/starttls/me@mailbox.org']);
    const gmx = parseAutoconfig(fixture('gmx.net.xml'), 'me@gmx.net');
    expect(gmx.map((s) => `${s.kind} ${s.host}:${s.port}`)).toEqual(['smtp mail.gmx.net:465', 'smtp mail.gmx.net:587', 'imap imap.gmx.net:993', 'imap imap.gmx.net:143', 'pop3 pop.gmx.net:995', 'pop3 pop.gmx.net:110']);
  });

  it('a namespace prefix, CDATA, commented-out decoys and attribute order do not change what is found', () => {
    const servers = parseAutoconfig(fixture('namespaced.xml'), 'me@ns.test');
    expect(servers).toEqual([
      { kind: 'smtp', host: 'smtp.ns.test', port: 465, security: 'implicit-tls', username: 'me', authentication: ['password-cleartext', 'OAuth2'] },
      { kind: 'imap', host: 'imap.ns.test', port: 993, security: 'implicit-tls', authentication: [] },
    ]);
    expect(JSON.stringify(servers)).not.toContain('decoy');
  });

  it('a document that is not well-formed XML is named as such', () => {
    expect(xmlProblem('<clientConfig><emailProvider></clientConfig>')).toMatch(/^not well-formed XML \(line 1: /);
    expect(xmlProblem(fixture('mailbox.org.xml'))).toBeUndefined();
  });
});

const doc = (host: string, port: number, socketType: string) => `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="x"><outgoingServer type="smtp"><hostname>${host}</hostname><port>${port}</port><socketType>${socketType}</socketType></outgoingServer></emailProvider></clientConfig>`;

let server: Server;
let port = 0;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.headers.host}${req.url}`);
    if (req.url === '/v1.1/none.disc.test') res.end(doc('smtp.ispdb.test', 465, 'SSL'));
    else if (req.url?.startsWith('/mail/config-v1.1.xml') && req.headers.host === 'autoconfig.none.disc.test') res.end(doc('smtp.plain.test', 587, 'STARTTLS'));
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('discovery sources: ISPDB and plain-HTTP autoconfig, with provenance', () => {
  it('each source is recorded with its URL; the plain-HTTP one as unauthenticated and ranked after the ISPDB', async () => {
    const d = await discoverSettings('bob@none.disc.test', resolver(), {
      autoconfigHosts: { 'http://autoconfig.none.disc.test': `127.0.0.1:${port}` }, ispdb: `http://127.0.0.1:${port}/v1.1/`,
    });
    expect(d.submission.map((c) => [c.host, c.source, c.from, c.authenticated])).toEqual([
      ['smtp.ispdb.test', 'ispdb', `http://127.0.0.1:${port}/v1.1/none.disc.test`, false],
      ['smtp.plain.test', 'autoconfig-http', 'http://autoconfig.none.disc.test/mail/config-v1.1.xml', false],
    ]);
    expect(d.autoconfig.map((a) => [a.source, a.ok, a.authenticated])).toEqual([
      ['autoconfig', false, true], ['autoconfig', false, true], ['ispdb', true, false], ['autoconfig-http', true, false],
    ]);
    expect(seen).toContain(`127.0.0.1:${port}/v1.1/none.disc.test`);
  });

  it('under a host map the default ISPDB is not asked; the plain-HTTP document counts when no HTTPS one named a server', async () => {
    const d = await discoverSettings('bob@none.disc.test', resolver(), { autoconfigHosts: { 'http://autoconfig.none.disc.test': `127.0.0.1:${port}` } });
    expect(d.autoconfig.find((a) => a.source === 'ispdb')?.error).toBe('not in the autoconfig host map');
    expect(d.submission.map((c) => c.source)).toEqual(['autoconfig-http']);
  });

  it('the terminal says where the server was found; --json carries the same', async () => {
    const args = ['check', 'bob@none.disc.test', '--resolver', DNS, '--ispdb', `http://127.0.0.1:${port}/v1.1`, '--autoconfig-host', 'autoconfig.none.disc.test=127.0.0.1:1',
      '--no-auth', '--no-reference', '--no-domain', '--timeout', '1'];
    const text = await runCli(args);
    expect(text.stdout).toMatch(new RegExp(`found by\\s+Thunderbird ISP database http://127\\.0\\.0\\.1:${port}/v1\\.1/none\\.disc\\.test \\(plain HTTP: unauthenticated\\)`));
    const json = await runCli([...args, '--json']);
    expect(JSON.parse(json.stdout).facts.extra.discovery.candidates[0]).toMatchObject({ host: 'smtp.ispdb.test', source: 'ispdb', authenticated: false });
    const bad = await runCli(['check', 'bob@none.disc.test', '--ispdb', 'ftp://x/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ispdb ftp:\/\/x\/: expected a base URL/);
  });
});
