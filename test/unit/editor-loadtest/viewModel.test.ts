import assert from 'node:assert/strict';
import type { RunComparison } from '../../../src/core/loadtest/types';
import {
  baselineView, emptyTotals, finishedState, histogramBins, routeMatches, runningState, thresholdView, tickMessage,
} from '../../../src/extension/loadtest/viewModel';
import { applyMessage } from '../../../src/webview/loadtest/state';
import { latency, result, START, tick } from './fixtures';

describe('load-test panel view model (what the webview is sent)', () => {
  it('a start shows the scenario, target, planned duration and load in words, nothing measured', () => {
    const s = runningState(START);
    assert.equal(s.phase, 'running');
    assert.deepEqual(s.header, {
      runId: START.runId, scenario: 'orders', target: 'http://127.0.0.1:3000', engine: 'autocannon',
      startedAt: '2026-12-01T02:10:00.000Z', plannedSec: 10, load: '10 connections',
    });
    assert.deepEqual(s.samples, []);
    assert.equal(s.passed, undefined);
  });

  it('ticks carry one sample per second and running totals of status codes and error kinds', () => {
    const totals = emptyTotals();
    const first = tickMessage(tick(1, 200, latency(10, 40, 80), { 200: 195, 503: 5 }), totals);
    const second = tickMessage(tick(2, 210, latency(12, 44, 90), { 200: 208 }, 2), totals);
    assert.deepEqual(first.sample, { t: 1, requestsPerSec: 200, p50: 10, p95: 40, p99: 80, errors: 5 });
    assert.deepEqual(second.sample, { t: 2, requestsPerSec: 210, p50: 12, p95: 44, p99: 90, errors: 2 });
    assert.deepEqual(second.statusCodes, { 200: 403, 503: 5 });
    assert.deepEqual(second.errors, { timeout: 2 });
    // The first message's totals are a copy: later windows do not change what was sent.
    assert.deepEqual(first.statusCodes, { 200: 195, 503: 5 });

    let state = runningState(START);
    state = applyMessage(state, first);
    state = applyMessage(state, second);
    assert.equal(state.samples.length, 2);
    assert.deepEqual(state.statusCodes, { 200: 403, 503: 5 });
  });

  it('a window with no responses has no latency (null, not 0)', () => {
    const msg = tickMessage(tick(1, 3, latency(0, 0, 0), {}, 3), emptyTotals());
    assert.deepEqual(msg.sample, { t: 1, requestsPerSec: 3, p50: null, p95: null, p99: null, errors: 3 });
  });

  it('thresholds show actual vs limit with their unit, per-request ones named', () => {
    const r = result();
    assert.deepEqual(r.thresholds.map(thresholdView), [
      { expression: 'p(95)<200', metric: 'http_req_duration', actual: 180.5, limit: 200, unit: 'ms', ok: true },
      { expression: 'p(95)<100 on list', metric: 'http_req_duration{name:list}', actual: 201.3, limit: 100, unit: 'ms', ok: false },
      { expression: 'rate<0.01', metric: 'http_req_failed', actual: 0.004, limit: 0.01, unit: 'rate', ok: true },
    ]);
  });

  it('the histogram is the engine buckets as bands, empty ends trimmed, empty bands inside kept', () => {
    assert.deepEqual(histogramBins(result().latencyBuckets), [
      { fromMs: 1, toMs: 5, count: 400 },
      { fromMs: 5, toMs: 10, count: 200 },
      { fromMs: 10, toMs: 50, count: 900 },
      { fromMs: 50, toMs: 100, count: 0 },
      { fromMs: 100, toMs: 250, count: 880 },
      { fromMs: 250, toMs: 500, count: 20 },
    ]);
    assert.deepEqual(histogramBins([{ leMs: 1, count: 0 }]), []);
  });

  it('a finished run: verdict, summary, per-request rows with the static findings on their route', () => {
    const findings = [
      { method: 'GET', route: '/orders', ruleId: 'n-plus-one', message: 'pool.query runs once per order', file: 'src/routes/orders.ts', line: 25 },
      { method: 'GET', route: '/orders/:id', ruleId: 'unindexed-filter', message: 'order_items.order_id has no index', file: 'src/routes/orders.ts', line: 43 },
      { method: 'POST', route: '/orders', ruleId: 'n-plus-one', message: 'insert per item', file: 'src/routes/orders.ts', line: 60 },
      { method: 'GET', route: '/customers', ruleId: 'n-plus-one', message: 'not tested', file: 'src/routes/customers.ts', line: 9 },
    ];
    const s = finishedState(result(), { findings });
    assert.equal(s.phase, 'done');
    assert.equal(s.passed, false);
    assert.equal(s.header?.load, '10 connections');
    assert.equal(s.summary?.requests, 2400);
    assert.equal(s.summary?.requestsPerSec, 239.5);
    assert.deepEqual(s.summary?.latency, { mean: 46.34, p50: 42.12, p90: 111.3, p95: 180.5, p99: 260, max: 520 });
    assert.deepEqual(s.statusCodes, { 200: 2390, 404: 10 });
    assert.deepEqual(s.requests.map((r) => [r.name, r.method, r.path, r.requests, r.p95, r.errors, r.findings.map((f) => f.ruleId)]), [
      ['list', 'GET', '/orders?status=open', 1800, 201.3, 0, ['n-plus-one']],
      ['one', 'GET', '/orders/1', 600, 8, 10, ['unindexed-filter']],
    ]);
    // Same path, other method: listed with the run, not on a row; another route: not listed.
    assert.deepEqual(s.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`), ['n-plus-one src/routes/orders.ts:60']);
    assert.equal(s.samples.length, 2);
    assert.equal(s.message, undefined);
  });

  it('a cancelled or aborted run says so', () => {
    assert.equal(finishedState(result({ ended: 'cancelled' })).phase, 'cancelled');
    assert.match(finishedState(result({ ended: 'cancelled' })).message ?? '', /^Stopped after 10\.02 s/);
    assert.equal(finishedState(result({ ended: 'aborted', abortedBy: 'rate<0.1' })).message, 'Aborted: the threshold rate<0.1 failed (abortOnFail).');
    assert.equal(finishedState(result({ thresholds: [], passed: true })).passed, undefined);
  });

  it('baseline deltas: whole-run metrics in a fixed order, better/worse only when significant', () => {
    const comparison: RunComparison = {
      baselineId: 'base', currentId: START.runId, verdict: 'regression',
      reasons: ['p95 rose from 120 ms to 180.5 ms (+50 %).'],
      method: 'Mann–Whitney U over per-second windows, p < 0.05.',
      metrics: [
        { metric: 'p95', baseline: 120, current: 180.5, delta: 60.5, deltaPct: 0.504, direction: 'worse', significant: true },
        { metric: 'perSecond', baseline: 250, current: 239.52, delta: -10.48, deltaPct: -0.042, direction: 'worse', significant: false },
        { metric: 'p95', requestName: 'list', baseline: 150, current: 201.25, delta: 51.25, deltaPct: 0.34, direction: 'worse', significant: true },
        { metric: 'failedRate', baseline: 0.01, current: 0.004, delta: -0.006, deltaPct: -0.6, direction: 'better', significant: true },
      ],
    };
    const view = baselineView(comparison, '2026-11-30T10:00:00.000Z');
    assert.equal(view.verdict, 'Regression');
    assert.deepEqual(view.reasons, ['p95 rose from 120 ms to 180.5 ms (+50 %).']);
    assert.equal(view.method, 'Mann–Whitney U over per-second windows, p < 0.05.');
    assert.deepEqual(view.deltas, [
      { label: 'requests/s', unit: 'req/s', baseline: 250, current: 239.5, change: -0.042, verdict: 'same' },
      { label: 'p95 latency', unit: 'ms', baseline: 120, current: 180.5, change: 0.504, verdict: 'worse' },
      { label: 'failed requests', unit: 'rate', baseline: 0.01, current: 0.004, change: -0.6, verdict: 'better' },
    ]);
  });

  it('route patterns match request paths (query dropped, parameters match a segment)', () => {
    assert.ok(routeMatches('/orders', '/orders?status=open'));
    assert.ok(routeMatches('/orders/:id', '/orders/17'));
    assert.ok(routeMatches('/orders/{id}', '/orders/17/'));
    assert.ok(!routeMatches('/orders/:id', '/orders'));
    assert.ok(!routeMatches('/orders', '/customers'));
  });
});
