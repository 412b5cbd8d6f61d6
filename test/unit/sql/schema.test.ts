import * as assert from 'node:assert/strict';
import { statementsOfFile } from '../../../src/core/sql/migrations';
import { loadSqlParser, splitStatements } from '../../../src/core/sql/parser';
import type { SchemaModel } from '../../../src/core/sql/schema';
import { buildSchema } from '../../../src/core/sql/schemaSource';

/** Builds a schema from SQL files given in apply order (the real parser, the real builder). */
function schemaOf(...files: string[]): SchemaModel {
  return buildSchema(files.flatMap((sql, i) => statementsOfFile({ file: `/ws/migrations/${i + 1}.sql`, style: 'sql', folder: '/ws/migrations' }, sql)));
}

function indexSummary(schema: SchemaModel, table: string): string[] {
  return schema.lookup(table)!.indexes.map((i) => `${i.name}:${i.method}:${i.unique ? 'u' : ''}${i.primary ? 'p' : ''}(${i.keys.map((k) => (k.column ?? k.expression!.text) + (k.descending ? ' desc' : '')).join(',')})${i.predicate ? ' where ' + i.predicate.text : ''}`);
}

describe('sql: statement splitting', () => {
  before(loadSqlParser);

  it('gives each statement its text and offsets, skipping comments and blank lines', () => {
    const text = '-- create\nCREATE TABLE a (id int);\n\n/* x; */ SELECT \'é;\' ;\nSELECT $$a;b$$';
    const stmts = splitStatements(text);
    assert.deepEqual(stmts.map((s) => s.text), ['CREATE TABLE a (id int)', "SELECT 'é;'", 'SELECT $$a;b$$']);
    for (const s of stmts) assert.equal(text.slice(s.start, s.end), s.text);
  });

  it('keeps parsing after a malformed statement and points at the bad token', () => {
    const text = 'CREATE TABLE a (id int);\nCREAT TABLE b (id int);\nCREATE TABLE c (id int);';
    const stmts = splitStatements(text);
    assert.equal(stmts.length, 3);
    assert.ok(stmts[0].ast && stmts[2].ast);
    assert.match(stmts[1].error!.message, /syntax error at or near "CREAT"/);
    assert.equal(text.slice(stmts[1].error!.offset, stmts[1].error!.offset + 5), 'CREAT');
  });
});

describe('sql: schema model', () => {
  before(loadSqlParser);

  it('reads columns with types, nullability and defaults', () => {
    const s = schemaOf(`CREATE TABLE users (
      id bigserial PRIMARY KEY,
      email varchar(255) NOT NULL,
      name text,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz DEFAULT now(),
      n integer GENERATED ALWAYS AS IDENTITY
    );`);
    const cols = [...s.lookup('users')!.columns.values()].map((c) => `${c.name} ${c.type} ${c.nullable ? 'null' : 'not null'}${c.default ? ' = ' + c.default : ''}`);
    assert.deepEqual(cols, [
      "id bigserial not null = nextval('users_id_seq')",
      'email varchar(255) not null',
      'name text null',
      'active boolean not null = true',
      'created_at timestamp with time zone null = now()',
      'n integer not null = generated as identity',
    ]);
  });

  it('creates the indexes behind PRIMARY KEY and UNIQUE, named as PostgreSQL names them', () => {
    const s = schemaOf(`CREATE TABLE memberships (tenant_id int, user_id int, email text UNIQUE, PRIMARY KEY (tenant_id, user_id), CONSTRAINT m_uq UNIQUE (user_id, email));`);
    assert.deepEqual(indexSummary(s, 'memberships'), ['memberships_email_key:btree:u(email)', 'memberships_pkey:btree:up(tenant_id,user_id)', 'm_uq:btree:u(user_id,email)']);
    assert.equal(s.lookup('memberships')!.columns.get('tenant_id')!.nullable, false);
  });

  it('reads CREATE INDEX in all its forms: method, expressions, DESC, INCLUDE, partial, CONCURRENTLY, IF NOT EXISTS', () => {
    const s = schemaOf(
      `CREATE TABLE orders (id serial PRIMARY KEY, user_id int, status text, email text, tags text[], created_at timestamptz, deleted_at timestamptz, data jsonb);`,
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_created ON orders (user_id, created_at DESC) INCLUDE (status);
       CREATE UNIQUE INDEX orders_email_lower ON orders (lower(email));
       CREATE INDEX ON orders USING gin (tags);
       CREATE INDEX orders_live ON public.orders (status) WHERE deleted_at IS NULL;
       CREATE INDEX orders_hash ON orders USING hash (email);
       CREATE INDEX orders_brin ON orders USING brin (created_at);
       CREATE INDEX IF NOT EXISTS orders_user_created ON orders (status);`,
    );
    assert.deepEqual(indexSummary(s, 'orders'), [
      'orders_pkey:btree:up(id)',
      'orders_user_created:btree:(user_id,created_at desc)',
      'orders_email_lower:btree:u(lower(email))',
      'orders_tags_idx:gin:(tags)',
      'orders_live:btree:(status) where deleted_at IS NULL',
      'orders_hash:hash:(email)',
      'orders_brin:brin:(created_at)',
    ]);
    const t = s.lookup('orders')!;
    assert.deepEqual(t.indexes[1].include, ['status']);
    assert.deepEqual(t.indexes[2].keys[0].expression!.columns, ['email']);
  });

  it('reads foreign keys written on the column and on the table, with the constraint range', () => {
    const sql = `CREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE orders (\n  id int PRIMARY KEY,\n  user_id int REFERENCES users ON DELETE CASCADE,\n  a int, b int,\n  CONSTRAINT orders_ab_fk FOREIGN KEY (a, b) REFERENCES pairs (x, y)\n);\nALTER TABLE orders ADD FOREIGN KEY (b) REFERENCES users (id);`;
    const s = schemaOf(sql);
    const fks = s.lookup('orders')!.foreignKeys;
    assert.deepEqual(
      fks.map((f) => `${f.name}(${f.columns}) -> ${f.references.table}(${f.references.columns})${f.onDelete ? ' ' + f.onDelete : ''} @${f.origin.range.start.line}:${f.origin.range.start.character}`),
      ['orders_user_id_fkey(user_id) -> users(id) cascade @3:14', 'orders_ab_fk(a,b) -> pairs(x,y) @5:2', 'orders_b_fkey(b) -> users(id) @7:23'],
    );
    const lines = sql.split('\n');
    const r = fks[1].origin.range;
    assert.equal(lines[r.start.line].slice(r.start.character, r.end.character), 'CONSTRAINT orders_ab_fk FOREIGN KEY (a, b) REFERENCES pairs (x, y)');
  });

  it('reads CHECK constraints and EXCLUDE constraints (an index of their method)', () => {
    const s = schemaOf(`CREATE TABLE bookings (id int, room int, during tstzrange, CHECK (room > 0), CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&));`);
    const t = s.lookup('bookings')!;
    assert.deepEqual(t.checks.map((c) => `${c.name}: ${c.text}`), ['bookings_check: room > 0']);
    assert.deepEqual(indexSummary(s, 'bookings'), ['no_overlap:gist:(room,during)']);
  });

  it('applies ALTER TABLE: add/drop column, not null, default, type, add/drop constraint', () => {
    const s = schemaOf(
      `CREATE TABLE t (id int, a int, b int, c text);
       CREATE INDEX t_b ON t (b);
       ALTER TABLE t ADD COLUMN d int NOT NULL DEFAULT 0, DROP COLUMN b, ALTER COLUMN c SET NOT NULL, ALTER COLUMN a TYPE bigint,
         ADD CONSTRAINT t_pk PRIMARY KEY (id), ADD CONSTRAINT t_a_uq UNIQUE (a);
       ALTER TABLE t DROP CONSTRAINT t_a_uq;
       ALTER TABLE t ALTER COLUMN d DROP DEFAULT;`,
    );
    const t = s.lookup('t')!;
    assert.deepEqual([...t.columns.keys()], ['id', 'a', 'c', 'd']);
    assert.equal(t.columns.get('a')!.type, 'bigint');
    assert.equal(t.columns.get('c')!.nullable, false);
    assert.equal(t.columns.get('d')!.default, undefined);
    assert.deepEqual(indexSummary(s, 't'), ['t_pk:btree:up(id)']);
  });

  it('applies renames of tables, columns (in indexes, predicates and foreign keys), indexes and constraints', () => {
    const s = schemaOf(
      `CREATE TABLE users (id int PRIMARY KEY, mail text);
       CREATE TABLE orders (id int, uid int REFERENCES users (id), gone boolean);
       CREATE INDEX orders_uid ON orders (uid) WHERE gone IS NOT TRUE;
       CREATE INDEX users_mail ON users (lower(mail));`,
      `ALTER TABLE users RENAME TO accounts;
       ALTER TABLE accounts RENAME COLUMN id TO account_id;
       ALTER TABLE accounts RENAME COLUMN mail TO email;
       ALTER TABLE orders RENAME COLUMN uid TO account_id;
       ALTER TABLE orders RENAME COLUMN gone TO deleted;
       ALTER INDEX orders_uid RENAME TO orders_account;
       ALTER TABLE accounts RENAME CONSTRAINT users_pkey TO accounts_pkey;`,
    );
    assert.equal(s.lookup('users'), undefined);
    assert.deepEqual(indexSummary(s, 'accounts'), ['accounts_pkey:btree:up(account_id)', 'users_mail:btree:(lower(email))']);
    assert.deepEqual(indexSummary(s, 'orders'), ['orders_account:btree:(account_id) where deleted IS NOT TRUE']);
    const fk = s.lookup('orders')!.foreignKeys[0];
    assert.deepEqual([fk.columns, fk.references.table, fk.references.columns], [['account_id'], 'accounts', ['account_id']]);
  });

  it('applies drops: tables (and the foreign keys into them), indexes, columns with their indexes', () => {
    const s = schemaOf(
      `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int, a_id int REFERENCES a, x int, y int);
       CREATE INDEX b_x ON b (x); CREATE INDEX b_xy ON b (y, x); CREATE INDEX b_y ON b (y);`,
      `DROP TABLE IF EXISTS a CASCADE; DROP INDEX CONCURRENTLY IF EXISTS b_y; ALTER TABLE b DROP COLUMN x; DROP TABLE nothing_here;`,
    );
    assert.equal(s.lookup('a'), undefined);
    assert.deepEqual(s.lookup('b')!.foreignKeys, []);
    assert.deepEqual(indexSummary(s, 'b'), []);
  });

  it('keeps schemas apart, follows SET search_path and SET SCHEMA, defaults to public', () => {
    const s = schemaOf(
      `CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int PRIMARY KEY); CREATE TABLE invoices (id int);
       SET search_path TO audit, public; CREATE TABLE events (id int);
       CREATE TABLE moved (id int); ALTER TABLE moved SET SCHEMA billing;`,
      `CREATE TABLE later (id int);`,
    );
    assert.deepEqual(s.allTables().map((t) => `${t.schema}.${t.name}`), ['billing.invoices', 'public.invoices', 'audit.events', 'billing.moved', 'public.later']);
    assert.equal(s.lookup('invoices')!.schema, 'public');
    assert.equal(s.lookup('invoices', 'billing')!.indexes.length, 1);
    assert.equal(s.lookup('events')!.schema, 'audit', 'an unqualified name found in exactly one other schema');
  });

  it('folds unquoted identifiers to lower case and keeps quoted ones exactly', () => {
    const s = schemaOf(`CREATE TABLE "User" ("createdAt" timestamptz, Email text); CREATE TABLE Orders (ID int); CREATE INDEX ON "User" ("createdAt");`);
    assert.ok(s.lookup('User'));
    assert.equal(s.lookup('user'), undefined);
    assert.deepEqual([...s.lookup('User')!.columns.keys()], ['createdAt', 'email']);
    assert.deepEqual([...s.lookup('orders')!.columns.keys()], ['id']);
    assert.deepEqual(indexSummary(s, 'User'), ['User_createdAt_idx:btree:(createdAt)']);
  });

  it('turns a statement PostgreSQL rejects into a problem on its line, and applies the rest', () => {
    const s = schemaOf(`CREATE TABLE a (id int);\nCREATE TABLE b (id int,);\nCREATE INDEX a_id ON a (id);`);
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0].file, '/ws/migrations/1.sql');
    assert.equal(s.problems[0].range.start.line, 1);
    assert.match(s.problems[0].message, /PostgreSQL rejects this statement \(syntax error at or near "\)"\)/);
    assert.equal(s.lookup('b'), undefined);
    assert.deepEqual(indexSummary(s, 'a'), ['a_id:btree:(id)']);
  });

  it('applies the DDL a DO block runs (drizzle-kit foreign keys, guarded index creation), placed on its line', () => {
    const sql = [
      'CREATE TABLE "users" ("id" serial PRIMARY KEY);',
      'CREATE TABLE "posts" ("id" serial PRIMARY KEY, "author_id" integer, "slug" text);',
      'DO $$ BEGIN',
      ' ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade;',
      'EXCEPTION',
      ' WHEN duplicate_object THEN null;',
      'END $$;',
      "DO $body$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'posts_slug_idx') THEN CREATE INDEX posts_slug_idx ON posts (slug); END IF; END $body$;",
      "DO $$ BEGIN EXECUTE 'CREATE INDEX never_seen ON posts (id)'; PERFORM 1; END $$;",
      "DO $$ BEGIN this is not plpgsql; END $$;",
    ].join('\n');
    const s = schemaOf(sql);
    const fks = s.lookup('posts')!.foreignKeys;
    assert.deepEqual(fks.map((f) => `${f.name}(${f.columns}) -> ${f.references.table}(${f.references.columns}) ${f.onDelete}`), ['posts_author_id_users_id_fk(author_id) -> users(id) cascade']);
    const lines = sql.split('\n');
    const r = fks[0].origin.range;
    assert.equal(r.start.line, 3);
    assert.equal(lines[3].slice(r.start.character, r.end.character), 'CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade');
    // The guarded CREATE INDEX is applied (a fresh database runs it); a built string is not read.
    assert.deepEqual(indexSummary(s, 'posts'), ['posts_pkey:btree:up(id)', 'posts_slug_idx:btree:(slug)']);
    // A body PL/pgSQL rejects defines nothing, and is not reported as a rejected statement:
    // PostgreSQL checks a DO body only when it runs it.
    assert.deepEqual(s.problems, []);
  });

  it('ignores statements that are not DDL it models', () => {
    const s = schemaOf(`CREATE EXTENSION IF NOT EXISTS pgcrypto; INSERT INTO x VALUES (1); CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; GRANT SELECT ON x TO y; CREATE VIEW v AS SELECT 1;`);
    assert.deepEqual(s.allTables(), []);
    assert.deepEqual(s.problems, []);
  });
});
