import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import { runCli as run } from '../helpers/cliRun';
import { copyFixture, createWorkspace, removeWorkspace, REPO_ROOT } from '../helpers/workspace';

describe('shipshape CLI', () => {
  let root: string;
  beforeEach(() => {
    root = copyFixture('cli-express');
  });
  afterEach(() => removeWorkspace(root));

  it('scan: exits 1 on warnings, reports both server rules at the listen call, skips the file that does not parse', async () => {
    const { code, stdout, stderr } = await run(['scan', '.', '--format', 'json'], root);
    assert.equal(code, 1);
    const json = JSON.parse(stdout);
    assert.equal(json.version, 1);
    assert.deepEqual(json.tool, { name: 'shipshape', version: '0.1.0' });
    const got = json.findings.map((f: { ruleId: string; file: string; range: { start: { line: number; column: number } }; severity: string }) => `${f.ruleId} ${f.severity} ${f.file}:${f.range.start.line}:${f.range.start.column}`);
    assert.deepEqual(got, ['missing-graceful-shutdown warning src/server.ts:9:1', 'missing-health-endpoint warning src/server.ts:9:1']);
    assert.equal(json.stats.files, 2);
    assert.match(stderr, /^shipshape: skipped src\/broken\.ts: does not parse at line 1, column 39: ',' expected\. Fix the syntax error; the file is skipped until then\.$/m);
  });

  it('scan: --fail-on decides the exit code', async () => {
    assert.equal((await run(['scan', '--fail-on', 'error'], root)).code, 0);
    assert.equal((await run(['scan', '--fail-on', 'never'], root)).code, 0);
    assert.equal((await run(['scan', '--fail-on', 'info'], root)).code, 1);
  });

  it('scan: exits 0 on a clean project and says so', async () => {
    const clean = createWorkspace({ files: { 'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n' } });
    try {
      const { code, stdout } = await run(['scan', clean], REPO_ROOT);
      assert.equal(code, 0);
      assert.match(stdout, /✔ no problems in 1 files/);
    } finally {
      removeWorkspace(clean);
    }
  });

  it('scan: text output names the file, position, rule and what to do', async () => {
    const { stdout } = await run(['scan', '--no-color'], root);
    assert.match(stdout, /^src\/server\.ts$/m);
    assert.match(stdout, /^ {2}9:1 +warning +.*SIGTERM.* {2}missing-graceful-shutdown$/m);
    assert.match(stdout, /✖ 2 problems \(0 errors, 2 warnings, 0 info\) in 2 files/);
  });

  it('scan: a single file scans within its project', async () => {
    const { code, stdout } = await run(['scan', 'src/server.ts', '--format', 'json'], root);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout).findings.map((f: { file: string }) => f.file), ['src/server.ts', 'src/server.ts']);
  });

  it('scan: --output writes the report to a file and nothing to stdout', async () => {
    const { code, stdout } = await run(['scan', '--format', 'sarif', '--output', 'out/shipshape.sarif'], root);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    const log = JSON.parse(fs.readFileSync(path.join(root, 'out', 'shipshape.sarif'), 'utf8'));
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv04({ strict: false, unicodeRegExp: false, allErrors: true }).compile(schema);
    assert.equal(validate(log), true, JSON.stringify(validate.errors));
    assert.deepEqual(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId), ['missing-graceful-shutdown', 'missing-health-endpoint']);
    const ruleIds = log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    assert.ok(ruleIds.includes('missing-graceful-shutdown') && ruleIds.includes('missing-health-endpoint'));
  });

  it('exits 2 with a one-line message for a path that does not exist', async () => {
    const { code, stderr, stdout } = await run(['scan', 'no/such/dir'], root);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'shipshape: path not found: no/such/dir. Pass a folder or file that exists.\n');
  });

  it('exits 2 naming the key of a malformed shipshape.config.json', async () => {
    fs.writeFileSync(path.join(root, 'shipshape.config.json'), JSON.stringify({ rules: { 'missing-health-endpoint': 'loud' } }));
    const { code, stderr } = await run(['scan'], root);
    assert.equal(code, 2);
    assert.equal(stderr.split('\n').filter(Boolean).length, 1);
    assert.match(stderr, /^shipshape: shipshape\.config\.json: `rules\.missing-health-endpoint` /);
  });

  it('exits 2 for invalid JSON in shipshape.config.json, with its line', async () => {
    fs.writeFileSync(path.join(root, 'shipshape.config.json'), '{\n  "rules": \n}\n');
    const { code, stderr } = await run(['scan'], root);
    assert.equal(code, 2);
    assert.match(stderr, /not valid JSON at line 3, column 1/);
  });

  it('exits 2 on an unknown option or format', async () => {
    const bad = await run(['scan', '--format', 'xml'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /argument 'xml' is invalid\. Allowed choices are text, json, sarif/);
    assert.equal((await run(['scan', '--frobnicate'], root)).code, 2);
    assert.equal((await run(['deploy'], root)).code, 2);
  });

  it('honours rule severities from shipshape.config.json', async () => {
    fs.writeFileSync(path.join(root, 'shipshape.config.json'), JSON.stringify({ rules: { 'missing-health-endpoint': 'off', 'missing-graceful-shutdown': 'error' } }));
    const { code, stdout } = await run(['scan', '--format', 'json', '--fail-on', 'error'], root);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout).findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId}:${f.severity}`), ['missing-graceful-shutdown:error']);
  });

  describe('the built bundle (dist/cli.js)', () => {
    before(function () {
      this.timeout(120_000);
      execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe' });
    });

    it('runs as an executable with --version and --help', () => {
      const version = spawnSync(path.join(REPO_ROOT, 'dist', 'cli.js'), ['--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0);
      assert.equal(version.stdout.trim(), '0.1.0');
      const help = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), '--help'], { encoding: 'utf8' });
      assert.equal(help.status, 0);
      assert.match(help.stdout, /Usage: shipshape \[options\] \[command\]/);
      assert.match(help.stdout, /scan \[options\] \[paths\.\.\.\]/);
    });

    it('scans the fixture with the same exit code and findings as in-process', () => {
      const res = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'scan', root, '--format', 'json'], { encoding: 'utf8' });
      assert.equal(res.status, 1, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout).findings.map((f: { ruleId: string }) => f.ruleId), ['missing-graceful-shutdown', 'missing-health-endpoint']);
    });
  });
});
