import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli as run } from '../helpers/cli';
import { copyFixture, removeWorkspace } from '../helpers/workspace';

/** `shipshape scan` on a workspace whose migration has a statement PostgreSQL rejects. */
describe('shipshape scan: malformed migration statements', () => {
  let root: string;
  beforeEach(() => {
    root = copyFixture('sql-lsp-workspace');
    fs.writeFileSync(
      path.join(root, 'migrations', '003_audit.sql'),
      'CREATE TABLE audit (id bigserial PRIMARY KEY);\n\nCREAT INDEX audit_id ON audit (id);\nCREATE TABLE shipments (\n  id bigserial PRIMARY KEY,\n  order_id bigint NOT NULL REFERENCES orders (id)\n);\n',
    );
  });
  afterEach(() => removeWorkspace(root));

  it('JSON: the statement is in skipped[] with its file and 1-based line; the findings after it are reported', async () => {
    const { stdout, stderr } = await run(['scan', '.', '--format', 'json'], root);
    const json = JSON.parse(stdout);
    assert.deepEqual(
      json.skipped.map((s: { file: string; line?: number; reason: string }) => `${s.file}:${s.line} ${s.reason.slice(0, 67)}`),
      ['migrations/003_audit.sql:3 PostgreSQL rejects this statement (syntax error at or near "CREAT")'],
    );
    const got = json.findings.map((f: { ruleId: string; file: string; range: { start: { line: number } } }) => `${f.ruleId} ${f.file}:${f.range.start.line}`);
    assert.ok(got.includes('fk-without-index migrations/003_audit.sql:6'), got.join('\n'));
    assert.ok(got.includes('unindexed-filter src/orders.ts:6'), got.join('\n'));
    assert.match(stderr, /^shipshape: skipped migrations\/003_audit\.sql:3: PostgreSQL rejects this statement \(syntax error at or near "CREAT"\); it is skipped/m);
  });

  it('text: says which line was skipped and what to do', async () => {
    const { stdout } = await run(['scan', '--no-color'], root);
    assert.match(stdout, /^skipped migrations\/003_audit\.sql:3: PostgreSQL rejects this statement .*Fix the statement, or leave the file out through `migrations` in shipshape\.config\.json\.$/m);
  });
});
