// Messages between the load-test results panel and the extension, imported by both sides.
// Everything here is plain JSON: the panel state is also what the webview keeps with setState and
// what the WebviewPanelSerializer hands back after a reload. Numbers are milliseconds unless named
// otherwise; a value the run did not measure is null, never a made-up zero.

/** One 1-second window of a running test. */
export interface LiveSample {
  /** Seconds since the run started (end of the window). */
  t: number;
  requestsPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Failed requests in this window (errors plus non-2xx/3xx responses). */
  errors: number;
}

export interface RunHeaderView {
  runId?: string;
  scenario: string;
  target: string;
  engine: string;
  /** ISO time. */
  startedAt: string;
  /** The planned duration in seconds. */
  plannedSec: number;
  /** How load is applied, in words: "10 connections", "50 req/s". */
  load: string;
}

export interface LatencyView {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface SummaryView {
  durationSec: number;
  requests: number;
  requestsPerSec: number;
  latency: LatencyView;
  /** Status code → count. */
  statusCodes: Record<string, number>;
  /** Error kind (refused, reset, timeout, dns, …) → count. */
  errors: Record<string, number>;
  /** Share of failed requests, 0..1. */
  failedRate: number;
  /** Open model: starts the scheduler could not make. */
  dropped?: number;
}

export interface ThresholdView {
  expression: string;
  metric: string;
  /** The measured value (ms, or a rate 0..1); null when nothing was measured. */
  actual: number | null;
  /** The limit from the expression, when it has one. */
  limit: number | null;
  unit: 'ms' | 'rate';
  ok: boolean;
}

export interface HistogramBinView {
  fromMs: number;
  toMs: number;
  count: number;
}

/** A static finding on the route a request hits (an N+1 on the slow endpoint). */
export interface FindingLinkView {
  ruleId: string;
  message: string;
  /** Workspace-relative path with `/`. */
  file: string;
  /** 1-based. */
  line: number;
}

export interface RequestRowView {
  name: string;
  method: string;
  path: string;
  requests: number;
  requestsPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errors: number;
  findings: FindingLinkView[];
}

export type DeltaVerdict = 'better' | 'worse' | 'same';

export interface DeltaRowView {
  label: string;
  unit: 'ms' | 'req/s' | 'rate';
  baseline: number | null;
  current: number | null;
  /** (current - baseline) / baseline, as a fraction; null when either side is missing or 0. */
  change: number | null;
  verdict: DeltaVerdict;
}

export interface BaselineView {
  runId: string;
  startedAt: string;
  /** "regression", "improvement", "no significant change" — from the engine's comparison. */
  verdict: string;
  /** The significant changes, worst first (one line each). */
  reasons: string[];
  /** How noise was accounted for, in words. */
  method: string;
  deltas: DeltaRowView[];
}

export type RunPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/** Everything the panel shows; the webview renders it and nothing else. */
export interface PanelState {
  phase: RunPhase;
  header?: RunHeaderView;
  samples: LiveSample[];
  /** Running totals while running; final totals after. */
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
  summary?: SummaryView;
  thresholds: ThresholdView[];
  /** Undefined while running or when the run has no thresholds. */
  passed?: boolean;
  histogram: HistogramBinView[];
  requests: RequestRowView[];
  baseline?: BaselineView;
  /** Static findings on routes the scenario hits, not tied to one request row. */
  findings: FindingLinkView[];
  /** A one-line message: why a run failed or stopped. */
  message?: string;
}

export const EMPTY_PANEL_STATE: PanelState = {
  phase: 'idle', samples: [], statusCodes: {}, errors: {}, thresholds: [], histogram: [], requests: [], findings: [],
};

export type ExtensionToPanel =
  /** Replaces what the panel shows (a new run starts, a saved run is opened, a restore). */
  | { type: 'state'; state: PanelState }
  /** One more second of a running test. */
  | { type: 'tick'; sample: LiveSample; statusCodes: Record<string, number>; errors: Record<string, number> };

export type PanelToExtension =
  | { type: 'ready' }
  | { type: 'openFinding'; file: string; line: number }
  | { type: 'rerun' }
  | { type: 'stop' }
  | { type: 'pinBaseline'; runId: string }
  | { type: 'compare'; runId: string }
  /** The page's Content-Security-Policy refused something (logged by the extension: a bug to fix). */
  | { type: 'cspViolation'; directive: string; blocked: string };
