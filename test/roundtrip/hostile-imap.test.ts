// A hostile or broken IMAP server cannot hang or crash the round trip: silence, an endless line, a flood of lines,
// HTTP, an immediate close. The SMTP side is a scripted smtp-server that accepts the login; nothing is ever sent,
// because the mailbox could not be opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, runDeadlineMs } from '../../src/engine.js';
import { roundtripTimeMs } from '../../src/input/roundtrip-options.js';
import { demoCaPem } from '../../src/lab/certs.js';
import { startRawServer, startScriptedSmtp, type RawBehaviour, type RunningServer } from '../../src/lab/scripted-smtp.js';
import { codesOf } from '../helpers/findings.js';

// Not tighter: under the full suite's parallel load a scripted server's greeting can take over a second.
const TIMEOUT_MS = 2500;
let smtp: RunningServer;
beforeAll(async () => {
  smtp = await startScriptedSmtp({ mode: 'starttls', user: 'me@demo.test', password: 'pw-for-both' });
});
afterAll(() => smtp.close());

describe('hostile IMAP servers', () => {
  const cases: RawBehaviour[] = ['silent', 'endless-line', 'many-lines', 'http', 'close-at-once'];
  for (const behaviour of cases) {
    it(`${behaviour}: bounded, reported, nothing sent`, async () => {
      const imap = await startRawServer(behaviour);
      try {
        const options = { roundtrip: { imap: `127.0.0.1:${imap.port}`, imapSecurity: 'starttls', waitSeconds: 5 }, domain: false, network: { noReference: true } };
        const t0 = performance.now();
        const r = await runCheck({
          host: '127.0.0.1', port: smtp.port, security: 'starttls', sweepPorts: [], ca: [demoCaPem()], timeoutMs: TIMEOUT_MS,
          user: 'me@demo.test', password: 'pw-for-both', options,
        });
        const ms = performance.now() - t0;
        // The IMAP login's bound is 3 × the per-step timeout (plus a loopback TCP check first and timer slack): timed
        // by the report, so the SMTP session around it (slow under the suite's load) does not count against it.
        expect(r.facts.roundtrip?.imap.ms).toBeLessThan(3 * TIMEOUT_MS + 2000);
        // The whole run ends within the engine's own deadline for these settings.
        expect(ms).toBeLessThan(runDeadlineMs(TIMEOUT_MS) + roundtripTimeMs(options));
        expect(codesOf(r)).toEqual(expect.arrayContaining(['roundtrip.imap-unreachable', 'roundtrip.not-sent', 'auth.accepted']));
        expect(r.facts.roundtrip?.imap.outcome).toBe('failed');
        expect(r.facts.roundtrip?.data).toBeUndefined();
        expect(r.facts.session?.steps.map((s) => s.step)).toEqual(expect.arrayContaining(['rcpt-to', 'rset']));
        expect(r.facts.session?.steps.map((s) => s.step)).not.toContain('data');
      } finally {
        await imap.close();
      }
    }, 30_000);
  }
});
