/** Explain's part of the configuration: `scale.defaultRows`, `scale.tables.<t>`, `explain.databaseUrl`. */
import type { Config } from '../config';
import type { RowTargets } from './generate';

export const DEFAULT_ROWS = 100_000;

export interface ExplainSettings {
  rows: RowTargets;
  /** The team's own database (plain EXPLAIN, read-only); `SHIPSHAPE_DATABASE_URL` wins over the config. */
  databaseUrl?: string;
}

export function explainSettings(config: Pick<Config, 'scale' | 'explain'>, env: NodeJS.ProcessEnv = process.env, overrides: { rows?: number } = {}): ExplainSettings {
  const scale = (config.scale ?? {}) as { defaultRows?: number; tables?: Record<string, number> };
  const explain = (config.explain ?? {}) as { databaseUrl?: string };
  return {
    rows: { default: overrides.rows ?? scale.defaultRows ?? DEFAULT_ROWS, tables: { ...(scale.tables ?? {}) } },
    databaseUrl: env.SHIPSHAPE_DATABASE_URL || explain.databaseUrl || undefined,
  };
}

/** `500k`, `1.5M`, `100,000`: how the editor names the volume ("Explain at 500k rows"). */
export function shortCount(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1_000) return `${+(n / 1_000).toFixed(1)}k`;
  return String(n);
}
