import * as fs from 'node:fs';
import { answersOf } from './answers';
import type { WorkspaceFacts } from './facts';
import { jsonKeyLines } from './facts/repo';
import { itemList } from './registry';
import { scoreOf } from './score';
import { CATEGORY_TITLES, CHECKLIST_CATEGORIES, categoryOf, type CategoryId, type CategoryResult, type ChecklistResult, type ItemResult } from './types';
import type { Config } from '../config';

export interface EvaluateOptions {
  config: Pick<Config, 'checklist'>;
  /** shipshape.config.json, for the evidence line of an answer. */
  configFile?: string;
  durationMs?: number;
}

/**
 * Runs every item's verdict function over the facts, applies the team's answers and scores.
 * An item that throws becomes `manual` with a note (a Shipshape bug must not hide the others).
 */
export function evaluateChecklist(facts: WorkspaceFacts, opts: EvaluateOptions): ChecklistResult {
  const started = performance.now();
  const answers = answersOf(opts.config);
  const answerLines = opts.configFile && Object.keys(answers).length ? configLines(opts.configFile, Object.keys(answers)) : new Map<string, number>();
  const byCategory = new Map<CategoryId, ItemResult[]>();
  for (const item of itemList()) {
    let result: ItemResult;
    try {
      result = { id: item.id, title: item.title, ...item.evaluate(facts) };
    } catch (err) {
      result = { id: item.id, title: item.title, status: 'manual', evidence: [{ note: `Shipshape could not evaluate this item (internal error: ${(err as Error).message}); please report it.` }], next: 'Check it by hand and answer it in shipshape.config.json.' };
    }
    const answer = answers[item.id];
    if (answer) {
      const computed = result.status;
      result = {
        ...result,
        status: answer.status,
        answered: { note: answer.note },
        evidence: [
          { file: opts.configFile, line: answerLines.get(item.id), note: `answered ${answer.status} in shipshape.config.json${answer.note ? `: ${answer.note}` : ''}` },
          ...(computed !== 'manual' && computed !== answer.status ? [{ note: `Shipshape's own verdict from the files: ${computed}` }] : []),
          ...result.evidence,
        ],
      };
    }
    const c = categoryOf(item.id);
    byCategory.set(c, [...(byCategory.get(c) ?? []), result]);
  }
  const categories: CategoryResult[] = (Object.keys(CHECKLIST_CATEGORIES) as CategoryId[]).map((id) => {
    const items = byCategory.get(id) ?? [];
    return { id, title: CATEGORY_TITLES[id], score: scoreOf(items.map((i) => i.status)), items };
  });
  return {
    root: facts.root,
    score: scoreOf(categories.flatMap((c) => c.items.map((i) => i.status))),
    categories,
    problems: facts.problems.map((p) => ({ file: p.file, line: p.line, note: p.note })),
    durationMs: (opts.durationMs ?? 0) + (performance.now() - started),
  };
}

function configLines(file: string, ids: string[]): Map<string, number> {
  try {
    return jsonKeyLines(fs.readFileSync(file, 'utf8'), ids);
  } catch {
    return new Map();
  }
}
