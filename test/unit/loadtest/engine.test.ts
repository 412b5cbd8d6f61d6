import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as os from 'node:os';
import { startLoadTest, resolveScenario, type LoadTestEvent, type Scenario, type ScenarioConfig } from '../../../src/core/loadtest';
import { busyWait, startServer, type TestServer } from './servers';

function scenario(raw: Omit<ScenarioConfig, 'name'> & { name?: string }): Scenario {
  const { scenario: s, problems } = resolveScenario({ name: 't', ...raw } as ScenarioConfig);
  assert.deepEqual(problems, []);
  return s!;
}

describe('load-test engine against real servers on 127.0.0.1', function () {
  this.timeout(60_000);
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('closed model: counts per request match what the server saw; weights split the load; events arrive in order', async () => {
    server = await startServer((_req, res) => res.end('ok'));
    const s = scenario({ baseUrl: server.url, requests: [{ name: 'list', path: '/list', weight: 3 }, { name: 'one', path: '/one' }], connections: 4, duration: '2s' });
    const run = startLoadTest(s);
    const events: LoadTestEvent[] = [];
    run.on((e) => events.push(e));
    const result = await run.result;
    assert.equal(result.engine, 'autocannon');
    assert.equal(result.ended, 'completed');
    assert.ok(result.summary.requests.total > 50, `only ${result.summary.requests.total} requests`);
    assert.equal(result.summary.requests.total, server.total());
    assert.equal(result.byRequest.find((b) => b.name === 'list')!.requests, server.seen.get('/list'));
    assert.equal(result.byRequest.find((b) => b.name === 'one')!.requests, server.seen.get('/one'));
    const ratio = server.seen.get('/list')! / server.seen.get('/one')!;
    assert.ok(ratio > 2.5 && ratio < 3.5, `list:one = ${ratio}`);
    assert.deepEqual(result.summary.statusCodes, { '200': server.total() });
    assert.equal(events[0].type, 'start');
    assert.equal(events[events.length - 1].type, 'done');
    const ticks = events.filter((e) => e.type === 'tick');
    assert.ok(ticks.length >= 2, `${ticks.length} ticks`);
    // The ticks add up to the result: nothing is lost between windows.
    assert.equal(ticks.reduce((n, t) => n + (t.type === 'tick' ? t.window.requests : 0), 0), result.summary.requests.total);
    // Serialisable: a webview receives exactly this.
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });

  it('percentiles against a server with a known fixed delay are within 1 ms', async () => {
    const delayMs = 12;
    server = await startServer((_req, res) => {
      busyWait(delayMs);
      res.end('ok');
    });
    const result = await startLoadTest(scenario({ baseUrl: server.url, requests: [{ path: '/' }], connections: 1, duration: '3s' })).result;
    const l = result.summary.latencyMs;
    assert.ok(result.summary.requests.total >= 10, `${result.summary.requests.total} requests`);
    assert.ok(l.min >= delayMs, `min ${l.min} below the server's delay`);
    // Within 1 ms needs a free core: on an overloaded machine (load average above twice the
    // cores) thread scheduling alone adds milliseconds to any client's measurements, so there the
    // tight bound is skipped (and said); the distribution must still never read low.
    const overloaded = os.loadavg()[0] / os.cpus().length > 2;
    // The reference is the same server timed by the plainest client there is (one keep-alive
    // socket, sequential requests, hrtime around each): what is left is Node's own HTTP handling,
    // which both pay. The engine must add less than 1 ms to it.
    const reference = await plainClientLatencies(server.url, 60);
    if (overloaded) console.log(`      (load average ${os.loadavg()[0]} on ${os.cpus().length} cores: 1 ms bound not checked; min ${l.min}, p50 ${l.p50}, p90 ${l.p90} ms; plain client p50 ${reference.p50}, p90 ${reference.p90} ms)`);
    else {
      assert.ok(l.p50 - reference.p50 < 1, `p50 ${l.p50} ms against a plain client's ${reference.p50} ms for a ${delayMs} ms server`);
      assert.ok(l.p90 - reference.p90 < 1, `p90 ${l.p90} ms against a plain client's ${reference.p90} ms for a ${delayMs} ms server`);
    }
    assert.ok(l.p50 >= delayMs);
    // Microsecond resolution: not whole milliseconds.
    assert.ok([l.min, l.p50, l.p90, l.max].some((v) => v !== Math.round(v)), JSON.stringify(l));
  });

  it('open model: latency counts from the scheduled start, so a stall is charged to the requests scheduled during it; starts beyond the in-flight limit are dropped', async () => {
    // The server holds every response from 1.0 s to 1.6 s after the load starts (the engine's
    // start event), then answers them all at once.
    let loadStart: number | undefined;
    const held: Array<() => void> = [];
    const inStall = (): boolean => loadStart !== undefined && Date.now() - loadStart >= 1000 && Date.now() - loadStart < 1600;
    server = await startServer((_req, res) => {
      if (inStall()) held.push(() => res.end('ok'));
      else res.end('ok');
    });
    const release = setInterval(() => {
      if (!inStall()) for (const r of held.splice(0)) r();
    }, 2);
    const s = scenario({ baseUrl: server.url, requests: [{ path: '/' }], rate: 50, connections: 10, duration: '3s' });
    const run = startLoadTest(s);
    run.on((e) => {
      if (e.type === 'start') loadStart = Date.now();
    });
    const result = await run.result;
    clearInterval(release);
    assert.equal(result.engine, 'shipshape');
    // 30 starts are due during the stall, at most 10 can be in flight: the rest are dropped.
    assert.ok(result.summary.dropped >= 10, `dropped ${result.summary.dropped}`);
    // The first request held waited the whole stall, measured from its scheduled start.
    assert.ok(result.summary.latencyMs.max >= 500, `max ${result.summary.latencyMs.max} ms: the stall is missing`);
    const second2 = result.timeline.find((w) => w.second === 2)!;
    assert.ok(second2.latencyMs.max >= 500, `second 2 max ${second2.latencyMs.max}`);
    // Every due start was either made or counted as dropped.
    assert.ok(Math.abs(result.summary.requests.total + result.summary.dropped - 150) <= 2, `made ${result.summary.requests.total} + dropped ${result.summary.dropped}`);
    assert.equal(result.summary.requests.total, server.total());
  });

  it('cancel stops the run within 1 s and yields what ran', async () => {
    server = await startServer((_req, res) => res.end('ok'));
    const run = startLoadTest(scenario({ baseUrl: server.url, requests: [{ path: '/' }], connections: 2, duration: '30s' }));
    const first = await new Promise<void>((resolve) => run.on((e) => e.type === 'tick' && resolve()));
    void first;
    const t = Date.now();
    run.cancel();
    const result = await run.result;
    const took = Date.now() - t;
    assert.ok(took < 1000, `cancel took ${took} ms`);
    assert.equal(result.ended, 'cancelled');
    assert.ok(result.summary.requests.total > 0);
    assert.ok(result.summary.durationSec < 5);
  });

  it('an abortOnFail threshold stops the run as soon as it fails', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 20));
    const s = scenario({ baseUrl: server.url, requests: [{ path: '/' }], connections: 2, duration: '20s', thresholds: { http_req_duration: [{ threshold: 'p(95)<5', abortOnFail: true }, 'max<10000'] } });
    const t = Date.now();
    const result = await startLoadTest(s).result;
    assert.ok(Date.now() - t < 8000, 'the run was not aborted');
    assert.equal(result.ended, 'aborted');
    assert.equal(result.abortedBy, 'http_req_duration: p(95)<5');
    assert.equal(result.passed, false);
    assert.deepEqual(result.thresholds.map((v) => [v.expression, v.ok]), [['p(95)<5', false], ['max<10000', true]]);
  });

  it('errors by kind: resets and timeouts', async () => {
    let n = 0;
    server = await startServer((req, res) => {
      if (req.url === '/reset') {
        req.socket.destroy();
        return;
      }
      if (req.url === '/hang') return; // never answers
      n++;
      res.end('ok');
    });
    const s = scenario({ baseUrl: server.url, requests: [{ name: 'reset', path: '/reset' }, { name: 'hang', path: '/hang' }], rate: 20, connections: 50, duration: '2s', timeout: '500ms' });
    const result = await startLoadTest(s).result;
    const reset = result.byRequest.find((b) => b.name === 'reset')!;
    const hang = result.byRequest.find((b) => b.name === 'hang')!;
    assert.ok(reset.errorsByKind.reset > 0, JSON.stringify(reset.errorsByKind));
    assert.equal(reset.errors, reset.requests);
    assert.ok(hang.errorsByKind.timeout > 0, JSON.stringify(hang.errorsByKind));
    assert.equal(result.summary.timeouts, hang.errorsByKind.timeout);
    assert.equal(result.summary.failedRate, 1);
    assert.equal(n, 0);
  });

  it('status codes ≥ 400 count as failed (http_req_failed) and thresholds read them', async () => {
    server = await startServer((req, res) => {
      res.statusCode = req.url === '/bad' ? 503 : 200;
      res.end();
    });
    const s = scenario({ baseUrl: server.url, requests: [{ name: 'ok', path: '/ok' }, { name: 'bad', path: '/bad' }], connections: 2, duration: '1s', thresholds: { http_req_failed: ['rate<0.01'], 'http_req_failed{name:ok}': ['rate<0.01'] } });
    const result = await startLoadTest(s).result;
    assert.equal(result.summary.statusCodes['503'], server.seen.get('/bad'));
    assert.deepEqual(result.thresholds.map((t) => [t.metric, t.ok]), [['http_req_failed', false], ['http_req_failed{name:ok}', true]]);
    assert.ok(Math.abs(result.summary.failedRate - 0.5) < 0.05, String(result.summary.failedRate));
  });
});

/** p50 and p90 (ms) of `count` sequential GETs on one keep-alive socket, timed with hrtime. */
async function plainClientLatencies(url: string, count: number): Promise<{ p50: number; p90: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t = process.hrtime.bigint();
      await new Promise<void>((resolve, reject) => {
        http.get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        }).on('error', reject);
      });
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } finally {
    agent.destroy();
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(count * 0.5)], p90: samples[Math.floor(count * 0.9)] };
}
