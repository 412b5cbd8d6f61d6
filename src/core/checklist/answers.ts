import type { Config } from '../config';
import type { ChecklistItemId, ChecklistStatus } from './types';

/** A team's answer to an item, from `checklist.answers` in shipshape.config.json (validated by the schema). */
export interface ChecklistAnswer {
  status: Exclude<ChecklistStatus, 'manual'>;
  note: string;
}

export type ChecklistAnswers = Partial<Record<ChecklistItemId, ChecklistAnswer>>;

export function answersOf(config: Pick<Config, 'checklist'>): ChecklistAnswers {
  const raw = (config.checklist as { answers?: unknown } | undefined)?.answers;
  if (!raw || typeof raw !== 'object') return {};
  const out: ChecklistAnswers = {};
  for (const [id, a] of Object.entries(raw as Record<string, unknown>)) {
    if (!a || typeof a !== 'object') continue;
    const { status, note } = a as { status?: unknown; note?: unknown };
    if (status === 'pass' || status === 'warn' || status === 'fail' || status === 'n/a') out[id as ChecklistItemId] = { status, note: typeof note === 'string' ? note : '' };
  }
  return out;
}
