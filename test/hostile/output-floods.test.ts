// Output floods are capped, each with a message saying what was cut: the accounts of one client configuration,
// the --ports list, and outside text quoted in a finding (a server's 1 MB error message). A 10,000-line EHLO is
// an oversized reply (test/hostile/smtp-replies.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFinding } from '../../src/findings/make.js';
import { closedPort } from '../../src/lab/scripted-smtp.js';
import { LIMITS } from '../../src/net/limits.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('output floods', () => {
  it('a prefs.js with 5,000 SMTP accounts: the first maxConfigAccounts are checked, the cut is said', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      lines.push(`user_pref("mail.smtpserver.smtp${i}.hostname", "127.0.0.1");`, `user_pref("mail.smtpserver.smtp${i}.port", ${port});`, `user_pref("mail.smtpserver.smtp${i}.try_ssl", 0);`);
    }
    const file = join(tempDir('flood'), 'prefs.js');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await runCli(['check', '--from-config', file, '--timeout', '1', '--ports', String(port), '--no-reference', '--json'], { timeoutMs: 120_000 });
    expect(r.stderr).toMatch(new RegExp(`has 5000 outgoing accounts; checking the first ${LIMITS.maxConfigAccounts}`));
    expect(JSON.parse(r.stdout).accounts).toHaveLength(LIMITS.maxConfigAccounts);
  }, 150_000);

  it('--ports with 5,000 ports: one line, exit 2, no connection', async () => {
    const ports = Array.from({ length: 5000 }, (_, i) => 20000 + i).join(',');
    const r = await runCli(['check', '--host', '127.0.0.1', '--ports', ports]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`at most ${LIMITS.maxSweepPorts} ports \\(got 5000\\)`));
  });

  it('a 1 MB message quoted as evidence is cut to maxEvidenceChars, saying how much', () => {
    const f = makeFinding('smtp.unexpected-reply', { evidence: [{ text: `999 ${'x'.repeat(1024 * 1024)}` }] });
    expect(f.evidence[0]!.text.length).toBeLessThan(LIMITS.maxEvidenceChars + 100);
    expect(f.evidence[0]!.text).toMatch(/more characters cut/);
  });
});
