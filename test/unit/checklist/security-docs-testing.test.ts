import * as assert from 'node:assert/strict';
import { checklistOf, evidence, EXPRESS_SERVER, item } from './helpers';

const deps = { express: '5.0.0', pg: '8.0.0' };

describe('checklist: security, documentation, testing', () => {
  it('sql-injection: request data interpolated into pool.query fails; parameters pass', () => {
    const route = "import express from 'express';\nimport { Pool } from 'pg';\nconst pool = new Pool({ max: 5 });\nconst app = express();\napp.get('/o', async (req, res) => {\n  const { sort } = req.query;\n  const r = await pool.query(`SELECT * FROM orders ORDER BY ${sort}`);\n  res.json(r.rows);\n});\napp.listen(3000);\n";
    const r = checklistOf({ files: { 'src/server.ts': route }, dependencies: deps });
    const i = item(r, 'security.sql-injection');
    assert.equal(i.status, 'fail');
    assert.deepEqual(evidence(i), ['src/server.ts:7 pool.query: SQL text built by interpolating request data']);
    const safe = route.replace('`SELECT * FROM orders ORDER BY ${sort}`', "'SELECT * FROM orders WHERE id = $1', [sort]");
    const s = item(checklistOf({ files: { 'src/server.ts': safe }, dependencies: deps }), 'security.sql-injection');
    assert.equal(s.status, 'pass');
    const table = "import { Pool } from 'pg';\nconst pool = new Pool();\nconst TABLE = 'orders';\nexport const all = () => pool.query('SELECT * FROM ' + TABLE);\n";
    const w = item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/db.ts': table }, dependencies: deps }), 'security.sql-injection');
    assert.equal(w.status, 'warn');
    assert.match(evidence(w)[0], /^src\/db\.ts:4 pool\.query: SQL text built by interpolation/);
  });

  it('input-validation: bodies read without a validator fail; zod passes', () => {
    const route = "import express from 'express';\nconst app = express();\napp.post('/o', (req, res) => { res.json(req.body); });\napp.listen(3000);\n";
    const r = item(checklistOf({ files: { 'src/server.ts': route }, dependencies: deps }), 'security.input-validation');
    assert.equal(r.status, 'fail');
    assert.match(evidence(r)[0], /^src\/server\.ts:3 1 request body read \(first here\), and no validation library/);
    const zod = "import { z } from 'zod';\nexport const Order = z.object({ id: z.number() });\n";
    const ok = item(checklistOf({ files: { 'src/server.ts': route, 'src/schema.ts': zod }, dependencies: deps }), 'security.input-validation');
    assert.equal(ok.status, 'pass');
  });

  it('secrets: a .env not covered by .gitignore warns, a private key fails; .env.example is fine', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, '.env': 'DATABASE_URL=postgres://u:p@localhost/db\n', '.env.example': 'DATABASE_URL=\n' }, dependencies: deps });
    const s = item(r, 'security.secrets');
    assert.equal(s.status, 'warn');
    assert.deepEqual(evidence(s), ['.env:1 .env is not covered by .gitignore: it will be committed']);
    const ignored = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, '.env': 'X=1\n', '.gitignore': '.env\n' }, dependencies: deps });
    assert.equal(item(ignored, 'security.secrets').status, 'pass');
    const key = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'config/jwt.pem': 'x\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n' }, dependencies: deps });
    assert.equal(item(key, 'security.secrets').status, 'fail');
    assert.deepEqual(evidence(item(key, 'security.secrets')), ['config/jwt.pem:2 private key in the file']);
  });

  it('security headers: helmet mounted passes; none warns with the framework snippet', () => {
    const r = checklistOf({ files: { 'src/server.ts': "import helmet from 'helmet';\n" + EXPRESS_SERVER + 'app.use(helmet());\n' }, dependencies: deps });
    assert.deepEqual(evidence(item(r, 'security.security-headers')), ['src/server.ts:7 helmet mounted']);
    const none = item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: deps }), 'security.security-headers');
    assert.equal(none.status, 'warn');
    assert.match(none.next, /app\.use\(helmet\(\)\)/);
  });

  it('tls: verification turned off fails', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/pool.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ ssl: { rejectUnauthorized: false } });\n" }, dependencies: deps });
    assert.equal(item(r, 'security.tls').status, 'fail');
    assert.deepEqual(evidence(item(r, 'security.tls')), ['src/pool.ts:2 certificate verification turned off: anyone on the path can read and change this traffic']);
  });

  it('authentication: jsonwebtoken used passes; a dependency never used warns', () => {
    const auth = "import jwt from 'jsonwebtoken';\nexport const verify = (t: string) => jwt.verify(t, 'k');\n";
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/auth.ts': auth }, dependencies: deps }), 'security.authentication').status, 'pass');
    const unused = item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: { ...deps, passport: '0.7.0' } }), 'security.authentication');
    assert.equal(unused.status, 'warn');
    assert.match(evidence(unused)[0], /^package\.json:\d+ passport is a dependency but is never used in code$/);
  });

  it('documentation: README with run instructions, OpenAPI file, architecture doc', () => {
    const readme = '# Orders API\n\nServes orders.\n\n## Getting started\n\n```sh\nnpm ci\nnpm run dev\n```\n' + 'More words about configuration. '.repeat(10);
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'README.md': readme, 'docs/openapi.yaml': 'openapi: 3.1.0\n', 'docs/ARCHITECTURE.md': '# Arch\n' }, dependencies: deps });
    assert.equal(item(r, 'documentation.readme').status, 'pass');
    assert.deepEqual(evidence(item(r, 'documentation.api-docs')), ['docs/openapi.yaml:1 OpenAPI document']);
    assert.deepEqual(evidence(item(r, 'documentation.architecture')), ['docs/ARCHITECTURE.md:1 architecture document']);
    assert.equal(item(r, 'documentation.on-call').status, 'manual');
    const none = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: deps });
    assert.equal(item(none, 'documentation.readme').status, 'fail');
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'README.md': '# x\n' }, dependencies: deps }), 'documentation.readme').status, 'warn');
  });

  it('testing: tests, integration tests through supertest, coverage threshold, security scan in CI', () => {
    const pkg = JSON.stringify({ name: 'x', scripts: { test: 'vitest run --coverage' }, devDependencies: { vitest: '3.0.0', supertest: '7.0.0' } }, null, 2);
    const files = {
      'src/server.ts': EXPRESS_SERVER,
      'package.json': pkg,
      'test/orders.test.ts': "import request from 'supertest';\nexport const r = request;\n",
      'vitest.config.ts': "export default { test: { coverage: { thresholds: { lines: 80 } } } };\n",
      '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n      - run: npm test\n      - run: npm audit --audit-level=high\n',
    };
    const r = checklistOf({ files });
    assert.equal(item(r, 'testing.unit-tests').status, 'pass');
    assert.deepEqual(evidence(item(r, 'testing.unit-tests')), ['package.json:7 test runner vitest', 'test/orders.test.ts:1 1 test file (first: orders.test.ts)']);
    assert.deepEqual(evidence(item(r, 'testing.integration-tests')), ['test/orders.test.ts:1 supertest used in a test']);
    assert.deepEqual(evidence(item(r, 'testing.coverage-threshold')), ['vitest.config.ts:1 coverage threshold: vitest.config.ts: export default { test: { coverage: { thresholds: { lines: 80 } } } };']);
    assert.deepEqual(evidence(item(r, 'testing.security-scan')), ['.github/workflows/ci.yml:8 CI scans: npm audit --audit-level=high']);
    const bare = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'package.json': JSON.stringify({ name: 'x', scripts: { test: 'echo "Error: no test specified" && exit 1' } }) } });
    assert.equal(item(bare, 'testing.unit-tests').status, 'fail');
    assert.equal(item(bare, 'testing.security-scan').status, 'fail');
  });

  it('load tests: the latest saved run decides; malformed runs are a note', () => {
    const run = (passed: boolean) => JSON.stringify({ version: 1, target: 'http://127.0.0.1:3000/', passed, summary: { latencyMs: { p95: 17 } }, finishedAt: '2026-11-30T10:00:00Z' });
    const ok = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, '.shipshape/runs/2026-11-30T10-00-00.json': run(true) }, dependencies: deps });
    assert.equal(item(ok, 'testing.load-tests').status, 'pass');
    assert.equal(evidence(item(ok, 'testing.load-tests'))[0], '.shipshape/runs/2026-11-30T10-00-00.json:1 latest run 2026-11-30T10:00:00Z against http://127.0.0.1:3000/, p95 17 ms: thresholds passed');
    const failed = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, '.shipshape/runs/a.json': run(true), '.shipshape/runs/b.json': run(false), '.shipshape/runs/c.json': '{ not json' }, dependencies: deps });
    assert.equal(item(failed, 'testing.load-tests').status, 'warn');
    assert.ok(failed.problems.some((p) => p.file === '.shipshape/runs/c.json' && /is not valid JSON; it is ignored/.test(p.note)));
    assert.equal(item(checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: deps }), 'testing.load-tests').status, 'warn');
  });

  it('malformed package.json is a note, never a crash', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'package.json': '{ "name": "x", ' } });
    assert.ok(r.problems.some((p) => p.file === 'package.json' && /package\.json is not valid JSON/.test(p.note)));
    assert.equal(typeof r.score, 'number');
  });

  it('disaster recovery: backups from a pg_dump CronJob; restore and failover stay manual', () => {
    const cron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: backup\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: dump\n              image: postgres:17\n              command: ["sh", "-c", "pg_dump $DATABASE_URL | gzip > /b/db.gz"]\n';
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/pool.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n", 'k8s/backup.yaml': cron, 'docs/runbook.md': '# Runbook\n' }, dependencies: deps });
    assert.equal(item(r, 'disaster-recovery.backups').status, 'pass');
    assert.match(evidence(item(r, 'disaster-recovery.backups'))[0], /^k8s\/backup\.yaml:14 backup configured: pg_dump \$DATABASE_URL/);
    assert.equal(item(r, 'disaster-recovery.restore-tested').status, 'manual');
    assert.equal(item(r, 'disaster-recovery.failover').status, 'manual');
    assert.deepEqual(evidence(item(r, 'disaster-recovery.runbooks')), ['docs/runbook.md:1 runbook']);
  });
});
