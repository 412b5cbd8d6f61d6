import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureServerBuilt } from '../server/lspClient';
import { createWorkspace, removeWorkspace, REPO_ROOT } from '../helpers/workspace';

/**
 * The built `shipshape` executable keeps V8's code cache of its bundle between runs
 * (src/cli/compileCache.ts). Run as users run it, with the cache in a folder of the test's own
 * (XDG_CACHE_HOME): the cache is written after the first run, accepted by the next, and a
 * damaged, unwritable or switched-off cache never changes what a command prints.
 */

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

const WORKSPACE = {
  'src/load.ts': `import { Pool } from 'pg';
const pool = new Pool();
export async function load(ids: string[]) {
  for (const id of ids) await pool.query('SELECT * FROM t WHERE id = $1', [id]);
}
`,
};

interface Run {
  status: number | null;
  findings: string[];
  /** What NODE_DEBUG=shipshape-code-cache printed: `none`, `accepted`, `rejected`, `written`, `not written`. */
  cache: string[];
  stderr: string;
}

describe('CLI code cache (dist/cli.js)', function () {
  this.timeout(180_000);
  let ws: string;
  let cacheHome: string;

  before(() => {
    ensureServerBuilt();
    ws = createWorkspace({ files: WORKSPACE, dependencies: { pg: '^8.0.0' } });
  });
  beforeEach(() => {
    cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cache-'));
  });
  afterEach(() => {
    fs.chmodSync(cacheHome, 0o700);
    fs.rmSync(cacheHome, { recursive: true, force: true });
  });
  after(() => removeWorkspace(ws));

  const cacheDir = () => path.join(cacheHome, 'shipshape', 'code-cache');
  const cacheFiles = () => (fs.existsSync(cacheDir()) ? fs.readdirSync(cacheDir()).sort() : []);

  function scan(env: Record<string, string> = {}): Run {
    const res = spawnSync(process.execPath, [CLI, 'scan', ws, '--format', 'json', '--fail-on', 'never'], {
      encoding: 'utf8',
      cwd: os.tmpdir(),
      env: { ...process.env, XDG_CACHE_HOME: cacheHome, NODE_DEBUG: 'shipshape-code-cache', NODE_DISABLE_COMPILE_CACHE: '', ...env },
    });
    const findings = res.status === 0 ? (JSON.parse(res.stdout).findings as Array<{ ruleId: string; file: string; range: { start: { line: number } } }>).map((f) => `${f.ruleId} ${f.file}:${f.range.start.line}`) : [];
    const cache = [...res.stderr.matchAll(/SHIPSHAPE-CODE-CACHE \d+: \S+: (none|accepted|rejected|written|not written)/g)].map((m) => m[1]);
    return { status: res.status, findings, cache, stderr: res.stderr };
  }

  it('writes the cache after the first run of a command; the next run uses it and finds the same', () => {
    const first = scan();
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(first.findings, ['n-plus-one src/load.ts:4']);
    assert.deepEqual(first.cache, ['none', 'written']);
    const files = cacheFiles();
    assert.equal(files.length, 1);
    assert.match(files[0], /^scan-[0-9a-f]{12}-[0-9a-f]{16}\.bin$/);
    assert.equal(fs.statSync(path.join(cacheDir(), files[0])).mode & 0o777, 0o600, 'the cache is the user\'s own');

    const second = scan();
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(second.cache, ['accepted'], 'an accepted cache is not written again');
    assert.deepEqual(second.findings, first.findings);
    assert.deepEqual(cacheFiles(), files);
  });

  it('keeps one cache per command: --help does not replace the scan\'s', () => {
    scan();
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '' } });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: shipshape/);
    const files = cacheFiles();
    assert.deepEqual(files.map((f) => f.split('-')[0]), ['other', 'scan']);
    assert.deepEqual(scan().cache, ['accepted']);
  });

  it('compiles around a damaged cache, with the same findings, and writes it again', () => {
    const first = scan();
    const file = path.join(cacheDir(), cacheFiles()[0]);
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 16, Math.min(bytes.length, 4096));
    fs.writeFileSync(file, bytes);
    const damaged = scan();
    assert.equal(damaged.status, 0, damaged.stderr);
    assert.deepEqual(damaged.cache, ['rejected', 'written']);
    assert.deepEqual(damaged.findings, first.findings);
    assert.deepEqual(scan().cache, ['accepted']);
  });

  it('a cache that cannot be written leaves the command as it was', function () {
    if (process.getuid?.() === 0) {
      // root writes through permissions: a file where the folder should be is unwritable for anyone.
      fs.mkdirSync(path.join(cacheHome, 'shipshape'), { recursive: true });
      fs.writeFileSync(cacheDir(), 'not a folder');
    } else {
      fs.chmodSync(cacheHome, 0o500);
    }
    const run = scan();
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.findings, ['n-plus-one src/load.ts:4']);
    assert.deepEqual(run.cache, ['none', 'not written']);
    assert.equal(run.stderr.includes('internal error'), false, run.stderr);
  });

  it('keeps the 12 most recently used caches: using one keeps it, the least recently used go, other files stay', () => {
    scan();
    const [own] = cacheFiles();
    fs.writeFileSync(path.join(cacheDir(), 'notes.txt'), 'not a cache');
    // Caches of copies of Shipshape that are gone, used 1..20 days ago; the scan's own, 30 days ago.
    const day = 86_400_000;
    for (let i = 1; i <= 20; i++) {
      const name = path.join(cacheDir(), `scan-${i.toString(16).padStart(12, '0')}-${'0'.repeat(16)}.bin`);
      fs.writeFileSync(name, 'x');
      fs.utimesSync(name, new Date(Date.now() - i * day), new Date(Date.now() - i * day));
    }
    const ownFile = path.join(cacheDir(), own);
    fs.utimesSync(ownFile, new Date(Date.now() - 30 * day), new Date(Date.now() - 30 * day));
    // Used: accepted, and its time of use is now.
    assert.deepEqual(scan().cache, ['accepted']);
    assert.ok(Date.now() - fs.statSync(ownFile).mtimeMs < 60_000, 'an accepted cache is marked as used');
    // A command without a cache yet writes one, then prunes.
    const checklist = spawnSync(process.execPath, [CLI, 'checklist', ws, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '' } });
    assert.ok(checklist.status === 0 || checklist.status === 1, checklist.stderr);
    const left = cacheFiles();
    assert.equal(left.filter((f) => f.endsWith('.bin')).length, 12);
    assert.ok(left.includes(own), 'the cache used last is kept');
    assert.ok(left.some((f) => f.startsWith('checklist-')), 'the new cache is kept');
    const dummies = left.filter((f) => /^scan-0{10}[0-9a-f]{2}-/.test(f)).map((f) => parseInt(f.slice(5, 17), 16));
    assert.deepEqual(dummies.sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'the ten most recently used of the others are kept');
    assert.ok(left.includes('notes.txt'), 'a file that is not a cache is left alone');
  });

  it('NODE_DISABLE_COMPILE_CACHE (Node\'s own switch) turns it off', () => {
    const run = scan({ NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.findings, ['n-plus-one src/load.ts:4']);
    assert.deepEqual(run.cache, []);
    assert.deepEqual(cacheFiles(), []);
  });

  it('a rebuilt bundle gets a cache of its own, and the old one is removed', () => {
    scan();
    const before = cacheFiles();
    // A copy of dist/ with the bundle rebuilt (here: one byte longer) — V8 alone would take the old cache.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-dist-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'dist'), copy, { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.vsix') && !src.endsWith('extension.js') && !src.endsWith('server.js') });
      const run = (env: Record<string, string> = {}) => {
        const res = spawnSync(process.execPath, [path.join(copy, 'cli.js'), 'scan', ws, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome, NODE_DEBUG: 'shipshape-code-cache', NODE_DISABLE_COMPILE_CACHE: '', ...env } });
        assert.equal(res.status, 0, res.stderr);
        return [...res.stderr.matchAll(/: (none|accepted|rejected|written)\b/g)].map((m) => m[1]);
      };
      assert.deepEqual(run(), ['none', 'written'], 'another path, another cache');
      const withCopy = cacheFiles();
      assert.equal(withCopy.length, 2);
      fs.appendFileSync(path.join(copy, 'cli-main.js'), '\n');
      assert.deepEqual(run(), ['none', 'written'], 'a changed bundle is not given the old cache');
      const after = cacheFiles();
      assert.equal(after.length, 2, 'the changed bundle\'s cache replaced the old one');
      assert.ok(after.includes(before[0]), 'the cache of dist/cli.js is left alone');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('built bundles', () => {
  before(() => ensureServerBuilt());

  it('are ASCII: V8 holds them as one-byte strings, read without UTF-8 decoding', () => {
    for (const file of ['cli.js', 'cli-main.js', 'cli-loadtest.js', 'loadtest-worker.js', 'server.js', 'extension.js']) {
      const bytes = fs.readFileSync(path.join(REPO_ROOT, 'dist', file));
      const at = bytes.findIndex((b) => b > 0x7f);
      assert.equal(at, -1, `dist/${file} has a non-ASCII byte at ${at}: ${bytes.subarray(Math.max(0, at - 40), at + 10).toString('utf8')}`);
    }
  });
});
