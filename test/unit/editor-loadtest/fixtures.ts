// Engine events and results in the engine's public shapes (src/core/loadtest/types.ts), built
// here because the view models are pure functions of them. The same shapes come out of real runs
// in the e2e scenario and the webview rendering test.
import type { LatencySummary, LoadTestResult, RequestStats, StartEvent, TickEvent, TickWindow } from '../../../src/core/loadtest/types';

export function latency(p50: number, p95: number, p99: number, max = p99 * 2): LatencySummary {
  return { mean: p50 * 1.1, min: p50 / 4, p50, p90: (p50 + p95) / 2, p95, p99, max };
}

export function stats(requests: number, codes: Record<string, number>, l: LatencySummary, errors = 0): RequestStats {
  const failed = errors + Object.entries(codes).filter(([c]) => Number(c) >= 400).reduce((a, [, n]) => a + n, 0);
  return {
    requests, errors, statusCodes: codes, latencyMs: l,
    errorsByKind: { refused: 0, reset: 0, timeout: errors, dns: 0, other: 0 },
    failedRate: requests ? failed / requests : 0,
  };
}

export function tickWindow(second: number, perSecond: number, l: LatencySummary, codes: Record<string, number> = { 200: perSecond }, errors = 0): TickWindow {
  return { ...stats(perSecond, codes, l, errors), second, perSecond, dropped: 0, inFlight: 10, target: 10, byRequest: {} };
}

export const START: StartEvent = {
  type: 'start',
  runId: '2026-12-01T02-10-00-000Z-orders',
  startedAt: '2026-12-01T02:10:00.000Z',
  target: 'http://127.0.0.1:3000',
  engine: 'autocannon',
  plannedDurationSec: 10,
  scenario: {
    name: 'orders',
    baseUrl: 'http://127.0.0.1:3000',
    requests: [
      { name: 'list', method: 'GET', path: '/orders?status=open', headers: {}, weight: 3 },
      { name: 'one', method: 'GET', path: '/orders/1', headers: {}, weight: 1 },
    ],
    model: { kind: 'closed', connections: 10, durationSec: 10, rampUpSec: 0 },
    thresholds: [{ metric: 'http_req_duration', expression: 'p(95)<200', abortOnFail: false }],
    engine: 'embedded',
    timeoutSec: 10,
  },
};

export function tick(second: number, perSecond: number, l: LatencySummary, codes?: Record<string, number>, errors = 0): TickEvent {
  return {
    type: 'tick', runId: START.runId, window: tickWindow(second, perSecond, l, codes, errors),
    elapsedSec: second, remainingSec: 10 - second, totals: { requests: perSecond * second, errors, dropped: 0, p95Ms: l.p95 },
  };
}

export function result(overrides: Partial<LoadTestResult> = {}): LoadTestResult {
  const all = latency(42.123456, 180.5, 260);
  return {
    version: 1,
    target: 'http://127.0.0.1:3000',
    engine: 'autocannon',
    summary: {
      durationSec: 10.02,
      requests: { total: 2400, perSecond: 239.52 },
      latencyMs: all,
      statusCodes: { 200: 2390, 404: 10 },
      errors: 0, timeouts: 0,
      errorsByKind: { refused: 0, reset: 0, timeout: 0, dns: 0, other: 0 },
      failedRate: 10 / 2400,
      dropped: 0,
    },
    thresholds: [
      { expression: 'p(95)<200', metric: 'http_req_duration', actual: 180.5, ok: true, abortOnFail: false },
      { expression: 'p(95)<100', metric: 'http_req_duration{name:list}', requestName: 'list', actual: 201.25, ok: false, abortOnFail: false },
      { expression: 'rate<0.01', metric: 'http_req_failed', actual: 10 / 2400, ok: true, abortOnFail: false },
    ],
    passed: false,
    runId: START.runId,
    scenario: 'orders',
    model: { kind: 'closed', connections: 10, durationSec: 10, rampUpSec: 0 },
    startedAt: START.startedAt,
    finishedAt: '2026-12-01T02:10:10.020Z',
    ended: 'completed',
    byRequest: [
      { ...stats(1800, { 200: 1800 }, latency(60, 201.25, 300)), name: 'list', method: 'GET', path: '/orders?status=open', perSecond: 179.64 },
      { ...stats(600, { 200: 590, 404: 10 }, latency(3, 8, 12)), name: 'one', method: 'GET', path: '/orders/1', perSecond: 59.88 },
    ],
    timeline: [tickWindow(1, 230, latency(40, 170, 250)), tickWindow(2, 245, latency(44, 190, 270))],
    latencyBuckets: [
      { leMs: 1, count: 0 }, { leMs: 5, count: 400 }, { leMs: 10, count: 200 }, { leMs: 50, count: 900 },
      { leMs: 100, count: 0 }, { leMs: 250, count: 880 }, { leMs: 500, count: 20 }, { leMs: 1000, count: 0 },
    ],
    histograms: { all: '', byRequest: {} },
    ...overrides,
  };
}
