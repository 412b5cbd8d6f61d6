import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { CategoryId, ChecklistItemId, ChecklistResult, ChecklistStatus } from '../checklist/types';
import { displayPath, TOOL } from './common';

/** SPEC § CLI `checklist --format json`: relative `/` paths, 1-based lines. */
export interface ChecklistJson {
  version: 1;
  tool: { name: string; version: string };
  score: number | null;
  categories: Array<{
    id: CategoryId;
    title: string;
    score: number | null;
    items: Array<{
      id: ChecklistItemId;
      title: string;
      status: ChecklistStatus;
      evidence: Array<{ file?: string; line?: number; note: string }>;
      next: string;
      answered?: { note?: string };
    }>;
  }>;
  problems: Array<{ file?: string; line?: number; note: string }>;
}

export function toChecklistJson(result: ChecklistResult): ChecklistJson {
  const ev = (e: { file?: string; line?: number; note: string }) => ({
    ...(e.file ? { file: displayPath(result.root, e.file) } : {}),
    ...(e.file && e.line !== undefined ? { line: e.line + 1 } : {}),
    note: e.note,
  });
  return {
    version: 1,
    tool: { name: TOOL.name, version: TOOL.version },
    score: result.score,
    categories: result.categories.map((c) => ({
      id: c.id,
      title: c.title,
      score: c.score,
      items: c.items.map((i) => ({ id: i.id, title: i.title, status: i.status, evidence: i.evidence.map(ev), next: i.next, ...(i.answered ? { answered: i.answered } : {}) })),
    })),
    problems: result.problems.map(ev),
  };
}

export function renderChecklistJson(result: ChecklistResult): string {
  return JSON.stringify(toChecklistJson(result), null, 2) + '\n';
}

const ICON: Record<ChecklistStatus, string> = { pass: '✔', warn: '▲', fail: '✖', manual: '?', 'n/a': '–' };
const COLOR: Record<ChecklistStatus, string> = { pass: '32', warn: '33', fail: '31', manual: '36', 'n/a': '90' };

/** Text: the score, then per category its items; evidence and next steps for warn/fail/manual. */
export function renderChecklistText(result: ChecklistResult, opts: { color?: boolean } = {}): string {
  const paint = (s: ChecklistStatus, text: string) => (opts.color ? `\x1b[${COLOR[s]}m${text}\x1b[0m` : text);
  const json = toChecklistJson(result);
  const lines: string[] = [`Production readiness: ${json.score ?? '–'}/100`, ''];
  for (const c of json.categories) {
    lines.push(`${c.title} ${c.score ?? '–'}/100`);
    for (const i of c.items) {
      lines.push(`  ${paint(i.status, `${ICON[i.status]} ${i.status.padEnd(6)}`)} ${i.id}  ${i.title}${i.answered ? ' (answered)' : ''}`);
      if (i.status === 'pass' || i.status === 'n/a') continue;
      for (const e of i.evidence.slice(0, 4)) lines.push(`             ${e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : ''}${e.note}`);
      lines.push(`             → ${i.next.split('\n')[0]}`);
    }
    lines.push('');
  }
  for (const p of json.problems) lines.push(`note: ${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.note}`);
  const counts = json.categories.flatMap((c) => c.items).reduce((m, i) => m.set(i.status, (m.get(i.status) ?? 0) + 1), new Map<ChecklistStatus, number>());
  lines.push(`${counts.get('pass') ?? 0} pass, ${counts.get('warn') ?? 0} warn, ${counts.get('fail') ?? 0} fail, ${counts.get('manual') ?? 0} manual, ${counts.get('n/a') ?? 0} n/a. Answer manual items in shipshape.config.json (checklist.answers).`);
  return lines.join('\n') + '\n';
}

/** SARIF 2.1.0: one rule per item, one result per warn/fail item (level warning/error) at its first file evidence. */
export function renderChecklistSarif(result: ChecklistResult): string {
  const json = toChecklistJson(result);
  const items = json.categories.flatMap((c) => c.items);
  const rules: ReportingDescriptor[] = items.map((i) => ({
    id: i.id,
    name: i.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
    shortDescription: { text: i.title },
    fullDescription: { text: `Production-readiness checklist item ${i.id}: ${i.title}.` },
    help: { text: `See docs/checklist/${i.id}.md.`, markdown: `See [docs/checklist/${i.id}.md](docs/checklist/${i.id}.md).` },
        defaultConfiguration: { level: 'warning' },
  }));
  const results: Result[] = [];
  items.forEach((i, ruleIndex) => {
    if (i.status !== 'warn' && i.status !== 'fail') return;
    const located = i.evidence.find((e) => e.file);
    const file = located?.file;
    results.push({
      ruleId: i.id,
      ruleIndex,
      level: i.status === 'fail' ? 'error' : 'warning',
      message: { text: `${i.title}: ${i.evidence.map((e) => e.note).slice(0, 3).join('; ')}. Next: ${i.next.split('\n')[0]}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: file ?? 'package.json', uriBaseId: '%SRCROOT%' }, region: { startLine: located?.line ?? 1 } } }],
      partialFingerprints: { checklistItem: `${i.id}:${located?.file ?? ''}` },
    });
  });
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: TOOL.name, version: TOOL.version, informationUri: 'https://www.npmjs.com/package/shipshape', rules } }, results, originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(path.resolve(result.root) + path.sep).href } } }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
