import type { LoadTestResult, RunRecord, RunSummary, Scenario } from './types';

/**
 * Saved runs under `<root>/.shipshape/runs/<id>.json`. Writes are atomic (temp file, then rename);
 * a file that cannot be read or parsed is skipped and reported in `problems`, never fatal. The
 * pinned baseline's id is kept in `.shipshape/runs/baseline.json` per scenario.
 */
export class RunHistory {
  /** Messages about skipped files from the last list/load. */
  readonly problems: string[] = [];

  constructor(readonly root: string) {}

  get dir(): string {
    return `${this.root}/.shipshape/runs`;
  }

  /** Saves a finished run with its environment (git commit, Node, cores); returns the record. */
  save(scenario: Scenario, result: LoadTestResult): RunRecord {
    void scenario;
    void result;
    throw new Error('not implemented');
  }

  /** All readable runs, newest first. */
  list(scenarioName?: string): RunSummary[] {
    void scenarioName;
    return [];
  }

  /** One run by id (or `latest`, `baseline`); undefined when absent or unreadable (see problems). */
  load(id: string, scenarioName?: string): RunRecord | undefined {
    void id;
    void scenarioName;
    return undefined;
  }

  /** Pins a run as the baseline of its scenario. */
  pinBaseline(id: string): void {
    void id;
  }

  baselineId(scenarioName: string): string | undefined {
    void scenarioName;
    return undefined;
  }
}
