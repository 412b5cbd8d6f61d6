import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import { LspTestClient, ensureServerBuilt, uriOf } from '../server/lspClient';
import { createWorkspace, removeWorkspace, REPO_ROOT } from '../helpers/workspace';
import { extractZip } from '../helpers/zip';

/**
 * What users install, tested as they run it: the built bundles in dist/ and the same files taken
 * out of the packaged .vsix, on workspaces copied out of the repository into the OS temp dir, with
 * no node_modules anywhere above them (a user's project has no Shipshape node_modules around it).
 * Everything the sources find, the shipped artifacts must find too: a missing file beside a bundle
 * (TypeScript's lib.*.d.ts, the parser's .wasm) shows up here as a finding that went missing.
 */

/** The shape: a typed array mapped to queries under Promise.all. Array/Promise come from lib.es5.d.ts. */
const TYPED_ARRAY = {
  'src/load.ts': `import { Pool } from 'pg';
const pool = new Pool();
export async function load(ids: string[]) {
  return Promise.all(ids.map((id) => pool.query('SELECT * FROM t WHERE id = $1', [id])));
}
`,
};
const TYPED_ARRAY_FINDING = 'n-plus-one src/load.ts:4:38';

interface JsonFinding {
  ruleId: string;
  file: string;
  message: string;
  range: { start: { line: number; column: number } };
}

const where = (f: JsonFinding) => `${f.ruleId} ${f.file}:${f.range.start.line}:${f.range.start.column}`;

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

/** The findings of the sources (the CLI's main() in this process), the oracle for the artifacts. */
async function scanFromSources(root: string): Promise<JsonFinding[]> {
  const stdout = new Capture();
  const stderr = new Capture();
  await main(['scan', root, '--format', 'json', '--fail-on', 'never'], { stdout, stderr, cwd: root });
  return JSON.parse(stdout.text).findings;
}

function scanWith(cli: string, root: string): { findings: JsonFinding[]; stderr: string } {
  const res = spawnSync(process.execPath, [cli, 'scan', root, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', cwd: os.tmpdir() });
  assert.equal(res.status, 0, `${cli} scan exited ${res.status}: ${res.stderr}`);
  return { findings: JSON.parse(res.stdout).findings, stderr: res.stderr };
}

/** A copy outside the repository; fails if some node_modules above it could lend declarations. */
function outsideCopy(source: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `shipshape-shipped-${path.basename(source)}-`));
  fs.cpSync(source, root, { recursive: true, filter: (p) => path.basename(p) !== 'node_modules' });
  assertNoModulesAbove(root);
  return root;
}

function assertNoModulesAbove(root: string): void {
  for (let dir = root; ; dir = path.dirname(dir)) {
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules')), `${dir}/node_modules exists: this test needs a workspace with no node_modules above it`);
    if (path.dirname(dir) === dir) break;
  }
  assert.ok(path.relative(REPO_ROOT, root).startsWith('..'), `${root} is inside the repository`);
}

const FIXTURES = fs
  .readdirSync(path.join(REPO_ROOT, 'test', 'fixtures'))
  .filter((name) => name.startsWith('n-plus-one-') || name === 'lsp-workspace')
  .map((name) => path.join(REPO_ROOT, 'test', 'fixtures', name));

describe('the shipped artifacts (dist/ and the .vsix) on workspaces outside the repository', function () {
  this.timeout(600_000);
  const workspaces: string[] = [];
  let unpacked: string;
  let example: string;
  let typedArray: string;
  let fromSources: Map<string, JsonFinding[]>;

  before(async function () {
    // The .vsix first: `npm run package` rebuilds dist/ minified; the build below restores the usual one.
    const { ensureVsix } = await import('../e2e/lib/vsix.mjs');
    const vsix = await ensureVsix(REPO_ROOT, { log: () => undefined });
    unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-vsix-'));
    extractZip(vsix, unpacked);
    ensureServerBuilt();
    example = outsideCopy(path.join(REPO_ROOT, 'examples', 'orders-api'));
    typedArray = createWorkspace({ files: TYPED_ARRAY, dependencies: { pg: '^8.16.0' } });
    assertNoModulesAbove(typedArray);
    workspaces.push(example, typedArray);
    fromSources = new Map();
    for (const fixture of FIXTURES) {
      const copy = outsideCopy(fixture);
      workspaces.push(copy);
      fromSources.set(copy, await scanFromSources(copy));
    }
  });

  after(() => {
    for (const ws of workspaces) removeWorkspace(ws);
    if (unpacked) removeWorkspace(unpacked);
  });

  it('the .vsix holds the bundles, the parser and TypeScript\'s lib files', () => {
    const dist = path.join(unpacked, 'extension', 'dist');
    for (const file of ['extension.js', 'server.js', 'cli.js', 'cli-main.js', 'cli-loadtest.js', 'loadtest-worker.js', 'libpg-query.wasm', 'typescript-lib/lib.es5.d.ts', 'typescript-lib/lib.es2022.d.ts', 'typescript-lib/lib.dom.d.ts']) {
      assert.ok(fs.existsSync(path.join(dist, file)), `the .vsix has no extension/dist/${file}`);
    }
  });

  it('only the processes Shipshape owns (CLI, language server) compile WebAssembly with the baseline compiler only; the extension host is left alone', () => {
    const dist = path.join(unpacked, 'extension', 'dist');
    const sets = (file: string) => fs.readFileSync(path.join(dist, file), 'utf8').includes('--liftoff-only');
    assert.equal(sets('cli.js'), true, 'cli.js sets --liftoff-only before the parser loads');
    assert.equal(sets('server.js'), true, 'server.js sets --liftoff-only before the parser loads');
    assert.equal(sets('extension.js'), false, 'the extension host is a shared process: no V8 flag may be set there');
  });

  const artifacts = [
    { name: 'dist/cli.js', cli: () => path.join(REPO_ROOT, 'dist', 'cli.js') },
    { name: 'the .vsix (extension/dist/cli.js)', cli: () => path.join(unpacked, 'extension', 'dist', 'cli.js') },
  ];

  for (const artifact of artifacts) {
    describe(artifact.name, () => {
      it('reports the N+1 of Promise.all(ids.map(...)) over a typed array, with no standard-library warning', () => {
        const { findings, stderr } = scanWith(artifact.cli(), typedArray);
        assert.deepEqual(findings.map(where), [TYPED_ARRAY_FINDING]);
        assert.match(findings[0].message, /`pool\.query\(…\)` runs a query once per element of `ids`/);
        assert.doesNotMatch(stderr, /standard library/);
      });

      it('reports the five n-plus-one/shutdown/health findings of examples/orders-api, the indirect and the typed-array N+1 included', () => {
        // The SQL rules (unindexed-filter, fk-without-index) report on the example too; these are the TypeScript ones.
        const findings = scanWith(artifact.cli(), example).findings.filter((f) => ['n-plus-one', 'missing-graceful-shutdown', 'missing-health-endpoint'].includes(f.ruleId));
        const lines = fs.readFileSync(path.join(example, 'src', 'routes', 'orders.ts'), 'utf8').split('\n');
        const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
        const listen = fs.readFileSync(path.join(example, 'src', 'server.ts'), 'utf8').split('\n').findIndex((l) => /\.listen\(/.test(l)) + 1;
        assert.deepEqual(
          findings.map((f) => `${f.ruleId} ${f.file}:${f.range.start.line}`),
          [
            `n-plus-one src/routes/orders.ts:${lineOf(/await pool\.query\('SELECT sku/)}`,
            `n-plus-one src/routes/orders.ts:${lineOf(/findCustomer\(order\.customer_id\)/)}`,
            `n-plus-one src/routes/orders.ts:${lineOf(/Promise\.all\(ids\.map/)}`,
            `missing-graceful-shutdown src/server.ts:${listen}`,
            `missing-health-endpoint src/server.ts:${listen}`,
          ],
        );
      });

      it('finds in every rule fixture exactly what the sources find', () => {
        for (const [copy, expected] of fromSources) {
          const { findings } = scanWith(artifact.cli(), copy);
          assert.deepEqual(findings.map(where), expected.map(where), `${path.basename(copy)}: the artifact and the sources disagree`);
          assert.deepEqual(findings.map((f) => f.message), expected.map((f) => f.message));
        }
        const nPlusOne = [...fromSources.values()].flat().filter((f) => f.ruleId === 'n-plus-one').length;
        assert.ok(nPlusOne >= 20, `only ${nPlusOne} n-plus-one findings over the fixtures: the comparison proves little`);
      });
    });
  }

  const servers = [
    { name: 'dist/server.js', args: () => [path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], extensionPath: () => REPO_ROOT },
    { name: 'the .vsix (extension/dist/server.js)', args: () => [path.join(unpacked, 'extension', 'dist', 'server.js'), '--stdio'], extensionPath: () => path.join(unpacked, 'extension') },
    // As Neovim and Helix start it: no initializationOptions; doc links point beside the bundle.
    { name: 'shipshape lsp --stdio (dist/cli.js, the package\'s bin)', args: () => [path.join(REPO_ROOT, 'dist', 'cli.js'), 'lsp', '--stdio'], extensionPath: () => null },
    { name: 'shipshape lsp --stdio (the .vsix\'s cli.js)', args: () => [path.join(unpacked, 'extension', 'dist', 'cli.js'), 'lsp', '--stdio'], extensionPath: () => null },
  ];

  for (const server of servers) {
    it(`${server.name} publishes the typed-array N+1 over LSP`, async () => {
      const client = await LspTestClient.start(typedArray, { serverArgs: server.args(), extensionPath: server.extensionPath() });
      try {
        await client.waitForIdle();
        const [d, ...more] = client.diagnosticsOf('src/load.ts');
        assert.ok(d, `no diagnostics for src/load.ts; log:\n${client.logs.join('\n')}`);
        assert.deepEqual(more, []);
        assert.equal(d.code, 'n-plus-one');
        assert.deepEqual(d.range.start, { line: 3, character: 37 });
        const packageRoot = path.dirname(path.dirname(server.args()[0]));
        const docs = path.join(server.extensionPath() ?? packageRoot, 'docs', 'rules', 'n-plus-one.md');
        assert.equal(d.codeDescription?.href, uriOf(docs));
        assert.ok(fs.existsSync(docs), `${docs} is not shipped`);
      } finally {
        await client.stop();
      }
    });
  }
});
