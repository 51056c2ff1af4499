// The I/O seam: probes, the domain audit and the round trip reach sockets, TLS, DNS, HTTPS and local files only through
// what they are handed (the probe context, a RunIo: src/net/io.ts), never by importing Node's networking or file
// modules, nor by calling the net/ functions that context wraps (a TLS handshake, an HTTPS GET, a raw connect).
// The rule, precisely: a file under GUARDED may not import as a value (statically, dynamically or by re-export)
//   - node:net, tls, dns, dns/promises, https, http, dgram, fs, fs/promises, except the pure address helpers (PURE);
//   - from a net/ module, a name in SEAM_ONLY (a namespace import of such a module counts as all of its names).
// Type-only imports are allowed: types are not I/O. The composition roots build the seam for a run and are exempt from
// the second part only.
// Time is I/O too: a guarded file reads the clock and waits only through the seam's Clock (now, monotonic, sleep), so
// a test clock drives it. It may not read `Date.now`, `performance.now` (called or passed along), call `new Date()`
// with no argument or `Date()`, nor refer to setTimeout/setInterval/setImmediate (globalThis.… included), nor import
// node:timers, timers/promises or perf_hooks. `new Date(x)` formats or parses a given time and is fine. I/O timeouts
// stay on real timers inside net/ (a LineReader's deadline, net/deadline.ts raceTimeout), below the seam.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './imports.js';

// Settings discovery (input/autoconfig.ts, input/discover.ts) fetches autoconfig documents through the run's seam too.
const GUARDED = ['probes/', 'domain/', 'roundtrip/', 'input/autoconfig.ts', 'input/discover.ts'];
const IO_MODULES = new Set(['net', 'tls', 'dns', 'dns/promises', 'https', 'http', 'dgram', 'fs', 'fs/promises', 'timers', 'timers/promises', 'perf_hooks']);
const PURE = new Set(['isIP', 'isIPv4', 'isIPv6', 'BlockList']);

/** net/ module (relative to src/) → the I/O it does that guarded files reach only through the context / RunIo. */
const SEAM_ONLY: Record<string, readonly string[]> = {
  'net/tls-inspect.ts': ['tlsHandshake'], // ctx.tls
  'net/trust.ts': ['upgradeToTls', 'secureContextFor'], // ctx.tlsUpgrade; the run's trust store
  'net/https.ts': ['httpsGet'], // ctx.https / RunIo.https
  'net/tcp.ts': ['dial', 'DialCoordinator'], // ctx.dial, ctx.dialFresh
  'net/io.ts': ['systemIo', 'systemFiles', 'systemClock'], // the real seam: built by the composition roots only
};

/** The files that build a run's seam from the system one (like engine.ts, which is not guarded). */
const COMPOSITION_ROOTS = new Set(['probes/context.ts', 'domain/run.ts', 'input/discover.ts']); // discover.ts: the system seam when a library caller gives none

/**
 * Files that still reach around the seam, each to switch and leave; an entry that no longer matches fails the test,
 * so the list only shrinks. Empty since the session, the sweep and the shared SMTP steps take TLS from the context.
 */
const NOT_YET_THROUGH_THE_SEAM: string[] = [];

/** The value names a module reference brings in; '*' for a default, namespace, side-effect or dynamic import. */
function valueNames(clause: ts.ImportClause | undefined, all: boolean): string[] {
  if (all || !clause) return ['*'];
  if (clause.isTypeOnly) return [];
  const bindings = clause.namedBindings;
  const named = bindings && ts.isNamedImports(bindings) ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : [];
  const whole = !!clause.name || (!!bindings && ts.isNamespaceImport(bindings));
  return [...(whole ? ['*'] : []), ...named];
}

/** Every module reference in a file with the value names it brings in: imports, `export … from`, `import('…')`. */
function moduleReferences(src: ts.SourceFile): { spec: string; names: string[] }[] {
  const out: { spec: string; names: string[] }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) out.push({ spec: n.moduleSpecifier.text, names: valueNames(n.importClause, false) });
    else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier) && !n.isTypeOnly) {
      const names = n.exportClause && ts.isNamedExports(n.exportClause) ? n.exportClause.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : ['*'];
      out.push({ spec: n.moduleSpecifier.text, names });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      out.push({ spec: n.arguments[0].text, names: ['*'] });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

/** "file: names from module" for every reference that goes around the seam (see the rule at the top). */
export function seamBypasses(file: string, text: string): string[] {
  const out: string[] = [];
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const { spec, names } of moduleReferences(src)) {
    if (!names.length) continue;
    const builtin = spec.replace(/^node:/, '');
    if (IO_MODULES.has(builtin) && (spec.startsWith('node:') || !spec.startsWith('.'))) {
      const io = names.filter((n) => !PURE.has(n));
      if (io.length) out.push(`${file}: ${io.join(', ')} from node:${builtin}`);
      continue;
    }
    if (!spec.startsWith('.') || COMPOSITION_ROOTS.has(file)) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
    const forbidden = SEAM_ONLY[target];
    if (!forbidden) continue;
    const hit = names.includes('*') ? ['*'] : names.filter((n) => forbidden.includes(n));
    if (hit.length) out.push(`${file}: ${hit.join(', ')} from ${target}`);
  }
  return out;
}

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);

/** The global an expression names: `Date` for `Date` and `globalThis.Date`; undefined for anything else. */
function globalName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'globalThis') return e.name.text;
  return undefined;
}

/** What an expression reads of the real clock or its timers, or undefined (see the rule at the top). */
function clockUse(n: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(n) && n.name.text === 'now') {
    const owner = globalName(n.expression);
    if (owner === 'Date' || owner === 'performance') return `${owner}.now`;
  }
  if (ts.isNewExpression(n) && globalName(n.expression) === 'Date' && !n.arguments?.length) return 'new Date()';
  if (ts.isCallExpression(n) && globalName(n.expression) === 'Date') return 'Date()';
  if (ts.isIdentifier(n) && TIMERS.has(n.text)) {
    const p = n.parent;
    const named = p && 'name' in p && (p as { name?: ts.Node }).name === n;
    // obj.setTimeout is someone else's method; a declaration or property named so reads no clock; globalThis.x does.
    if (!named || (ts.isPropertyAccessExpression(p) && globalName(p) === n.text)) return n.text;
  }
  return undefined;
}

/** "file:line: what" for every read of the real clock and every real timer in a file (see the rule at the top). */
export function clockBypasses(file: string, text: string): string[] {
  const out: string[] = [];
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const visit = (n: ts.Node): void => {
    const use = clockUse(n);
    if (use) out.push(`${file}:${src.getLineAndCharacterOfPosition(n.getStart(src)).line + 1}: ${use}`);
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

describe('I/O seam', () => {
  const root = fileURLToPath(new URL('../../src/', import.meta.url));
  const found = sourceFiles(root).filter((f) => GUARDED.some((g) => f.startsWith(g))).flatMap((f) => seamBypasses(f, readFileSync(path.join(root, f), 'utf8')));

  const clockReads = sourceFiles(root).filter((f) => GUARDED.some((g) => f.startsWith(g))).flatMap((f) => clockBypasses(f, readFileSync(path.join(root, f), 'utf8')));

  it('no probe, domain or round-trip module reads the real clock or sets a real timer: time comes from ctx.clock', () => {
    expect(clockReads).toEqual([]);
  });

  it('the clock check sees clock reads and timers, and lets a given time and others\' methods through', () => {
    const text = [
      'const a = Date.now();', 'const b = new Date();', 'const c = performance.now();', 'setTimeout(f, 10);',
      'const t = globalThis.setInterval(f, 5);', 'const now = Date.now;', 'const d = globalThis.performance.now();', 'const e = new Date;',
      'const ok1 = new Date(ctx.clock.now()).toISOString();', 'const ok2 = Date.parse(s) + Date.UTC(2026, 0, 1);',
      'client.setTimeout(5);', 'const o = { setTimeout: 1 };', 'const m = ctx.clock.monotonic();', 'await ctx.clock.sleep(10, signal);',
    ].join('\n');
    expect(clockBypasses('roundtrip/x.ts', text)).toEqual([
      'roundtrip/x.ts:1: Date.now', 'roundtrip/x.ts:2: new Date()', 'roundtrip/x.ts:3: performance.now', 'roundtrip/x.ts:4: setTimeout',
      'roundtrip/x.ts:5: setInterval', 'roundtrip/x.ts:6: Date.now', 'roundtrip/x.ts:7: performance.now', 'roundtrip/x.ts:8: new Date()',
    ]);
    expect(seamBypasses('probes/x.ts', "import { setTimeout as sleep } from 'node:timers/promises';\nimport { performance } from 'perf_hooks';\n"))
      .toEqual(['probes/x.ts: setTimeout from node:timers/promises', 'probes/x.ts: performance from node:perf_hooks']);
  });

  it('no probe, domain or round-trip module reaches Node\'s network or file modules, or net/\'s I/O, around the context', () => {
    expect(found.filter((f) => !NOT_YET_THROUGH_THE_SEAM.includes(f))).toEqual([]);
  });

  it('every entry of the temporary list still matches (a file that moved to the seam leaves the list)', () => {
    expect(NOT_YET_THROUGH_THE_SEAM.filter((f) => !found.includes(f))).toEqual([]);
  });

  it('the check sees Node I/O imports, and lets types and address helpers through', () => {
    expect(seamBypasses('probes/x.ts', "import tls from 'node:tls';\nimport { lookup } from 'node:dns/promises';\n")).toEqual(['probes/x.ts: * from node:tls', 'probes/x.ts: lookup from node:dns/promises']);
    expect(seamBypasses('probes/x.ts', "import type net from 'node:net';\nimport { isIP, type Socket } from 'node:net';\n")).toEqual([]);
    expect(seamBypasses('probes/network/x.ts', "import { readFileSync, type Stats } from 'node:fs';\nimport type { Dirent } from 'fs';\n")).toEqual(['probes/network/x.ts: readFileSync from node:fs']);
    expect(seamBypasses('domain/x.ts', "const fs = await import('node:fs/promises');\n")).toEqual(['domain/x.ts: * from node:fs/promises']);
  });

  it('the check sees net/ I/O called around the context, and lets its types and pure helpers through', () => {
    expect(seamBypasses('probes/network/x.ts', "import { tlsHandshake, type TlsOptions } from '../../net/tls-inspect.js';\nimport { dial } from '../../net/tcp.js';\n"))
      .toEqual(['probes/network/x.ts: tlsHandshake from net/tls-inspect.ts', 'probes/network/x.ts: dial from net/tcp.ts']);
    expect(seamBypasses('roundtrip/x.ts', "import { upgradeToTls, trustedCas } from '../net/trust.js';\nimport * as https from '../net/https.js';\nexport { systemIo } from '../net/io.js';\n"))
      .toEqual(['roundtrip/x.ts: upgradeToTls from net/trust.ts', 'roundtrip/x.ts: * from net/https.ts', 'roundtrip/x.ts: systemIo from net/io.ts']);
    expect(seamBypasses('domain/x.ts', "import type { HttpsGetError } from '../net/https.js';\nimport { classifyTlsError } from '../net/tls-inspect.js';\nimport type { RunIo } from '../net/io.js';\n")).toEqual([]);
    // A composition root builds the seam; Node's modules stay off limits even there.
    expect(seamBypasses('domain/run.ts', "import { systemIo } from '../net/io.js';\nimport { readFileSync } from 'node:fs';\n")).toEqual(['domain/run.ts: readFileSync from node:fs']);
  });
});
