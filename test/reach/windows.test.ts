// The win-x64 single executable under Debian's Wine (Windows 10 as Wine reports it): the zip a user downloads is
// unpacked and `--version` and `explain` run. Wine hands a pipe to Node as an invalid handle (EBADF), so the output
// goes to files, as a console or a redirect would carry it on Windows.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
const name = `sendcheck-${version}-win-x64`;
const dir = tempDir('windows');
const WINE = '/usr/lib/wine/wine64';
const env = { ...process.env, WINEPREFIX: join(dir, 'prefix'), WINEDEBUG: '-all', DISPLAY: '' };

function runExe(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('sh', ['-c', `${WINE} ${join(dir, name, 'sendcheck.exe')} ${quoted} > out.txt 2> err.txt < /dev/null`], { cwd: dir, env, timeout: 180_000 });
  return { status: r.status, stdout: readFileSync(join(dir, 'out.txt'), 'utf8'), stderr: readFileSync(join(dir, 'err.txt'), 'utf8') };
}

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, 'scripts/dist.mjs'), 'win-x64'], { cwd: repoRoot, stdio: 'pipe' });
  execFileSync('unzip', ['-q', join(repoRoot, 'dist-bin', `${name}.zip`), '-d', dir]);
  // A fresh Wine prefix reports Windows 7, which Node 20 refuses; a user's machine is Windows 10 or 11.
  spawnSync(WINE, ['winecfg', '-v', 'win10'], { env, timeout: 180_000 });
}, 600_000);

describe('the win-x64 single executable under Wine', () => {
  it('prints its version', () => {
    const r = runExe(['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('explains a pasted error', () => {
    const r = runExe(['explain', '535-5.7.8 Username and Password not accepted', '--json']);
    expect(r.stdout, r.stderr).toContain('auth.credentials-rejected');
  });
});
