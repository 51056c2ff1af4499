// Prepares a release; publishes nothing.  node scripts/release.mjs VERSION
// 1. sets the version in package.json and package-lock.json; 2. adds a CHANGELOG.md entry from the commit subjects
// since the last tag (edit it before committing); 3. builds, runs npm run dist (five single executables, SHA256SUMS)
// and npm pack; 4. prints what a maintainer does next (commit, tag, publish, upload).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;
const version = process.argv[2] ?? '';
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
  console.error('usage: node scripts/release.mjs VERSION   (semver, e.g. 0.2.0)');
  process.exit(2);
}
const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
if (git('status', '--porcelain')) {
  console.error('release: the working tree has uncommitted changes; commit or stash them first');
  process.exit(2);
}

for (const file of ['package.json', 'package-lock.json']) {
  const doc = JSON.parse(readFileSync(`${ROOT}${file}`, 'utf8'));
  doc.version = version;
  if (doc.packages?.['']) doc.packages[''].version = version;
  writeFileSync(`${ROOT}${file}`, `${JSON.stringify(doc, null, 2)}\n`);
}

let since = '';
try {
  since = git('describe', '--tags', '--abbrev=0');
} catch {
  /* no tag yet: the whole history */
}
const subjects = git('log', '--no-merges', '--format=- %s', ...(since ? [`${since}..HEAD`] : [])).split('\n').filter(Boolean);
const changelog = `${ROOT}CHANGELOG.md`;
const old = existsSync(changelog) ? readFileSync(changelog, 'utf8').replace(/^# Changelog\n+/, '') : '';
writeFileSync(changelog, `# Changelog\n\n## ${version} (${new Date().toISOString().slice(0, 10)})\n\n${subjects.join('\n')}\n\n${old}`);

execFileSync('npm', ['run', 'dist'], { cwd: ROOT, stdio: 'inherit' });
execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', 'dist-bin'], { cwd: ROOT, stdio: 'inherit' });

console.log(`
Release ${version} prepared (nothing was published). Next:
  1. edit CHANGELOG.md, then: git commit -am "release ${version}" && git tag v${version}
  2. npm publish dist-bin/sendcheck-${version}.tgz
  3. upload dist-bin/*.tar.xz, dist-bin/*.zip and dist-bin/SHA256SUMS to the release page`);
