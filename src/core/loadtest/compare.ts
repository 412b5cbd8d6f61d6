import type { LoadTestResult, RunComparison } from './types';

/** Compares a run with a baseline: per-metric deltas and a noise-aware verdict (pure). */
export function compareRuns(baseline: LoadTestResult, current: LoadTestResult): RunComparison {
  void baseline;
  void current;
  throw new Error('not implemented');
}
