import * as assert from 'node:assert/strict';
import ts from 'typescript';
import { isListDerivedFrom, isPaginated, operationOf, operationOfSql, setFilterOf, sqlTextOf } from '../../src/core/db/queryShape';

/** The outermost call or tagged template of `const x = <expr>` parsed alone (syntax only, no checker). */
function queryOf(expr: string): ts.CallExpression | ts.TaggedTemplateExpression {
  const sf = ts.createSourceFile('q.ts', `const x = ${expr};`, ts.ScriptTarget.Latest, true);
  const decl = (sf.statements[0] as ts.VariableStatement).declarationList.declarations[0];
  let e = decl.initializer!;
  while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  assert.ok(ts.isCallExpression(e) || ts.isTaggedTemplateExpression(e));
  return e;
}

describe('query shapes', () => {
  it('reads the SQL text of a string, a template, a tag and a pg query config', () => {
    assert.equal(sqlTextOf(queryOf("pool.query('SELECT 1')")), 'SELECT 1');
    assert.equal(sqlTextOf(queryOf('pool.query(`SELECT * FROM t WHERE id = ${id}`)')), 'SELECT * FROM t WHERE id = ${}');
    assert.equal(sqlTextOf(queryOf('sql`DELETE FROM t WHERE id = ${id}`')), 'DELETE FROM t WHERE id = ${}');
    assert.equal(sqlTextOf(queryOf("pool.query({ text: 'UPDATE t SET a = 1', values: [] })")), 'UPDATE t SET a = 1');
    assert.equal(sqlTextOf(queryOf('pool.query(text)')), undefined);
  });

  it('tells reads from writes by the SQL verb (after comments and a CTE), the builder chain, then the method', () => {
    assert.equal(operationOfSql('-- audit\nINSERT INTO t VALUES (1)'), 'write');
    assert.equal(operationOfSql('WITH x AS (SELECT 1) SELECT * FROM x'), 'read');
    assert.equal(operationOfSql('   '), undefined);
    assert.equal(operationOf(queryOf("pool.query('SELECT 1')"), 'query'), 'read');
    assert.equal(operationOf(queryOf("db('users').insert(row).then()"), 'then'), 'write');
    assert.equal(operationOf(queryOf('prisma.user.findMany()'), 'findMany'), 'read');
    assert.equal(operationOf(queryOf('prisma.user.upsert(args)'), 'upsert'), 'write');
  });

  it('finds list filters in SQL and in ORM filters, but not lists of constants', () => {
    assert.deepEqual(setFilterOf(queryOf("pool.query('SELECT * FROM t WHERE id = ANY($1)', [ids])"))?.sql, true);
    const prisma = setFilterOf(queryOf('prisma.user.findMany({ where: { id: { in: ids } } })'));
    assert.equal(prisma?.sql, false);
    assert.deepEqual(prisma?.operands.map((o) => o.getText()), ['ids']);
    assert.deepEqual(setFilterOf(queryOf("db('t').whereIn('id', chunk).select()"))?.operands.map((o) => o.getText()), ['chunk']);
    assert.equal(setFilterOf(queryOf("prisma.user.findMany({ where: { status: { in: ['a', 'b'] } } })")), undefined);
    assert.equal(setFilterOf(queryOf("pool.query('SELECT * FROM t WHERE id = $1', [id])")), undefined);
  });

  it('recognises a page (LIMIT n, take/skip, .limit()) but not one row at a time', () => {
    assert.equal(isPaginated(queryOf("pool.query('SELECT * FROM t ORDER BY id LIMIT 100 OFFSET $1', [o])")), true);
    assert.equal(isPaginated(queryOf("pool.query('SELECT * FROM jobs LIMIT 1 FOR UPDATE SKIP LOCKED')")), false);
    assert.equal(isPaginated(queryOf('prisma.post.findMany({ take: 50, cursor: { id } })')), true);
    assert.equal(isPaginated(queryOf('prisma.post.findMany({ take: 1 })')), false);
    assert.equal(isPaginated(queryOf("db('t').limit(20).offset(n).select()")), true);
  });

  it('follows a list through array operations to its root', () => {
    const sf = ts.createSourceFile('q.ts', 'f(chunk.map((r) => r.id).slice(0, 10)); f([...ids]); f(other);', ts.ScriptTarget.Latest, true);
    const args = sf.statements.map((s) => ((s as ts.ExpressionStatement).expression as ts.CallExpression).arguments[0]);
    const isRoot = (id: ts.Identifier) => id.text === 'chunk' || id.text === 'ids';
    assert.deepEqual(args.map((a) => isListDerivedFrom(a, isRoot)), [true, true, false]);
  });
});
