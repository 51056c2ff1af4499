// A double-click (no command, no terminal) starts the page and opens the default browser; without a working
// opener the URL is printed instead. The browser opener is a stand-in xdg-open on PATH that records its argument.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

function startBare(path: string): Promise<{ url: string; out: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI], { env: { ...process.env, PATH: path }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const stop = () => new Promise<number | null>((r) => { child.once('exit', (code) => r(code)); child.kill('SIGTERM'); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /sendcheck page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, out: () => out, stop });
      }
    });
  });
}

describe('sendcheck with no command', () => {
  it('serves the page on loopback and hands its URL to the default browser', async () => {
    const dir = tempDir('open');
    const record = join(dir, 'opened.txt');
    writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > ${record}\n`);
    chmodSync(join(dir, 'xdg-open'), 0o755);
    const page = await startBare(`${dir}:${process.env.PATH}`);
    try {
      const res = await fetch(page.url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<main');
      for (let i = 0; i < 50 && !existsSync(record); i++) await new Promise((r) => setTimeout(r, 100));
      expect(readFileSync(record, 'utf8')).toBe(page.url);
    } finally {
      expect(await page.stop()).toBe(0);
    }
  });

  it('prints the URL to open when no browser opener works', async () => {
    const dir = tempDir('open-none');
    writeFileSync(join(dir, 'xdg-open'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(dir, 'xdg-open'), 0o755);
    const page = await startBare(`${dir}:${process.env.PATH}`);
    try {
      for (let i = 0; i < 50 && !page.out().includes('in your browser'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(page.out()).toContain(`Open ${page.url} in your browser.`);
    } finally {
      await page.stop();
    }
  });
});
