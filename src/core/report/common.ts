import * as fs from 'node:fs';
import * as path from 'node:path';
import pkg from '../../../package.json';
import type { AnalysisResult } from '../analyze';
import type { Range } from '../finding';

export const TOOL = { name: 'shipshape', version: pkg.version } as const;

/** What a reporter renders: the analysis plus the root that paths are shown relative to. */
export interface ScanReport {
  root: string;
  result: AnalysisResult;
}

/** Path relative to the scanned root with `/` separators (SPEC: JSON `file`). */
export function displayPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

/** 1-based line/column, the only place positions turn 1-based. */
export function oneBased(range: Range) {
  return {
    start: { line: range.start.line + 1, column: range.start.character + 1 },
    end: { line: range.end.line + 1, column: range.end.character + 1 },
  };
}

/** The rule docs folder, next to the bundle (dist/../docs/rules) or the sources. */
export function docsDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'docs', 'rules');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

export function ruleDoc(ruleId: string): string | undefined {
  const dir = docsDir();
  if (!dir) return undefined;
  try {
    return fs.readFileSync(path.join(dir, `${ruleId}.md`), 'utf8');
  } catch {
    return undefined;
  }
}
