import * as fs from 'node:fs';
import type { Fix, TextEdit } from './finding';
import { computeLineStarts } from './suppression';

/**
 * Computes the texts a fix produces, without writing: file → new content.
 * Used by the CLI's tests and the rule tester; the editor applies fixes as a WorkspaceEdit.
 */
export function applyFix(fix: Fix, read: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): Map<string, string> {
  const out = new Map<string, string>();
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) out.set(file, applyEdits(read(file), edits));
  for (const c of fix.createFiles ?? []) out.set(c.file, c.content);
  return out;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = computeLineStarts(text);
  const offset = (p: { line: number; character: number }) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const e of sorted) result = result.slice(0, offset(e.range.start)) + e.newText + result.slice(offset(e.range.end));
  return result;
}
