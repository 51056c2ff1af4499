// The npm package as a user gets it: `npm pack`, installed from the tarball into an empty directory without dev
// dependencies, then the README's commands run through npx. A test must not reach the registry, so the install is
// offline: the user project's lock pins the runtime dependencies at our lockfile's versions, whose tarballs the
// `npm ci` before the suite put in npm's cache (`npm ci --offline` reads tarballs only, no registry metadata).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labUser, loadLabEnv, repoRoot } from '../helpers/lab-env.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('package');
let files: string[] = [];

function npx(args: string[], input?: string) {
  return spawnSync('npx', ['--offline', '--no-install', 'sendcheck', ...args], { cwd: dir, input, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  // --ignore-scripts: dist/ is already built by the suite; packing must not rebuild it under the tests' feet.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8' });
  const info = JSON.parse(out)[0] as { filename: string; files: { path: string }[] };
  files = info.files.map((f) => f.path);
  const ours = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; link?: boolean }> };
  const dep = { sendcheck: `file:${info.filename}` };
  const packages: Record<string, unknown> = { '': { name: 'user-project', dependencies: dep } };
  for (const [path, entry] of Object.entries(lock.packages)) if (path && !entry.dev && !entry.link) packages[path] = entry;
  packages['node_modules/sendcheck'] = { version: ours.version, resolved: dep.sendcheck, license: ours.license, dependencies: ours.dependencies, bin: ours.bin, engines: ours.engines };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, dependencies: dep }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'user-project', lockfileVersion: 3, requires: true, packages }));
  execFileSync('npm', ['ci', '--offline', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
}, 180_000);

describe('the published package', () => {
  it('ships the bundle, the library and its types, the data tables, the demo certificates and the license, and no sources or tests', () => {
    for (const f of ['dist/bin/sendcheck.js', 'dist/index.js', 'dist/index.d.ts', 'data/providers.json', 'assets/demo-certs/ca.pem', 'LICENSE', 'README.md', 'package.json']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('.lab/'))).toEqual([]);
  });

  it('installs without any dev dependency', () => {
    const installed = readFileSync(join(dir, 'node_modules/.package-lock.json'), 'utf8');
    for (const dev of ['typescript', 'vitest', 'esbuild', 'postject', 'vite']) expect(installed).not.toContain(`"node_modules/${dev}"`);
    expect(existsSync(join(dir, 'node_modules/sendcheck/dist/bin/sendcheck.js'))).toBe(true);
  });

  it('npx sendcheck --version and demo work from the installed tarball', () => {
    const v = npx(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    const demo = npx(['demo', 'wrong-password', '--json']);
    expect(demo.stdout + demo.stderr).toContain('auth.credentials-rejected');
  });

  it('npx sendcheck explain reads a pasted error', () => {
    const r = npx(['explain', '535-5.7.8 Username and Password not accepted', '--json']);
    expect(r.stdout).toContain('auth.credentials-rejected');
  });

  it('npx sendcheck check diagnoses a local server (the lab Postfix)', () => {
    const lab = loadLabEnv();
    const alice = labUser(lab);
    const r = npx(['check', '--host', lab.smtpHost, '--port', '587', '--ports', '587', '--ca', lab.caFile, '--user', alice.user, '--password-stdin', '--json'], alice.password);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('auth.accepted');
  });
});
