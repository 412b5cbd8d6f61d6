import * as assert from 'node:assert/strict';
import { indexMigrationFix } from '../../../src/core/sql/indexMigration';
import type { MigrationFile } from '../../../src/core/sql/migrations';

const REQ = { createIndex: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);', indexName: 'orders_status_idx' };
const CLOCK = () => new Date(Date.UTC(2026, 11, 1, 3, 4, 5, 678));
const NOTE = '-- CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a\n-- transaction block: run this migration outside one (tools that wrap each migration in a\n-- transaction need to be told so).\n';

function created(migrations: MigrationFile[]): { file: string; content: string } {
  const fix = indexMigrationFix(migrations, REQ, CLOCK)!;
  assert.equal(fix.edits.length, 0);
  return fix.createFiles![0];
}

describe('sql: Create index migration (file name by the folder convention, exact content)', () => {
  it('Prisma: a timestamped folder with migration.sql', () => {
    const c = created([{ file: '/ws/prisma/migrations/20240101000000_init/migration.sql', style: 'prisma', folder: '/ws/prisma/migrations' }]);
    assert.equal(c.file, '/ws/prisma/migrations/20261201030405_add_orders_status_idx/migration.sql');
    assert.equal(c.content, `${NOTE}${REQ.createIndex}\n`);
  });

  it('Flyway: the next major version', () => {
    const c = created([
      { file: '/ws/db/V1__init.sql', style: 'flyway', folder: '/ws/db' },
      { file: '/ws/db/V1_1__fix.sql', style: 'flyway', folder: '/ws/db' },
      { file: '/ws/db/V9__more.sql', style: 'flyway', folder: '/ws/db' },
    ]);
    assert.equal(c.file, '/ws/db/V10__add_orders_status_idx.sql');
  });

  it('numbered and timestamped files keep their width and suffix', () => {
    assert.equal(created([{ file: '/ws/m/0009_x.up.sql', style: 'up-sql', folder: '/ws/m' }]).file, '/ws/m/0010_add_orders_status_idx.up.sql');
    assert.equal(created([{ file: '/ws/m/20240101120000_x.sql', style: 'sql', folder: '/ws/m' }]).file, '/ws/m/20261201030405_add_orders_status_idx.sql');
    assert.equal(created([{ file: '/ws/m/init.sql', style: 'sql', folder: '/ws/m' }]).file, '/ws/m/add_orders_status_idx.sql');
  });

  it('TypeORM: a migration class outside a transaction', () => {
    const c = created([{ file: '/ws/src/migrations/1700000000000-Init.ts', style: 'script', folder: '/ws/src/migrations' }]);
    assert.equal(c.file, '/ws/src/migrations/1796094245678-AddOrdersStatusIdx.ts');
    assert.equal(
      c.content,
      [
        "import { MigrationInterface, QueryRunner } from 'typeorm';",
        '',
        '// CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a',
        '// transaction block: `transaction = false` runs this migration outside one.',
        'export class AddOrdersStatusIdx1796094245678 implements MigrationInterface {',
        '  transaction = false as const;',
        '',
        '  public async up(queryRunner: QueryRunner): Promise<void> {',
        '    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status)`);',
        '  }',
        '',
        '  public async down(queryRunner: QueryRunner): Promise<void> {',
        '    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx`);',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('Knex: a timestamped module with config.transaction = false', () => {
    const c = created([{ file: '/ws/migrations/20240101000000_init.js', style: 'script', folder: '/ws/migrations' }]);
    assert.equal(c.file, '/ws/migrations/20261201030405_add_orders_status_idx.js');
    assert.equal(
      c.content,
      '// CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a\n// transaction block: `config.transaction = false` runs this migration outside one.\nexports.config = { transaction: false };\n\nexports.up = (knex) => knex.raw(`CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status)`);\n\nexports.down = (knex) => knex.raw(`DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx`);\n',
    );
  });

  it('Kysely: named like the latest Kysely module (not the index.ts after it), the statement run by sql`…`.execute(db)', () => {
    const folder = '/ws/src/db/migrations';
    const c = created([
      { file: `${folder}/20230309T045948368Z-init.ts`, style: 'script', folder, api: 'kysely' },
      { file: `${folder}/20260819T170000000Z-add-like-subject-sort-index.ts`, style: 'script', folder, api: 'kysely' },
      { file: `${folder}/index.ts`, style: 'script', folder },
      { file: `${folder}/provider.ts`, style: 'script', folder },
    ]);
    assert.equal(c.file, `${folder}/20261201T030405678Z-add-orders-status-idx.ts`);
    assert.equal(
      c.content,
      [
        "import { type Kysely, sql } from 'kysely'",
        '',
        '// CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a',
        "// transaction block: Kysely's Migrator runs migrations in one on PostgreSQL, so run this one",
        '// outside it (or without CONCURRENTLY, which blocks writes to the table while the index builds).',
        'export async function up(db: Kysely<unknown>): Promise<void> {',
        '  await sql`CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status)`.execute(db)',
        '}',
        '',
        'export async function down(db: Kysely<unknown>): Promise<void> {',
        '  await sql`DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx`.execute(db)',
        '}',
        '',
      ].join('\n'),
    );
    const numbered = created([{ file: '/ws/migrations/0001_init.js', style: 'script', folder: '/ws/migrations', api: 'kysely' }]);
    assert.equal(numbered.file, '/ws/migrations/0002_add_orders_status_idx.js');
    assert.match(numbered.content, /^const \{ sql \} = require\('kysely'\)\n[\s\S]*exports\.up = async function up\(db\) \{\n  await sql`CREATE INDEX CONCURRENTLY/);
  });

  it('no migrations folder: no fix', () => {
    assert.equal(indexMigrationFix([], REQ, CLOCK), undefined);
  });
});
