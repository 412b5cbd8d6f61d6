/**
 * The finding model shared by every rule, the language server and the reporters.
 *
 * Positions inside the core are 0-based (line and character, as the TypeScript
 * compiler and LSP use them). Only `report/` and the server's Diagnostic mapping
 * turn them into something else.
 */
export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface RelatedLocation {
  message: string;
  /** Absolute path. */
  file: string;
  range: Range;
}

export interface TextEdit {
  /** Absolute path of the file the edit applies to. */
  file: string;
  range: Range;
  newText: string;
}

export interface FileCreation {
  /** Absolute path of a file the fix creates; the fix never overwrites an existing file. */
  file: string;
  content: string;
}

/** A fix computed at analysis time; the editor only looks it up, never re-analyses. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  createFiles?: FileCreation[];
  /** The fix an editor offers first (e.g. on Ctrl+.). */
  isPreferred?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Absolute path. */
  file: string;
  range: Range;
  related: RelatedLocation[];
  fixes: Fix[];
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  if (a.range.start.character !== b.range.start.character) return a.range.start.character - b.range.start.character;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_ORDER[severity] >= SEVERITY_ORDER[threshold];
}
