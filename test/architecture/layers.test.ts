// The layers of src/, written once: each row is one layer, top first; a file may import its own layer and the
// layers below it, never one above, and no import cycle. The longest matching path prefix places a file.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, layerOf, sourceFiles, upwardImports, type ImportGraph } from './imports.js';

export const LAYERS: readonly (readonly string[])[] = [
  ['cli/', 'ui/', 'exporter/', 'lab/'], // front ends (lab/: the scripted servers of `sendcheck demo`)
  ['index.ts'], // the library API
  ['replay.ts'],
  ['engine.ts', 'explain/', 'domain/run.ts'], // the runners: input → facts → judgement → Report
  ['rules/'], // the judge: facts → findings and what works
  ['report/'], // Report assembly (from what the judge hands over) and renderers
  ['roundtrip/'], // the round trip: composes the session probe with an IMAP/POP3 login
  ['probes/'], // observe: (ctx) → facts
  ['domain/'], // the domain audit's lookups and parsers
  ['input/'], // what to check: flags, URLs, discovery, client configs
  ['net/'], // sockets, TLS, DNS, HTTPS; secrets scrubbed from what comes in (redact.ts)
  ['findings/'], // the catalog
  ['input/target.ts', 'input/secret.ts'], // the Target every layer is given, and the Secret it carries
  ['facts/'], // every fact type
  ['errors.ts', 'data.ts', 'version.ts', 'package-files.ts', 'net/limits.ts'], // leaves (limits.ts: the bounds every layer applies)
];

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const graph = importGraph(SRC);

describe('layers', () => {
  it('every source file belongs to a layer', () => {
    expect(sourceFiles(SRC).filter((f) => layerOf(LAYERS, f) === undefined)).toEqual([]);
  });

  it('no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('no import points up the layer list', () => {
    expect(upwardImports(graph, LAYERS)).toEqual([]);
  });

  it('the checks see a cycle and an upward import when there is one', () => {
    const g: ImportGraph = new Map([
      ['rules/a.ts', { files: ['rules/b.ts', 'facts/types.ts'], builtins: [] }],
      ['rules/b.ts', { files: ['rules/a.ts'], builtins: [] }],
      ['report/build.ts', { files: ['rules/b.ts'], builtins: [] }],
      ['facts/types.ts', { files: [], builtins: [] }],
    ]);
    expect(importCycles(g)).toEqual([['rules/a.ts', 'rules/b.ts']]);
    expect(upwardImports(g, LAYERS)).toEqual(['report/build.ts → rules/b.ts']);
    expect(layerOf(LAYERS, 'domain/run.ts')).toBe(3);
    expect(layerOf(LAYERS, 'domain/spf.ts')).toBe(8);
  });

  it('reads type-only and dynamic imports too', () => {
    const g = importGraph('/', ['x/a.ts'], () => "import type { T } from '../y/b.js';\nconst m = await import('./c.js');\nimport net from 'node:net';\n");
    expect(g.get('x/a.ts')).toEqual({ files: ['y/b.ts', 'x/c.ts'], builtins: ['net'] });
  });
});
