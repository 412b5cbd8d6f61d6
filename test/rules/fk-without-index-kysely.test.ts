/**
 * fk-without-index and unindexed-filter on Kysely migrations (`export async function up(db:
 * Kysely<unknown>)` with `db.schema.….execute()` chains and raw `` sql`…`.execute(db) ``), in the
 * shape of bluesky-social/atproto's packages/bsky and packages/ozone: keys from a column's
 * `.references('t.c')` (PostgreSQL's `<table>_<col>_fkey`) and `addForeignKeyConstraint`, served
 * or not by indexes created in later migrations; partial indexes, including the
 * `.expression(sql\`"c") WHERE (…\`)` way of writing one.
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';

const up = (body: string) => `import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
${body}
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('set_value').execute()
}
`;

const DIR = 'src/db/migrations';

const SETS = up(`  await db.schema
    .createTable('set_detail')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('name', 'varchar', (col) => col.notNull().unique())
    .execute()
  await db.schema
    .createTable('set_value')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('setId', 'integer', (col) =>
      col.notNull().references('set_detail.id').onDelete('cascade'),
    )
    .addColumn('value', 'varchar', (col) => col.notNull())
    .addColumn('createdAt', 'timestamptz', (col) => col.defaultTo(sql\`now()\`).notNull())
    .execute()`);

const TAKEDOWN = up(`  await db.schema
    .createTable('moderation_event')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .execute()
  await db.schema.alterTable('record').addColumn('takedownId', 'integer').execute()
  await db.schema
    .alterTable('record')
    .addForeignKeyConstraint(
      'record_takedown_id_fkey',
      ['takedownId'],
      'moderation_event',
      ['id'],
    )
    .execute()`);

const RECORD = up("  await db.schema.createTable('record').addColumn('uri', 'varchar', (col) => col.primaryKey()).execute()");

const later = (body: string) => ({ [`${DIR}/20241008T205730722Z-sets.ts`]: SETS, [`${DIR}/20250101T000000000Z-later.ts`]: up(body) });

runRuleTests(fkWithoutIndex, {
  valid: [
    {
      name: 'an index created in a later migration starts with the key (createIndex…columns)',
      files: later("  await db.schema.createIndex('set_value_setid_created_at_idx').on('set_value').columns(['setId', 'createdAt']).execute()"),
    },
    {
      name: 'a unique constraint added later starts with the key (alterTable…addUniqueConstraint)',
      files: later("  await db.schema.alterTable('set_value').addUniqueConstraint('set_value_setid_value_unique', ['setId', 'value']).execute()"),
    },
    {
      name: 'an index created by raw sql`…`.execute(db) in a later migration',
      files: later('  await sql`CREATE INDEX set_value_setid_idx ON set_value ("setId")`.execute(db)'),
    },
    {
      name: 'a partial index on `key IS NOT NULL` serves the key (where(col, "is not", null))',
      files: later("  await db.schema.createIndex('set_value_setid_idx').on('set_value').column('setId').where('setId', 'is not', null).execute()"),
    },
    {
      name: 'the key is served by a composite primary key that starts with it',
      files: {
        [`${DIR}/20230417T210628672Z-moderation-init.ts`]: up(`  await db.schema.createTable('moderation_action').addColumn('id', 'serial', (col) => col.primaryKey()).execute()
  await db.schema
    .createTable('moderation_action_subject_blob')
    .addColumn('actionId', 'integer', (col) => col.notNull().references('moderation_action.id'))
    .addColumn('cid', 'varchar', (col) => col.notNull())
    .addPrimaryKeyConstraint('moderation_action_subject_blob_pkey', ['actionId', 'cid'])
    .execute()`),
      },
    },
    {
      name: 'the migrations of a package whose Kysely runs on SQLite in the process (better-sqlite3, no server driver) are not a PostgreSQL schema',
      files: { [`${DIR}/20241008T205730722Z-sets.ts`]: SETS },
      dependencies: { kysely: '0.28.0', 'better-sqlite3': '11.0.0' },
    },
    {
      name: 'a key dropped in a later migration (alterTable…dropConstraint) is gone',
      files: {
        [`${DIR}/20230309T045948368Z-init.ts`]: RECORD,
        [`${DIR}/20230417T210628672Z-moderation-init.ts`]: TAKEDOWN,
        [`${DIR}/20231220T225126090Z-blob-takedowns.ts`]: up("  await db.schema.alterTable('record').dropConstraint('record_takedown_id_fkey').execute()\n  await db.schema.alterTable('record').dropColumn('takedownId').execute()"),
      },
    },
  ],
  invalid: [
    {
      name: "a column's .references('t.c') with no index: reported on the createTable chain under PostgreSQL's default name",
      files: { [`${DIR}/20241008T205730722Z-sets.ts`]: SETS },
      dependencies: { kysely: '0.28.0', pg: '8.0.0', 'better-sqlite3': '11.0.0' },
      errors: [{ messageId: 'fkWithoutIndex', file: `${DIR}/20241008T205730722Z-sets.ts`, line: 9, column: 9, messageIncludes: ['"set_value_setId_fkey" (`setId`) on `set_value`', 'DELETE or key UPDATE on `set_detail`', 'ON set_value ("setId")'] }],
    },
    {
      name: 'the fix writes a Kysely migration, numbered like the folder\'s, running the CREATE INDEX with sql`…`.execute(db)',
      files: { [`${DIR}/0001_sets.ts`]: SETS, [`${DIR}/index.ts`]: "export * as _0001 from './0001_sets'\n" },
      errors: [{ messageId: 'fkWithoutIndex', file: `${DIR}/0001_sets.ts`, line: 9 }],
      fix: {
        title: 'Create index migration 0002_add_set_value_setId_idx.ts',
        output: {
          [`${DIR}/0002_add_set_value_setId_idx.ts`]: [
            "import { type Kysely, sql } from 'kysely'",
            '',
            '// CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a',
            "// transaction block: Kysely's Migrator runs migrations in one on PostgreSQL, so run this one",
            '// outside it (or without CONCURRENTLY, which blocks writes to the table while the index builds).',
            'export async function up(db: Kysely<unknown>): Promise<void> {',
            '  await sql`CREATE INDEX CONCURRENTLY IF NOT EXISTS "set_value_setId_idx" ON set_value ("setId")`.execute(db)',
            '}',
            '',
            'export async function down(db: Kysely<unknown>): Promise<void> {',
            '  await sql`DROP INDEX CONCURRENTLY IF EXISTS "set_value_setId_idx"`.execute(db)',
            '}',
            '',
          ].join('\n'),
        },
      },
    },
    {
      name: 'an index created later that does not start with the key',
      files: later("  await db.schema.createIndex('set_value_created_at_set_idx').on('set_value').columns(['createdAt', 'setId']).execute()"),
      errors: [{ messageId: 'fkWithoutIndex', file: `${DIR}/20241008T205730722Z-sets.ts`, line: 9, messageIncludes: ['"set_value_setId_fkey" (`setId`)'] }],
    },
    {
      name: 'a partial index (where value = …) does not serve the key',
      files: later("  await db.schema.createIndex('set_value_setid_flagged_idx').on('set_value').column('setId').where('value', '=', 'flagged').execute()"),
      errors: [{ messageId: 'fkWithoutIndex', file: `${DIR}/20241008T205730722Z-sets.ts`, line: 9, messageIncludes: ['"set_value_setId_fkey" (`setId`)'] }],
    },
    {
      name: 'a partial index written as .expression(sql`"c") WHERE (…`) does not serve the key',
      files: later("  await db.schema\n    .createIndex('set_value_setid_flagged_idx')\n    .on('set_value')\n    .expression(sql`\"setId\") WHERE (\"value\" = 'flagged'`)\n    .execute()"),
      errors: [{ messageId: 'fkWithoutIndex', file: `${DIR}/20241008T205730722Z-sets.ts`, line: 9, messageIncludes: ['"set_value_setId_fkey" (`setId`)'] }],
    },
    {
      name: 'a partial index whose predicate is a callback is left out, not taken for a full index',
      files: later("  await db.schema.createIndex('set_value_setid_idx').on('set_value').column('setId').where((eb) => eb('value', '=', 'x')).execute()"),
      errors: [{ messageId: 'fkWithoutIndex', file: `${DIR}/20241008T205730722Z-sets.ts`, line: 9, messageIncludes: ['"set_value_setId_fkey" (`setId`)'] }],
    },
    {
      name: 'an index that served the key is dropped later (dropIndex)',
      files: {
        [`${DIR}/20241008T205730722Z-sets.ts`]: SETS,
        [`${DIR}/20241009T000000000Z-idx.ts`]: up("  await db.schema.createIndex('set_value_setid_idx').on('set_value').column('setId').execute()"),
        [`${DIR}/20250101T000000000Z-drop.ts`]: up("  await db.schema.dropIndex('set_value_setid_idx').ifExists().execute()"),
      },
      errors: [{ messageId: 'fkWithoutIndex', file: `${DIR}/20241008T205730722Z-sets.ts`, line: 9, messageIncludes: ['"set_value_setId_fkey" (`setId`)'] }],
    },
    {
      name: 'alterTable…addForeignKeyConstraint, named by the migration: reported on that chain',
      files: { [`${DIR}/20230309T045948368Z-init.ts`]: RECORD, [`${DIR}/20230417T210628672Z-moderation-init.ts`]: TAKEDOWN },
      errors: [{ messageId: 'fkWithoutIndex', file: `${DIR}/20230417T210628672Z-moderation-init.ts`, line: 9, column: 9, messageIncludes: ['record_takedown_id_fkey (`takedownId`) on `record`', 'DELETE or key UPDATE on `moderation_event`'] }],
    },
  ],
});

const KDB = "import { Kysely, PostgresDialect } from 'kysely';\nimport { Pool } from 'pg';\nexport const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool() }) });\n";
const QUERY = "import { db } from './db';\nexport const values = (setId: number, value: string) =>\n  db.selectFrom('set_value').selectAll().where('setId', '=', setId).where('value', '=', value).execute();\n";

runRuleTests(unindexedFilter, {
  valid: [
    {
      name: 'a Kysely query served by a unique constraint a Kysely migration adds',
      files: { ...later("  await db.schema.alterTable('set_value').addUniqueConstraint('set_value_setid_value_unique', ['setId', 'value']).execute()"), 'src/db.ts': KDB, 'src/q.ts': QUERY },
      dependencies: { kysely: '0.28.0', pg: '8.0.0' },
    },
  ],
  invalid: [
    {
      name: 'a Kysely query on columns no index of the Kysely migrations has',
      files: { [`${DIR}/20241008T205730722Z-sets.ts`]: SETS, 'src/db.ts': KDB, 'src/q.ts': QUERY },
      dependencies: { kysely: '0.28.0', pg: '8.0.0' },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`set_value` (`setId`, `value`)', 'set_value_pkey (id) starts with id'] }],
    },
  ],
});
