import type { Finding, Fix, Range } from './finding';

/**
 * Suppression comments:
 *   // shipshape-disable-next-line n-plus-one, unindexed-filter -- reason
 *   foo(); // shipshape-disable-line n-plus-one -- reason
 *   -- shipshape-disable-next-line unindexed-filter      (SQL)
 * With no rule list, every rule is suppressed on that line.
 */
const DIRECTIVE = /(?:\/\/|--|\/\*)\s*shipshape-disable-(next-line|line)\b([^\n]*)/g;

export type SuppressionMap = Map<number, Set<string> | 'all'>;

/** 0-based line → rules suppressed on it. */
export function parseSuppressions(text: string): SuppressionMap {
  const map: SuppressionMap = new Map();
  if (!text.includes('shipshape-disable')) return map;
  const lineStarts = computeLineStarts(text);
  for (const m of text.matchAll(DIRECTIVE)) {
    const line = lineOf(lineStarts, m.index ?? 0);
    const target = m[1] === 'next-line' ? line + 1 : line;
    const rulesPart = m[2].replace(/\*\/.*$/, '').split(/\s--\s|\s--$/)[0].trim();
    const rules = rulesPart ? rulesPart.split(/[\s,]+/).filter(Boolean) : [];
    const prev = map.get(target);
    if (rules.length === 0 || prev === 'all') map.set(target, 'all');
    else map.set(target, new Set([...(prev ?? []), ...rules]));
  }
  return map;
}

export function isSuppressed(map: SuppressionMap, ruleId: string, range: Range): boolean {
  const entry = map.get(range.start.line);
  return entry === 'all' || (entry !== undefined && entry.has(ruleId));
}

/** The quick fix that inserts a suppression comment above the finding's line. */
export function suppressionFix(finding: Pick<Finding, 'ruleId' | 'file' | 'range'>, text: string, language: 'ts' | 'sql' = 'ts'): Fix {
  const lineStarts = computeLineStarts(text);
  const line = finding.range.start.line;
  const start = lineStarts[line] ?? 0;
  const lineText = text.slice(start, lineStarts[line + 1] ?? text.length);
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const marker = language === 'sql' ? '--' : '//';
  const title = `Disable ${finding.ruleId} for this line`;
  // A directive already above the line (another rule disabled there): add this rule to its list,
  // as vscode-eslint does. A second comment above it would leave the first pointing at a comment.
  const above = line > 0 ? text.slice(lineStarts[line - 1], start).replace(/\r?\n$/, '') : '';
  const existing = new RegExp(`^([ \\t]*${marker === '--' ? '--' : '//'}\\s*shipshape-disable-next-line[ \\t]+)(.*?)(\\s+--(?:\\s.*)?)?$`).exec(above);
  const listed = existing?.[2].trim();
  if (existing && listed) {
    const character = existing[1].length + existing[2].trimEnd().length;
    return { title, edits: [{ file: finding.file, range: { start: { line: line - 1, character }, end: { line: line - 1, character } }, newText: `, ${finding.ruleId}` }] };
  }
  return {
    title,
    edits: [
      {
        file: finding.file,
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        newText: `${indent}${marker} shipshape-disable-next-line ${finding.ruleId} -- TODO: explain why this is safe\n`,
      },
    ],
  };
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
