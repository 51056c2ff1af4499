// The Linux single executable, tested like a user's machine: built by `npm run dist`'s script, unpacked from its
// archive after checking SHA256SUMS, and run in a mount namespace where Node and every node_modules are hidden.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labUser, loadLabEnv, repoRoot } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
const name = `sendcheck-${version}-linux-x64`;
const out = join(repoRoot, 'dist-bin');
const dir = tempDir('binary');
const bin = join(dir, name, 'sendcheck');

/** Hides Node (the binary on PATH, bind-mounted over by an empty file) and the repository's node_modules. */
const HIDE = [
  `for n in $(which -a node nodejs 2>/dev/null | sort -u); do mount --bind /dev/null "$n"; done`,
  `mount -t tmpfs tmpfs ${join(repoRoot, 'node_modules')}`,
].join(' && ');

function runWithoutNode(args: string[], input?: string) {
  return spawnSync('unshare', ['-m', 'sh', '-c', `${HIDE} && cd ${dir} && exec "$@"`, 'sh', bin, ...args], { input, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, 'scripts/dist.mjs'), 'linux-x64'], { cwd: repoRoot, stdio: 'pipe' });
  execFileSync('tar', ['-xJf', join(out, `${name}.tar.xz`), '-C', dir]);
}, 600_000);

describe('the linux-x64 single executable', () => {
  it('is listed in SHA256SUMS with the archive\'s digest and fits the 35 MB download budget', () => {
    const archive = join(out, `${name}.tar.xz`);
    const digest = createHash('sha256').update(readFileSync(archive)).digest('hex');
    expect(readFileSync(join(out, 'SHA256SUMS'), 'utf8')).toContain(`${digest}  ${name}.tar.xz`);
    expect(statSync(archive).size).toBeLessThanOrEqual(35 * 1024 * 1024);
    expect(existsSync(bin)).toBe(true);
  });

  it('runs where Node is hidden (node itself fails there)', () => {
    const probe = spawnSync('unshare', ['-m', 'sh', '-c', `${HIDE} && node -e 0`], { encoding: 'utf8' });
    expect(probe.status).not.toBe(0);
    const r = runWithoutNode(['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('runs a demo scenario from its embedded certificates and data', () => {
    const r = runWithoutNode(['demo', 'wrong-password', '--json']);
    expect(r.stdout + r.stderr).toContain('auth.credentials-rejected');
  });

  it('explains a pasted error', () => {
    const r = runWithoutNode(['explain', '535-5.7.8 Username and Password not accepted', '--json']);
    expect(r.stdout).toContain('auth.credentials-rejected');
  });

  it('checks a local server (the lab Postfix)', () => {
    const lab = loadLabEnv();
    const alice = labUser(lab);
    const r = runWithoutNode(['check', '--host', lab.smtpHost, '--port', '587', '--ports', '587', '--ca', lab.caFile, '--user', alice.user, '--password-stdin', '--json'], alice.password);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('auth.accepted');
  });
});
