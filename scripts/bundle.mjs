// Post-build step: bundle the CLI into a few files under dist/bin/ (one module per command, shared chunks), so that
// start-up reads ~10 files instead of ~150. Dependencies stay external (node_modules), loaded where first used.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

const outdir = new URL('../dist/bin/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../dist/cli/main.js', import.meta.url).pathname],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  entryNames: 'sendcheck',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
chmodSync(`${outdir}sendcheck.js`, 0o755);
