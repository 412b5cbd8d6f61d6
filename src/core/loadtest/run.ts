import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RunAccumulator } from './aggregate';
import { LoadTestError } from './errors';
import { findK6, runK6 } from './k6';
import { preflight } from './preflight';
import type { EngineInput, WindowMessage, WireRequest, WorkerMessage } from './protocol';
import { DEFAULT_MAX_DURATION_SEC } from './scenario';
import { engineThreads, WindowAligner } from './threads';
import { evaluateThresholds } from './thresholds';
import type { EngineName, EnvValue, LoadTestEvent, LoadTestResult, Scenario, ScenarioRequest } from './types';

export { LoadTestError };

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
  /** Engine threads for a closed model (default: one per core, at most 8, at most one per connection; see threads.ts). The open model uses one. */
  threads?: number;
}

/** A started run. Plain object: events are serialisable, so the caller may forward them to a webview as they are. */
export interface LoadTestRun {
  readonly id: string;
  /** Subscribes to events; returns an unsubscribe function. A listener added in the same tick as `startLoadTest` sees every event. */
  on(listener: (event: LoadTestEvent) => void): () => void;
  /** Stops sending load; in-flight requests are abandoned and the result resolves within 1 s with `ended: 'cancelled'`. */
  cancel(): void;
  /** The final result; rejects with a LoadTestError when the run could not start (bad URL, DNS, refused, remote target without opt-in, …) or the engine failed. */
  readonly result: Promise<LoadTestResult>;
}

/** How long a cancelled or aborted worker gets to send its last window before it is terminated. */
const STOP_GRACE_MS = 700;
/** How long a thread asked to exit may take before it is terminated. */
const EXIT_GRACE_MS = 2000;

export function newRunId(scenarioName: string, at = new Date()): string {
  return `${at.toISOString().replace(/[:.]/g, '-')}-${scenarioName.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/**
 * Starts a load test off the caller's thread (worker threads run the engine). Before any load is
 * sent it checks the target: a valid http(s) URL, loopback unless `allowRemote`, a name that
 * resolves, a port that accepts a connection, and a duration within the bound.
 */
export function startLoadTest(scenario: Scenario, options: StartOptions = {}): LoadTestRun {
  const id = options.runId ?? newRunId(scenario.name);
  const listeners = new Set<(e: LoadTestEvent) => void>();
  const emit = (e: LoadTestEvent): void => {
    for (const l of [...listeners]) {
      try {
        l(e);
      } catch {
        // A failing subscriber must not stop the run or the other subscribers.
      }
    }
  };
  let cancelRequested = false;
  let stopWorker: ((reason: 'cancelled' | 'aborted', by?: string) => void) | undefined;

  const result = (async (): Promise<LoadTestResult> => {
    try {
      const maxDuration = options.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC;
      if (scenario.model.durationSec > maxDuration) {
        throw new LoadTestError('duration-too-long', `scenario "${scenario.name}" runs ${scenario.model.durationSec} s, longer than the ${maxDuration} s allowed; shorten its duration or raise \`loadtest.maxDuration\` in shipshape.config.json.`);
      }
      const requests = wireRequests(scenario, options.env ?? process.env);
      const k6 = scenario.engine === 'k6' ? findK6() : undefined;
      if (scenario.engine === 'k6' && !k6) throw new LoadTestError('k6-not-found', 'k6 is not on PATH: install it (https://grafana.com/docs/k6/latest/set-up/install-k6/) or set the scenario\'s "engine" to "embedded".');
      await preflight(scenario.baseUrl, options.allowRemote === true);
      if (cancelRequested) throw new LoadTestError('engine-crashed', 'cancelled before the load started.');
      if (k6) {
        const abort = new AbortController();
        stopWorker = () => abort.abort();
        emit({ type: 'start', runId: id, startedAt: new Date().toISOString(), target: new URL(scenario.baseUrl).href, engine: 'k6', scenario, plannedDurationSec: scenario.model.durationSec });
        const result = await runK6(scenario, id, { k6, signal: abort.signal });
        emit({ type: 'done', runId: id, result });
        return result;
      }
      const engine: EngineName = scenario.model.kind === 'closed' ? 'autocannon' : 'shipshape';
      const threads = engineThreads(scenario.model, options.threads);
      return await runInWorkers(scenario, { runId: id, model: scenario.model, requests, timeoutSec: scenario.timeoutSec }, threads, engine, emit, (stop) => {
        stopWorker = stop;
        if (cancelRequested) stop('cancelled');
      });
    } catch (err) {
      const failure = err instanceof LoadTestError ? err : new LoadTestError('engine-crashed', `the load-test engine failed: ${(err as Error).message}`);
      emit({ type: 'error', runId: id, error: failure.toJSON() });
      throw failure;
    }
  })();
  // The caller may only listen to events; an unobserved rejection must not crash the host.
  result.catch(() => undefined);

  return {
    id,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel() {
      cancelRequested = true;
      stopWorker?.('cancelled');
    },
    result,
  };
}

/** Substitutes `{ "env": "VAR" }` values; the values live only in the worker's memory. */
export function wireRequests(scenario: Scenario, env: Record<string, string | undefined>): WireRequest[] {
  const read = (v: string | EnvValue, where: string): string => {
    if (typeof v === 'string') return v;
    const value = env[v.env];
    if (value === undefined) throw new LoadTestError('missing-env', `environment variable ${v.env} is not set (used by ${where} of scenario "${scenario.name}"); export it and run again.`);
    return value;
  };
  return scenario.requests.map((r: ScenarioRequest) => {
    const headers: Record<string, string> = {};
    for (const [h, v] of Object.entries(r.headers)) headers[h.toLowerCase()] = read(v, `header ${h} of request "${r.name}"`);
    let body: string | undefined;
    if (r.body !== undefined) {
      if (typeof r.body === 'string' || (typeof r.body === 'object' && !Array.isArray(r.body) && 'env' in r.body && Object.keys(r.body).length === 1)) body = read(r.body as string | EnvValue, `the body of request "${r.name}"`);
      else {
        body = JSON.stringify(r.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    return { name: r.name, method: r.method, url: scenario.baseUrl.replace(/\/$/, '') + r.path, headers, ...(body !== undefined ? { body } : {}), weight: r.weight };
  });
}

function workerFor(input: EngineInput): Worker {
  // From the bundle (dist/cli.js, dist/extension.js) the engine is dist/loadtest-worker.js; from
  // sources (tests under tsx) it is worker.ts, loaded through tsx's require hook.
  if (__filename.endsWith('.ts')) {
    const entry = path.join(__dirname, 'worker.ts');
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true, workerData: input });
  }
  return new Worker(path.join(__dirname, 'loadtest-worker.js'), { workerData: input });
}

/**
 * Runs the engine in `threads` worker threads (each its share of a closed model's connections),
 * starts them together once all are loaded, lines up their windows second by second and reduces
 * them into ticks and the result.
 */
function runInWorkers(scenario: Scenario, input: EngineInput, threads: number, engine: EngineName, emit: (e: LoadTestEvent) => void, expose: (stop: (reason: 'cancelled' | 'aborted', by?: string) => void) => void): Promise<LoadTestResult> {
  return new Promise<LoadTestResult>((resolve, reject) => {
    const acc = new RunAccumulator(scenario.requests);
    const aligner = new WindowAligner(threads);
    const workers = Array.from({ length: threads }, (_, index) => workerFor(threads > 1 ? { ...input, share: { index, count: threads } } : input));
    let ready = 0;
    let started = false;
    let startedAt = new Date().toISOString();
    let ended: LoadTestResult['ended'] = 'completed';
    let abortedBy: string | undefined;
    let settled = false;
    let stopping = false;
    let killTimer: NodeJS.Timeout | undefined;
    const abortSpecs = scenario.thresholds.filter((t) => t.abortOnFail);
    const terminateAll = (): void => {
      // Asked to leave, not killed: `terminate()` stops a thread at any instruction, also inside
      // zlib's deflateSync (each window's histogram is encoded with it), and Node 20 then aborts
      // the whole process — the extension host or the CLI — with "close before init"
      // (node_zlib.cc). A thread leaves by itself between tasks; only one that has not within
      // EXIT_GRACE_MS (stuck) is terminated.
      for (const w of workers) w.postMessage({ type: 'exit' });
      setTimeout(() => {
        for (const w of workers) void w.terminate();
      }, EXIT_GRACE_MS).unref();
    };

    const tick = (parts: WindowMessage[]): void => {
      const window = acc.add(parts);
      const t = acc.totals;
      emit({ type: 'tick', runId: input.runId, window, elapsedSec: Math.round(t.durationSec * 10) / 10, remainingSec: Math.max(0, Math.round((scenario.model.durationSec - t.durationSec) * 10) / 10), totals: { requests: t.requests, errors: t.errors, dropped: t.dropped, p95Ms: t.p95Ms } });
      if (abortSpecs.length > 0 && !stopping) {
        const failing = evaluateThresholds(abortSpecs, acc.current(), (p, name) => acc.percentile(p, name)).find((v) => !v.ok && v.actual !== null);
        if (failing) stop('aborted', `${failing.metric}: ${failing.expression}`);
      }
    };

    const finish = (): void => {
      if (settled) return;
      // Seconds a stopped or lost thread never completed still hold requests the server saw.
      for (const parts of aligner.drain()) tick(parts);
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      terminateAll();
      const m = acc.measurements();
      const thresholds = evaluateThresholds(scenario.thresholds, m, (p, name) => acc.percentile(p, name));
      const result: LoadTestResult = {
        version: 1,
        target: new URL(scenario.baseUrl).href,
        engine,
        summary: m.summary,
        thresholds,
        passed: thresholds.every((t) => t.ok) && ended !== 'aborted',
        runId: input.runId,
        scenario: scenario.name,
        model: scenario.model,
        startedAt,
        finishedAt: new Date().toISOString(),
        ended,
        ...(abortedBy ? { abortedBy } : {}),
        byRequest: m.byRequest,
        timeline: m.timeline,
        latencyBuckets: m.latencyBuckets,
        histograms: m.histograms,
      };
      emit({ type: 'done', runId: input.runId, result });
      resolve(result);
    };

    const stop = (reason: 'cancelled' | 'aborted', by?: string): void => {
      if (settled || stopping) return;
      stopping = true;
      ended = reason;
      abortedBy = by;
      for (const w of workers) w.postMessage({ type: 'stop' });
      killTimer = setTimeout(finish, STOP_GRACE_MS);
    };
    expose(stop);

    const crash = (message: string): void => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      terminateAll();
      reject(new LoadTestError('engine-crashed', `the load-test engine failed: ${message}`));
    };

    const threadDone = (index: number): void => {
      for (const parts of aligner.finish(index)) tick(parts);
      if (aligner.allFinished) finish();
    };

    workers.forEach((worker, index) => {
      let done = false;
      worker.on('message', (m: WorkerMessage) => {
        if (settled) return;
        switch (m.type) {
          case 'ready':
            // Every thread loaded: start them together, so their seconds line up.
            if (++ready === threads && !stopping) for (const w of workers) w.postMessage({ type: 'go' });
            break;
          case 'started':
            if (!started) {
              started = true;
              startedAt = m.startedAt;
              emit({ type: 'start', runId: input.runId, startedAt, target: new URL(scenario.baseUrl).href, engine, scenario, plannedDurationSec: scenario.model.durationSec });
            }
            break;
          case 'window':
            for (const parts of aligner.add(index, m)) tick(parts);
            break;
          case 'finished':
            done = true;
            threadDone(index);
            break;
          case 'crashed':
            crash(m.message);
            break;
        }
      });
      worker.on('error', (err) => crash(err.message));
      worker.on('exit', () => {
        // A thread that exits without `finished` (killed, out of memory) still yields what it recorded.
        if (!done && !settled) {
          done = true;
          threadDone(index);
        }
      });
    });
  });
}
