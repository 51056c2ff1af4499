// A host whose DNS answer is only an alias (CNAME) leading nowhere, or a CNAME loop, is a resolution failure: never
// "nothing blocks sending" without a connection. The dangling alias is served by the lab's Knot (dom.test:
// mxalias.dangling → gone.dom.test, NXDOMAIN); the answers an authoritative server gives for an out-of-zone target
// (NOERROR with only the CNAME) and for a loop come from a scripted responder on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/engine.js';
import { rootCodeOf } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { startFaultDns, type FaultDns } from '../domain/helpers/fault-dns.js';

let dns: FaultDns;
let knot: string;
beforeAll(async () => {
  knot = `${loadLabEnv().dns.server}:${loadLabEnv().dns.port}`;
  dns = await startFaultDns((name) => {
    if (name === 'alias.hostile.test') return { rcode: 0, answers: [{ type: 'CNAME', data: 'target.elsewhere.test' }] };
    if (name === 'loop1.hostile.test') return { rcode: 0, answers: [{ type: 'CNAME', data: 'loop2.hostile.test' }, { type: 'CNAME', name: 'loop2.hostile.test', data: 'loop1.hostile.test' }] };
    if (name === 'loop2.hostile.test') return { rcode: 0, answers: [{ type: 'CNAME', data: 'loop1.hostile.test' }, { type: 'CNAME', name: 'loop1.hostile.test', data: 'loop2.hostile.test' }] };
    return { rcode: 3 };
  });
});
afterAll(async () => { await dns.close(); });

const check = (host: string, resolver: string) =>
  runCheck({ host, port: 587, security: 'starttls', sweepPorts: [587], timeoutMs: 1500, resolvers: [resolver], options: { network: { reference: [] }, domain: false } });

describe('only a CNAME, no address', () => {
  it('a CNAME whose target is not answered (NOERROR, the CNAME alone): blocked at resolve, not OK', async () => {
    const r = await check('alias.hostile.test', `${dns.address}:${dns.port}`);
    expect(r.verdict).not.toBe('ok');
    expect(rootCodeOf(r)).toBe('resolve.dangling-cname');
    expect(r.rootCause!.evidence.map((e) => e.text).join(' ')).toMatch(/target\.elsewhere\.test/);
  });

  it('a CNAME loop: blocked at resolve, the loop named', async () => {
    const r = await check('loop1.hostile.test', `${dns.address}:${dns.port}`);
    expect(r.verdict).not.toBe('ok');
    expect(rootCodeOf(r)).toBe('resolve.dangling-cname');
    expect(r.rootCause!.evidence.map((e) => e.text).join(' ')).toMatch(/loops back/);
  });

  it('Knot: a CNAME to a name that does not exist is the alias\'s fault, not "the host name does not exist"', async () => {
    const r = await check('mxalias.dangling.dom.test', knot);
    expect(rootCodeOf(r)).toBe('resolve.dangling-cname');
    expect(r.rootCause!.evidence.map((e) => e.text).join(' ')).toMatch(/gone\.dom\.test/);
  });
});
