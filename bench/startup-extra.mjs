// Start-up of the single executable (bench/run.mjs calls runStartupBench()): the Linux binary built by
// scripts/dist.mjs against an empty Node process, and against the npm package's CLI doing the same command.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { compare, printRow } from './harness.mjs';

const root = new URL('..', import.meta.url).pathname;
const BIN = `${root}dist-bin/linux-x64/sendcheck`;

export async function runStartupBench({ runs = 7 } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') return console.log('(the single-executable rows need linux-x64)');
  if (!existsSync(BIN)) execFileSync(process.execPath, [`${root}scripts/dist.mjs`, 'linux-x64', '--no-archive'], { stdio: 'ignore' });
  const version = /^\d+\.\d+\.\d+/;
  printRow(compare({
    name: 'start-up: the linux-x64 single executable --version vs node -e 0',
    ours: { label: 'dist-bin/linux-x64/sendcheck --version', cmd: BIN, args: ['--version'], exit: 0, expect: version },
    peer: { label: 'node -e 0 (an empty Node process)', cmd: process.execPath, args: ['-e', '0'], exit: 0, expect: /^$/ },
    runs,
  }), { text: '≤ 1.5×', met: (r) => r.ratio <= 1.5 });
  const text = '535-5.7.8 Username and Password not accepted';
  printRow(compare({
    name: 'explain one line: the single executable vs the npm package (node dist/bin/sendcheck.js)',
    ours: { label: 'dist-bin/linux-x64/sendcheck explain …', cmd: BIN, args: ['explain', text], exit: [0, 1], expect: /auth\.credentials-rejected/ },
    peer: { label: 'node dist/bin/sendcheck.js explain …', cmd: process.execPath, args: [`${root}dist/bin/sendcheck.js`, 'explain', text], exit: [0, 1], expect: /auth\.credentials-rejected/ },
    runs,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) await runStartupBench();
