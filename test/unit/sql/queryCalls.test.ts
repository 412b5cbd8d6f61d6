import * as assert from 'node:assert/strict';
import ts from 'typescript';
// Through the registry: loading the rule module first runs into the config ↔ rules import cycle.
import { rules } from '../../../src/core/rules';
import { QueryCallFilter } from '../../../src/core/sql/queryCalls';
import { runRuleTests } from '../../helpers/ruleTester';

/** The calls of `code`, outermost first, by their text. */
function callsOf(code: string): Map<string, ts.CallExpression | ts.TaggedTemplateExpression> {
  const sf = ts.createSourceFile('q.ts', code, ts.ScriptTarget.ES2022, true);
  const out = new Map<string, ts.CallExpression | ts.TaggedTemplateExpression>();
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) || ts.isTaggedTemplateExpression(n)) out.set(n.getText(sf), n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('query call pre-filter (from the descriptors’ queries.calls)', () => {
  const code = [
    "async function f(db: any, res: any, rows: any[], sql: any, knex: any) {",
    "  await db.query('SELECT 1');",
    '  res.json(rows);',
    '  rows.map((r) => r.id);',
    '  await loadUser(1);',
    '  sql`SELECT 1`;',
    "  await db.one(sql.typeAlias('x')`SELECT 1`);",
    "  await knex('users').where('id', 1).first();",
    "  prisma.user.findMany({ where: { id: 1 } });",
    '}',
  ].join('\n');
  const calls = callsOf(code);
  const call = (text: string) => {
    const c = calls.get(text);
    assert.ok(c, `no call ${text}`);
    return c;
  };

  it('admits calls an extractor reads by name or template, whatever the libraries in use', () => {
    const filter = new QueryCallFilter(['pg']);
    assert.equal(filter.admits(call("db.query('SELECT 1')")), true);
    assert.equal(filter.admits(call('sql`SELECT 1`')), true);
    assert.equal(filter.admits(call("db.one(sql.typeAlias('x')`SELECT 1`)")), true);
    assert.equal(filter.admits(call('prisma.user.findMany({ where: { id: 1 } })')), true);
  });

  it('leaves out calls no extractor reads: no checker work for res.json, rows.map, loadUser', () => {
    const filter = new QueryCallFilter(['pg']);
    assert.equal(filter.admits(call('res.json(rows)')), false);
    assert.equal(filter.admits(call('rows.map((r) => r.id)')), false);
    assert.equal(filter.admits(call('loadUser(1)')), false);
    // A Knex chain's last step is read only when a library reading builder chains is in play.
    assert.equal(filter.admits(call("knex('users').where('id', 1).first()")), false);
  });

  it('admits any awaited call when a library that reads lazy builder chains (Knex, Drizzle) is in play', () => {
    for (const lib of ['knex', 'drizzle'] as const) {
      const filter = new QueryCallFilter([lib]);
      assert.equal(filter.admits(call("knex('users').where('id', 1).first()")), true, lib);
      assert.equal(filter.admits(call('loadUser(1)')), true, lib);
      assert.equal(filter.admits(call('res.json(rows)')), false, lib);
    }
  });
});

// Through the rule: what the filter admits is still recognised by provenance, not by names.
const SCHEMA = `CREATE TABLE orders (id bigserial PRIMARY KEY, status text NOT NULL);\n`;
const NOT_SERVED = { messageId: 'notServed', file: 'src/q.ts', messageIncludes: ['`orders` (`status`)'] };

runRuleTests(rules['unindexed-filter'], {
  valid: [
    {
      name: 'pre-filter: a `query` method on an object that is not a database client is not a query',
      files: {
        'migrations/001_init.sql': SCHEMA,
        'src/q.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\nconst search = { query: (text: string, args: unknown[]) => [text, args] };\nexport const q = (s: string) => search.query('SELECT * FROM orders WHERE status = $1', [s]);\n",
      },
    },
  ],
  invalid: [
    {
      name: 'pre-filter: a pg client through a renamed import',
      files: {
        'migrations/001_init.sql': SCHEMA,
        'src/q.ts': "import { Pool as Database } from 'pg';\nconst db = new Database();\nexport const q = (s: string) => db.query('SELECT * FROM orders WHERE status = $1', [s]);\n",
      },
      errors: [{ ...NOT_SERVED, line: 3 }],
    },
    {
      name: 'pre-filter: a pg pool re-exported under another name, and a postgres.js tag renamed',
      files: {
        'migrations/001_init.sql': SCHEMA,
        'src/db.ts': "import * as pgLib from 'pg';\nconst pool = new pgLib.Pool();\nexport { pool as store };\n",
        'src/sql.ts': "import makeSql from 'postgres';\nexport const tag = makeSql();\n",
        'src/q.ts': "import { store } from './db';\nimport { tag as run } from './sql';\nexport const a = (s: string) => store.query('SELECT * FROM orders WHERE status = $1', [s]);\nexport const b = (s: string) => run`SELECT * FROM orders WHERE status = ${s}`;\n",
      },
      errors: [
        { ...NOT_SERVED, line: 3 },
        { ...NOT_SERVED, line: 4 },
      ],
    },
  ],
});
