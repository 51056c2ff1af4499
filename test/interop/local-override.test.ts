// A hosts-file entry that sends the SMTP host elsewhere than DNS (the classic stale entry after a server move).
// The CLI runs in a private mount namespace whose /etc/hosts and /etc/resolv.conf are the test's own: the OS
// resolver (what mail clients use) says 127.0.0.99, DNS (the lab's Knot) says 127.0.0.20.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { CLI } from '../helpers/cli.js';
import { recordCodes } from '../helpers/findings.js';
import { loadLabEnv } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

describe('resolution on this machine vs DNS', () => {
  it('a hosts-file override of the SMTP host is reported with both answers', () => {
    const lab = loadLabEnv();
    const dir = tempDir('hosts');
    writeFileSync(join(dir, 'hosts'), `127.0.0.1 localhost\n127.0.0.99 ${lab.smtpName}\n`);
    writeFileSync(join(dir, 'resolv.conf'), `nameserver ${lab.dns.server}\n`);
    const script = `mount --bind "${dir}/hosts" /etc/hosts && mount --bind "${dir}/resolv.conf" /etc/resolv.conf && exec "$0" "$@"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, process.execPath, CLI, 'check', '--host', lab.smtpName, '--ports', '587', '--ca', lab.caFile, '--timeout', '2', '--json'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    recordCodes(report.findings);
    const f = report.findings.find((x) => x.code === 'resolve.local-override');
    expect(f?.severity).toBe('warning');
    expect(f?.evidence.map((e) => e.text).join(' | ')).toMatch(new RegExp(`DNS .*${lab.smtpHost.replace(/\./g, '\\.')}.*\\| this machine's resolver .*127\\.0\\.0\\.99`));
    // The check itself followed DNS and reached the real server.
    expect(report.facts.session?.address).toBe(lab.smtpHost);
  });
});
