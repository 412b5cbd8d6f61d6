import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import type { Position, TextEdit } from '../../finding';
import { toPosix } from '../../project/files';

/**
 * How a file is written, so inserted code looks like the code around it:
 * indentation unit, quotes, semicolons and line endings.
 */
export interface CodeStyle {
  indentUnit: string;
  quote: "'" | '"';
  semi: boolean;
  eol: string;
}

const styleCache = new WeakMap<ts.SourceFile, CodeStyle>();

export function detectStyle(sf: ts.SourceFile): CodeStyle {
  const cached = styleCache.get(sf);
  if (cached) return cached;
  const text = sf.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let indentUnit = '  ';
  let smallest = Infinity;
  for (const line of text.split(/\r?\n/)) {
    const m = /^([ \t]+)\S/.exec(line);
    if (!m || line.trimStart().startsWith('*')) continue;
    if (m[1].startsWith('\t')) {
      indentUnit = '\t';
      smallest = 0;
      break;
    }
    if (m[1].length < smallest) smallest = m[1].length;
  }
  if (smallest !== Infinity && smallest > 0 && smallest <= 8) indentUnit = ' '.repeat(smallest);
  let single = 0;
  let double = 0;
  let withSemi = 0;
  let withoutSemi = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n)) {
      const ch = text[n.getStart(sf)];
      if (ch === "'") single++;
      else if (ch === '"') double++;
    }
    if (ts.isExpressionStatement(n) || ts.isVariableStatement(n) || ts.isImportDeclaration(n) || ts.isReturnStatement(n)) {
      if (text[n.getEnd() - 1] === ';') withSemi++;
      else withoutSemi++;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const style: CodeStyle = { indentUnit, quote: double > single ? '"' : "'", semi: withoutSemi <= withSemi, eol };
  styleCache.set(sf, style);
  return style;
}

/**
 * Renders template lines (written with two-space indentation, single quotes and
 * semicolons) in the file's style, each line prefixed with `indent`.
 */
export function render(lines: readonly string[], indent: string, style: CodeStyle): string {
  return lines
    .map((line) => {
      if (line.trim() === '') return '';
      const lead = /^ */.exec(line)![0].length;
      let body = line.slice(lead);
      body = restyle(body, style);
      return indent + style.indentUnit.repeat(Math.floor(lead / 2)) + ' '.repeat(lead % 2) + body;
    })
    .join(style.eol);
}

/** Swaps quotes and drops statement semicolons in the code part of one line (comments and template literals untouched). */
function restyle(line: string, style: CodeStyle): string {
  if (line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) return line;
  let out = '';
  let inTemplate = false;
  let inString: string | undefined;
  let codeEnd = line.length;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (!inTemplate && !inString && ch === '/' && line[i + 1] === '/') {
      codeEnd = i;
      break;
    }
    if (ch === '`' && !inString) inTemplate = !inTemplate;
    else if (!inTemplate && (ch === "'" || ch === '"')) {
      if (!inString) inString = ch;
      else if (inString === ch) inString = undefined;
      if (ch === "'" && style.quote === '"') {
        out += '"';
        continue;
      }
    }
    out += ch;
  }
  let code = out.slice(0, codeEnd);
  const comment = line.slice(codeEnd);
  if (!style.semi) {
    const trimmed = code.replace(/\s+$/, '');
    if (trimmed.endsWith(';') && !trimmed.startsWith('for ')) code = trimmed.slice(0, -1) + code.slice(trimmed.length);
  }
  return code + comment;
}

/** Leading whitespace of the line a node starts on. */
export function indentOf(sf: ts.SourceFile, node: ts.Node): string {
  const start = node.getStart(sf);
  const lineStart = sf.getLineStarts()[sf.getLineAndCharacterOfPosition(start).line];
  return /^[ \t]*/.exec(sf.text.slice(lineStart, start))![0];
}

export function position(sf: ts.SourceFile, offset: number): Position {
  return sf.getLineAndCharacterOfPosition(offset);
}

/** End of the line `offset` is on (before its line break). */
export function lineEnd(sf: ts.SourceFile, offset: number): Position {
  const { line } = sf.getLineAndCharacterOfPosition(offset);
  const starts = sf.getLineStarts();
  const next = line + 1 < starts.length ? starts[line + 1] : sf.text.length;
  let end = next;
  while (end > starts[line] && (sf.text[end - 1] === '\n' || sf.text[end - 1] === '\r')) end--;
  return { line, character: end - starts[line] };
}

export function insertion(file: string, at: Position, newText: string): TextEdit {
  return { file, range: { start: at, end: at }, newText };
}

/** Inserts `block` (already indented) on new lines after the statement, separated by a blank line. */
export function insertAfter(sf: ts.SourceFile, st: ts.Node, block: string, style: CodeStyle): TextEdit {
  const at = lineEnd(sf, st.getEnd());
  const starts = sf.getLineStarts();
  const next = at.line + 1 < starts.length ? sf.text.slice(starts[at.line + 1], starts[at.line + 2] ?? sf.text.length) : '';
  // Keep a blank line between the block and code that follows it.
  const trailer = next.trim() === '' || /^\s*}/.test(next) ? '' : style.eol;
  return insertion(sf.fileName, at, style.eol + style.eol + block + trailer);
}

/** Inserts `block` (already indented) on new lines before the statement and its leading comments. */
export function insertBefore(sf: ts.SourceFile, st: ts.Node, block: string, style: CodeStyle): TextEdit {
  const comments = ts.getLeadingCommentRanges(sf.text, st.getFullStart()) ?? [];
  const first = comments.length > 0 ? comments[0].pos : st.getStart(sf);
  const line = sf.getLineAndCharacterOfPosition(first).line;
  return insertion(sf.fileName, { line, character: 0 }, block + style.eol + style.eol);
}

/** True when `name` is not already declared in the scope at `node` (nor a global). */
export function isFreeName(checker: ts.TypeChecker, node: ts.Node, name: string): boolean {
  const symbols = checker.getSymbolsInScope(node, ts.SymbolFlags.Value | ts.SymbolFlags.Alias | ts.SymbolFlags.Type);
  if (symbols.some((s) => s.name === name)) return false;
  // Names declared later in the same block are not in scope for the checker's lookup at `node`, but would clash.
  const block = node.parent;
  let clash = false;
  const visit = (n: ts.Node): void => {
    if (clash) return;
    if ((ts.isVariableDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isParameter(n)) && n.name && ts.isIdentifier(n.name) && n.name.text === name) clash = true;
    ts.forEachChild(n, visit);
  };
  if (block) visit(block);
  return !clash;
}

/** `base`, or `base2`, `base3`… — the first name free at `node`. */
export function freeName(checker: ts.TypeChecker, node: ts.Node, base: string, alternatives: string[] = []): string {
  for (const candidate of [base, ...alternatives]) if (isFreeName(checker, node, candidate)) return candidate;
  for (let i = 2; i < 100; i++) if (isFreeName(checker, node, `${base}${i}`)) return `${base}${i}`;
  return `${base}_`;
}

/** True when the file imports with `require()` rather than `import`. */
function usesRequire(sf: ts.SourceFile): boolean {
  const hasImport = sf.statements.some((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s));
  return !hasImport && /\brequire\(\s*['"]/.test(sf.text);
}

/** The module specifier to import `target` from `from` (relative, in the project's extension style). */
export function relativeSpecifier(from: Pick<ts.SourceFile, 'fileName' | 'text'>, target: string): string {
  const usesJs = /from\s+['"]\.{1,2}\/[^'"]+\.js['"]/.test(from.text);
  let rel = toPosix(path.relative(path.dirname(from.fileName), target));
  const ext = path.extname(rel);
  rel = rel.slice(0, rel.length - ext.length);
  if (usesJs) rel += ext === '.mts' ? '.mjs' : ext === '.cts' ? '.cjs' : '.js';
  else if (rel.endsWith('/index')) rel = rel.slice(0, -'/index'.length);
  if (!rel.startsWith('.')) rel = './' + rel;
  return rel;
}

export interface ImportRequest {
  /** Local name. */
  name: string;
  /** Module specifier. */
  from: string;
  kind: 'named' | 'default';
}

/**
 * Edits adding imports in the file's style (`import` or `require`): names go into an existing
 * `import { … } from` the same module, otherwise one new statement per module after the last import.
 */
export function importEdits(sf: ts.SourceFile, requests: ImportRequest[], style: CodeStyle): TextEdit[] {
  if (requests.length === 0) return [];
  const cjs = usesRequire(sf);
  const byModule = new Map<string, ImportRequest[]>();
  for (const r of requests) byModule.set(r.from, [...(byModule.get(r.from) ?? []).filter((x) => x.name !== r.name), r]);
  const lines: string[] = [];
  const merged: TextEdit[] = [];
  for (const [from, reqs] of byModule) {
    let named = reqs.filter((r) => r.kind === 'named').map((r) => r.name);
    const def = reqs.find((r) => r.kind === 'default');
    // `import { initializeDatabase } from './db'` is there: add the names to it.
    const existing = !cjs && named.length > 0 ? namedImportFrom(sf, from) : undefined;
    if (existing) {
      const last = existing.elements[existing.elements.length - 1];
      merged.push(insertion(sf.fileName, sf.getLineAndCharacterOfPosition(last.getEnd()), named.map((n) => `, ${n}`).join('')));
      named = [];
      if (!def) continue;
    }
    if (cjs) {
      if (def) lines.push(`const ${def.name} = require('${from}');`);
      if (named.length > 0) lines.push(`const { ${named.join(', ')} } = require('${from}');`);
    } else {
      const parts = [def?.name, named.length > 0 ? `{ ${named.join(', ')} }` : undefined].filter(Boolean);
      lines.push(`import ${parts.join(', ')} from '${from}';`);
    }
  }
  if (lines.length === 0) return merged;
  const text = render(lines, '', style);
  const last = [...sf.statements].reverse().find((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) || (cjs && isRequireStatement(s)));
  if (last) return [...merged, insertion(sf.fileName, lineEnd(sf, last.getEnd()), style.eol + text)];
  // No imports: at the top, after a shebang and directive prologue ('use strict').
  let afterLine = -1;
  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) afterLine = sf.getLineAndCharacterOfPosition(st.getEnd()).line;
    else break;
  }
  if (afterLine < 0 && sf.text.startsWith('#!')) afterLine = 0;
  if (afterLine >= 0) return [...merged, insertion(sf.fileName, lineEnd(sf, sf.getLineStarts()[afterLine]), style.eol + text)];
  return [...merged, insertion(sf.fileName, { line: 0, character: 0 }, text + style.eol + style.eol)];
}

/** The `{ … }` of a value import of `from` in the file, if any. */
function namedImportFrom(sf: ts.SourceFile, from: string): ts.NamedImports | undefined {
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== from) continue;
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings) || clause.namedBindings.elements.length === 0) continue;
    return clause.namedBindings;
  }
  return undefined;
}

function isRequireStatement(st: ts.Statement): boolean {
  return ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => !!d.initializer && ts.isCallExpression(d.initializer) && ts.isIdentifier(d.initializer.expression) && d.initializer.expression.text === 'require');
}

/** A path for a new file next to `dir`: `base.ts`, else `base-2.ts`… that exists neither on disk nor among the project files. */
export function newFilePath(dir: string, base: string, ext: string, existing: ReadonlySet<string>): string | undefined {
  for (let i = 1; i < 10; i++) {
    const candidate = path.join(dir, i === 1 ? `${base}${ext}` : `${base}-${i}${ext}`);
    if (!existing.has(path.resolve(candidate)) && !fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
