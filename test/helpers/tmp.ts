// Temporary directories for tests, removed after the test file that made them (pass or fail).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made = new Set<string>();
function cleanup(): void {
  for (const d of made) rmSync(d, { recursive: true, force: true });
  made.clear();
}
// Imported at collection time by a test file (directly or through a helper), so this hook belongs to that file.
afterAll(cleanup);
process.once('exit', cleanup);

export function tempDir(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `sendcheck-${label}-`));
  made.add(d);
  return d;
}
