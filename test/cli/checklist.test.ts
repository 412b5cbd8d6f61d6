import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import { runCli } from '../helpers/cli';
import { createWorkspace, removeWorkspace, REPO_ROOT } from '../helpers/workspace';

const run = runCli;

const SERVER = "import express from 'express';\nconst app = express();\napp.listen(3000);\n";

describe('shipshape checklist (CLI)', () => {
  let root: string;
  beforeEach(() => {
    root = createWorkspace({ files: { 'src/server.ts': SERVER, Dockerfile: 'FROM node\nRUN npm install\n' }, dependencies: { express: '5.0.0' } });
  });
  afterEach(() => removeWorkspace(root));

  it('--format json prints SPEC\'s object: score, categories, items with evidence and next', async () => {
    const { code, stdout } = await run(['checklist', '.', '--format', 'json'], root);
    assert.equal(code, 0);
    const json = JSON.parse(stdout);
    assert.equal(json.version, 1);
    assert.equal(typeof json.score, 'number');
    assert.deepEqual(json.categories.map((c: { id: string }) => c.id), ['observability', 'reliability', 'deployment', 'disaster-recovery', 'security', 'documentation', 'testing']);
    const health = json.categories[0].items[0];
    assert.deepEqual(health.id, 'observability.health-endpoints');
    assert.deepEqual(health.title, 'Health endpoints');
    assert.equal(health.status, 'fail');
    assert.deepEqual(health.evidence, [{ file: 'src/server.ts', line: 3, note: 'server started here; no health route found' }]);
    assert.match(health.next, /^Add \/livez and \/readyz \(readiness pings the database\)\./);
  });

  it('--min-score exits 1 below the score and 0 at or above it', async () => {
    const { stdout } = await run(['checklist', '--format', 'json'], root);
    const score = JSON.parse(stdout).score as number;
    assert.equal((await run(['checklist', '--min-score', String(score + 1)], root)).code, 1);
    const below = await run(['checklist', '--min-score', String(score + 1)], root);
    assert.match(below.stderr, new RegExp(`score ${score} is below --min-score ${score + 1}`));
    assert.equal((await run(['checklist', '--min-score', String(score)], root)).code, 0);
  });

  it('usage errors exit 2 with one line', async () => {
    const bad = await run(['checklist', '--min-score', 'lots'], root);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'shipshape: --min-score must be a number from 0 to 100, got "lots".\n');
    const missing = await run(['checklist', 'nope'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^shipshape: path not found: nope\. Pass the folder of the project/);
    fs.writeFileSync(path.join(root, 'shipshape.config.json'), JSON.stringify({ checklist: { answers: { 'security.tlz': { status: 'pass', note: 'x' } } } }));
    const config = await run(['checklist'], root);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /`security\.tlz` in `checklist\.answers` is not a checklist item/);
  });

  it('text lists every category with its score and the next step of failed items', async () => {
    const { stdout } = await run(['checklist'], root);
    assert.match(stdout, /^Production readiness: \d+\/100\n/);
    assert.match(stdout, /\n {2}✖ fail {3}observability\.health-endpoints {2}Health endpoints\n {13}src\/server\.ts:3: server started here; no health route found\n {13}→ Add \/livez and \/readyz/);
    assert.match(stdout, /\nTesting \d+\/100\n/);
  });

  it('--format sarif: one result per warn/fail item, at its evidence', async () => {
    const { stdout } = await run(['checklist', '--format', 'sarif'], root);
    const log = JSON.parse(stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv04({ strict: false, unicodeRegExp: false, allErrors: true }).compile(schema);
    assert.equal(validate(log), true, JSON.stringify(validate.errors));
    assert.equal(log.version, '2.1.0');
    const rules = log.runs[0].tool.driver.rules as Array<{ id: string }>;
    assert.equal(rules.length, 43);
    const docker = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'deployment.docker-non-root');
    assert.equal(docker.level, 'error');
    assert.deepEqual(docker.locations[0].physicalLocation, { artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
  });

  it('the built CLI runs the checklist of the bundled example (npm test builds first)', () => {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const out = spawnSync(process.execPath, [cli, 'checklist', path.join(REPO_ROOT, 'examples', 'orders-api'), '--format', 'json'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const json = JSON.parse(out.stdout);
    const nPlusOne = json.categories[1].items.find((i: { id: string }) => i.id === 'reliability.no-n-plus-one');
    assert.equal(nPlusOne.status, 'fail');
    assert.deepEqual(nPlusOne.evidence.map((e: { file: string; line: number }) => `${e.file}:${e.line}`), ['src/routes/orders.ts:25', 'src/routes/orders.ts:31', 'src/routes/orders.ts:40']);
  });
});
