import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { checkScan, copyBase, findingKey, hostileGitignore, hostileNewFile, hostileProjectFile, scanJson, writeFiles, type HostileFile, type JsonReport } from './hostile';

/**
 * The fuzz suite (issue 9): property-based, over a copy of the bundled example API.
 * Bounded in time (SHIPSHAPE_FUZZ_SECONDS per property, default 18) because it runs in `npm test`
 * on shared machines; the seed is printed, and SHIPSHAPE_FUZZ_SEED replays a run
 * (fast-check also prints the seed and the shrunk counterexample's path on failure).
 * bench/fuzz-long.ts runs the same properties for longer, through the built CLI.
 */
const SEED = Number(process.env.SHIPSHAPE_FUZZ_SEED ?? Date.now() % 2 ** 31);
const SECONDS = Number(process.env.SHIPSHAPE_FUZZ_SECONDS ?? 18);

describe(`fuzz: hostile workspaces (seed ${SEED}; replay with SHIPSHAPE_FUZZ_SEED=${SEED})`, function () {
  this.timeout((SECONDS * 2 + 60) * 1000);
  let baseline: string[];
  let baselineFiles: Set<string>;
  const roots: string[] = [];
  const fresh = () => {
    const root = copyBase();
    roots.push(root);
    return root;
  };

  before(async function () {
    this.timeout(120_000);
    const run = await scanJson(fresh());
    const report = checkScan(run, false)!;
    baseline = report.findings.map(findingKey).sort();
    baselineFiles = new Set(report.findings.map((f) => f.file));
    // The example's own problems, named so that losing one shows.
    for (const expected of ['missing-graceful-shutdown src/server.ts:7:1', 'missing-health-endpoint src/server.ts:7:1', 'n-plus-one src/routes/orders.ts:25:35']) {
      assert.ok(baseline.includes(expected), `${expected} not in ${baseline.join(', ')}`);
    }
  });
  let scans = 0;
  let hostileFiles = 0;
  afterEach(() => {
    for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });
  after(() => console.log(`      fuzz: seed ${SEED}, ${scans} scans of ${hostileFiles} hostile files`));

  const settings = (seedOffset: number) => ({
    seed: SEED + seedOffset,
    numRuns: 1_000,
    interruptAfterTimeLimit: SECONDS * 1000,
    markInterruptAsFailure: false,
    endOnFailure: true,
  });

  it('new hostile files (deep, garbage, binary, huge, odd names; sources, migrations, a .gitignore): exit 1, valid JSON, every finding of the untouched files kept', async () => {
    const inputs: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(hostileNewFile, { minLength: 1, maxLength: 8 }), fc.option(hostileGitignore, { nil: undefined }), async (files, gitignore) => {
        const root = fresh();
        const all: HostileFile[] = gitignore ? [...files, gitignore] : files;
        writeFiles(root, all);
        const report = checkScan(await scanJson(root), false) as JsonReport;
        const kept = report.findings.filter((f) => baselineFiles.has(f.file)).map(findingKey).sort();
        assert.deepEqual(kept, baseline, 'findings of untouched files changed');
        // Every file the scan could not use is named: a hostile file never becomes an anonymous error.
        for (const e of report.errors) assert.ok(e.file !== undefined, JSON.stringify(e));
        inputs.push(all.length);
        scans++;
        hostileFiles += all.length;
        fs.rmSync(root, { recursive: true, force: true });
      }),
      settings(0),
    );
    assert.ok(inputs.length > 0, 'no input ran');
  });

  it('edits to the files that describe the project (config, package.json, tsconfig.json, sources, migrations): never a crash, a refused config is one line', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileProjectFile, { minLength: 1, maxLength: 3 }), async (edits) => {
        const root = fresh();
        writeFiles(root, edits);
        checkScan(await scanJson(root), edits.some((f) => f.rel === 'shipshape.config.json'));
        runs++;
        scans++;
        hostileFiles += edits.length;
        fs.rmSync(root, { recursive: true, force: true });
      }),
      settings(1),
    );
    assert.ok(runs > 0, 'no input ran');
  });

  it('the checks themselves catch what they are for (a lost finding, a crash)', () => {
    // A property that could never fail would prove nothing: feed checkScan the failures it exists to catch.
    assert.throws(() => checkScan({ code: 2, stdout: '', stderr: 'shipshape: internal error: Maximum call stack size exceeded. Please report this with the command you ran.\n', ms: 1 }, true), /internal error/);
    assert.throws(() => checkScan({ code: 0, stdout: JSON.stringify({ findings: [], skipped: [], errors: [{ message: 'x' }], stats: { files: 1, errors: 1 } }), stderr: '', ms: 1 }, false), /incomplete scan exited 0/);
    assert.throws(() => checkScan({ code: 1, stdout: '', stderr: 'shipshape: skipped "a\nb.ts": x\n', ms: 1 }, false), /spans several lines/);
    assert.throws(() => checkScan({ code: 1, stdout: '{"findings": [', stderr: '', ms: 1 }, false), SyntaxError);
  });
});
