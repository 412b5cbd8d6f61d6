// Load-engine benchmark (part of `npm run bench`): Shipshape's engine (`shipshape loadtest`,
// closed model on autocannon) and wrk against the same loopback servers — a Node `http` server
// and nginx — with the same connections and duration, alternating, medians of N rounds.
// Prints requests/s of each, their ratio (targets: ≥ 0.9× wrk against Node, ≥ 0.75× against
// nginx) and CPU time per request (user + sys of each tool's process, from /usr/bin/time).
// Writes its section of bench/RESULTS.md.
//
//   apt-get install -y wrk nginx   (Debian; the benchmark only)
//   node esbuild.mjs && node bench/loadtest.mjs [--connections 50] [--duration 5] [--rounds 3] [--no-write]
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

function runWrk(url) {
  const { stdout, cpuSec } = timed(which('wrk'), ['-t', '2', '-c', String(CONNECTIONS), '-d', `${DURATION}s`, url]);
  const total = Number(/(\d+) requests in/.exec(stdout)[1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]);
  return { rps, total, cpuPerReqUs: (cpuSec / total) * 1e6 };
}

function runShipshape(url) {
  const { stdout, cpuSec } = timed(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'loadtest', '--url', url, '--connections', String(CONNECTIONS), '--duration', `${DURATION}s`, '--format', 'json', '--no-save']);
  const r = JSON.parse(stdout);
  return { rps: r.summary.requests.perSecond, total: r.summary.requests.total, cpuPerReqUs: (cpuSec / r.summary.requests.total) * 1e6, p50: r.summary.latencyMs.p50, p99: r.summary.latencyMs.p99 };
}

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
      const wrk = [];
      const ship = [];
      for (let i = 0; i < ROUNDS; i++) {
        wrk.push(runWrk(server.url));
        ship.push(runShipshape(server.url));
      }
      const w = median(wrk.map((x) => x.rps));
      const s = median(ship.map((x) => x.rps));
      const row = { server: server.name, wrk: w, shipshape: s, ratio: s / w, target: server.target, wrkCpu: median(wrk.map((x) => x.cpuPerReqUs)), shipCpu: median(ship.map((x) => x.cpuPerReqUs)), p50: median(ship.map((x) => x.p50)), p99: median(ship.map((x) => x.p99)), rounds: { wrk: wrk.map((x) => Math.round(x.rps)), shipshape: ship.map((x) => Math.round(x.rps)) } };
      rows.push(row);
      console.log(`${row.server}: wrk ${Math.round(w)} req/s, Shipshape ${Math.round(s)} req/s → ${row.ratio.toFixed(2)}× (target ≥ ${row.target}×); CPU per request: wrk ${row.wrkCpu.toFixed(1)} µs, Shipshape ${row.shipCpu.toFixed(1)} µs`);
    } finally {
      server.stop();
    }
  }
  const section = [
    '<!-- loadtest:start -->',
    '## Load engine vs wrk',
    '',
    `Produced by \`node bench/loadtest.mjs\` (part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model.trim()}, ${CONNECTIONS} connections, ${DURATION} s per run, wrk (-t 2) and \`shipshape loadtest\` (closed model) alternating, medians of ${ROUNDS}. Load average when it started: ${load} (a shared machine: the ratio compares runs made back to back). CPU per request is user + sys of the whole tool process (Shipshape's includes its start-up and worker thread) divided by the requests it made.`,
    '',
    '| server | wrk req/s | Shipshape req/s | ratio (target) | CPU/request wrk | CPU/request Shipshape | Shipshape p50 / p99 | rounds (wrk; Shipshape) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.server} | ${Math.round(r.wrk)} | ${Math.round(r.shipshape)} | ${r.ratio.toFixed(2)}× (≥ ${r.target}×) ${r.ratio >= r.target ? 'met' : 'NOT met'} | ${r.wrkCpu.toFixed(1)} µs | ${r.shipCpu.toFixed(1)} µs | ${r.p50} / ${r.p99} ms | ${r.rounds.wrk.join(', ')}; ${r.rounds.shipshape.join(', ')} |`),
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
