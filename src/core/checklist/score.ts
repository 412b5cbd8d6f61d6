import type { ChecklistStatus } from './types';

/** A warn costs 1, a fail 2 (SPEC: fail weighs twice a warn); manual and n/a are not scored. */
const PENALTY: Partial<Record<ChecklistStatus, number>> = { pass: 0, warn: 1, fail: 2 };

/** 0–100 over the scored statuses; null when none is scored (all manual or not applicable). */
export function scoreOf(statuses: readonly ChecklistStatus[]): number | null {
  const scored = statuses.filter((s) => PENALTY[s] !== undefined);
  if (scored.length === 0) return null;
  const penalty = scored.reduce((n, s) => n + (PENALTY[s] ?? 0), 0);
  return Math.round(100 * (1 - penalty / (2 * scored.length)));
}
