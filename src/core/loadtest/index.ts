/**
 * Shipshape's load-test engine: the public surface the CLI and the editor build on.
 *
 *   const run = startLoadTest(scenario, { allowRemote: false });
 *   run.on((event) => …);          // start, tick (every second), done | error
 *   run.cancel();                  // stops within 1 s; `result` resolves with ended: 'cancelled'
 *   const result = await run.result; // LoadTestResult; rejects with LoadTestError before any load
 */
export * from './types';
export { startLoadTest, LoadTestError, type LoadTestRun, type StartOptions } from './run';
export { resolveScenario, scenarioFromUrl, PRESETS, parseDuration, type ResolveOptions, type ScenarioProblem } from './scenario';
export { parseThreshold, evaluateThresholds, type ParsedThreshold } from './thresholds';
export { RunHistory } from './history';
export { compareRuns } from './compare';
export { exportScenario } from './export';
