/**
 * The public model of Shipshape's load-test engine: scenarios, the events a run emits, the final
 * result, the saved run record and the comparison with a baseline.
 *
 * Everything here is plain data (JSON-serialisable: no Dates, Maps, functions or class instances)
 * because it crosses process boundaries: engine worker → caller, extension host → webview, and
 * run → `.shipshape/runs/*.json`. Times are ISO strings, durations are seconds, latencies are
 * milliseconds (floats, measured at microsecond resolution).
 */

// ───────────────────────────── Scenario ─────────────────────────────

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/**
 * A value read from an environment variable when the run starts (tokens, API keys). Only the
 * variable's name is kept in scenarios, events, results and saved runs — never its value.
 */
export interface EnvValue {
  env: string;
}

/** One entry of a scenario: a request the engine sends, chosen in proportion to its weight. */
export interface ScenarioRequest {
  /** Tag used in per-request breakdowns and thresholds (`http_req_duration{name:list}`). Unique in a scenario. */
  name: string;
  method: HttpMethod;
  /** Path relative to the scenario's base URL (`/orders?status=open`). */
  path: string;
  headers: Record<string, string | EnvValue>;
  /** Request body; an object or array is sent as JSON (with `content-type: application/json` unless set). */
  body?: string | EnvValue | Record<string, unknown> | unknown[];
  /** Relative share of this request among the scenario's requests (> 0). */
  weight: number;
}

/**
 * Closed model: a fixed number of connections, each sending its next request when the previous
 * response arrives (what autocannon and wrk do). Throughput is an outcome, not an input.
 */
export interface ClosedModel {
  kind: 'closed';
  connections: number;
  durationSec: number;
  /** Connections are opened linearly over this many seconds (0: all at once). */
  rampUpSec: number;
}

/** One stage of a ramping arrival rate (k6 `ramping-arrival-rate`): reach `target` req/s linearly over `durationSec`. */
export interface RateStage {
  durationSec: number;
  target: number;
}

/**
 * Open model: requests start on a schedule (arrivals per second) whether or not earlier ones have
 * finished. Latency is measured from each request's intended start, so a stalled server shows up
 * in the numbers (no coordinated omission). When `connections` requests are already in flight a
 * scheduled start cannot be made and is counted as dropped (k6's `dropped_iterations`).
 */
export interface OpenModel {
  kind: 'open';
  /** Starting rate (req/s); with no stages it is held for `durationSec`. */
  rate: number;
  /** When present, the rate ramps through these stages and `durationSec` is their sum. */
  stages: RateStage[];
  durationSec: number;
  /** Maximum requests in flight (sockets); further scheduled starts are dropped. */
  connections: number;
}

export type LoadModel = ClosedModel | OpenModel;

/** The metrics thresholds can be set on (k6 names). */
export type ThresholdMetric = 'http_req_duration' | 'http_req_failed';

/**
 * A threshold as written in k6 syntax, e.g. metric `http_req_duration{name:list}` with expression
 * `p(95)<200`. Aggregations: `p(N)`, `avg`, `med`, `min`, `max` (ms) on `http_req_duration`,
 * `rate` on `http_req_failed`. Operators: `<`, `<=`, `>`, `>=`, `==`, `!=`.
 */
export interface ThresholdSpec {
  metric: ThresholdMetric;
  /** The `name` tag when the threshold is on one request (`http_req_duration{name:list}`). */
  requestName?: string;
  expression: string;
  /** Stop the run as soon as this threshold fails (evaluated every second). */
  abortOnFail: boolean;
}

/** The named starting points teams use (k6's load-testing guides): */
export type PresetName = 'smoke' | 'load' | 'stress';

/** Which engine runs the scenario: Shipshape's own (autocannon for the closed model, Shipshape's scheduler for the open one) or k6 from PATH. */
export type EngineChoice = 'embedded' | 'k6';

/** A scenario after defaults and presets are applied and validated: what the engine runs. */
export interface Scenario {
  name: string;
  /** Where requests go: `http://127.0.0.1:3000`. */
  baseUrl: string;
  requests: ScenarioRequest[];
  model: LoadModel;
  thresholds: ThresholdSpec[];
  engine: EngineChoice;
  /** Per-request timeout; a request that takes longer counts as a `timeout` error. */
  timeoutSec: number;
  /** The preset the scenario started from, when any (informative). */
  preset?: PresetName;
}

/**
 * A scenario as written under `loadtest.scenarios[]` in shipshape.config.json (see the JSON
 * schema). Durations are `"30s"`, `"2m"`, `"1m30s"` or seconds as a number. A model is open when
 * `rate` or `stages` is given, closed otherwise.
 */
export interface ScenarioConfig {
  name: string;
  preset?: PresetName;
  baseUrl?: string;
  requests?: Array<Partial<Omit<ScenarioRequest, 'headers'>> & { headers?: Record<string, string | EnvValue> }>;
  /** Shorthand for a single GET request (used with `--url`). */
  url?: string;
  connections?: number;
  rate?: number;
  stages?: Array<{ duration: string | number; target: number }>;
  duration?: string | number;
  rampUp?: string | number;
  timeout?: string | number;
  /** k6 shape: `{ "http_req_duration": ["p(95)<200", { "threshold": "max<1000", "abortOnFail": true }] }`. */
  thresholds?: Record<string, Array<string | { threshold: string; abortOnFail?: boolean }>>;
  engine?: EngineChoice;
}

/** The `loadtest` section of shipshape.config.json. */
export interface LoadTestConfig {
  /** Default base URL for scenarios that give none. */
  baseUrl?: string;
  /** Upper bound on any run's duration (default 600 s; never more than 3600 s). */
  maxDuration?: string | number;
  scenarios?: ScenarioConfig[];
}

// ───────────────────────────── Measurements ─────────────────────────────

/** Errors by kind. `refused`/`reset`/`dns`/`timeout` are what operators act on; the rest is `other`. */
export interface ErrorCounts {
  refused: number;
  reset: number;
  timeout: number;
  dns: number;
  other: number;
}

export type ErrorKind = keyof ErrorCounts;

export interface LatencySummary {
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** Measurements of one set of requests (all, or one scenario entry) over some time span. */
export interface RequestStats {
  /** Requests that ended: a response (any status) or an error. k6's `http_reqs`. */
  requests: number;
  /** Of those, requests that ended in a network error or timeout (no response). */
  errors: number;
  /** Responses by status code (`"200"`, `"503"`). */
  statusCodes: Record<string, number>;
  errorsByKind: ErrorCounts;
  /** Latency in ms over requests that got a response (any status); zeros when there were none. */
  latencyMs: LatencySummary;
  /** Share of requests that failed (status ≥ 400 or an error): k6's `http_req_failed`. */
  failedRate: number;
}

/** One 1-second window of a running test (for live progress and the timeline). */
export interface TickWindow extends RequestStats {
  /** 1-based index of the second since the start of the load. */
  second: number;
  /** Completed + errored requests per second in this window. */
  perSecond: number;
  /** Open model: starts the scheduler could not make in this window (0 for the closed model). */
  dropped: number;
  /** Requests in flight at the end of the window. */
  inFlight: number;
  /** Target rate in this window (open model) or open connections (closed model). */
  target: number;
  /** Same measurements per scenario entry, keyed by request name. */
  byRequest: Record<string, RequestStats>;
}

/** A latency histogram bucket for charts: `count` requests took ≤ `leMs` and more than the previous bucket's `leMs`. */
export interface LatencyBucket {
  leMs: number;
  count: number;
}

// ───────────────────────────── Thresholds ─────────────────────────────

export interface ThresholdVerdict {
  /** As written: `p(95)<200`. */
  expression: string;
  /** k6 metric with its tag when any: `http_req_duration` or `http_req_duration{name:list}`. */
  metric: string;
  requestName?: string;
  /** The measured value the expression was evaluated on (ms or a rate 0–1); null when there was no data. */
  actual: number | null;
  ok: boolean;
  abortOnFail: boolean;
}

// ───────────────────────────── Events ─────────────────────────────

export type EngineName = 'autocannon' | 'shipshape' | 'k6';

/** A run could not start or could not go on: one line saying what to do. */
export type LoadTestErrorCode =
  | 'invalid-scenario'
  | 'bad-url'
  | 'remote-not-allowed'
  | 'dns'
  | 'refused'
  | 'unreachable'
  | 'duration-too-long'
  | 'missing-env'
  | 'k6-not-found'
  | 'k6-failed'
  | 'engine-crashed';

export interface LoadTestFailure {
  code: LoadTestErrorCode;
  message: string;
}

export interface StartEvent {
  type: 'start';
  runId: string;
  /** ISO time the load began (after the pre-flight checks passed). */
  startedAt: string;
  target: string;
  engine: EngineName;
  /** The scenario being run (env values shown as their variable names only). */
  scenario: Scenario;
  plannedDurationSec: number;
}

export interface TickEvent {
  type: 'tick';
  runId: string;
  window: TickWindow;
  /** Seconds elapsed and left (planned). */
  elapsedSec: number;
  remainingSec: number;
  /** Running totals since the start (for a progress line). */
  totals: { requests: number; errors: number; dropped: number; p95Ms: number };
}

export interface DoneEvent {
  type: 'done';
  runId: string;
  result: LoadTestResult;
}

export interface ErrorEvent {
  type: 'error';
  runId: string;
  error: LoadTestFailure;
}

/** What a run emits, in order: `start`, one `tick` per second, then `done` — or `error` (possibly before `start`). */
export type LoadTestEvent = StartEvent | TickEvent | DoneEvent | ErrorEvent;

// ───────────────────────────── Result ─────────────────────────────

export interface RequestBreakdown extends RequestStats {
  name: string;
  method: HttpMethod;
  path: string;
  perSecond: number;
}

/**
 * The final result. The first fields are exactly SPEC's `shipshape loadtest --format json`
 * object; the rest are additions (a consumer of the SPEC shape can ignore them).
 */
export interface LoadTestResult {
  version: 1;
  target: string;
  engine: EngineName;
  summary: {
    durationSec: number;
    requests: { total: number; perSecond: number };
    latencyMs: LatencySummary;
    statusCodes: Record<string, number>;
    /** Network errors of every kind, timeouts included. */
    errors: number;
    timeouts: number;
    // additions
    errorsByKind: ErrorCounts;
    failedRate: number;
    /** Open model: scheduled starts that could not be made. */
    dropped: number;
  };
  thresholds: ThresholdVerdict[];
  passed: boolean;
  // additions
  runId: string;
  scenario: string;
  model: LoadModel;
  startedAt: string;
  finishedAt: string;
  /** How the run ended: planned duration reached, cancelled by the caller, or a threshold with abortOnFail failed. */
  ended: 'completed' | 'cancelled' | 'aborted';
  /** The threshold that aborted the run, when `ended` is `aborted`. */
  abortedBy?: string;
  byRequest: RequestBreakdown[];
  /** One entry per second of load. */
  timeline: TickWindow[];
  /** Latency distribution over the whole run (for a histogram chart). */
  latencyBuckets: LatencyBucket[];
  /** Full HDR histograms (microseconds), base64 compressed (hdr-histogram-js `encodeIntoCompressedBase64`): mergeable, lossless. */
  histograms: { all: string; byRequest: Record<string, string> };
}

// ───────────────────────────── History ─────────────────────────────

export interface RunEnvironment {
  gitCommit?: string;
  gitDirty?: boolean;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  /** 1-minute load average when the run started: a busy machine makes a noisy run. */
  loadAverage: number;
}

/** A run as saved in `.shipshape/runs/<id>.json`. */
export interface RunRecord {
  version: 1;
  id: string;
  savedAt: string;
  scenario: Scenario;
  environment: RunEnvironment;
  result: LoadTestResult;
}

/** What a history listing shows per run (without loading the full histograms into a list). */
export interface RunSummary {
  id: string;
  scenario: string;
  startedAt: string;
  target: string;
  passed: boolean;
  /** How the run ended: a stopped (cancelled) or aborted run is not a pass, whatever its thresholds said. */
  ended: LoadTestResult['ended'];
  requests: number;
  perSecond: number;
  p95Ms: number;
  gitCommit?: string;
  baseline: boolean;
}

// ───────────────────────────── Comparison ─────────────────────────────

export type ComparedMetric = 'p50' | 'p95' | 'p99' | 'mean' | 'perSecond' | 'failedRate';

export interface MetricDelta {
  metric: ComparedMetric;
  /** The request name for a per-request metric; absent for the whole run. */
  requestName?: string;
  baseline: number;
  current: number;
  /** current − baseline. */
  delta: number;
  /** Relative change (delta / baseline); null when the baseline is 0. */
  deltaPct: number | null;
  /** `worse` means slower, less throughput or more failures. */
  direction: 'better' | 'worse' | 'same';
  /** True when the change is larger than the noise (see RunComparison.method). */
  significant: boolean;
  /** Two-sided p-value of the Mann–Whitney U test over per-second windows, when computed. */
  pValue?: number;
}

export interface RunComparison {
  baselineId: string;
  currentId: string;
  verdict: 'regression' | 'improvement' | 'no-change' | 'inconclusive';
  /** One line per significant change, worst first. */
  reasons: string[];
  metrics: MetricDelta[];
  /** How noise is accounted for, in words (shown in reports). */
  method: string;
}

// ───────────────────────────── Exports ─────────────────────────────

export type ExportFormat = 'k6' | 'artillery' | 'k6-operator';
