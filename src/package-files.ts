// Files shipped with sendcheck (package.json, data/, assets/), found the same way whether the code runs from tsc's
// output (dist/…), from the start-up bundle (dist/bin/…), from the sources under vitest (src/…) or as a single
// executable (the files are embedded as SEA assets, keyed by their path relative to the package root).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface SeaApi {
  isSea(): boolean;
  getAsset(key: string, encoding: 'utf8'): string;
}

let sea: SeaApi | null | undefined;
function seaApi(): SeaApi | null {
  if (sea === undefined) {
    try {
      // node:sea exists from Node 20.12; outside a single executable isSea() is false.
      const api = createRequire(import.meta.url)('node:sea') as SeaApi;
      sea = api.isSea() ? api : null;
    } catch {
      sea = null;
    }
  }
  return sea;
}

let root: URL | undefined;
/** The package root: the nearest folder above this module holding both package.json and data/. */
function packageRoot(): URL {
  if (root) return root;
  let dir = new URL('.', import.meta.url);
  for (let depth = 0; depth < 5; depth++) {
    if (existsSync(new URL('package.json', dir)) && existsSync(new URL('data/', dir))) return (root = dir);
    dir = new URL('..', dir);
  }
  throw new Error(`sendcheck's package files (package.json, data/) were not found above ${import.meta.url}`);
}

/** A shipped file's text, by its path relative to the package root ("data/providers.json"). */
export function readPackageFile(path: string): string {
  const embedded = seaApi();
  if (embedded) return embedded.getAsset(path, 'utf8');
  return readFileSync(new URL(path, packageRoot()), 'utf8');
}

/** Whether a shipped file exists (a trimmed package may leave optional tables out). */
export function packageFileExists(path: string): boolean {
  const embedded = seaApi();
  if (embedded) {
    try {
      embedded.getAsset(path, 'utf8');
      return true;
    } catch {
      return false;
    }
  }
  return existsSync(new URL(path, packageRoot()));
}
