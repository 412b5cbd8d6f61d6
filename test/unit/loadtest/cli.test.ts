import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { runCli as run } from '../../helpers/cli';
import { REPO_ROOT } from '../../helpers/workspace';
import { startServer, type TestServer } from './servers';

describe('shipshape loadtest (CLI)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let root: string;
  before(async () => {
    server = await startServer((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('ok');
    });
  });
  after(async () => server.close());
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cli-lt-'));
    fs.writeFileSync(
      path.join(root, 'shipshape.config.json'),
      JSON.stringify({ loadtest: { baseUrl: server.url, scenarios: [{ name: 'orders', requests: [{ name: 'list', path: '/orders' }, { name: 'missing', path: '/missing' }], connections: 2, duration: '1s', thresholds: { 'http_req_failed{name:list}': ['rate<0.01'] } }] } }),
    );
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('--url with a passing threshold: exit 0, SPEC JSON, the run saved', async () => {
    const { code, stdout, stderr } = await run(['loadtest', '--url', `${server.url}/orders`, '--duration', '1s', '--connections', '2', '--threshold', 'p(95)<5000', '--format', 'json'], root);
    assert.equal(code, 0, stderr);
    const json = JSON.parse(stdout);
    assert.equal(json.version, 1);
    assert.equal(json.target, `${server.url}/`);
    assert.equal(json.engine, 'autocannon');
    for (const k of ['durationSec', 'requests', 'latencyMs', 'statusCodes', 'errors', 'timeouts']) assert.ok(k in json.summary, k);
    for (const k of ['mean', 'p50', 'p90', 'p95', 'p99', 'max']) assert.equal(typeof json.summary.latencyMs[k], 'number', k);
    assert.deepEqual(json.thresholds.map((t: { expression: string; metric: string; ok: boolean }) => [t.expression, t.metric, t.ok]), [['p(95)<5000', 'http_req_duration', true]]);
    assert.equal(json.passed, true);
    assert.match(stderr, /^shipshape: saved run .+-url to \.shipshape\/runs\/.+-url\.json$/m);
    assert.equal(fs.readdirSync(path.join(root, '.shipshape', 'runs')).length, 1);
  });

  it('a failing threshold: exit 1; text shows the table and the verdict; junit marks the failure', async () => {
    const text = await run(['loadtest', 'orders', '--threshold', 'rate<0.01', '--no-save'], root);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^Load test "orders" → http:\/\/127\.0\.0\.1:\d+\/ {2}\(autocannon, closed model, 2 connections, 1 s\)$/m);
    assert.match(text.stdout, /^request +reqs +req\/s +mean +p50 +p90 +p95 +p99 +max +failed/m);
    assert.match(text.stdout, /^list +\d+ /m);
    assert.match(text.stdout, /^ {2}✓ http_req_failed\{name:list\} rate<0\.01 {2}actual 0$/m);
    assert.match(text.stdout, /^ {2}✗ http_req_failed rate<0\.01 {2}actual 0\.[45]\d*$/m);
    assert.match(text.stdout, /^failed: 1 of 2 thresholds$/m);
    const junit = await run(['loadtest', 'orders', '--threshold', 'rate<0.01', '--format', 'junit', '--no-save'], root);
    assert.equal(junit.code, 1);
    assert.match(junit.stdout, /<testsuite name="loadtest orders" tests="2" failures="1"/);
    assert.match(junit.stdout, /<failure message="http_req_failed rate&lt;0\.01 failed: actual 0\.[45]\d*" type="threshold">/);
  });

  it('--baseline latest compares with the previous run', async () => {
    assert.equal((await run(['loadtest', 'orders'], root)).code, 0);
    const { code, stdout, stderr } = await run(['loadtest', 'orders', '--baseline', 'latest', '--format', 'json'], root);
    assert.ok(code === 0 || code === 1, stderr);
    const json = JSON.parse(stdout);
    assert.ok(['no-change', 'inconclusive', 'regression', 'improvement'].includes(json.comparison.verdict));
    assert.notEqual(json.comparison.baselineId, json.runId);
    assert.match(json.comparison.method, /Mann–Whitney/);
  });

  it('--pin pins the run it makes; --list shows the runs newest first with the baseline starred; --pin-run re-pins', async () => {
    const first = await run(['loadtest', 'orders', '--pin'], root);
    assert.equal(first.code, 0, first.stderr);
    const firstId = /^shipshape: saved run (\S+) to /m.exec(first.stderr)?.[1];
    assert.ok(firstId, first.stderr);
    assert.match(first.stderr, new RegExp(`^shipshape: pinned run ${firstId} as the baseline of scenario "orders"$`, 'm'));
    const second = await run(['loadtest', 'orders'], root);
    assert.equal(second.code, 0, second.stderr);
    const secondId = /^shipshape: saved run (\S+) to /m.exec(second.stderr)?.[1];

    const listed = await run(['loadtest', '--list', '--format', 'json'], root);
    assert.equal(listed.code, 0, listed.stderr);
    const json = JSON.parse(listed.stdout);
    assert.deepEqual(json.runs.map((r: { id: string; baseline: boolean; scenario: string }) => [r.id, r.scenario, r.baseline]), [[secondId, 'orders', false], [firstId, 'orders', true]]);
    assert.deepEqual(json.problems, []);
    for (const r of json.runs) assert.ok(r.requests > 0 && r.perSecond > 0 && typeof r.p95Ms === 'number');

    const text = await run(['loadtest', 'orders', '--list'], root);
    const lines = text.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^run +scenario +started +result +req\/s +p95 ms +requests +commit +baseline$/);
    assert.match(lines[2], new RegExp(`^${firstId} +orders +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +passed +[\\d.]+ +[\\d.]+ +\\d+ .*★$`));
    assert.ok(!lines[1].endsWith('★'));

    // A corrupt run file is named, the rest listed.
    fs.writeFileSync(path.join(root, '.shipshape', 'runs', 'broken.json'), '{');
    const withBroken = await run(['loadtest', '--list'], root);
    assert.equal(withBroken.code, 0);
    assert.match(withBroken.stdout, /^note: skipped \.shipshape\/runs\/broken\.json: not valid JSON; delete it or restore it from version control\.$/m);

    const repin = await run(['loadtest', 'orders', '--pin-run', 'latest'], root);
    assert.equal(repin.code, 0, repin.stderr);
    assert.match(repin.stdout, new RegExp(`^pinned run ${secondId} as the baseline of scenario "orders" \\(p95 [\\d.]+ ms, [\\d.]+ req/s, passed\\)\n$`));
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, '.shipshape', 'runs', 'baselines.json'), 'utf8')).orders, secondId);
    // `--baseline baseline` now compares with the re-pinned run.
    const compared = await run(['loadtest', 'orders', '--baseline', 'baseline', '--format', 'json', '--no-save'], root);
    assert.equal(JSON.parse(compared.stdout).comparison.baselineId, secondId);
  });

  it('--list and --pin-run send no load and say what to do when there is nothing to show', async () => {
    const before = server.total();
    const empty = await run(['loadtest', '--list'], root);
    assert.equal(empty.code, 0);
    assert.equal(empty.stdout, 'no saved runs\n');
    assert.equal(empty.stderr, 'shipshape: no saved runs in .shipshape/runs; run `shipshape loadtest` first.\n');
    const missing = await run(['loadtest', '--pin-run', 'nope'], root);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'shipshape: no saved run "nope" in .shipshape/runs; list the runs with `shipshape loadtest --list`.\n');
    const both = await run(['loadtest', 'orders', '--pin', '--no-save'], root);
    assert.equal(both.code, 2);
    assert.equal(both.stderr, 'shipshape: --pin pins the run this command saves: drop --no-save (or pin a saved run with --pin-run <id>).\n');
    const junit = await run(['loadtest', '--list', '--format', 'junit'], root);
    assert.equal(junit.stderr, 'shipshape: --list prints text or json, not junit.\n');
    assert.equal(server.total(), before);
  });

  it('--export prints the scenario without running it', async () => {
    const { code, stdout } = await run(['loadtest', 'orders', '--export', 'k6'], root);
    assert.equal(code, 0);
    assert.match(stdout, /^import http from 'k6\/http';$/m);
    assert.ok(!fs.existsSync(path.join(root, '.shipshape')));
  });

  it('usage errors exit 2 with one line saying what to do', async () => {
    const cases: Array<[string[], string]> = [
      [['loadtest', 'nope'], `shipshape: no scenario "nope" in shipshape.config.json; expected one of: orders.\n`],
      [['loadtest', '--url', 'not a url'], 'shipshape: "not a url" is not a valid URL: give one like http://127.0.0.1:3000/orders (with http:// or https://).\n'],
      [['loadtest', '--url', `${server.url}/`, '--connections', 'many'], 'shipshape: --connections must be a number, got "many".\n'],
      [['loadtest', '--url', `${server.url}/`, '--duration', '2h'], `shipshape: scenario "url" runs 7200 s, longer than the 600 s allowed; shorten its duration or raise \`loadtest.maxDuration\` in shipshape.config.json.\n`],
      [['loadtest', '--url', 'http://10.255.255.1/'], 'shipshape: 10.255.255.1 is not this machine (loopback); load-testing another host needs explicit consent: pass --allow-remote (CLI) or confirm in the editor.\n'],
      [['loadtest', 'orders', '--baseline', 'nope'], `shipshape: no baseline run "nope" for scenario "orders"; pass a run id from .shipshape/runs, "latest" or "baseline" (a pinned run).\n`],
      [['loadtest', '--url', `${server.url}/`, '--threshold', 'p95<1'], 'shipshape: `options.thresholds.http_req_duration[0]`: "p95<1" is not a threshold expression; expected something like p(95)<200, avg<100, med<50, min<5 or max<1000 (milliseconds).\n'],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, root);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr, message);
    }
    fs.writeFileSync(path.join(root, 'shipshape.config.json'), '{}');
    const none = await run(['loadtest'], root);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'shipshape: no scenario to run: pass --url http://127.0.0.1:3000/… or add scenarios under "loadtest.scenarios" in shipshape.config.json.\n');
  });

  describe('the built bundle (dist/cli.js with dist/loadtest-worker.js)', () => {
    before(function () {
      this.timeout(120_000);
      execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe' });
    });

    /** The bundled CLI as a child process (async: the test server runs in this process). */
    function cli(args: string[], onSpawn?: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
      return new Promise((resolve) => {
        const t = Date.now();
        const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd: root });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t }));
        onSpawn?.(child);
      });
    }

    it('runs the engine in its worker bundle; counts match the server', async () => {
      const before = server.seen.get('/bundle') ?? 0;
      const r = await cli(['loadtest', '--url', `${server.url}/bundle`, '--duration', '1s', '--connections', '2', '--format', 'json', '--no-save']);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout);
      assert.equal(json.engine, 'autocannon');
      assert.equal(json.summary.requests.total, (server.seen.get('/bundle') ?? 0) - before);
    });

    it('loadtest runs from the lean bundle: none of the analysis (TypeScript, rules, PostgreSQL parser) is loaded before the load', () => {
      const lean = fs.readFileSync(path.join(REPO_ROOT, 'dist', 'cli-loadtest.js'), 'utf8');
      // Markers of what the full CLI carries and a load test never uses.
      for (const marker of ['function createProgram(', 'function allRules(', 'libpg-query.wasm']) assert.ok(!lean.includes(marker), `dist/cli-loadtest.js holds "${marker}"`);
      const help = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'loadtest', '--help'], { encoding: 'utf8' });
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /^Usage: shipshape loadtest \[options\] \[scenario\]/);
      assert.match(help.stdout, /--threads <n>/);
    });

    it('Ctrl-C (SIGINT) cancels the run: what ran is printed, exit 2', async () => {
      let sentAt = 0;
      const r = await cli(['loadtest', '--url', `${server.url}/sigint`, '--duration', '60s', '--connections', '1', '--format', 'json', '--no-save'], (child) => {
        // Once the load is flowing (the server sees requests), interrupt.
        const poll = setInterval(() => {
          if ((server.seen.get('/sigint') ?? 0) > 0) {
            clearInterval(poll);
            sentAt = Date.now();
            child.kill('SIGINT');
          }
        }, 50);
      });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(JSON.parse(r.stdout).ended, 'cancelled');
      assert.match(r.stderr, /shipshape: cancelled: the numbers cover the part that ran\./);
      assert.ok(Date.now() - sentAt < 3000, `exited ${Date.now() - sentAt} ms after SIGINT`);
    });
  });
});
