// Small parts: no function, method or arrow in src/ runs over 60 lines unless it says why. A long function is
// exempt only when the comment directly above it (a line comment or its JSDoc) carries `long-function: <reason>`
// with a non-empty reason, so every exception is a decision someone wrote down, not an accident.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './imports.js';

const MAX_LINES = 60;
const EXEMPTION = /long-function:[ \t]*[^\s*/]/; // a reason on the same line, not just the marker


type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

const isFunctionNode = (n: ts.Node): n is FunctionNode =>
  ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n);

/** The node whose leading comment speaks for the function: `const x = () => …` is documented on its statement. */
function anchorOf(fn: FunctionNode): ts.Node {
  const parent = fn.parent;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(parent)) return ts.isVariableStatement(parent.parent.parent) ? parent.parent.parent : parent;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) return parent;
  return fn;
}

/** A readable name: the declared one, the variable or property it is bound to, else `<arrow in outer>`. */
function nameOf(fn: FunctionNode, src: ts.SourceFile, outer: string | undefined): string {
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  if (fn.name) return fn.name.getText(src);
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) return parent.name.getText(src);
  return `<${ts.isArrowFunction(fn) ? 'arrow' : 'function'} in ${outer ?? 'module'}>`;
}

/** Whether the comment ending on the line directly above the function (or above its statement) states a reason. */
function isExempt(fn: FunctionNode, src: ts.SourceFile): boolean {
  const text = src.getFullText();
  const lineOf = (pos: number): number => src.getLineAndCharacterOfPosition(pos).line;
  for (const node of new Set([anchorOf(fn), fn])) {
    const startLine = lineOf(node.getStart(src));
    const comments = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
    const last = comments.at(-1);
    if (last && lineOf(last.end) >= startLine - 1 && EXEMPTION.test(text.slice(last.pos, last.end))) return true;
    // An arrow passed as an argument has no leading comment of its own: read the line above it.
    const above = startLine > 0 ? (text.split('\n')[startLine - 1] ?? '') : '';
    if (/\/\/|\/\*|^\s*\*/.test(above) && EXEMPTION.test(above)) return true;
  }
  return false;
}

/** "file:line name (N lines)" for every function over the limit that does not state why it may be. */
export function longFunctions(file: string, text: string, max = MAX_LINES): string[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node, outer: string | undefined): void => {
    let inner = outer;
    if (isFunctionNode(node) && node.body) {
      const name = nameOf(node, src, outer);
      const start = src.getLineAndCharacterOfPosition(node.getStart(src)).line;
      const end = src.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max && !isExempt(node, src)) out.push(`${file}:${start + 1} ${name} (${lines} lines)`);
      inner = name;
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(src, undefined);
  return out;
}

describe('function length', () => {
  it(`no function in src/ is over ${MAX_LINES} lines without a stated reason`, () => {
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    expect(sourceFiles(root).flatMap((f) => longFunctions(f, readFileSync(path.join(root, f), 'utf8')))).toEqual([]);
  });

  it('the check sees a long function, an arrow inside it, and honours a stated exemption only', () => {
    const body = (n: number): string => Array.from({ length: n }, (_, i) => `  step${i}();`).join('\n');
    const long = `export function tooLong(): void {\n${body(3)}\n  run(() => {\n${body(4)}\n  });\n}\n`;
    expect(longFunctions('x.ts', long, 5)).toEqual(['x.ts:1 tooLong (11 lines)', 'x.ts:5 <arrow in tooLong> (6 lines)']);
    expect(longFunctions('x.ts', `const short = (): void => {\n${body(2)}\n};\n`, 5)).toEqual([]);
    expect(longFunctions('x.ts', `// long-function: one step machine reads best whole\nfunction f(): void {\n${body(6)}\n}\n`, 5)).toEqual([]);
    expect(longFunctions('x.ts', `/**\n * Does f.\n * long-function: the table is the point\n */\nconst f = (): void => {\n${body(6)}\n};\n`, 5)).toEqual([]);
    expect(longFunctions('x.ts', `class C {\n  // long-function: a reason\n  m(): void {\n${body(6)}\n  }\n}\n`, 5)).toEqual([]);
    // No reason, or a marker further up than the line directly above, does not exempt.
    expect(longFunctions('x.ts', `// long-function:\nfunction f(): void {\n${body(6)}\n}\n`, 5)).toEqual(['x.ts:2 f (8 lines)']);
    expect(longFunctions('x.ts', `// long-function: far away\n\nfunction f(): void {\n${body(6)}\n}\n`, 5)).toEqual(['x.ts:3 f (8 lines)']);
  });
});
