import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import { runCli as run } from '../helpers/cli';
import { createWorkspace, removeWorkspace, REPO_ROOT } from '../helpers/workspace';

/** A clean project (no findings) plus one file Shipshape cannot analyse: only the incompleteness can fail the run. */
const CLEAN = { 'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n' };
const DEEP = `export const x = ${'('.repeat(100_000)}1${')'.repeat(100_000)};\n`;

describe('shipshape scan: an incomplete analysis never passes as a clean one', () => {
  let root: string;
  beforeEach(() => {
    root = createWorkspace({ files: { ...CLEAN, 'src/deep.ts': DEEP } });
  });
  afterEach(() => removeWorkspace(root));

  it('exits 1 with the file named, stats.errors and errors[] in JSON, and says how to let it pass', async () => {
    const { code, stdout, stderr } = await run(['scan', '--format', 'json'], root);
    assert.equal(code, 1);
    const json = JSON.parse(stdout);
    assert.deepEqual(json.findings, []);
    assert.deepEqual(json.stats.errors, 1);
    assert.deepEqual(json.errors, [
      { file: 'src/deep.ts', message: 'it nests too deeply for the TypeScript parser; the file is left out of the analysis and the rest is analysed. If it is generated, add it to "exclude" in shipshape.config.json.' },
    ]);
    assert.deepEqual(stderr.split('\n').filter(Boolean), [
      'shipshape: not analysed src/deep.ts: it nests too deeply for the TypeScript parser; the file is left out of the analysis and the rest is analysed. If it is generated, add it to "exclude" in shipshape.config.json.',
      'shipshape: the analysis is incomplete (1 error above), so findings may be missing: exiting 1. Pass --allow-incomplete to let an incomplete scan pass.',
    ]);
  });

  it('--allow-incomplete lets it pass; --fail-on never never fails', async () => {
    const allowed = await run(['scan', '--allow-incomplete', '--format', 'json'], root);
    assert.equal(allowed.code, 0);
    assert.equal(JSON.parse(allowed.stdout).stats.errors, 1);
    assert.doesNotMatch(allowed.stderr, /incomplete/);
    assert.equal((await run(['scan', '--fail-on', 'never'], root)).code, 0);
  });

  it('still exits 1 for findings when incomplete work is allowed', async () => {
    fs.writeFileSync(path.join(root, 'src', 'server.ts'), "import http from 'node:http';\nhttp.createServer().listen(3000);\n");
    assert.equal((await run(['scan', '--allow-incomplete'], root)).code, 1);
  });

  it('text output ends by saying the analysis is incomplete, not "no problems"', async () => {
    const { stdout } = await run(['scan', '--no-color'], root);
    assert.match(stdout, /^not analysed src\/deep\.ts: it nests too deeply/m);
    assert.match(stdout, /^✖ no problems found in 2 files, but the analysis is incomplete: 1 error, findings may be missing \(\d+ ms\)$/m);
    assert.doesNotMatch(stdout, /✔/);
  });

  it('SARIF: executionSuccessful is false and the file has an error notification; the log validates', async () => {
    const { stdout } = await run(['scan', '--format', 'sarif'], root);
    const log = JSON.parse(stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv04({ strict: false, unicodeRegExp: false, allErrors: true, logger: false }).compile(schema);
    assert.equal(validate(log), true, JSON.stringify(validate.errors));
    const [invocation] = log.runs[0].invocations;
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(invocation.toolExecutionNotifications, [
      {
        level: 'error',
        message: { text: 'not analysed src/deep.ts: it nests too deeply for the TypeScript parser; the file is left out of the analysis and the rest is analysed. If it is generated, add it to "exclude" in shipshape.config.json.' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/deep.ts', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  });

  it('a clean, complete scan still exits 0 with stats.errors 0', async () => {
    fs.rmSync(path.join(root, 'src', 'deep.ts'));
    const { code, stdout } = await run(['scan', '--format', 'json'], root);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout).stats.errors, 0);
    assert.deepEqual(JSON.parse(stdout).errors, []);
  });
});

describe('shipshape scan: hostile workspace files, end to end', () => {
  let root: string;
  afterEach(() => removeWorkspace(root));

  it('quotes a file name with a newline so the skipped line stays one line', async () => {
    root = createWorkspace({ files: { ...CLEAN, 'src/bad\nname.ts': 'export const x = (;\n' } });
    const { stderr } = await run(['scan'], root);
    const lines = stderr.split('\n').filter(Boolean);
    assert.deepEqual(lines, ['shipshape: skipped "src/bad\\nname.ts": does not parse at line 1, column 19: Expression expected. Fix the syntax error; the file is skipped until then.']);
  });

  it('invalid JSON in the config: the message says nothing was scanned, matching exit 2', async () => {
    root = createWorkspace({ files: { ...CLEAN, 'shipshape.config.json': '{"rules": }' } });
    const { code, stderr } = await run(['scan'], root);
    assert.equal(code, 2);
    assert.equal(stderr, 'shipshape: shipshape.config.json: shipshape.config.json is not valid JSON at line 1, column 11 (value expected). Fix the syntax. Nothing was scanned: fix the configuration and run again.\n');
  });

  it('a config with a byte order mark is read', async () => {
    root = createWorkspace({ files: { ...CLEAN, 'shipshape.config.json': '\ufeff{"rules": {"n-plus-one": "error"}}' } });
    assert.equal((await run(['scan'], root)).code, 0);
  });

  it('a config symlinked to /dev/zero: exit 2 at once with one line, no hang', async () => {
    root = createWorkspace({ files: CLEAN });
    fs.symlinkSync('/dev/zero', path.join(root, 'shipshape.config.json'));
    const { code, stderr } = await run(['scan'], root);
    assert.equal(code, 2);
    assert.equal(stderr, 'shipshape: shipshape.config.json: shipshape.config.json is not a regular file (a device); replace it with a plain file. Nothing was scanned: fix the configuration and run again.\n');
  });

  it('an option of the wrong type for a rule: exit 2 naming the key', async () => {
    root = createWorkspace({ files: { ...CLEAN, 'shipshape.config.json': '{"rules": {"n-plus-one": {"interprocedural": "no"}}}' } });
    const { code, stderr } = await run(['scan'], root);
    assert.equal(code, 2);
    assert.equal(stderr, 'shipshape: shipshape.config.json: `rules.n-plus-one.interprocedural` must be true or false. Nothing was scanned: fix the configuration and run again.\n');
  });

  it('package.json holding null and a .gitignore line of 40,000 characters: warnings naming them, the scan runs', async () => {
    root = createWorkspace({ files: { ...CLEAN, 'package.json': 'null', '.gitignore': `dist/\n${'x'.repeat(40_000)}\n` } });
    const { code, stderr } = await run(['scan'], root);
    assert.equal(code, 0);
    assert.deepEqual(stderr.split('\n').filter(Boolean), [
      'shipshape: warning: .gitignore:2: a pattern of 40000 characters (over 1000) is not applied; shorten it.',
      `shipshape: warning: ${path.join(root, 'package.json')} holds null, not an object; its dependencies are not used to recognise frameworks and database libraries.`,
    ]);
  });

  it('the built CLI survives a 1 MB line of "(" with exit 1 and valid JSON (no stack trace)', () => {
    root = createWorkspace({ files: { ...CLEAN, 'src/deep.ts': `export const x = ${'('.repeat(1024 * 1024)};\n` } });
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe' });
    const res = spawnSync(process.execPath, [cli, 'scan', root, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(res.status, 1, res.stderr);
    assert.equal(JSON.parse(res.stdout).stats.errors, 1);
    assert.doesNotMatch(res.stderr, /^\s+at /m);
  });
});
