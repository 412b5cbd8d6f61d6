import * as assert from 'node:assert/strict';
import { resolveScenario, startLoadTest, type LoadTestEvent, type Scenario, type ScenarioConfig, type TickEvent } from '../../../src/core/loadtest';
import { aggregate, RunAccumulator } from '../../../src/core/loadtest/aggregate';
import { connectionsOfShare, rampSteps } from '../../../src/core/loadtest/closedModel';
import { createHistogram, encodeHistogram, recordMicros } from '../../../src/core/loadtest/histogram';
import { emptyErrors, type WindowMessage } from '../../../src/core/loadtest/protocol';
import { engineThreads, WindowAligner } from '../../../src/core/loadtest/threads';
import { startServer, type TestServer } from './servers';

function scenario(raw: Omit<ScenarioConfig, 'name'>): Scenario {
  const { scenario: s, problems } = resolveScenario({ name: 't', ...raw } as ScenarioConfig);
  assert.deepEqual(problems, []);
  return s!;
}

/** A window as one engine thread posts it: `latenciesUs` recorded under `name`, all status 200. */
function window(second: number, name: string, latenciesUs: number[], extra: Partial<Pick<WindowMessage, 'durationMs' | 'inFlight' | 'target' | 'dropped'>> = {}): WindowMessage {
  const h = createHistogram();
  for (const us of latenciesUs) recordMicros(h, us);
  return {
    type: 'window',
    second,
    durationMs: extra.durationMs ?? 1000,
    byRequest: { [name]: { hist: encodeHistogram(h), requests: latenciesUs.length, errors: 0, failed: 0, statusCodes: latenciesUs.length ? { '200': latenciesUs.length } : {}, errorsByKind: emptyErrors() } },
    dropped: extra.dropped ?? 0,
    inFlight: extra.inFlight ?? 0,
    target: extra.target ?? 0,
  };
}

describe('closed model over several engine threads', function () {
  this.timeout(60_000);

  describe('splitting the connections', () => {
    it('every connection of every ramp step belongs to exactly one thread, round robin in opening order', () => {
      for (const [connections, steps, threads] of [
        [50, 1, 2],
        [7, 7, 3],
        [10, 10, 4],
        [1000, 10, 8],
        [5, 3, 5],
      ]) {
        const plan = rampSteps(connections, steps);
        assert.equal(plan.reduce((n, s) => n + s.count, 0), connections);
        for (const step of plan) {
          const shares = Array.from({ length: threads }, (_, index) => connectionsOfShare(step.first, step.count, { index, count: threads }));
          assert.equal(shares.reduce((a, b) => a + b, 0), step.count, `${connections}/${steps}/${threads} step ${JSON.stringify(step)}: ${shares}`);
        }
        const perThread = Array.from({ length: threads }, (_, index) => plan.reduce((n, s) => n + connectionsOfShare(s.first, s.count, { index, count: threads }), 0));
        assert.ok(Math.max(...perThread) - Math.min(...perThread) <= 1, `uneven: ${perThread}`);
      }
      // 50 connections, no ramp, 2 threads: 25 each.
      assert.deepEqual([0, 1].map((index) => connectionsOfShare(0, 50, { index, count: 2 })), [25, 25]);
    });

    it('defaults to one thread per core (at most 8), never more than the connections; the open model keeps one', () => {
      const closed = { kind: 'closed' as const, connections: 50, durationSec: 5, rampUpSec: 0 };
      assert.equal(engineThreads(closed, undefined, 2), 2);
      assert.equal(engineThreads(closed, undefined, 64), 8);
      assert.equal(engineThreads({ ...closed, connections: 3 }, undefined, 16), 3);
      assert.equal(engineThreads(closed, 5, 2), 5);
      assert.equal(engineThreads({ ...closed, connections: 1 }, 4, 2), 1);
      assert.equal(engineThreads({ kind: 'open', rate: 10, stages: [], durationSec: 5, connections: 50 }, 4, 8), 1);
    });
  });

  describe('lining up and merging windows', () => {
    it('a second comes out once every running thread posted it, with all its parts; a finished thread does not hold the others', () => {
      const a = new WindowAligner(3);
      assert.deepEqual(a.add(0, window(1, 'x', [100])), []);
      assert.deepEqual(a.add(1, window(1, 'x', [200])), []);
      assert.deepEqual(a.add(0, window(2, 'x', [300])), []);
      const first = a.add(2, window(1, 'x', [400]));
      assert.deepEqual(first.map((parts) => parts.map((w) => w.second)), [[1, 1, 1]]);
      assert.deepEqual(a.finish(2), []);
      const second = a.add(1, window(2, 'x', [500]));
      assert.deepEqual(second.map((parts) => parts.map((w) => w.second)), [[2, 2]]);
      assert.equal(a.allFinished, false);
      // Thread 0 posts second 3 and stops; thread 1 is lost (no window 3): the run drains what is held.
      assert.deepEqual(a.add(0, window(3, 'x', [600])), []);
      assert.deepEqual(a.finish(0), []);
      assert.deepEqual(a.drain().map((parts) => parts.map((w) => w.second)), [[3]]);
    });

    it('the parts of one second are summed into one tick: counts, histograms, connections; the window is as long as the longest part', () => {
      const acc = new RunAccumulator([{ name: 'x', method: 'GET', path: '/' }]);
      const tick = acc.add([window(1, 'x', [1000, 2000], { durationMs: 990, target: 3, inFlight: 3 }), window(1, 'x', [3000, 4000, 5000], { durationMs: 1000, target: 2, inFlight: 2 })]);
      assert.equal(tick.second, 1);
      assert.equal(tick.requests, 5);
      assert.deepEqual(tick.statusCodes, { '200': 5 });
      assert.equal(tick.target, 5);
      assert.equal(tick.inFlight, 5);
      assert.equal(tick.perSecond, 5);
      assert.equal(tick.byRequest.x.requests, 5);
      // HDR keeps 3 significant digits: each value within 0.1 %.
      assert.ok(Math.abs(tick.latencyMs.max - 5) <= 0.005, `max ${tick.latencyMs.max}`);
      assert.ok(Math.abs(tick.latencyMs.min - 1) <= 0.001, `min ${tick.latencyMs.min}`);
      assert.equal(acc.totals.durationSec, 1);
      // The pure reducer groups windows of the same second the same way.
      const m = aggregate([{ name: 'x', method: 'GET', path: '/' }], [window(2, 'x', [7000]), window(1, 'x', [1000]), window(1, 'x', [2000]), window(2, 'x', [8000])]);
      assert.deepEqual(m.timeline.map((t) => [t.second, t.requests]), [[1, 2], [2, 2]]);
      assert.equal(m.summary.requests.total, 4);
      assert.equal(m.summary.durationSec, 2);
    });
  });

  describe('against a real server on 127.0.0.1', () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('3 threads: total and per-name counts equal what the server saw; one tick per second, with every thread’s connections', async () => {
      server = await startServer((_req, res) => res.end('ok'));
      const s = scenario({ baseUrl: server.url, requests: [{ name: 'list', path: '/list', weight: 2 }, { name: 'one', path: '/one' }], connections: 6, duration: '3s' });
      const run = startLoadTest(s, { threads: 3 });
      const events: LoadTestEvent[] = [];
      run.on((e) => events.push(e));
      const result = await run.result;
      assert.equal(result.ended, 'completed');
      assert.ok(result.summary.requests.total > 100, `only ${result.summary.requests.total} requests`);
      assert.equal(result.summary.requests.total, server.total());
      assert.equal(result.byRequest.find((b) => b.name === 'list')!.requests, server.seen.get('/list'));
      assert.equal(result.byRequest.find((b) => b.name === 'one')!.requests, server.seen.get('/one'));
      const ratio = server.seen.get('/list')! / server.seen.get('/one')!;
      assert.ok(ratio > 1.7 && ratio < 2.3, `list:one = ${ratio}`);
      assert.deepEqual(events.filter((e) => e.type === 'start').length, 1);
      const ticks = events.filter((e): e is TickEvent => e.type === 'tick');
      // One tick per second, in order: the threads' windows were merged, not interleaved.
      assert.deepEqual(
        ticks.map((t) => t.window.second),
        ticks.map((_, i) => i + 1),
      );
      assert.ok(ticks.length >= 3 && ticks.length <= 4, `${ticks.length} ticks`);
      // Every full second ran all 6 connections, summed over the threads.
      for (const t of ticks.slice(0, 3)) assert.equal(t.window.target, 6, `second ${t.window.second}: target ${t.window.target}`);
      assert.equal(ticks.reduce((n, t) => n + t.window.requests, 0), result.summary.requests.total);
      assert.equal(ticks.reduce((n, t) => n + t.window.byRequest.one.requests, 0), server.seen.get('/one'));
      // The live totals of the last tick are the result's.
      assert.equal(ticks[ticks.length - 1].totals.requests, result.summary.requests.total);
      assert.ok(result.summary.durationSec >= 2.9 && result.summary.durationSec < 4, `duration ${result.summary.durationSec} s: the threads' windows were added up instead of merged`);
    });

    it('a ramp-up over 2 threads opens the connections on the global schedule; counts still match', async () => {
      server = await startServer((_req, res) => res.end('ok'));
      const result = await startLoadTest(scenario({ baseUrl: server.url, requests: [{ path: '/' }], connections: 4, rampUp: '3s', duration: '4s' }), { threads: 2 }).result;
      const targets = result.timeline.map((w) => w.target);
      // 4 steps, one connection every 0.75 s (at 0, 0.75, 1.5, 2.25 s), alternating between the threads.
      assert.deepEqual(targets.slice(0, 3), [2, 3, 4]);
      assert.equal(result.summary.requests.total, server.total());
    });

    it('cancel stops every thread within 1 s and yields what ran', async () => {
      server = await startServer((_req, res) => res.end('ok'));
      const run = startLoadTest(scenario({ baseUrl: server.url, requests: [{ path: '/' }], connections: 4, duration: '30s' }), { threads: 2 });
      await new Promise<void>((resolve) => run.on((e) => e.type === 'tick' && resolve()));
      const t = Date.now();
      run.cancel();
      const result = await run.result;
      assert.ok(Date.now() - t < 1000, `cancel took ${Date.now() - t} ms`);
      assert.equal(result.ended, 'cancelled');
      assert.ok(result.summary.requests.total > 0);
      // Requests still in flight at the cancel are abandoned, not counted: the engine never reports more than the server saw.
      assert.ok(result.summary.requests.total <= server.total(), `${result.summary.requests.total} > ${server.total()}`);
    });
  });
});
