import * as assert from 'node:assert/strict';
import ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { exportScenario, resolveScenario, type ScenarioConfig } from '../../../src/core/loadtest';
import { importK6Summary } from '../../../src/core/loadtest/k6';

const scenario = (extra: Partial<ScenarioConfig> = {}) =>
  resolveScenario({
    name: 'orders',
    baseUrl: 'http://127.0.0.1:3000',
    requests: [
      { name: 'list', path: '/orders?status=open', weight: 3, headers: { authorization: { env: 'API_TOKEN' } } },
      { name: 'create', method: 'POST', path: '/orders', body: { customerId: 1 } },
    ],
    connections: 20,
    duration: '30s',
    rampUp: '10s',
    thresholds: { http_req_duration: ['p(95)<200'], 'http_req_duration{name:list}': [{ threshold: 'p(99)<500', abortOnFail: true }], http_req_failed: ['rate<0.01'] },
    ...extra,
  } as ScenarioConfig).scenario!;

/** Syntax errors of a script parsed as an ES module by the TypeScript parser (k6 runs ES modules). */
function syntaxErrors(code: string): string[] {
  const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2020, allowJs: true } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function k6Options(code: string): { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, unknown> } {
  const m = /export const options = (\{[\s\S]*?\n\});/.exec(code);
  assert.ok(m, 'no `export const options`');
  return JSON.parse(m[1]);
}

describe('load-test exports', () => {
  it('k6: a valid ES module with the same executor, tagged requests and thresholds (incl. abortOnFail and tags)', () => {
    const code = exportScenario(scenario(), 'k6');
    assert.deepEqual(syntaxErrors(code), []);
    assert.match(code, /^import http from 'k6\/http';$/m);
    assert.match(code, /export default function \(\)/);
    const options = k6Options(code);
    assert.deepEqual(options.scenarios.orders, { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '10s', target: 20 }, { duration: '20s', target: 20 }], gracefulRampDown: '0s' });
    assert.deepEqual(options.thresholds, { http_req_duration: ['p(95)<200'], 'http_req_duration{name:list}': [{ threshold: 'p(99)<500', abortOnFail: true }], http_req_failed: ['rate<0.01'] });
    assert.match(code, /name: "list", method: "GET", path: "\/orders\?status=open", weight: 3, headers: \{ "authorization": __ENV\["API_TOKEN"\] \}/);
    assert.match(code, /body: JSON\.stringify\(\{"customerId":1\}\)/);
    assert.match(code, /tags: \{ name: r\.name \}/);
  });

  it('k6: the open model maps to arrival-rate executors', () => {
    const constant = k6Options(exportScenario(scenario({ rampUp: undefined, rate: 200, connections: 100 }), 'k6'));
    assert.deepEqual(constant.scenarios.orders, { executor: 'constant-arrival-rate', rate: 200, timeUnit: '1s', duration: '30s', preAllocatedVUs: 20, maxVUs: 100 });
    const ramping = exportScenario(scenario({ rampUp: undefined, duration: undefined, rate: 10, stages: [{ duration: '1m', target: 100 }, { duration: '30s', target: 0 }] }), 'k6');
    assert.deepEqual(syntaxErrors(ramping), []);
    assert.deepEqual(k6Options(ramping).scenarios.orders, { executor: 'ramping-arrival-rate', startRate: 10, timeUnit: '1s', stages: [{ duration: '60s', target: 100 }, { duration: '30s', target: 0 }], preAllocatedVUs: 10, maxVUs: 20 });
  });

  it('Artillery: YAML that parses, weighted scenarios, phases from the open model, ensure thresholds', () => {
    const doc = parse(exportScenario(scenario({ rampUp: undefined, duration: undefined, rate: 5, stages: [{ duration: '30s', target: 50 }] }), 'artillery'));
    assert.equal(doc.config.target, 'http://127.0.0.1:3000');
    assert.deepEqual(doc.config.phases, [{ duration: 30, arrivalRate: 5, rampTo: 50, maxVusers: 20 }]);
    assert.deepEqual(doc.config.ensure, { thresholds: [{ p95: 200 }, { maxErrorRate: 1 }] });
    assert.deepEqual(doc.scenarios, [
      { name: 'list', weight: 3, flow: [{ get: { url: '/orders?status=open', name: 'list', headers: { authorization: '{{ $processEnvironment.API_TOKEN }}' } } }] },
      { name: 'create', weight: 1, flow: [{ post: { url: '/orders', name: 'create', json: { customerId: 1 } } }] },
    ]);
    const closedText = exportScenario(scenario(), 'artillery');
    const closed = parse(closedText);
    assert.deepEqual(closed.config.phases, [{ duration: 10, arrivalCount: 20, name: 'open 20 connections' }]);
    assert.match(closedText, /^# Closed model \(20 connections, 30 s\)/m);
    assert.match(closedText, /^# Thresholds Artillery's ensure plugin cannot express \(checked by Shipshape\/k6 only\): http_req_duration\{name:list\}: p\(99\)<500$/m);
  });

  it('k6-operator: a ConfigMap with the script and a TestRun with parallelism', () => {
    const docs = parseAllDocuments(exportScenario(scenario(), 'k6-operator', { parallelism: 8 })).map((d) => d.toJSON());
    assert.equal(docs.length, 2);
    assert.equal(docs[0].kind, 'ConfigMap');
    assert.equal(docs[0].metadata.name, 'orders-script');
    assert.deepEqual(syntaxErrors(docs[0].data['orders.js']), []);
    assert.deepEqual(docs[1], {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: { name: 'orders' },
      spec: { parallelism: 8, script: { configMap: { name: 'orders-script', file: 'orders.js' } }, arguments: '--tag testid=orders', runner: { env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'orders-secrets', key: 'API_TOKEN' } } }] } },
    });
  });
});

// k6 cannot be installed here, so these feed importK6Summary the two JSON shapes k6 documents
// (`k6 run --summary-export` and the handleSummary() data object) — written out by hand from the
// documentation, not produced by k6. The k6 run itself (runK6) is not exercised by the tests.
describe('k6 summary import (documented shapes; k6 is not installed here)', () => {
  const meta = { runId: 'r1', startedAt: '2026-12-01T00:00:00.000Z', finishedAt: '2026-12-01T00:00:30.000Z' };
  it('--summary-export shape: values at the metric level, threshold booleans true when FAILED', () => {
    const summary = {
      state: { testRunDurationMs: 30012.5 },
      metrics: {
        http_reqs: { count: 6000, rate: 199.9 },
        http_req_duration: { avg: 12.5, min: 1.1, med: 10.2, max: 250.4, 'p(90)': 20.1, 'p(95)': 31.7, 'p(99)': 80.2, thresholds: { 'p(95)<200': false } },
        'http_req_duration{name:list}': { avg: 14, min: 2, med: 11, max: 250.4, 'p(90)': 22, 'p(95)': 35, 'p(99)': 90, thresholds: { 'p(99)<500': false } },
        http_req_failed: { passes: 30, fails: 5970, value: 0.005, thresholds: { 'rate<0.01': false } },
        dropped_iterations: { count: 3, rate: 0.1 },
      },
    };
    const r = importK6Summary(summary, scenario(), meta);
    assert.equal(r.engine, 'k6');
    assert.deepEqual(r.summary.requests, { total: 6000, perSecond: 199.9 });
    assert.deepEqual(r.summary.latencyMs, { mean: 12.5, min: 1.1, p50: 10.2, p90: 20.1, p95: 31.7, p99: 80.2, max: 250.4 });
    assert.equal(r.summary.failedRate, 0.005);
    assert.equal(r.summary.dropped, 3);
    assert.equal(r.summary.durationSec, 30.013);
    assert.deepEqual(r.thresholds.map((t) => [t.metric, t.expression, t.actual, t.ok]), [
      ['http_req_duration', 'p(95)<200', 31.7, true],
      ['http_req_duration{name:list}', 'p(99)<500', 90, true],
      ['http_req_failed', 'rate<0.01', 0.005, true],
    ]);
    assert.equal(r.passed, true);
  });

  it('handleSummary() shape: values under `values`, thresholds as { ok }', () => {
    const summary = {
      metrics: {
        http_reqs: { type: 'counter', contains: 'default', values: { count: 100, rate: 10 } },
        http_req_duration: { type: 'trend', contains: 'time', values: { avg: 300, min: 100, med: 280, max: 900, 'p(90)': 500, 'p(95)': 610, 'p(99)': 880 }, thresholds: { 'p(95)<200': { ok: false } } },
        http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: 100 } },
      },
    };
    const r = importK6Summary(summary, scenario(), meta);
    assert.equal(r.summary.latencyMs.p95, 610);
    assert.equal(r.summary.durationSec, 10);
    assert.deepEqual(r.thresholds.map((t) => [t.expression, t.ok]), [['p(95)<200', false], ['p(99)<500', false], ['rate<0.01', true]]);
    assert.equal(r.passed, false);
  });

  it('a file that is not a k6 summary gets a clear error', () => {
    assert.throws(() => importK6Summary({} as never, scenario(), meta), /^LoadTestError: the k6 summary has no `metrics` object; was it written by `k6 run --summary-export` or handleSummary\(\)\?$/);
  });
});
