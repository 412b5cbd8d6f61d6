import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import { discoverFiles } from '../../../src/core/project/files';
import { discoverMigrations, MAX_MIGRATION_BYTES, naturalCompare, readMigrationStatements } from '../../../src/core/sql/migrations';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { projectSchema } from '../../../src/core/sql/schemaSource';
import { createWorkspace, removeWorkspace } from '../../helpers/workspace';

function discovered(files: Record<string, string>, globs = defaultConfig().migrations): { root: string; rel: string[]; styles: string[] } {
  const root = createWorkspace({ files });
  const ms = discoverMigrations({ root, files: discoverFiles(root), globs });
  return { root, rel: ms.map((m) => path.relative(root, m.file).split(path.sep).join('/')), styles: ms.map((m) => m.style) };
}

describe('sql: migration discovery and order', () => {
  before(loadSqlParser);
  const roots: string[] = [];
  after(() => roots.forEach(removeWorkspace));

  it('reads migrations within a size bound: an oversized file is left out, the others are applied', () => {
    const root = createWorkspace({ files: { 'migrations/001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);', 'migrations/002_huge.sql': '', 'migrations/003_b.sql': 'CREATE TABLE b (id int PRIMARY KEY);' } });
    roots.push(root);
    // Valid SQL padded past the bound: read whole, it would add table `huge`.
    fs.writeFileSync(path.join(root, 'migrations/002_huge.sql'), `CREATE TABLE huge (id int PRIMARY KEY);\n${' '.repeat(MAX_MIGRATION_BYTES)}`);
    const ms = discoverMigrations({ root, files: discoverFiles(root), globs: defaultConfig().migrations });
    const statements = readMigrationStatements(ms);
    assert.deepEqual(statements.map((s) => [path.basename(s.file), s.sql]), [
      ['001_a.sql', 'CREATE TABLE a (id int PRIMARY KEY)'],
      ['003_b.sql', 'CREATE TABLE b (id int PRIMARY KEY)'],
    ]);
  });

  it('orders Flyway scripts by version (V2 < V10, V1_1 between V1 and V2), repeatables last, never undo scripts', () => {
    const d = discovered({
      'db/V10__ten.sql': 'SELECT 1;',
      'db/V2__two.sql': 'SELECT 1;',
      'db/V1__one.sql': 'SELECT 1;',
      'db/V1_1__one_one.sql': 'SELECT 1;',
      'db/R__views.sql': 'SELECT 1;',
      'db/U2__undo_two.sql': 'SELECT 1;',
    });
    roots.push(d.root);
    assert.deepEqual(d.rel, ['db/V1__one.sql', 'db/V1_1__one_one.sql', 'db/V2__two.sql', 'db/V10__ten.sql', 'db/R__views.sql']);
    assert.deepEqual(new Set(d.styles), new Set(['flyway']));
  });

  it('orders Prisma migration folders by name, *.up.sql by version and never applies *.down.sql', () => {
    const d = discovered({
      'prisma/migrations/20240102000000_add_orders/migration.sql': 'SELECT 1;',
      'prisma/migrations/20231201000000_init/migration.sql': 'SELECT 1;',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"',
      'schema/10_more.up.sql': 'SELECT 1;',
      'schema/2_init.up.sql': 'SELECT 1;',
      'schema/2_init.down.sql': 'SELECT 1;',
    }, ['prisma/migrations/**/*.sql', 'schema/*.sql']);
    roots.push(d.root);
    assert.deepEqual(d.rel, ['prisma/migrations/20231201000000_init/migration.sql', 'prisma/migrations/20240102000000_add_orders/migration.sql', 'schema/2_init.up.sql', 'schema/10_more.up.sql']);
    assert.deepEqual(d.styles, ['prisma', 'prisma', 'up-sql', 'up-sql']);
  });

  it('finds plain folders (migrations/, db/migrate/, sql/) and orders numbered files numerically', () => {
    const d = discovered({
      'migrations/10_late.sql': 'SELECT 1;',
      'migrations/9_early.sql': 'SELECT 1;',
      'db/migrate/001_x.sql': 'SELECT 1;',
      'sql/schema.sql': 'SELECT 1;',
      'src/queries/q.sql': 'SELECT 1;',
    });
    roots.push(d.root);
    assert.deepEqual(d.rel, ['db/migrate/001_x.sql', 'migrations/9_early.sql', 'migrations/10_late.sql', 'sql/schema.sql']);
    assert.ok(naturalCompare('1700000000000-A.ts', '1700000000001-B.ts') < 0);
  });

  it('keeps only the PostgreSQL folder of per-database migration folders (postgres/, mysql/, mariadb/, sqlite/ side by side)', () => {
    const up = (sql: string) => `import { MigrationInterface, QueryRunner } from 'typeorm';\nexport class M implements MigrationInterface {\n  async up(q: QueryRunner) { await q.query(\`${sql}\`); }\n  async down() {}\n}\n`;
    const d = discovered({
      'src/db/migrations/postgres/1700000000000-Init.ts': up('CREATE TABLE team (id uuid PRIMARY KEY, "orgId" uuid NOT NULL)'),
      'src/db/migrations/postgres/1700000000001-OrgIndex.ts': up('CREATE INDEX team_org ON team ("orgId")'),
      'src/db/migrations/sqlite/1700000000000-Init.ts': up('CREATE TABLE team (id varchar PRIMARY KEY, orgId varchar)'),
      'src/db/migrations/sqlite/1700000000001-Rebuild.ts': up('CREATE TABLE temp_team (id varchar PRIMARY KEY, orgId varchar REFERENCES org (id))'),
      'src/db/migrations/mysql/1700000000000-Init.ts': up('CREATE TABLE `team` (`id` varchar(36) NOT NULL)'),
      'src/extra/migrations/sqlite/1700000000002-Only.ts': up('CREATE TABLE note (id int)'),
    });
    roots.push(d.root);
    // A folder of one database with no PostgreSQL sibling is still read (nothing says which one runs).
    assert.deepEqual(d.rel, ['src/db/migrations/postgres/1700000000000-Init.ts', 'src/db/migrations/postgres/1700000000001-OrgIndex.ts', 'src/extra/migrations/sqlite/1700000000002-Only.ts']);
  });

  it('runs timestamp-named migration modules of several folders in one timestamp order (TypeORM, Knex), other folders by path', () => {
    const up = (sql: string) => `export class M {\n  async up(q: any) { await q.query(\`${sql}\`); }\n}\n`;
    const d = discovered({
      'db/migrate/001_seed.sql': 'SELECT 1;',
      'src/core/migrations/1700000000000-Init.ts': up('CREATE TABLE account (id uuid PRIMARY KEY)'),
      'src/core/migrations/1700000000300-TeamOwner.ts': up('ALTER TABLE team ADD COLUMN "ownerId" uuid'),
      'src/extra/migrations/1700000000200-Team.ts': up('CREATE TABLE team (id uuid PRIMARY KEY)'),
      'src/extra/migrations/1700000000400-TeamIndex.ts': up('CREATE INDEX team_owner ON team ("ownerId")'),
      'src/zz/migrations/1_plain.sql': 'SELECT 1;',
    });
    roots.push(d.root);
    assert.deepEqual(d.rel, [
      'db/migrate/001_seed.sql',
      'src/core/migrations/1700000000000-Init.ts',
      'src/extra/migrations/1700000000200-Team.ts',
      'src/core/migrations/1700000000300-TeamOwner.ts',
      'src/extra/migrations/1700000000400-TeamIndex.ts',
      'src/zz/migrations/1_plain.sql',
    ]);
  });

  it('reads TypeORM migration classes (up only) with their statement positions', async () => {
    const migration = [
      "import { MigrationInterface, QueryRunner } from 'typeorm';",
      'export class Init1700000000000 implements MigrationInterface {',
      '  public async up(queryRunner: QueryRunner): Promise<void> {',
      '    await queryRunner.query(`CREATE TABLE "user" ("id" SERIAL NOT NULL, CONSTRAINT "PK_user" PRIMARY KEY ("id"))`);',
      '    await queryRunner.query(`CREATE TABLE "post" ("id" SERIAL NOT NULL, "authorId" integer, CONSTRAINT "PK_post" PRIMARY KEY ("id"))`);',
      '    await queryRunner.query(`ALTER TABLE "post" ADD CONSTRAINT "FK_post_author" FOREIGN KEY ("authorId") REFERENCES "user"("id")`);',
      '  }',
      '  public async down(queryRunner: QueryRunner): Promise<void> {',
      '    await queryRunner.query(`DROP TABLE "post"`);',
      '  }',
      '}',
    ].join('\n');
    const root = createWorkspace({ files: { 'src/migrations/1700000000000-Init.ts': migration, 'src/migrations/index.ts': 'export const all = [];' } });
    roots.push(root);
    const { schema, statements } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    assert.deepEqual(statements.map((s) => `${s.style} ${s.range.start.line}:${s.range.start.character}`), ['typeorm 3:29', 'typeorm 4:29', 'typeorm 5:29']);
    assert.ok(schema.lookup('post'));
    const fk = schema.lookup('post')!.foreignKeys[0];
    assert.equal(fk.name, 'FK_post_author');
    assert.deepEqual(fk.origin.range.start, { line: 5, character: 52 });
  });

  it('reads the methods a TypeORM migration hands its query runner to, in call order (not down, not unrelated methods)', () => {
    const migration = [
      "import { MigrationInterface, QueryRunner } from 'typeorm';",
      "import { MemberState } from '../member-state';",
      'export class Rebuild1700000000001 implements MigrationInterface {',
      '  private async rebuild(runner: QueryRunner): Promise<void> {',
      '    await runner.query(`ALTER TABLE "member" RENAME TO "old_member"`);',
      "    await runner.query(`CREATE TABLE \"member\" (\"id\" uuid PRIMARY KEY, \"email\" varchar(255) NOT NULL UNIQUE, \"state\" varchar(20) DEFAULT '${MemberState.ACTIVE}' NOT NULL)`);",
      '  }',
      '  private async cleanUp(q: QueryRunner): Promise<void> {',
      '    await q.query(`DROP TABLE "old_member"`);',
      '  }',
      '  private async undo(q: QueryRunner): Promise<void> {',
      '    await q.query(`DROP TABLE "member"`);',
      '  }',
      '  public async up(queryRunner: QueryRunner): Promise<void> {',
      '    await this.rebuild(queryRunner);',
      '    await this.cleanUp(queryRunner);',
      '  }',
      '  public async down(queryRunner: QueryRunner): Promise<void> {',
      '    await this.undo(queryRunner);',
      '  }',
      '}',
    ].join('\n');
    const root = createWorkspace({
      files: {
        'src/migrations/1700000000000-Init.ts': "export class Init1700000000000 {\n  async up(q: any) { await q.query('CREATE TABLE member (id uuid PRIMARY KEY, email text)'); }\n}\n",
        'src/migrations/1700000000001-Rebuild.ts': migration,
      },
    });
    roots.push(root);
    const { schema, statements } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    assert.deepEqual(
      statements.map((s) => s.sql.slice(0, 30)),
      ['CREATE TABLE member (id uuid P', 'ALTER TABLE "member" RENAME TO', 'CREATE TABLE "member" ("id" uu', 'DROP TABLE "old_member"'],
    );
    // The quoted interpolation ('${MemberState.ACTIVE}') is a string constant: the statement is read.
    assert.deepEqual([...schema.lookup('member')!.columns.keys()], ['id', 'email', 'state']);
    assert.deepEqual(schema.lookup('member')!.indexes.map((i) => i.name), ['member_pkey', 'member_email_key']);
    assert.equal(schema.lookup('old_member'), undefined);
  });

  it('leaves out a migration statement whose unknown interpolation is not inside a SQL string (a name, a clause)', () => {
    const migration = "export class X1700000000000 {\n  async up(q: any) {\n    await q.query(`CREATE TABLE ${T.name} (id int)`);\n    await q.query(`CREATE TABLE kept (id int DEFAULT ${n}, note text DEFAULT 'a''${s}')`);\n  }\n}\n";
    const root = createWorkspace({ files: { 'src/migrations/1700000000000-X.ts': migration } });
    roots.push(root);
    const { statements } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    assert.deepEqual(statements.map((s) => s.sql), []);
  });

  it('reads db-migrate modules: db.runSql in exports.up (callback style), not exports.down', () => {
    const migration = [
      "'use strict';",
      'exports.up = function (db, callback) {',
      '  db.runSql(',
      '    `',
      'CREATE TABLE features (name varchar(255) PRIMARY KEY NOT NULL, project text);',
      'CREATE INDEX features_project_idx ON features (project);',
      '    `,',
      '    callback,',
      '  );',
      '};',
      'exports.down = function (db, callback) {',
      "  db.runSql('DROP TABLE features;', callback);",
      '};',
    ].join('\n');
    const root = createWorkspace({ files: { 'src/migrations/20141020151056-initial-schema.js': migration } });
    roots.push(root);
    const { schema, statements } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    assert.deepEqual(statements.map((s) => `${s.style} ${s.range.start.line}:${s.range.start.character}`), ['db-migrate 4:0', 'db-migrate 5:0']);
    assert.deepEqual(schema.lookup('features')!.indexes.map((i) => i.name), ['features_pkey', 'features_project_idx']);
  });

  it('turns the Knex schema builder into the SQL Knex runs (names as Knex makes them), and reads knex.raw', async () => {
    const migration = [
      'exports.up = async function (knex) {',
      "  await knex.schema.createTable('users', (table) => {",
      "    table.increments('id');",
      "    table.string('email').notNullable().unique();",
      '  });',
      "  await knex.schema.createTable('orders', (t) => {",
      "    t.increments('id');",
      "    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');",
      "    t.string('status');",
      "    t.index(['status', 'user_id']);",
      '    t.timestamps();',
      '  });',
      "  await knex.raw('CREATE INDEX orders_created ON orders (created_at)');",
      '};',
      "exports.down = (knex) => knex.schema.dropTable('orders');",
    ].join('\n');
    const root = createWorkspace({ files: { 'migrations/20240101_init.js': migration } });
    roots.push(root);
    const { schema, migrations } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    assert.equal(migrations.length, 1);
    const orders = schema.lookup('orders')!;
    assert.deepEqual([...orders.columns.keys()], ['id', 'user_id', 'status', 'created_at', 'updated_at']);
    assert.deepEqual(orders.indexes.map((i) => i.name), ['orders_pkey', 'orders_status_user_id_index', 'orders_created']);
    assert.deepEqual(orders.foreignKeys.map((f) => `${f.name} ${f.columns} -> ${f.references.table} ${f.onDelete}`), ['orders_user_id_foreign user_id -> users cascade']);
    assert.deepEqual(orders.foreignKeys[0].origin.range.start, { line: 5, character: 8 }, 'the createTable call');
    assert.deepEqual(schema.lookup('users')!.indexes.map((i) => i.name), ['users_pkey', 'users_email_unique']);
  });

  it('reads chained Knex schema calls in order (createTable(…).createTable(…)), with .index() on a column (named lower-case, as Knex does)', () => {
    const migration = "exports.up = (knex) => {\n  return knex.schema\n    .createTable('persons', (table) => {\n      table.increments('id').primary();\n    })\n    .createTable('animals', (table) => {\n      table.increments('id').primary();\n      table.integer('ownerId').unsigned().references('id').inTable('persons').onDelete('SET NULL').index();\n    });\n};\n";
    const root = createWorkspace({ files: { 'migrations/20150613161239_initial_schema.js': migration } });
    roots.push(root);
    const { schema } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    assert.deepEqual(schema.allTables().map((t) => t.name), ['persons', 'animals']);
    assert.deepEqual(schema.lookup('animals')!.indexes.map((i) => i.name), ['animals_pkey', 'animals_ownerid_index']);
    assert.deepEqual(schema.lookup('animals')!.foreignKeys.map((f) => `${f.name} -> ${f.references.table} ${f.onDelete}`), ['animals_ownerid_foreign -> persons set null']);
  });

  it('reads the callback of .then on a Knex schema chain (not of .catch), and leaves out knex.raw expressions handed to a query builder', () => {
    const migration = [
      'exports.up = function (knex) {',
      '  return Promise.all([',
      "    knex('events').update({ data: knex.raw(\"data::jsonb - 'old' || jsonb_build_object('new', data::jsonb->'old')\") }).whereRaw(\"data->'old' is not null\"),",
      "    knex('quotes').whereNull('rate').update({ rate: knex.raw('?? / ??', ['num', 'den']) }),",
      "    knex('payments').select(['id', knex.raw(\"'IN' AS type\")]),",
      "    knex.raw('CREATE INDEX events_type_idx ON events (type)'),",
      '    knex.schema',
      "      .createTable('spends', (t) => {",
      "        t.uuid('id').primary();",
      "        t.string('grantId').notNullable();",
      '      })',
      "      .then(() => knex.raw('CREATE INDEX spends_grant_idx ON spends (\"grantId\")'))",
      "      .catch(() => knex.raw('CREATE INDEX spends_never_idx ON spends (id)')),",
      '  ]);',
      '};',
    ].join('\n');
    const root = createWorkspace({ files: { 'migrations/20240101000000_update.js': migration } });
    roots.push(root);
    const { statements } = projectSchema({ root, files: discoverFiles(root), config: defaultConfig() });
    assert.deepEqual(statements.map((s) => s.sql.split('(')[0].trim()), ['CREATE INDEX events_type_idx ON events', 'CREATE TABLE "spends"', 'CREATE INDEX spends_grant_idx ON spends']);
  });

  it('reads the same statements again for the same files (a stable list for the explain feature)', () => {
    const root = createWorkspace({ files: { 'migrations/1.sql': 'CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);' } });
    roots.push(root);
    const files = discoverMigrations({ root, files: discoverFiles(root), globs: defaultConfig().migrations });
    const once = readMigrationStatements(files).map((s) => s.sql);
    assert.deepEqual(once, ['CREATE TABLE a (id int)', 'CREATE INDEX a_id ON a (id)']);
    assert.deepEqual(readMigrationStatements(files).map((s) => s.sql), once);
  });
});
