/**
 * The readiness checklist's model (SPEC § Readiness checklist): categories and item ids, the
 * statuses, and a verdict with its evidence and next step. Items are pure functions of
 * WorkspaceFacts (facts.ts); nothing here reads files.
 */
import type { WorkspaceFacts } from './facts';

export type ChecklistStatus = 'pass' | 'warn' | 'fail' | 'manual' | 'n/a';

/** SPEC's categories and item ids, in SPEC's order (the report and the tree keep it). */
export const CHECKLIST_CATEGORIES = {
  observability: ['health-endpoints', 'metrics', 'structured-logging', 'request-ids', 'tracing', 'alerts'],
  reliability: [
    'graceful-shutdown', 'connection-pooling', 'outbound-timeouts', 'retries-backoff', 'circuit-breakers', 'rate-limiting',
    'no-n-plus-one', 'indexed-queries', 'config-validation', 'crash-handlers',
  ],
  deployment: ['dockerfile', 'docker-multi-stage', 'docker-non-root', 'probes', 'rolling-updates', 'migrations-automated', 'ci-pipeline', 'feature-flags'],
  'disaster-recovery': ['backups', 'restore-tested', 'runbooks', 'failover'],
  security: ['authentication', 'input-validation', 'sql-injection', 'secrets', 'security-headers', 'tls'],
  documentation: ['readme', 'api-docs', 'architecture', 'on-call'],
  testing: ['unit-tests', 'integration-tests', 'load-tests', 'coverage-threshold', 'security-scan'],
} as const;

export type CategoryId = keyof typeof CHECKLIST_CATEGORIES;
type ItemOf<C extends CategoryId> = (typeof CHECKLIST_CATEGORIES)[C][number];
/** `<category>.<item>`, e.g. `observability.health-endpoints`. */
export type ChecklistItemId = { [C in CategoryId]: `${C}.${ItemOf<C>}` }[CategoryId];

export const CATEGORY_TITLES: Record<CategoryId, string> = {
  observability: 'Observability',
  reliability: 'Reliability',
  deployment: 'Deployment',
  'disaster-recovery': 'Disaster recovery',
  security: 'Security',
  documentation: 'Documentation',
  testing: 'Testing',
};

export function allItemIds(): ChecklistItemId[] {
  return (Object.entries(CHECKLIST_CATEGORIES) as Array<[CategoryId, readonly string[]]>).flatMap(([c, items]) => items.map((i) => `${c}.${i}` as ChecklistItemId));
}

export function categoryOf(id: ChecklistItemId): CategoryId {
  return id.slice(0, id.indexOf('.')) as CategoryId;
}

/**
 * What a verdict rests on: a place in the workspace (absolute path, 0-based line, as everywhere
 * in the core) or, without `file`, what was looked for and where, and not found.
 */
export interface Evidence {
  file?: string;
  /** 0-based. */
  line?: number;
  note: string;
}

export interface Verdict {
  status: ChecklistStatus;
  evidence: Evidence[];
  /** The next step, concrete; may hold a code snippet for the project's framework (markdown fence). */
  next: string;
}

export interface ChecklistItem {
  id: ChecklistItemId;
  title: string;
  /** Pure: the same facts give the same verdict. */
  evaluate(facts: WorkspaceFacts): Verdict;
}

export function defineItem(item: ChecklistItem): ChecklistItem {
  return item;
}

/** A verdict as evaluated, with the team's answer applied when there was one. */
export interface ItemResult extends Verdict {
  id: ChecklistItemId;
  title: string;
  /** Set when the status comes from `checklist.answers` in shipshape.config.json. */
  answered?: { note?: string };
}

export interface CategoryResult {
  id: CategoryId;
  title: string;
  /** 0–100; null when no item of the category is scored (all manual or not applicable). */
  score: number | null;
  items: ItemResult[];
}

export interface ChecklistResult {
  root: string;
  score: number | null;
  categories: CategoryResult[];
  /** Inputs that could not be read (malformed YAML, Dockerfile, JSON), also noted on the items they feed. */
  problems: Evidence[];
  durationMs: number;
}
