import type { ErrorCounts, HttpMethod, LoadModel } from './types';

/**
 * Messages between a run (caller's thread) and its engine worker. The worker records; the caller
 * aggregates (aggregate.ts) — so a run's numbers come from one pure reducer whatever the engine.
 */

/** A request with env values substituted: exists only in memory, never in events or files. */
export interface WireRequest {
  name: string;
  method: HttpMethod;
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  weight: number;
}

export interface EngineInput {
  runId: string;
  model: LoadModel;
  requests: WireRequest[];
  timeoutSec: number;
  /**
   * This engine's part of a closed model spread over several threads: it opens the connections
   * whose opening order `k` has `k % count === index` (so a ramp-up keeps its global schedule).
   * Absent: all of them.
   */
  share?: { index: number; count: number };
}

/** Outcome counters of one set of requests, with its latency histogram in some form. */
export interface OutcomeCounts<H> {
  hist: H;
  requests: number;
  errors: number;
  failed: number;
  statusCodes: Record<string, number>;
  errorsByKind: ErrorCounts;
}

/** What one set of requests did in one window; `hist` is an encoded HDR histogram (µs). */
export type WindowCounts = OutcomeCounts<string>;

export interface WindowMessage {
  type: 'window';
  /** 1-based second of load. */
  second: number;
  /** Actual length of the window (the last one may be shorter). */
  durationMs: number;
  byRequest: Record<string, WindowCounts>;
  dropped: number;
  inFlight: number;
  target: number;
}

/**
 * Engine thread → run. A thread posts `ready` once loaded and starts sending load only on `go`,
 * so several threads start together and their 1-second windows line up.
 */
export type WorkerMessage = WindowMessage | { type: 'ready' } | { type: 'started'; startedAt: string } | { type: 'finished' } | { type: 'crashed'; message: string };

/** `exit`: the run is over, leave the thread (see run.ts `terminateAll`). */
export type ControlMessage = { type: 'go' } | { type: 'stop' } | { type: 'exit' };

export function emptyErrors(): ErrorCounts {
  return { refused: 0, reset: 0, timeout: 0, dns: 0, other: 0 };
}

/** Node's error codes → the kinds operators act on. */
export function errorKindOf(err: { code?: string; message?: string } | undefined): keyof ErrorCounts {
  const code = err?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || /socket hang up/i.test(err?.message ?? '')) return 'reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || /timed out/i.test(err?.message ?? '')) return 'timeout';
  return 'other';
}
