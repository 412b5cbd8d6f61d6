import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runK6 } from '../../../src/core/loadtest/k6';
import { startLoadTest } from '../../../src/core/loadtest/run';
import { resolveScenario } from '../../../src/core/loadtest/scenario';
import type { Scenario } from '../../../src/core/loadtest/types';
import { startServer, type TestServer } from './servers';

// k6 cannot be installed on this machine (no GitHub downloads, not in Debian, not on npm), so these
// tests put a STAND-IN `k6` on PATH: a small Node program that speaks k6's command line as
// runK6 uses it (`k6 run … --summary-export=FILE script.js`), sends real GET requests to the URLs
// in the generated script, and writes a summary in k6's documented `--summary-export` shape with
// k6's exit codes (0, 99 when a threshold failed, 105 when interrupted, 107 on a script error).
// What is real: the generated script, the process, the flags, the HTTP traffic, the import.
// What is not: k6's executor and statistics.
const STAND_IN = String.raw`
const fs = require('node:fs');
const http = require('node:http');
const args = process.argv.slice(2);
const log = process.env.FAKE_K6_LOG;
const exportArg = args.find((a) => a.startsWith('--summary-export='));
const script = args[args.length - 1];
const code = fs.readFileSync(script, 'utf8');
if (log) fs.writeFileSync(log, JSON.stringify({ args, script: code }));
if (args[0] !== 'run' || !exportArg) { process.stderr.write('ERRO unexpected command line\n'); process.exit(104); }
if (process.env.FAKE_K6_MODE === 'script-error') { process.stderr.write('ERRO[0000] SyntaxError: Unexpected token at script.js:3:1\n'); process.exit(107); }
const baseUrl = JSON.parse(/const BASE_URL = __ENV\.BASE_URL \|\| ("[^"]*");/.exec(code)[1]);
const paths = [...code.matchAll(/ path: ("[^"]*"),/g)].map((m) => JSON.parse(m[1]));
const count = Number(process.env.FAKE_K6_REQUESTS || 20);
const durations = [];
let interrupted = false;
process.on('SIGINT', () => { interrupted = true; });
function one(i) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    http.get(baseUrl.replace(/\/$/, '') + paths[i % paths.length], (res) => { res.resume(); res.on('end', () => { durations.push(Number(process.hrtime.bigint() - t0) / 1e6); resolve(); }); });
  });
}
(async () => {
  for (let i = 0; i < count && !interrupted; i++) {
    await one(i);
    if (process.env.FAKE_K6_MODE === 'slow') await new Promise((r) => setTimeout(r, 200));
  }
  durations.sort((a, b) => a - b);
  const q = (p) => durations[Math.min(durations.length - 1, Math.floor((p / 100) * durations.length))];
  const failed = process.env.FAKE_K6_MODE === 'threshold';
  const summary = {
    state: { testRunDurationMs: 1000 },
    metrics: {
      http_reqs: { count: durations.length, rate: durations.length },
      http_req_failed: { passes: 0, fails: durations.length, value: 0, thresholds: { 'rate<0.01': false } },
      http_req_duration: { avg: durations.reduce((a, b) => a + b, 0) / durations.length, min: durations[0], med: q(50), max: durations[durations.length - 1], 'p(50)': q(50), 'p(90)': q(90), 'p(95)': q(95), 'p(99)': q(99), thresholds: { 'p(95)<5000': failed } },
    },
  };
  fs.writeFileSync(exportArg.slice('--summary-export='.length), JSON.stringify(summary));
  process.exit(interrupted ? 105 : failed ? 99 : 0);
})();
`;

describe('runK6 with a stand-in k6 on PATH (k6 itself cannot be installed here)', function () {
  this.timeout(30_000);
  let server: TestServer;
  let bin: string;
  let log: string;
  const savedPath = process.env.PATH;
  before(async () => {
    server = await startServer((_req, res) => res.end('ok'));
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-fake-k6-'));
    fs.writeFileSync(path.join(bin, 'k6'), `#!${process.execPath}\n${STAND_IN}`, { mode: 0o755 });
    log = path.join(bin, 'invocation.json');
  });
  after(async () => {
    process.env.PATH = savedPath;
    delete process.env.FAKE_K6_MODE;
    delete process.env.FAKE_K6_LOG;
    await server.close();
    fs.rmSync(bin, { recursive: true, force: true });
  });
  afterEach(() => delete process.env.FAKE_K6_MODE);

  const scenario = (): Scenario => {
    const { scenario, problems } = resolveScenario({ name: 'orders', baseUrl: server.url, engine: 'k6', connections: 2, duration: '1s', requests: [{ name: 'list', path: '/orders' }, { name: 'one', path: '/orders/1' }], thresholds: { http_req_duration: ['p(95)<5000'], http_req_failed: ['rate<0.01'] } }, { config: {}, keyPrefix: 'loadtest.scenarios[0]' });
    assert.deepEqual(problems, []);
    return scenario!;
  };

  it('runs the generated script with the summary flags and imports what k6 measured', async () => {
    process.env.FAKE_K6_LOG = log;
    const before = server.total();
    const result = await runK6(scenario(), 'run-1', { k6: path.join(bin, 'k6') });
    const seen = server.total() - before;
    const invocation = JSON.parse(fs.readFileSync(log, 'utf8')) as { args: string[]; script: string };
    assert.deepEqual(invocation.args.slice(0, 4), ['run', '--quiet', '--no-color', '--summary-trend-stats=avg,min,med,max,p(50),p(90),p(95),p(99)']);
    assert.match(invocation.args[4], /^--summary-export=.+summary\.json$/);
    assert.match(invocation.script, /"http_req_duration": \[\s*"p\(95\)<5000"\s*\]/);
    assert.match(invocation.script, /tags: \{ name: r\.name \}/);
    assert.equal(seen, 20);
    assert.equal(result.engine, 'k6');
    assert.equal(result.summary.requests.total, 20);
    assert.ok(result.summary.latencyMs.p95 > 0 && result.summary.latencyMs.p95 < 5000);
    assert.deepEqual(result.thresholds.map((t) => [t.metric, t.expression, t.ok]), [['http_req_duration', 'p(95)<5000', true], ['http_req_failed', 'rate<0.01', true]]);
    assert.equal(result.passed, true);
  });

  it('exit 99 (a threshold failed) is a result with k6\'s verdict, not an error', async () => {
    process.env.FAKE_K6_MODE = 'threshold';
    const result = await runK6(scenario(), 'run-2', { k6: path.join(bin, 'k6') });
    assert.equal(result.passed, false);
    assert.deepEqual(result.thresholds.filter((t) => !t.ok).map((t) => t.expression), ['p(95)<5000']);
  });

  it('a script error names k6\'s exit code and its last stderr line', async () => {
    process.env.FAKE_K6_MODE = 'script-error';
    await assert.rejects(runK6(scenario(), 'run-3', { k6: path.join(bin, 'k6') }), /^LoadTestError: k6 exited with code 107: ERRO\[0000\] SyntaxError: Unexpected token at script\.js:3:1$/);
  });

  it('through startLoadTest with "engine": "k6": k6 is found on PATH, events are emitted, cancel stops it', async () => {
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    const events: string[] = [];
    const run = startLoadTest(scenario());
    run.on((e) => events.push(e.type));
    const result = await run.result;
    assert.equal(result.engine, 'k6');
    assert.equal(result.summary.requests.total, 20);
    assert.deepEqual(events, ['start', 'done']);

    // Cancel: SIGINT, k6 writes the summary of what ran and exits 105; the run reads as cancelled.
    process.env.FAKE_K6_MODE = 'slow';
    const before = server.total();
    const slow = startLoadTest(scenario());
    await new Promise((r) => setTimeout(r, 700));
    slow.cancel();
    const cancelled = await slow.result;
    assert.equal(cancelled.ended, 'cancelled');
    assert.ok(cancelled.summary.requests.total >= 1 && cancelled.summary.requests.total < 20, String(cancelled.summary.requests.total));
    assert.equal(cancelled.summary.requests.total, server.total() - before);
  });
});
