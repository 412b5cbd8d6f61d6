/**
 * Kysely migrations as a schema source: `db.schema.….execute()` chains turned into the SQL
 * Kysely sends, and raw `` sql`…`.execute(db) `` / `sql.raw('…').execute(db)` statements. The
 * shapes are those of bluesky-social/atproto's packages/bsky and packages/ozone migrations
 * (`20230309T045948368Z-init.ts`, `export async function up(db: Kysely<unknown>)`).
 */
import * as assert from 'node:assert/strict';
import { defaultConfig } from '../../../src/core/config';
import { discoverFiles } from '../../../src/core/project/files';
import { extractMigrationSql } from '../../../src/core/sql/tsMigrations';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { projectSchema } from '../../../src/core/sql/schemaSource';
import { createWorkspace, removeWorkspace } from '../../helpers/workspace';

const up = (body: string, imports = "import { type Kysely, sql } from 'kysely'") => `${imports}\n\nexport async function up(db: Kysely<unknown>): Promise<void> {\n${body}\n}\n\nexport async function down(db: Kysely<unknown>): Promise<void> {\n  await db.schema.dropTable('never').execute()\n}\n`;

/** The SQL of every statement `up` runs. */
function sqlOf(body: string, imports?: string): string[] {
  const extracted = extractMigrationSql('migrations/20230309T045948368Z-init.ts', up(body, imports));
  assert.ok(extracted, 'recognised as a migration');
  assert.equal(extracted.style, 'kysely');
  return extracted.pieces.flatMap((p) => p.sql.split(';\n'));
}

describe('sql: Kysely migrations', () => {
  before(loadSqlParser);
  const roots: string[] = [];
  after(() => roots.forEach(removeWorkspace));

  it('turns createTable with column callbacks and table constraints into CREATE TABLE', () => {
    assert.deepEqual(
      sqlOf(`  await db.schema
    .createTable('post_embed_image')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('postUri', 'varchar', (col) => col.notNull().references('post.uri').onDelete('cascade'))
    .addColumn('position', 'varchar(10)', (col) => col.notNull().unique().defaultTo('0'))
    .addColumn('alt', sql\`text\`)
    .addColumn('actorDid', 'varchar', (col) => {
      return col.notNull()
    })
    .addPrimaryKeyConstraint('post_embed_image_pk', ['postUri', 'position'])
    .addUniqueConstraint('post_embed_image_alt_unique', ['alt'])
    .addForeignKeyConstraint('post_embed_image_actor_fkey', ['actorDid'], 'actor', ['did'], (cb) => cb.onDelete('set null'))
    .ifNotExists()
    .execute()`),
      [
        'CREATE TABLE IF NOT EXISTS "post_embed_image" ("id" bigserial PRIMARY KEY, "postUri" varchar NOT NULL REFERENCES "post" ("uri") ON DELETE CASCADE, "position" varchar(10) NOT NULL UNIQUE, "alt" text, "actorDid" varchar NOT NULL, ' +
          'CONSTRAINT "post_embed_image_pk" PRIMARY KEY ("postUri", "position"), CONSTRAINT "post_embed_image_alt_unique" UNIQUE ("alt"), CONSTRAINT "post_embed_image_actor_fkey" FOREIGN KEY ("actorDid") REFERENCES "actor" ("did") ON DELETE SET NULL)',
      ],
    );
  });

  it('turns createIndex (column, columns with a direction, unique, using, expression, where, ifNotExists) and dropIndex into SQL', () => {
    assert.deepEqual(
      sqlOf(`  await db.schema.createIndex('post_creator_idx').on('post').column('creator').execute()
  await db.schema.createIndex('post_order_by_idx').on('post').columns(['sortAt desc', 'cid']).unique().ifNotExists().execute()
  await db.schema.createIndex('profile_name_tgrm_idx').on('profile').using('gist').expression(sql\`"displayName" gist_trgm_ops\`).execute()
  await db.schema.createIndex('label_neg_idx').on('label').column('uri').where('neg', '=', false).execute()
  await db.schema.createIndex('label_src_idx').on('label').column('src').where(sql\`"exp" IS NULL\`).execute()
  await db.schema.dropIndex('post_creator_idx').ifExists().execute()`),
      [
        'CREATE INDEX "post_creator_idx" ON "post" ("creator")',
        'CREATE UNIQUE INDEX IF NOT EXISTS "post_order_by_idx" ON "post" ("sortAt" DESC, "cid")',
        'CREATE INDEX "profile_name_tgrm_idx" ON "profile" USING gist ("displayName" gist_trgm_ops)',
        'CREATE INDEX "label_neg_idx" ON "label" ("uri") WHERE ("neg" = false)',
        'CREATE INDEX "label_src_idx" ON "label" ("src") WHERE ("exp" IS NULL)',
        'DROP INDEX IF EXISTS "post_creator_idx"',
      ],
    );
  });

  it('turns alterTable actions (with their modifiers) into ALTER TABLE, and dropTable/createSchema', () => {
    assert.deepEqual(
      sqlOf(`  await db.schema
    .alterTable('actor')
    .addColumn('takedownId', 'integer')
    .dropColumn('takedownRef')
    .renameColumn('handle', 'name')
    .execute()
  await db.schema
    .alterTable('actor')
    .addForeignKeyConstraint('actor_takedown_id_fkey', ['takedownId'], 'moderation_action', ['id'])
    .onDelete('cascade')
    .execute()
  await db.schema.alterTable('actor').dropConstraint('actor_takedown_id_fkey').ifExists().execute()
  await db.schema.alterTable('actor').addIndex('actor_name_idx').column('name').execute()
  await db.schema.alterTable('actor').renameTo('account').execute()
  await db.schema.alterTable('account').alterColumn('name', (col) => col.dropNotNull()).execute()
  await db.schema.dropTable('did_cache').ifExists().cascade().execute()
  await db.schema.createSchema('ozone').ifNotExists().execute()
  await db.schema.withSchema('ozone').createTable('member').addColumn('did', 'varchar', (col) => col.primaryKey()).execute()
  await db.schema.withSchema('ozone').createTable('note').addColumn('did', 'varchar', (col) => col.references('member.did')).addForeignKeyConstraint('note_by_fkey', ['by'], 'member', ['did']).execute()`),
      [
        'ALTER TABLE "actor" ADD COLUMN "takedownId" integer',
        'ALTER TABLE "actor" DROP COLUMN "takedownRef"',
        'ALTER TABLE "actor" RENAME COLUMN "handle" TO "name"',
        'ALTER TABLE "actor" ADD CONSTRAINT "actor_takedown_id_fkey" FOREIGN KEY ("takedownId") REFERENCES "moderation_action" ("id") ON DELETE CASCADE',
        'ALTER TABLE "actor" DROP CONSTRAINT IF EXISTS "actor_takedown_id_fkey"',
        'CREATE INDEX "actor_name_idx" ON "actor" ("name")',
        'ALTER TABLE "actor" RENAME TO "account"',
        'DROP TABLE IF EXISTS "did_cache" CASCADE',
        'CREATE SCHEMA IF NOT EXISTS "ozone"',
        'CREATE TABLE "ozone"."member" ("did" varchar PRIMARY KEY)',
        'CREATE TABLE "ozone"."note" ("did" varchar REFERENCES "ozone"."member" ("did"), CONSTRAINT "note_by_fkey" FOREIGN KEY ("by") REFERENCES "ozone"."member" ("did"))',
      ],
    );
  });

  it("names a key added with alterTable…addColumn(…, (col) => col.references('t.c')) as PostgreSQL does", () => {
    const root = createWorkspace({
      files: {
        'migrations/001_init.ts': up(`  await db.schema.createTable('u').addColumn('id', 'serial', (col) => col.primaryKey()).execute()
  await db.schema.createTable('t').addColumn('id', 'serial', (col) => col.primaryKey()).execute()
  await db.schema.alterTable('t').addColumn('uId', 'integer', (col) => col.references('u.id').onDelete('set null')).addColumn('tags', sql\`text[]\`).execute()`),
      },
    });
    roots.push(root);
    const { schema } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    const t = schema.lookup('t')!;
    assert.deepEqual([...t.columns.keys()], ['id', 'uId', 'tags']);
    assert.deepEqual(t.foreignKeys.map((f) => `${f.name} ${f.columns} -> ${f.references.table} ${f.onDelete}`), ['t_uId_fkey uId -> u set null']);
  });

  it("reads raw sql`…`.execute(db) and sql.raw('…').execute(db), with sql.raw/sql.ref/db.dynamic.ref interpolations inlined", () => {
    const pieces = extractMigrationSql(
      'migrations/20250404T201720309Z-sort-idxs.ts',
      up(`  const ref = db.dynamic.ref
  await sql\`CREATE INDEX a_idx ON a (x)\`.execute(db)
  await sql.raw('CREATE INDEX b_idx ON b (y)').execute(db)
  await sql\`CREATE INDEX c_idx ON \${ref('c')} (\${sql.ref('lastAt')} DESC NULLS LAST) WHERE \${sql.raw(COL)} = 'x'\`.execute(db)
  await sql\`UPDATE c SET v = \${value}\`.execute(db)`, "import { type Kysely, sql } from 'kysely'\nconst COL = '\"reviewState\"'\nconst value = Date.now()"),
    )!.pieces;
    assert.deepEqual(pieces.map((p) => [p.kind, p.sql]), [
      ['literal', 'CREATE INDEX a_idx ON a (x)'],
      ['generated', 'CREATE INDEX b_idx ON b (y)'],
      ['generated', 'CREATE INDEX c_idx ON "c" ("lastAt" DESC NULLS LAST) WHERE "reviewState" = \'x\''],
      ['generated', 'UPDATE c SET v = $1'],
    ]);
  });

  it('reads a function of the same file that up hands db to (a declaration or a const arrow), in call order; not one it does not', () => {
    const text = `import { type Kysely, sql } from 'kysely'

async function createIndexes(schema: string, database: Kysely<unknown>) {
  await database.schema.createIndex('t_a_idx').on('t').column('a').execute()
}
const addTrigger = async (db: Kysely<unknown>, table: string) => {
  await sql\`CREATE INDEX t_b_idx ON t (b)\`.execute(db)
}
async function unused(db: Kysely<unknown>) {
  await db.schema.createIndex('never_idx').on('t').column('c').execute()
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('t').addColumn('a', 'integer').addColumn('b', 'integer').execute()
  await createIndexes('public', db)
  await addTrigger(db, 't')
}
`;
    assert.deepEqual(extractMigrationSql('migrations/001_init.ts', text)?.pieces.map((p) => p.sql), [
      'CREATE TABLE "t" ("a" integer, "b" integer)',
      'CREATE INDEX "t_a_idx" ON "t" ("a")',
      'CREATE INDEX t_b_idx ON t (b)',
    ]);
  });

  it('reads the body of db.transaction().execute(async (trx) => …) with trx in place of db', () => {
    assert.deepEqual(
      sqlOf(`  await db.transaction().execute(async (trx) => {
    await trx.schema.createIndex('t_a_idx').on('t').column('a').execute()
    await sql\`CREATE INDEX t_b_idx ON t (b)\`.execute(trx)
  })`),
      ['CREATE INDEX "t_a_idx" ON "t" ("a")', 'CREATE INDEX t_b_idx ON t (b)'],
    );
  });

  it('leaves out what is decided at run time instead of guessing: a computed name, a predicate callback, an unknown index call', () => {
    assert.deepEqual(
      sqlOf(`  await db.schema.createTable(tableName()).addColumn('id', 'integer').execute()
  await db.schema.createIndex('x_idx').on('x').column('a').where((eb) => eb('b', '=', 1)).execute()
  await db.schema.createIndex('y_idx').on('y').column('a').where('b', '=', someValue).execute()
  await db.schema.createIndex('z_idx').on('z').column('a').modifyEnd(sql\`with (fillfactor = 70)\`).execute()
  await db.schema.createView('v').as(db.selectFrom('x').selectAll()).execute()
  await db.schema.createIndex('ok_idx').on('x').column('a').execute()`),
      ['CREATE INDEX "ok_idx" ON "x" ("a")'],
    );
  });

  it('does not read a Kysely schema chain as Knex when it is not executed, nor a Knex chain as Kysely', () => {
    const knex = extractMigrationSql('migrations/20240101000000_init.js', "exports.up = (knex) => knex.schema.createTable('t', (table) => { table.increments('id'); });\n");
    assert.equal(knex?.style, 'knex');
    assert.deepEqual(knex?.pieces.map((p) => p.sql), ['CREATE TABLE "t" ("id" serial PRIMARY KEY)']);
    assert.equal(extractMigrationSql('migrations/20230309T045948368Z-init.ts', up("  const b = db.schema.createTable('t').addColumn('id', 'integer')")), undefined);
  });

  it('builds the schema across migrations in file-name order (timestamps with a T), with PostgreSQL default names for column keys', () => {
    const root = createWorkspace({
      files: {
        'src/db/migrations/20230309T045948368Z-init.ts': up(`  await db.schema
    .createTable('moderation_action')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('subject', 'varchar', (col) => col.notNull().unique())
    .execute()
  await db.schema
    .createTable('moderation_report_resolution')
    .addColumn('reportId', 'integer', (col) => col.notNull())
    .addColumn('actionId', 'integer', (col) => col.notNull().references('moderation_action.id'))
    .addPrimaryKeyConstraint('moderation_report_resolution_pkey', ['reportId', 'actionId'])
    .execute()`),
        'src/db/migrations/20230417T210628672Z-index.ts': up("  await db.schema.createIndex('moderation_report_resolution_action_id_idx').on('moderation_report_resolution').column('actionId').execute()"),
        'src/db/migrations/20231220T225126090Z-rename.ts': up("  await db.schema.alterTable('moderation_action').renameColumn('subject', 'subjectUri').execute()"),
        'src/db/migrations/index.ts': "export * as _20230309T045948368Z from './20230309T045948368Z-init.js'\n",
      },
    });
    roots.push(root);
    const { schema, migrations, statements } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    assert.deepEqual(migrations.map((m) => m.file.slice(root.length + 1)), [
      'src/db/migrations/20230309T045948368Z-init.ts',
      'src/db/migrations/20230417T210628672Z-index.ts',
      'src/db/migrations/20231220T225126090Z-rename.ts',
      'src/db/migrations/index.ts',
    ]);
    assert.ok(statements.every((s) => s.style === 'kysely' && !s.error));
    const action = schema.lookup('moderation_action')!;
    assert.deepEqual([...action.columns.keys()], ['id', 'subjectUri']);
    assert.deepEqual(action.indexes.map((i) => `${i.name} (${i.keys.map((k) => k.column).join(', ')})`), ['moderation_action_pkey (id)', 'moderation_action_subject_key (subjectUri)']);
    const resolution = schema.lookup('moderation_report_resolution')!;
    assert.deepEqual(resolution.indexes.map((i) => i.name), ['moderation_report_resolution_pkey', 'moderation_report_resolution_action_id_idx']);
    assert.deepEqual(resolution.foreignKeys.map((f) => `${f.name} ${f.columns} -> ${f.references.table} (${f.references.columns})`), ['moderation_report_resolution_actionId_fkey actionId -> moderation_action (id)']);
    assert.deepEqual(resolution.foreignKeys[0].origin.range.start, { line: 8, character: 8 }, 'the createTable chain');
  });
});
