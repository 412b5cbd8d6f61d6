// Load-engine benchmark (part of `npm run bench`): Shipshape's engine (`shipshape loadtest`,
// closed model on autocannon in engine threads), raw autocannon (the ceiling of an engine built on
// it) and wrk against the same loopback servers — a Node
// `http` server and nginx — with the same connections, duration and threads, in turn (the
// order rotates every round so drift in the machine's load hits all alike), after a warm-up of the
// server. Prints requests/s of each, their ratios per round and the median of those ratios
// (targets: ≥ 0.9× wrk against Node, ≥ 0.75× against nginx), the load average of each round, and
// CPU time per request (user + sys of each tool's process, from /usr/bin/time; for Shipshape also
// without its start-up, i.e. the CPU of `shipshape loadtest --help`, measured in the same round).
// Writes its section of bench/RESULTS.md.
//
//   apt-get install -y wrk nginx   (Debian; the benchmark only)
//   node esbuild.mjs && node bench/loadtest.mjs [--connections 50] [--duration 5] [--rounds 3] [--threads N] [--no-write]
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const CONNECTIONS = Number(arg('connections', 50));
const DURATION = Number(arg('duration', 5));
const ROUNDS = Number(arg('rounds', 3));
// Both tools get the same threads: Shipshape's default (one per core, at most 8; src/core/loadtest/threads.ts) unless given.
const THREADS = Number(arg('threads', Math.max(1, Math.min(os.availableParallelism(), 8, CONNECTIONS))));
const WARMUP_SEC = 2;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function waitPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1', () => (c.destroy(), r(true)));
      c.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Runs a command under /usr/bin/time; returns stdout and CPU seconds (user + sys). */
function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU=%U %S', cmd, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /CPU=([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, cpuSec: m ? Number(m[1]) + Number(m[2]) : NaN };
}

function runWrk(url, durationSec = DURATION) {
  const { stdout, cpuSec } = timed(which('wrk'), ['-t', String(THREADS), '-c', String(CONNECTIONS), '-d', `${durationSec}s`, url]);
  const total = Number(/(\d+) requests in/.exec(stdout)[1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]);
  return { rps, total, cpuPerReqUs: (cpuSec / total) * 1e6 };
}

function runShipshape(url) {
  const { stdout, cpuSec } = timed(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'loadtest', '--url', url, '--connections', String(CONNECTIONS), '--duration', `${DURATION}s`, '--threads', String(THREADS), '--format', 'json', '--no-save']);
  const r = JSON.parse(stdout);
  // What the process spends before any load: starting Node and loading the loadtest command (measured the same way, now).
  const startupCpuSec = timed(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'loadtest', '--help']).cpuSec;
  const total = r.summary.requests.total;
  return { rps: r.summary.requests.perSecond, total, cpuPerReqUs: (cpuSec / total) * 1e6, loadCpuPerReqUs: (Math.max(0, cpuSec - startupCpuSec) / total) * 1e6, startupCpuSec, p50: r.summary.latencyMs.p50, p99: r.summary.latencyMs.p99 };
}

/** autocannon alone (its CLI, same connections, duration and threads as workers): the ceiling of a closed model built on it. */
function runAutocannon(url) {
  const bin = path.join(REPO, 'node_modules', 'autocannon', 'autocannon.js');
  const { stdout, cpuSec } = timed(process.execPath, [bin, '-j', '-c', String(CONNECTIONS), '-d', String(DURATION), ...(THREADS > 1 ? ['-w', String(THREADS)] : []), url]);
  const r = JSON.parse(stdout);
  const total = r.requests.total;
  return { rps: total / r.duration, total, cpuPerReqUs: (cpuSec / total) * 1e6 };
}

const load1 = () => os.loadavg()[0];

async function startNode() {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  await waitPort(port);
  return { name: 'Node http server', url: `http://127.0.0.1:${port}/`, stop: () => child.kill('SIGTERM'), target: 0.9 };
}

async function startNginx() {
  const nginx = which('nginx') || (fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : '');
  if (!nginx) return undefined;
  const port = await freePort();
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-nginx-'));
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `worker_processes 1; daemon off; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${prefix}; proxy_temp_path ${prefix}; fastcgi_temp_path ${prefix}; uwsgi_temp_path ${prefix}; scgi_temp_path ${prefix};
  server { listen 127.0.0.1:${port}; keepalive_requests 1000000; location / { return 200 'ok'; } } }
`,
  );
  const child = spawn(nginx, ['-c', conf, '-p', prefix], { stdio: 'ignore' });
  await waitPort(port);
  return { name: 'nginx (1 worker)', url: `http://127.0.0.1:${port}/`, stop: () => (child.kill('SIGTERM'), fs.rmSync(prefix, { recursive: true, force: true })), target: 0.75 };
}

async function main() {
  if (!which('wrk')) {
    console.log('bench/loadtest.mjs: wrk is not installed (apt-get install -y wrk nginx); skipping the load-engine benchmark.');
    return;
  }
  const load = os.loadavg().map((n) => n.toFixed(1)).join(', ');
  const rows = [];
  for (const start of [startNode, startNginx]) {
    const server = await start();
    if (!server) continue;
    try {
      // Warm-up: the server's JIT (Node) and caches, so round 1 does not charge it to whichever tool goes first.
      runWrk(server.url, WARMUP_SEC);
      const wrk = [];
      const ship = [];
      const raw = [];
      const ratios = [];
      const rawRatios = [];
      const loads = [];
      for (let i = 0; i < ROUNDS; i++) {
        loads.push(load1());
        // The order rotates every round (wrk, Shipshape, autocannon; then Shipshape, autocannon, wrk; …).
        const runs = { wrk: () => runWrk(server.url), ship: () => runShipshape(server.url), raw: () => runAutocannon(server.url) };
        const order = ['wrk', 'ship', 'raw'];
        const got = {};
        for (let k = 0; k < 3; k++) {
          const name = order[(i + k) % 3];
          got[name] = runs[name]();
        }
        const { wrk: w, ship: sh, raw: ac } = got;
        wrk.push(w);
        ship.push(sh);
        raw.push(ac);
        ratios.push(sh.rps / w.rps);
        rawRatios.push(ac.rps / w.rps);
        console.log(`  ${server.name} round ${i + 1} (load ${loads[i].toFixed(1)}): wrk ${Math.round(w.rps)} req/s, Shipshape ${Math.round(sh.rps)} req/s → ${(sh.rps / w.rps).toFixed(2)}×, raw autocannon ${Math.round(ac.rps)} req/s → ${(ac.rps / w.rps).toFixed(2)}×; CPU/request wrk ${w.cpuPerReqUs.toFixed(1)} µs, Shipshape ${sh.cpuPerReqUs.toFixed(1)} µs (${sh.loadCpuPerReqUs.toFixed(1)} µs without its ${sh.startupCpuSec.toFixed(2)} s start-up), autocannon ${ac.cpuPerReqUs.toFixed(1)} µs`);
      }
      const w = median(wrk.map((x) => x.rps));
      const s = median(ship.map((x) => x.rps));
      const row = { server: server.name, wrk: w, shipshape: s, ratio: median(ratios), ratios, loads, target: server.target, wrkCpu: median(wrk.map((x) => x.cpuPerReqUs)), shipCpu: median(ship.map((x) => x.cpuPerReqUs)), shipLoadCpu: median(ship.map((x) => x.loadCpuPerReqUs)), startupCpu: median(ship.map((x) => x.startupCpuSec)), raw: median(raw.map((x) => x.rps)), rawRatio: median(rawRatios), rawCpu: median(raw.map((x) => x.cpuPerReqUs)), p50: median(ship.map((x) => x.p50)), p99: median(ship.map((x) => x.p99)), rounds: { wrk: wrk.map((x) => Math.round(x.rps)), shipshape: ship.map((x) => Math.round(x.rps)) } };
      rows.push(row);
      console.log(`${row.server}: wrk ${Math.round(w)} req/s, Shipshape ${Math.round(s)} req/s → ${row.ratio.toFixed(2)}× (median of per-round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; target ≥ ${row.target}×); CPU per request: wrk ${row.wrkCpu.toFixed(1)} µs, Shipshape ${row.shipCpu.toFixed(1)} µs (${row.shipLoadCpu.toFixed(1)} µs without start-up)`);
    } finally {
      server.stop();
    }
  }
  const section = [
    '<!-- loadtest:start -->',
    '## Load engine vs wrk',
    '',
    `Produced by \`node bench/loadtest.mjs\` (part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model.trim()}, ${CONNECTIONS} connections, ${DURATION} s per run, ${THREADS} threads each (wrk \`-t ${THREADS}\`, \`shipshape loadtest --threads ${THREADS}\`, closed model), after a ${WARMUP_SEC} s warm-up of the server; ${ROUNDS} rounds, the order of the three tools rotating every round. The ratio is the median of the per-round ratios (each round's runs back to back). Load average when it started: ${load} (a shared machine). CPU per request is user + sys of the whole tool process divided by the requests it made; for Shipshape also without its start-up (the CPU of \`shipshape loadtest --help\`).`,
    '',
    '',
    'Raw autocannon (its CLI, `-c`/`-d` the same, `-w` threads as workers, in the same rotation) is the ceiling of any closed model built on it: the engine is autocannon (fixed stack) plus Shipshape\'s own µs histograms and windows. Where Shipshape ≈ autocannon and both fall short of the target, the gap is autocannon\'s per-request cost (one socket `write` per request from JavaScript; wrk\'s CPU per request is a third of it), which only pipelining (rejected: it changes what a connection means to the server) or an engine outside the fixed stack would remove.',
    '',
    '| server | wrk req/s | Shipshape req/s | ratio (target) | per-round ratios (load avg) | raw autocannon req/s (ratio to wrk) | CPU/request wrk | CPU/request Shipshape (without start-up) | CPU/request autocannon | Shipshape p50 / p99 |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.server} | ${Math.round(r.wrk)} | ${Math.round(r.shipshape)} | ${r.ratio.toFixed(2)}× (≥ ${r.target}×) ${r.ratio >= r.target ? 'met' : 'NOT met'} | ${r.ratios.map((x, i) => `${x.toFixed(2)} (${r.loads[i].toFixed(1)})`).join(', ')} | ${Math.round(r.raw)} (${r.rawRatio.toFixed(2)}×) | ${r.wrkCpu.toFixed(1)} µs | ${r.shipCpu.toFixed(1)} µs (${r.shipLoadCpu.toFixed(1)} µs; start-up ${r.startupCpu.toFixed(2)} s) | ${r.rawCpu.toFixed(1)} µs | ${r.p50} / ${r.p99} ms |`),
    '<!-- loadtest:end -->',
  ].join('\n');
  console.log(`\n${section}`);
  if (!process.argv.includes('--no-write')) {
    const file = path.join(REPO, 'bench', 'RESULTS.md');
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const re = /<!-- loadtest:start -->[\s\S]*<!-- loadtest:end -->/;
    fs.writeFileSync(file, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
