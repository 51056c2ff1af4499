// Where the shared public test corpora are: $SENDCHECK_CORPORA, else ../shared/corpora next to the repository,
// else /work/shared/corpora (this workplace's machines). A missing corpus fails the test that needs it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [
  process.env.SENDCHECK_CORPORA,
  fileURLToPath(new URL('../../../shared/corpora', import.meta.url)),
  '/work/shared/corpora',
].filter((x): x is string => !!x);

export function corporaDir(): string {
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`test corpora not found (looked in ${candidates.join(', ')}); set SENDCHECK_CORPORA`);
  return found;
}

export function corpusUrl(sub: string): URL {
  return new URL(`file://${corporaDir()}/${sub.replace(/\/?$/, '/')}`);
}
