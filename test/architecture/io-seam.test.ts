// The I/O seam: probes, the domain audit and the round trip reach sockets, TLS, DNS and HTTPS only through src/net/
// (and the context the engine hands them), never by importing Node's networking modules themselves. Types and the
// pure address helpers (isIP, BlockList) are not I/O and stay allowed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './imports.js';

const GUARDED = ['probes/', 'domain/', 'roundtrip/'];
const IO_MODULES = new Set(['net', 'tls', 'dns', 'dns/promises', 'https', 'http', 'dgram']);
const PURE = new Set(['isIP', 'isIPv4', 'isIPv6', 'BlockList']);

/** "file: import" for every value import of a networking module other than the pure helpers. */
export function ioImports(file: string, text: string): string[] {
  const out: string[] = [];
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const s of src.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const mod = s.moduleSpecifier.text.replace(/^node:/, '');
    const clause = s.importClause;
    if (!IO_MODULES.has(mod) || clause?.isTypeOnly) continue;
    const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : [];
    const whole = !clause || !!clause.name || (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings));
    const io = [...(whole ? ['*'] : []), ...named.filter((n) => !PURE.has(n))];
    if (io.length) out.push(`${file}: ${io.join(', ')} from node:${mod}`);
  }
  return out;
}

describe('I/O seam', () => {
  it('no probe, domain or round-trip module imports node:net, tls, dns or https for I/O', () => {
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    const found = sourceFiles(root).filter((f) => GUARDED.some((g) => f.startsWith(g))).flatMap((f) => ioImports(f, readFileSync(path.join(root, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('the check sees a direct import, and lets types and address helpers through', () => {
    expect(ioImports('probes/x.ts', "import tls from 'node:tls';\nimport { lookup } from 'node:dns/promises';\n")).toEqual(['probes/x.ts: * from node:tls', 'probes/x.ts: lookup from node:dns/promises']);
    expect(ioImports('probes/x.ts', "import type net from 'node:net';\nimport { isIP, type Socket } from 'node:net';\n")).toEqual([]);
  });
});
