// MTA-STS policies over HTTPS, served locally: one HTTPS server on 127.0.0.1 with a certificate from a test CA for
// the fixture policy hosts (mta-sts.*.dom.test), reached through --policy-host mappings; the _mta-sts TXT records
// come from the lab's Knot.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDomain } from '../../src/domain/run.js';
import type { DomainInput } from '../../src/input/domain-input.js';
import type { DomainFacts } from '../../src/facts/domain.js';
import { codesOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { makeTestCa } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { join } from 'node:path';

const POLICIES: Record<string, string> = {
  'mta-sts.good.dom.test': 'version: STSv1\nmode: enforce\nmx: mx.good.dom.test\nmax_age: 604800\n',
  'mta-sts.stsbad.dom.test': 'version: STSv2\nmode: strict\nmx: mx.good.dom.test\n',
  'mta-sts.stsmx.dom.test': 'version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n',
};

let server: https.Server;
let port: number;
let ca: string;
let caFile: string;
let resolver: string;
beforeAll(async () => {
  resolver = `${loadLabEnv().dns.server}:${loadLabEnv().dns.port}`;
  const testCa = makeTestCa();
  ca = testCa.caPem;
  caFile = join(testCa.dir, 'ca.pem');
  const leaf = testCa.issue('policy', { cn: 'mta-sts.good.dom.test', sans: [...Object.keys(POLICIES), 'mta-sts.stsdown.dom.test'].map((h) => `DNS:${h}`), days: 2 });
  server = https.createServer({ key: leaf.key, cert: leaf.cert }, (req, res) => {
    if (req.headers.host === 'mta-sts.stsdown.dom.test') {
      // a server that answers and then drips: one line, then nothing
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('version: STSv1\n');
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
      return;
    }
    const body = POLICIES[(req.headers.host ?? '').toLowerCase()];
    if (req.url !== '/.well-known/mta-sts.txt' || !body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => { await new Promise((r) => server.close(r)); });

const mapAll = () => Object.fromEntries(Object.keys(POLICIES).map((h) => [h, `127.0.0.1:${port}`]));
const mapSlow = () => ({ ...mapAll(), 'mta-sts.stsdown.dom.test': `127.0.0.1:${port}` });
function audit(domain: string, extra: Partial<DomainInput> = {}) {
  return runDomain({ domain, resolvers: [resolver], timeoutMs: 2000, ips: ['127.0.0.42'], helo: 'mx.good.dom.test', defaultBlocklists: false, propagation: false, policyHosts: mapAll(), ca: [ca], ...extra });
}

describe('MTA-STS', () => {
  it('a valid enforce policy covering the MX: no finding', async () => {
    const r = await audit('good.dom.test', { selectors: ['sel1'] });
    const d = r.facts.extra.domain as DomainFacts;
    expect(d.mtaSts?.policy).toMatchObject({ version: 'STSv1', mode: 'enforce', mx: ['mx.good.dom.test'], maxAge: 604800, errors: [] });
    expect(codesOf(r)).toEqual([]);
    expect(r.verdict).toBe('ok');
  });
  it('a malformed policy', async () => {
    const r = await audit('stsbad.dom.test');
    expect(codesOf(r)).toContain('dns.mta-sts-policy-invalid');
  });
  it('an MX host the enforce policy does not cover', async () => {
    const r = await audit('stsmx.dom.test');
    expect(codesOf(r)).toContain('dns.mta-sts-mx-mismatch');
    expect((r.facts.extra.domain as DomainFacts).mtaSts?.mxNotCovered).toEqual(['mx.good.dom.test']);
  });
  it('policy host unreachable (nothing listens at its address), and untrusted without the test CA', async () => {
    const down = await audit('stsdown.dom.test');
    expect(codesOf(down)).toContain('dns.mta-sts-policy-unreachable');
    expect((down.facts.extra.domain as DomainFacts).mtaSts?.fetchError).toMatch(/ECONNREFUSED/);
    const untrusted = await audit('good.dom.test', { ca: [], selectors: ['sel1'] });
    expect((untrusted.facts.extra.domain as DomainFacts).mtaSts?.fetchError).toMatch(/certificate|self.signed|issuer/i);
    codesOf(untrusted);
  });
  it('a policy server that answers and then drips bytes is cut off at the deadline', async () => {
    const t0 = Date.now();
    const r = await audit('stsdown.dom.test', { timeoutMs: 300, policyHosts: mapSlow() });
    expect((r.facts.extra.domain as DomainFacts).mtaSts?.fetchError).toMatch(/took longer than 600 ms/);
    expect(Date.now() - t0).toBeLessThan(3000);
    codesOf(r);
  });
  it('CLI: --policy-host and --ca', async () => {
    const r = await runCli(['domain', 'stsmx.dom.test', '--resolver', resolver, '--ip', '127.0.0.42', '--no-default-blocklists', '--no-propagation',
      '--policy-host', `mta-sts.stsmx.dom.test=127.0.0.1:${port}`, '--ca', caFile, '--json']);
    const report = JSON.parse(r.stdout);
    expect(codesOf(report)).toContain('dns.mta-sts-mx-mismatch');
  });
});
