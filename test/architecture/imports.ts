// The import graph of src/, read with TypeScript's own pre-processor (static, dynamic and type-only imports alike),
// and the two checks the layer test makes on it: cycles, and imports that point up the layer list.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** File (relative to the source root, "probes/session.ts") → the files and `node:` modules it imports. */
export type ImportGraph = Map<string, { files: string[]; builtins: string[] }>;

export function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

export function importGraph(root: string, files = sourceFiles(root), read = (f: string) => readFileSync(path.join(root, f), 'utf8')): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const f of files) {
    const info = ts.preProcessFile(read(f), true, true);
    const specs = info.importedFiles.map((i) => i.fileName);
    graph.set(f, {
      files: specs.filter((s) => s.startsWith('.')).map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(f), s)).replace(/\.js$/, '.ts')),
      builtins: specs.filter((s) => s.startsWith('node:') || /^(net|tls|dns|https?|fs)(\/promises)?$/.test(s)).map((s) => s.replace(/^node:/, '')),
    });
  }
  return graph;
}

/** Every import cycle, as the files of one strongly connected component (Tarjan). */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.files ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || graph.get(v)?.files.includes(v)) cycles.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The layer a file is in: the index of the layer holding the longest path prefix that matches it. */
export function layerOf(layers: readonly (readonly string[])[], file: string): number | undefined {
  let best: { layer: number; length: number } | undefined;
  layers.forEach((prefixes, layer) => {
    for (const p of prefixes) if ((file === p || (p.endsWith('/') && file.startsWith(p))) && p.length > (best?.length ?? -1)) best = { layer, length: p.length };
  });
  return best?.layer;
}

/** Imports from a file to one in a layer above it ("a → b"). Layers are listed top first. */
export function upwardImports(graph: ImportGraph, layers: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const [from, { files }] of graph) {
    for (const to of files) {
      const a = layerOf(layers, from);
      const b = layerOf(layers, to);
      if (a !== undefined && b !== undefined && b < a) out.push(`${from} → ${to}`);
    }
  }
  return out;
}
