import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './workspace';

export interface DocExample {
  kind: 'incorrect' | 'correct';
  /** 1-based line of the opening fence, for messages. */
  line: number;
  /** Relative path → content. */
  files: Record<string, string>;
  /** `file:line` (1-based, within that file) of every line carrying the marker comment `← reported`. */
  marked: string[];
}

/** The comment that marks a line an Incorrect example must be reported on: `// ← reported` (`-- ← reported` in SQL). */
const REPORTED_MARK = /(?:\/\/|--)\s*← reported\b/;

const DEFAULT_FILE: Record<string, string> = { ts: 'src/example.ts', typescript: 'src/example.ts', sql: 'migrations/0001_example.sql', prisma: 'prisma/schema.prisma' };

export function docPath(ruleId: string): string {
  return path.join(REPO_ROOT, 'docs', 'rules', `${ruleId}.md`);
}

/**
 * The code blocks under `### Incorrect` and `### Correct` of a rule doc. A line
 * `// @file <path>` (or `-- @file <path>` in SQL) starts another file of the same example.
 */
export function docExamples(markdown: string): DocExample[] {
  const out: DocExample[] = [];
  const lines = markdown.split('\n');
  let section: DocExample['kind'] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{2,4}\s+(.*)$/.exec(lines[i]);
    if (heading) {
      const title = heading[1].trim().toLowerCase();
      section = title.startsWith('incorrect') ? 'incorrect' : title.startsWith('correct') ? 'correct' : lines[i].startsWith('## ') ? undefined : section;
      continue;
    }
    const fence = /^```(\w+)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const lang = fence[1];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (!section || !(lang in DEFAULT_FILE)) continue;
    const files: Record<string, string> = {};
    const marked: string[] = [];
    let current = DEFAULT_FILE[lang];
    let buf: string[] = [];
    const flush = () => {
      if (buf.some((l) => l.trim())) files[current] = buf.join('\n') + '\n';
      buf = [];
    };
    for (const l of body) {
      const m = /^(?:\/\/|--)\s*@file\s+(\S+)\s*$/.exec(l);
      if (m) {
        flush();
        current = m[1];
      } else {
        buf.push(l);
        if (REPORTED_MARK.test(l)) marked.push(`${current}:${buf.length}`);
      }
    }
    flush();
    out.push({ kind: section, line: start + 1, files, marked });
  }
  return out;
}

export function readDoc(ruleId: string): string | undefined {
  try {
    return fs.readFileSync(docPath(ruleId), 'utf8');
  } catch {
    return undefined;
  }
}
