import * as assert from 'node:assert/strict';
import { parseDuration, parseThreshold, PRESETS, resolveScenario, startLoadTest, type ScenarioConfig } from '../../../src/core/loadtest';
import { evaluateThresholds } from '../../../src/core/loadtest/thresholds';
import { startServer } from './servers';

const problemsOf = (raw: Record<string, unknown>): string[] => resolveScenario({ name: 's', baseUrl: 'http://127.0.0.1:3000', requests: [{ path: '/' }], ...raw } as ScenarioConfig, { keyPrefix: 'loadtest.scenarios[0]' }).problems.map((p) => p.message);

describe('load-test scenarios', () => {
  it('parses durations as k6 writes them', () => {
    assert.equal(parseDuration('30s'), 30);
    assert.equal(parseDuration('2m'), 120);
    assert.equal(parseDuration('1m30s'), 90);
    assert.equal(parseDuration('500ms'), 0.5);
    assert.equal(parseDuration('1h'), 3600);
    assert.equal(parseDuration(15), 15);
    assert.equal(parseDuration('15'), 15);
    assert.equal(parseDuration('ten seconds'), undefined);
    assert.equal(parseDuration('10x'), undefined);
    assert.equal(parseDuration(-1), undefined);
  });

  it('presets give a starting point by name; keys next to the preset win', () => {
    const smoke = resolveScenario({ name: 's', preset: 'smoke', baseUrl: 'http://127.0.0.1:3000', requests: [{ path: '/' }] }).scenario!;
    assert.deepEqual(smoke.model, { kind: 'closed', connections: 2, durationSec: 30, rampUpSec: 0 });
    assert.deepEqual(smoke.thresholds, [{ metric: 'http_req_failed', expression: 'rate<0.01', abortOnFail: false }]);
    const load = resolveScenario({ name: 's', preset: 'load', connections: 200, baseUrl: 'http://127.0.0.1:3000', requests: [{ path: '/' }] }).scenario!;
    assert.deepEqual(load.model, { kind: 'closed', connections: 200, durationSec: 300, rampUpSec: 30 });
    const stress = resolveScenario({ name: 's', preset: 'stress', baseUrl: 'http://127.0.0.1:3000', requests: [{ path: '/' }] }).scenario!;
    assert.equal(stress.model.kind, 'open');
    assert.equal(stress.model.durationSec, 240);
    assert.deepEqual(stress.thresholds, [{ metric: 'http_req_failed', expression: 'rate<0.1', abortOnFail: true }]);
    assert.deepEqual(Object.keys(PRESETS), ['smoke', 'load', 'stress']);
  });

  it('an open model from rate or stages; defaults for the rest', () => {
    const s = resolveScenario({ name: 's', baseUrl: 'http://127.0.0.1:3000/api/', requests: [{ name: 'list', path: '/orders', headers: { authorization: { env: 'TOKEN' } }, body: { a: 1 }, method: 'POST' } as never], rate: 100 }).scenario!;
    assert.deepEqual(s.model, { kind: 'open', rate: 100, stages: [], durationSec: 10, connections: 10 });
    assert.equal(s.baseUrl, 'http://127.0.0.1:3000/api');
    assert.deepEqual(s.requests[0], { name: 'list', method: 'POST', path: '/orders', headers: { authorization: { env: 'TOKEN' } }, body: { a: 1 }, weight: 1 });
    assert.equal(s.timeoutSec, 10);
    assert.equal(s.engine, 'embedded');
  });

  it('names the key and the expected value for every mistake', () => {
    assert.deepEqual(problemsOf({ duration: 'soon' }), ['`loadtest.scenarios[0].duration` must be a duration greater than 0 (e.g. "30s", "2m"), got "soon".']);
    assert.deepEqual(problemsOf({ connections: 0 }), ['`loadtest.scenarios[0].connections` must be a whole number from 1 to 10000, got 0.']);
    assert.deepEqual(problemsOf({ rate: -5 }), ['`loadtest.scenarios[0].rate` must be requests per second, a number greater than 0 and at most 1000000, got -5.']);
    assert.deepEqual(problemsOf({ rate: 10, rampUp: '5s' }), ['`loadtest.scenarios[0].rampUp` must be absent in the open model (use `stages` to ramp the arrival rate), got "5s".']);
    assert.deepEqual(problemsOf({ duration: '5s', rampUp: '10s' }), ['`loadtest.scenarios[0].rampUp` must be a duration shorter than `duration` (e.g. "10s"), got "10s".']);
    assert.deepEqual(problemsOf({ stages: [{ duration: 'x', target: 5 }] }), ['`loadtest.scenarios[0].stages[0].duration` must be a duration greater than 0 (e.g. "30s"), got "x".']);
    assert.deepEqual(problemsOf({ preset: 'soak' }), ['`loadtest.scenarios[0].preset` must be one of smoke, load, stress, got "soak".']);
    assert.deepEqual(problemsOf({ engine: 'jmeter' }), ['`loadtest.scenarios[0].engine` must be "embedded" or "k6", got "jmeter".']);
    assert.deepEqual(problemsOf({ requests: [] }), ['`loadtest.scenarios[0].requests` must be a non-empty array of requests like { "name": "list", "method": "GET", "path": "/orders" }, got [].']);
    assert.deepEqual(problemsOf({ requests: [{ path: 'orders' }] }), ['`loadtest.scenarios[0].requests[0].path` must be a path starting with "/" (relative to baseUrl), got "orders".']);
    assert.deepEqual(problemsOf({ requests: [{ path: '/', method: 'FETCH' }] }), ['`loadtest.scenarios[0].requests[0].method` must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, got "FETCH".']);
    assert.deepEqual(problemsOf({ requests: [{ name: 'a', path: '/' }, { name: 'a', path: '/b' }] }), ['`loadtest.scenarios[0].requests[1].name` must be unique within the scenario, got "a".']);
    assert.deepEqual(problemsOf({ requests: [{ path: '/', weight: 0 }] }), ['`loadtest.scenarios[0].requests[0].weight` must be a number greater than 0 and at most 1000, got 0.']);
    assert.deepEqual(problemsOf({ requests: [{ path: '/', headers: { a: 1 } }] }), ['`loadtest.scenarios[0].requests[0].headers.a` must be a string or { "env": "VAR" }, got 1.']);
    assert.deepEqual(problemsOf({ timeout: '0s' }), ['`loadtest.scenarios[0].timeout` must be a duration between 1ms and 10m (e.g. "10s"), got "0s".']);
    assert.deepEqual(problemsOf({ baseUrl: 'localhost:3000' }), ['"localhost:3000" uses localhost; load tests send HTTP: give an http:// or https:// URL.']);
    assert.deepEqual(problemsOf({ baseUrl: 'http://' }), ['"http://" is not a valid URL: give one like http://127.0.0.1:3000/orders (with http:// or https://).']);
    assert.deepEqual(problemsOf({ baseUrl: 'http://user:pw@127.0.0.1:3000' }), ['"127.0.0.1:3000": credentials in the URL would be stored in run history; pass them as a header with { "env": "VAR" } instead.']);
    assert.deepEqual(problemsOf({ baseUrl: undefined }), ['`loadtest.scenarios[0].baseUrl` is missing: give the API\'s address, e.g. "http://127.0.0.1:3000" (or `loadtest.baseUrl` for every scenario).']);
    assert.deepEqual(problemsOf({ thresholds: { http_req_waiting: ['p(95)<1'] } }), ['`loadtest.scenarios[0].thresholds.http_req_waiting`: unknown metric "http_req_waiting"; expected http_req_duration or http_req_failed, optionally tagged like http_req_duration{name:list}.']);
    assert.deepEqual(problemsOf({ thresholds: { 'http_req_duration{name:nope}': ['p(95)<1'] } }), ['`loadtest.scenarios[0].thresholds.http_req_duration{name:nope}`: no request is named "nope"; expected one of "GET /".']);
    assert.deepEqual(problemsOf({ thresholds: { http_req_duration: ['p95 < 200'] } }), ['`loadtest.scenarios[0].thresholds.http_req_duration[0]`: "p95 < 200" is not a threshold expression; expected something like p(95)<200, avg<100, med<50, min<5 or max<1000 (milliseconds).']);
    assert.deepEqual(problemsOf({ thresholds: { http_req_failed: ['p(95)<1'] } }), ['`loadtest.scenarios[0].thresholds.http_req_failed[0]`: "p(95)<1": http_req_failed takes a rate (share of failed requests, 0 to 1), e.g. rate<0.01.']);
    assert.deepEqual(problemsOf({ thresholds: { http_req_duration: ['rate<1'] } }), ['`loadtest.scenarios[0].thresholds.http_req_duration[0]`: "rate<1": http_req_duration takes p(N), avg, med, min or max in milliseconds, e.g. p(95)<200; rate belongs to http_req_failed.']);
    assert.deepEqual(problemsOf({ thresholds: { http_req_duration: 'p(95)<1' } }), ['`loadtest.scenarios[0].thresholds.http_req_duration` must be an array of expressions like ["p(95)<200"] or [{ "threshold": "p(95)<200", "abortOnFail": true }].']);
    assert.deepEqual(problemsOf({ name: 'has space' }), ['`loadtest.scenarios[0].name` must be a name of letters, digits, `.`, `_` or `-`, got "has space".']);
  });

  it('thresholds: k6 expressions, per request, verdicts with actual values; no data fails', () => {
    assert.deepEqual(parseThreshold('p(99.9) <= 300', 'http_req_duration'), { aggregation: { percentile: 99.9 }, op: '<=', value: 300 });
    assert.deepEqual(parseThreshold('rate<0.01', 'http_req_failed'), { aggregation: 'rate', op: '<', value: 0.01 });
    const lat = { mean: 10, min: 1, p50: 8, p90: 15, p95: 20, p99: 40, max: 90 };
    const stats = { requests: 100, errors: 0, statusCodes: { '200': 100 }, errorsByKind: { refused: 0, reset: 0, timeout: 0, dns: 0, other: 0 }, latencyMs: lat, failedRate: 0.02 };
    const verdicts = evaluateThresholds(
      [
        { metric: 'http_req_duration', expression: 'p(95)<25', abortOnFail: false },
        { metric: 'http_req_duration', expression: 'avg<5', abortOnFail: false },
        { metric: 'http_req_duration', expression: 'p(75)<10', abortOnFail: false },
        { metric: 'http_req_failed', expression: 'rate<0.01', abortOnFail: false },
        { metric: 'http_req_duration', requestName: 'list', expression: 'med<9', abortOnFail: true },
        { metric: 'http_req_duration', requestName: 'gone', expression: 'max<1', abortOnFail: false },
      ],
      { summary: { durationSec: 1, requests: { total: 100, perSecond: 100 }, latencyMs: lat, statusCodes: {}, errors: 0, timeouts: 0, errorsByKind: stats.errorsByKind, failedRate: 0.02, dropped: 0 }, byRequest: [{ name: 'list', method: 'GET', path: '/', perSecond: 1, ...stats }] },
      (p) => (p === 75 ? 12.5 : null),
    );
    assert.deepEqual(
      verdicts.map((v) => [v.metric, v.expression, v.actual, v.ok]),
      [
        ['http_req_duration', 'p(95)<25', 20, true],
        ['http_req_duration', 'avg<5', 10, false],
        ['http_req_duration', 'p(75)<10', 12.5, false],
        ['http_req_failed', 'rate<0.01', 0.02, false],
        ['http_req_duration{name:list}', 'med<9', 8, true],
        ['http_req_duration{name:gone}', 'max<1', null, false],
      ],
    );
  });
});

describe('load-test safety: clear errors before any load', function () {
  this.timeout(30_000);
  const s = (baseUrl: string, extra: Partial<ScenarioConfig> = {}) => resolveScenario({ name: 's', baseUrl: 'http://127.0.0.1:1', requests: [{ path: '/' }], duration: '1s', ...extra }).scenario!;
  const failure = async (p: Promise<unknown>): Promise<{ code: string; message: string }> => {
    try {
      await p;
    } catch (err) {
      return { code: (err as { code: string }).code, message: (err as Error).message };
    }
    throw new Error('expected the run to fail');
  };

  it('refused connection', async () => {
    const server = await startServer((_q, r) => r.end());
    const port = server.port;
    await server.close();
    const sc = s('');
    sc.baseUrl = `http://127.0.0.1:${port}`;
    const events: string[] = [];
    const run = startLoadTest(sc);
    run.on((e) => events.push(e.type));
    assert.deepEqual(await failure(run.result), { code: 'refused', message: `connection refused by 127.0.0.1:${port}: nothing listens on port ${port}. Start the server (or fix the port) and run again.` });
    assert.deepEqual(events, ['error']);
  });

  it('DNS failure', async () => {
    const sc = s('');
    sc.baseUrl = 'http://no-such-host.invalid:3000';
    const f = await failure(startLoadTest(sc, { allowRemote: true }).result);
    assert.equal(f.code, 'dns');
    assert.match(f.message, /^cannot resolve "no-such-host\.invalid" \((ENOTFOUND|EAI_AGAIN)\): check the host name in the URL\.$/);
  });

  it('a remote target needs explicit consent, checked before any connection', async () => {
    const sc = s('');
    sc.baseUrl = 'http://10.255.255.1:3000';
    assert.deepEqual(await failure(startLoadTest(sc).result), { code: 'remote-not-allowed', message: '10.255.255.1:3000 is not this machine (loopback); load-testing another host needs explicit consent: pass --allow-remote (CLI) or confirm in the editor.' });
  });

  it('bad URL, duration over the bound, missing env value', async () => {
    const bad = s('');
    bad.baseUrl = 'ftp://127.0.0.1/';
    assert.deepEqual(await failure(startLoadTest(bad).result), { code: 'bad-url', message: '"ftp://127.0.0.1/" uses ftp; load tests send HTTP: give an http:// or https:// URL.' });
    const long = s('', { duration: '20m' });
    assert.deepEqual(await failure(startLoadTest(long).result), { code: 'duration-too-long', message: 'scenario "s" runs 1200 s, longer than the 600 s allowed; shorten its duration or raise `loadtest.maxDuration` in shipshape.config.json.' });
    const env = s('', { requests: [{ name: 'a', path: '/', headers: { authorization: { env: 'SHIPSHAPE_TEST_NO_SUCH_VAR' } } }] });
    assert.deepEqual(await failure(startLoadTest(env, { env: {} }).result), { code: 'missing-env', message: 'environment variable SHIPSHAPE_TEST_NO_SUCH_VAR is not set (used by header authorization of request "a" of scenario "s"); export it and run again.' });
  });

  it('env values reach the server and never the result', async () => {
    let auth: string | undefined;
    const server = await startServer((req, res) => {
      auth = req.headers.authorization;
      res.end();
    });
    try {
      const sc = resolveScenario({ name: 's', baseUrl: server.url, requests: [{ name: 'a', path: '/', headers: { authorization: { env: 'TOKEN' } } }], duration: '1s', connections: 1 }).scenario!;
      const run = startLoadTest(sc, { env: { TOKEN: 'Bearer s3cret' } });
      const events: string[] = [];
      run.on((e) => events.push(JSON.stringify(e)));
      const result = await run.result;
      assert.equal(auth, 'Bearer s3cret');
      assert.ok(!JSON.stringify(result).includes('s3cret'));
      assert.ok(!events.some((e) => e.includes('s3cret')));
    } finally {
      await server.close();
    }
  });
});
