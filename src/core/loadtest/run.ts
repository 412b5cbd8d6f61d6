import type { LoadTestErrorCode, LoadTestEvent, LoadTestFailure, LoadTestResult, Scenario } from './types';

/** Options of one run. */
export interface StartOptions {
  /** Allow a target that is not loopback (127.0.0.0/8, ::1, localhost). Default false. */
  allowRemote?: boolean;
  /** Upper bound on the scenario's duration (seconds); a longer scenario is refused before any load. Default 600. */
  maxDurationSec?: number;
  /** Where `{ "env": "NAME" }` values are read from. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Run id (default: time-based, sortable, e.g. `2026-12-01T02-10-00-123Z-orders`). */
  runId?: string;
}

/** A started run. Plain object: events are serialisable, so the caller may forward them to a webview as they are. */
export interface LoadTestRun {
  readonly id: string;
  /** Subscribes to events; returns an unsubscribe function. Events emitted before subscribing are not replayed, except that a listener added in the same tick as `startLoadTest` sees everything. */
  on(listener: (event: LoadTestEvent) => void): () => void;
  /** Stops sending load; in-flight requests are abandoned and the result resolves within 1 s with `ended: 'cancelled'`. */
  cancel(): void;
  /** The final result; rejects with a LoadTestError when the run could not start (bad URL, DNS, refused, remote target without opt-in, …) or the engine failed. */
  readonly result: Promise<LoadTestResult>;
}

/** A run that could not start or go on; `message` is one line saying what to do. */
export class LoadTestError extends Error implements LoadTestFailure {
  constructor(
    readonly code: LoadTestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LoadTestError';
  }

  toJSON(): LoadTestFailure {
    return { code: this.code, message: this.message };
  }
}

/**
 * Starts a load test off the caller's thread (a worker thread runs the engine). Before any load is
 * sent it checks the target: a valid http(s) URL, loopback unless `allowRemote`, a name that
 * resolves, a port that accepts a connection, and a duration within the bound.
 */
export function startLoadTest(scenario: Scenario, options: StartOptions = {}): LoadTestRun {
  void scenario;
  void options;
  throw new LoadTestError('engine-crashed', 'the load-test engine is not built yet');
}
