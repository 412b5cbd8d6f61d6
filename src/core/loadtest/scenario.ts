import type { EnvValue, HttpMethod, LoadModel, LoadTestConfig, PresetName, RateStage, Scenario, ScenarioConfig, ScenarioRequest, ThresholdSpec } from './types';
import { parseThreshold, splitMetric } from './thresholds';

/** A mistake in a scenario: the config key (`loadtest.scenarios[0].rate`) and what is expected there. */
export interface ScenarioProblem {
  key: string;
  message: string;
}

export interface ResolveOptions {
  /** The `loadtest` section, for its defaults (baseUrl). */
  config?: LoadTestConfig;
  /** Key prefix for messages, e.g. `loadtest.scenarios[2]`. */
  keyPrefix?: string;
}

/**
 * The presets teams start from (k6's guides): `smoke` — a few users for a short while, to check the
 * scenario works; `load` — the expected peak, held; `stress` — an arrival rate ramping past the
 * expected peak until the service breaks (aborts when errors pass 10 %). Any key given next to
 * `preset` overrides the preset's value.
 */
export const PRESETS: Record<PresetName, Omit<ScenarioConfig, 'name'>> = {
  smoke: { connections: 2, duration: '30s', thresholds: { http_req_failed: ['rate<0.01'] } },
  load: { connections: 50, duration: '5m', rampUp: '30s', thresholds: { http_req_duration: ['p(95)<500'], http_req_failed: ['rate<0.01'] } },
  stress: {
    connections: 1000,
    stages: [
      { duration: '1m', target: 100 },
      { duration: '1m', target: 500 },
      { duration: '1m', target: 1000 },
      { duration: '1m', target: 2000 },
    ],
    thresholds: { http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true }] },
  },
};

export const DEFAULT_DURATION_SEC = 10;
export const DEFAULT_CONNECTIONS = 10;
export const DEFAULT_TIMEOUT_SEC = 10;
/** The default bound on a run's duration, and the hard ceiling on that bound. */
export const DEFAULT_MAX_DURATION_SEC = 600;
export const MAX_DURATION_CEILING_SEC = 3600;
const MAX_CONNECTIONS = 10_000;
const MAX_RATE = 1_000_000;

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** `"30s"`, `"2m"`, `"1m30s"`, `"1h"`, `"500ms"` or a number of seconds → seconds; undefined when malformed. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
    matched = re.lastIndex;
  }
  return matched > 0 && matched === text.length ? total : undefined;
}

/** The run's upper bound from `loadtest.maxDuration` (seconds), or a problem. */
export function maxDurationOf(config: LoadTestConfig | undefined): { seconds: number; problem?: ScenarioProblem } {
  if (config?.maxDuration === undefined) return { seconds: DEFAULT_MAX_DURATION_SEC };
  const s = parseDuration(config.maxDuration);
  if (s === undefined || s <= 0 || s > MAX_DURATION_CEILING_SEC) {
    return { seconds: DEFAULT_MAX_DURATION_SEC, problem: { key: 'loadtest.maxDuration', message: `\`loadtest.maxDuration\` must be a duration between 1s and 1h (e.g. "10m"), got ${JSON.stringify(config.maxDuration)}.` } };
  }
  return { seconds: s };
}

/** A scenario from shipshape.config.json (preset + overrides) → a validated Scenario, or the problems found. */
export function resolveScenario(raw: ScenarioConfig, options: ResolveOptions = {}): { scenario?: Scenario; problems: ScenarioProblem[] } {
  const prefix = options.keyPrefix ?? 'scenario';
  const problems: ScenarioProblem[] = [];
  const bad = (key: string, expected: string, got: unknown): void => {
    problems.push({ key: `${prefix}.${key}`, message: `\`${prefix}.${key}\` must be ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}.` });
  };
  if (raw === null || typeof raw !== 'object') {
    return { problems: [{ key: prefix, message: `\`${prefix}\` must be an object with at least \`name\` and \`requests\` (or \`url\`).` }] };
  }
  if (typeof raw.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(raw.name)) bad('name', 'a name of letters, digits, `.`, `_` or `-`', raw.name);

  let preset: PresetName | undefined;
  if (raw.preset !== undefined) {
    if (raw.preset in PRESETS) preset = raw.preset;
    else bad('preset', `one of ${Object.keys(PRESETS).join(', ')}`, raw.preset);
  }
  // A closed-model key next to an open-model preset (or the reverse) switches the model: a user who
  // writes `"preset": "stress", "connections": 20` means the stress thresholds with 20 connections.
  const base: Omit<ScenarioConfig, 'name'> = preset ? { ...PRESETS[preset] } : {};
  if (preset && (raw.rate !== undefined || raw.stages !== undefined)) delete base.rampUp;
  if (preset && raw.rate !== undefined && raw.stages === undefined) delete base.stages;
  const s: ScenarioConfig = { ...base, ...raw, thresholds: raw.thresholds ?? base.thresholds } as ScenarioConfig;

  // Base URL and requests.
  const baseUrl = s.url !== undefined ? s.url : (s.baseUrl ?? options.config?.baseUrl);
  let target: URL | undefined;
  if (baseUrl === undefined) problems.push({ key: `${prefix}.baseUrl`, message: `\`${prefix}.baseUrl\` is missing: give the API's address, e.g. "http://127.0.0.1:3000" (or \`loadtest.baseUrl\` for every scenario).` });
  else {
    const checked = checkUrl(baseUrl);
    if (typeof checked === 'string') problems.push({ key: `${prefix}.${s.url !== undefined ? 'url' : 'baseUrl'}`, message: checked });
    else target = checked;
  }
  const requests: ScenarioRequest[] = [];
  if (s.url !== undefined && s.requests === undefined) {
    if (target) requests.push({ name: 'url', method: 'GET', path: `${target.pathname}${target.search}`, headers: {}, weight: 1 });
  } else if (!Array.isArray(s.requests) || s.requests.length === 0) {
    bad('requests', 'a non-empty array of requests like { "name": "list", "method": "GET", "path": "/orders" }', s.requests);
  } else {
    const names = new Set<string>();
    s.requests.forEach((r, i) => {
      const key = `requests[${i}]`;
      if (r === null || typeof r !== 'object') return bad(key, 'an object with `path` (and optionally name, method, headers, body, weight)', r);
      const method = (r.method ?? 'GET').toString().toUpperCase() as HttpMethod;
      if (!METHODS.includes(method)) bad(`${key}.method`, `one of ${METHODS.join(', ')}`, r.method);
      if (typeof r.path !== 'string' || !r.path.startsWith('/')) bad(`${key}.path`, 'a path starting with "/" (relative to baseUrl)', r.path);
      const name = r.name ?? `${method} ${r.path ?? ''}`;
      if (typeof name !== 'string' || name.length === 0 || /[{}:,]/.test(name)) bad(`${key}.name`, 'a non-empty name without `{`, `}`, `:` or `,` (it is used as a threshold tag)', r.name);
      else if (names.has(name)) bad(`${key}.name`, 'unique within the scenario', name);
      names.add(name);
      const weight = r.weight ?? 1;
      if (typeof weight !== 'number' || !(weight > 0) || weight > 1000) bad(`${key}.weight`, 'a number greater than 0 and at most 1000', r.weight);
      const headers: Record<string, string | EnvValue> = {};
      if (r.headers !== undefined) {
        if (r.headers === null || typeof r.headers !== 'object' || Array.isArray(r.headers)) bad(`${key}.headers`, 'an object of header names to strings or { "env": "VAR" }', r.headers);
        else
          for (const [h, v] of Object.entries(r.headers)) {
            if (typeof v === 'string' || isEnvValue(v)) headers[h] = v;
            else bad(`${key}.headers.${h}`, 'a string or { "env": "VAR" }', v);
          }
      }
      if (r.body !== undefined && typeof r.body !== 'string' && (r.body === null || typeof r.body !== 'object')) bad(`${key}.body`, 'a string, a JSON object/array, or { "env": "VAR" }', r.body);
      requests.push({ name, method, path: r.path ?? '/', headers, ...(r.body !== undefined ? { body: r.body as ScenarioRequest['body'] } : {}), weight: typeof weight === 'number' ? weight : 1 });
    });
  }

  // Model.
  const model = resolveModel(s, bad);
  const timeoutSec = s.timeout === undefined ? DEFAULT_TIMEOUT_SEC : parseDuration(s.timeout);
  if (timeoutSec === undefined || timeoutSec <= 0 || timeoutSec > 600) bad('timeout', 'a duration between 1ms and 10m (e.g. "10s")', s.timeout);

  const engine = s.engine ?? 'embedded';
  if (engine !== 'embedded' && engine !== 'k6') bad('engine', '"embedded" or "k6"', s.engine);

  const thresholds = resolveThresholds(s.thresholds, new Set(requests.map((r) => r.name)), (key, msg) => problems.push({ key: `${prefix}.thresholds${key}`, message: msg.replace('$KEY', `${prefix}.thresholds${key}`) }));

  if (problems.length > 0 || !model || !target) return { problems };
  return {
    scenario: {
      name: s.name,
      baseUrl: target.origin + (s.url !== undefined ? '' : target.pathname.replace(/\/$/, '')),
      requests,
      model,
      thresholds,
      engine,
      timeoutSec: timeoutSec ?? DEFAULT_TIMEOUT_SEC,
      ...(preset ? { preset } : {}),
    },
    problems,
  };
}

function resolveModel(s: ScenarioConfig, bad: (key: string, expected: string, got: unknown) => void): LoadModel | undefined {
  const connections = s.connections ?? DEFAULT_CONNECTIONS;
  let ok = true;
  if (!Number.isInteger(connections) || connections < 1 || connections > MAX_CONNECTIONS) {
    bad('connections', `a whole number from 1 to ${MAX_CONNECTIONS}`, s.connections);
    ok = false;
  }
  if (s.rate !== undefined || s.stages !== undefined) {
    const rate = s.rate ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0) || rate > MAX_RATE || (s.stages === undefined && rate === 0)) {
      bad('rate', `requests per second, a number greater than 0 and at most ${MAX_RATE}`, s.rate);
      ok = false;
    }
    const stages: RateStage[] = [];
    if (s.stages !== undefined) {
      if (!Array.isArray(s.stages) || s.stages.length === 0) {
        bad('stages', 'a non-empty array like [{ "duration": "30s", "target": 100 }]', s.stages);
        ok = false;
      } else
        s.stages.forEach((st, i) => {
          const d = st && typeof st === 'object' ? parseDuration(st.duration) : undefined;
          if (d === undefined || d <= 0) {
            bad(`stages[${i}].duration`, 'a duration greater than 0 (e.g. "30s")', st?.duration);
            ok = false;
          }
          if (!st || typeof st.target !== 'number' || !(st.target >= 0) || st.target > MAX_RATE) {
            bad(`stages[${i}].target`, `a rate in requests per second from 0 to ${MAX_RATE}`, st?.target);
            ok = false;
          }
          if (ok) stages.push({ durationSec: d as number, target: st.target });
        });
    }
    let durationSec: number | undefined;
    if (stages.length > 0) durationSec = stages.reduce((n, st) => n + st.durationSec, 0);
    else {
      durationSec = s.duration === undefined ? DEFAULT_DURATION_SEC : parseDuration(s.duration);
      if (durationSec === undefined || durationSec <= 0) {
        bad('duration', 'a duration greater than 0 (e.g. "30s", "2m")', s.duration);
        ok = false;
      }
    }
    if (s.rampUp !== undefined) {
      bad('rampUp', 'absent in the open model (use `stages` to ramp the arrival rate)', s.rampUp);
      ok = false;
    }
    return ok ? { kind: 'open', rate: rate as number, stages, durationSec: durationSec as number, connections } : undefined;
  }
  const durationSec = s.duration === undefined ? DEFAULT_DURATION_SEC : parseDuration(s.duration);
  if (durationSec === undefined || durationSec <= 0) {
    bad('duration', 'a duration greater than 0 (e.g. "30s", "2m")', s.duration);
    ok = false;
  }
  const rampUpSec = s.rampUp === undefined ? 0 : parseDuration(s.rampUp);
  if (rampUpSec === undefined || (durationSec !== undefined && rampUpSec >= durationSec)) {
    bad('rampUp', 'a duration shorter than `duration` (e.g. "10s")', s.rampUp);
    ok = false;
  }
  return ok ? { kind: 'closed', connections, durationSec: durationSec as number, rampUpSec: rampUpSec as number } : undefined;
}

function resolveThresholds(raw: ScenarioConfig['thresholds'], requestNames: Set<string>, problem: (key: string, message: string) => void): ThresholdSpec[] {
  const out: ThresholdSpec[] = [];
  if (raw === undefined) return out;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problem('', '`$KEY` must be an object like { "http_req_duration": ["p(95)<200"], "http_req_failed": ["rate<0.01"] }.');
    return out;
  }
  for (const [metricKey, list] of Object.entries(raw)) {
    const key = `.${metricKey}`;
    const split = splitMetric(metricKey);
    if (typeof split === 'string') {
      problem(key, `\`$KEY\`: ${split}`);
      continue;
    }
    if (split.requestName !== undefined && !requestNames.has(split.requestName)) {
      problem(key, `\`$KEY\`: no request is named "${split.requestName}"; expected one of ${[...requestNames].map((n) => `"${n}"`).join(', ')}.`);
      continue;
    }
    if (!Array.isArray(list)) {
      problem(key, '`$KEY` must be an array of expressions like ["p(95)<200"] or [{ "threshold": "p(95)<200", "abortOnFail": true }].');
      continue;
    }
    list.forEach((item, i) => {
      const expression = typeof item === 'string' ? item : item && typeof item === 'object' ? item.threshold : undefined;
      if (typeof expression !== 'string') return problem(`${key}[${i}]`, '`$KEY` must be an expression like "p(95)<200" or { "threshold": "p(95)<200", "abortOnFail": true }.');
      const parsed = parseThreshold(expression, split.metric);
      if (typeof parsed === 'string') return problem(`${key}[${i}]`, `\`$KEY\`: ${parsed}`);
      out.push({ metric: split.metric, ...(split.requestName !== undefined ? { requestName: split.requestName } : {}), expression: expression.replace(/\s+/g, ''), abortOnFail: typeof item === 'object' && item.abortOnFail === true });
    });
  }
  return out;
}

function isEnvValue(v: unknown): v is EnvValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as EnvValue).env === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test((v as EnvValue).env);
}

/** A target URL, or a one-line message saying what is wrong with it. */
export function checkUrl(text: unknown): URL | string {
  if (typeof text !== 'string' || text.trim() === '') return `the target URL is empty: give one like http://127.0.0.1:3000.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a valid URL: give one like http://127.0.0.1:3000/orders (with http:// or https://).`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${text}" uses ${url.protocol.replace(/:$/, '')}; load tests send HTTP: give an http:// or https:// URL.`;
  if (url.username || url.password) return `"${url.host}": credentials in the URL would be stored in run history; pass them as a header with { "env": "VAR" } instead.`;
  return url;
}

/** The ad-hoc scenario of `shipshape loadtest --url URL` (one GET, closed model unless a rate is given). */
export function scenarioFromUrl(url: string, overrides: Partial<ScenarioConfig> = {}): { scenario?: Scenario; problems: ScenarioProblem[] } {
  return resolveScenario({ name: 'url', url, ...overrides }, { keyPrefix: 'options' });
}
