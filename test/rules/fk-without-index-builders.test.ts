/**
 * fk-without-index (and the schema unindexed-filter reads) from migration schema builders:
 * TypeORM `queryRunner.createTable(new Table({…}))`/`createIndex`/`createForeignKey`, and
 * node-pg-migrate `pgm.createTable`/`createIndex`/`addConstraint`.
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';

// The shape of w3tecch/express-typescript-boilerplate's migrations.
const TYPEORM_MIGRATION = `import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

export class CreatePetTable1512663990063 implements MigrationInterface {
  private tableForeignKey = new TableForeignKey({ name: 'fk_user_pet', columnNames: ['user_id'], referencedColumnNames: ['id'], referencedTableName: 'user', onDelete: 'CASCADE' });

  public async up(queryRunner: QueryRunner): Promise<any> {
    const table = new Table({ name: 'user', columns: [{ name: 'id', type: 'varchar', length: '255', isPrimary: true }, { name: 'email', type: 'varchar', isUnique: true }] });
    await queryRunner.createTable(table);
    await queryRunner.createTable(new Table({
      name: 'pet',
      columns: [
        { name: 'id', type: 'varchar', length: '255', isPrimary: true, isNullable: false },
        { name: 'name', type: 'varchar', length: '255', isNullable: false },
        { name: 'user_id', type: 'varchar', length: '255', isNullable: true },
        { name: 'owner_id', type: 'varchar', length: '255', isNullable: true },
      ],
    }));
    await queryRunner.createForeignKey('pet', this.tableForeignKey);
    await queryRunner.createForeignKey('pet', new TableForeignKey({ columnNames: ['owner_id'], referencedColumnNames: ['id'], referencedTableName: 'user' }));
    await queryRunner.createIndex('pet', new TableIndex({ name: 'pet_owner_idx', columnNames: ['owner_id'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<any> {
    await queryRunner.dropTable('pet');
  }
}
`;

const PGM_MIGRATION = `exports.up = (pgm) => {
  pgm.createTable('users', {
    id: 'id',
    email: { type: 'varchar(1000)', notNull: true, unique: true },
  });
  pgm.createTable('posts', {
    id: 'id',
    userId: { type: 'integer', notNull: true, references: '"users"', onDelete: 'cascade' },
    editorId: { type: 'integer' },
    status: { type: 'text', notNull: true },
  });
  pgm.createIndex('posts', 'userId');
  pgm.addConstraint('posts', 'posts_editor_fk', { foreignKeys: { columns: 'editorId', references: 'users(id)' } });
};

exports.down = (pgm) => {
  pgm.dropTable('posts');
};
`;

// The shape of outline/outline's Sequelize migrations (queryInterface builder, renames, addIndex forms).
const SEQUELIZE_MIGRATIONS = {
  'server/migrations/20160619080644-initial.js': `module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.createTable("teams", {
      id: { type: "UUID", allowNull: false, primaryKey: true },
      name: { type: "CHARACTER VARYING", allowNull: true },
    });
    await queryInterface.createTable("documents", {
      id: { type: "UUID", allowNull: false, primaryKey: true },
      atlasId: { type: Sequelize.UUID, allowNull: true },
      teamId: { type: "UUID", allowNull: false, references: { model: "teams" } },
      title: { type: "CHARACTER VARYING", allowNull: false },
    });
  },
  down: async (queryInterface) => {
    await queryInterface.dropTable("documents");
  },
};
`,
  'server/migrations/20160622043741-indexes.js': `module.exports = {
  up: async (queryInterface) => {
    await queryInterface.renameColumn("documents", "atlasId", "collectionId");
    await queryInterface.addIndex("documents", ["collectionId"]);
    await queryInterface.addIndex("documents", { fields: ["title"], name: "documents_title_idx" });
    await queryInterface.addColumn("documents", "createdById", { type: Sequelize.UUID, references: { model: "users", key: "id" } });
    await queryInterface.removeIndex("documents", "documents_title_idx");
  },
};
`,
};

// A foreign key dropped by name and re-created (the shape of a migration that changes ON DELETE).
const DROPPED_FK_MIGRATION = `module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.removeConstraint("documents", "documents_teamId_fkey", { transaction });
    });
  },
};
`;
const READDED_FK_MIGRATION = `module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.removeConstraint("documents", "documents_teamId_fkey");
    await queryInterface.changeColumn("documents", "teamId", {
      type: Sequelize.UUID,
      onDelete: "cascade",
      references: { model: "teams" },
    });
  },
};
`;
const PGM_DROP_CONSTRAINT = `exports.up = (pgm) => {
  pgm.dropConstraint('posts', 'posts_editor_fk', { ifExists: true });
};
`;

runRuleTests(fkWithoutIndex, {
  valid: [
    {
      name: 'Sequelize removeConstraint drops the foreign key',
      files: { 'server/migrations/20160619080644-initial.js': SEQUELIZE_MIGRATIONS['server/migrations/20160619080644-initial.js'], 'server/migrations/20170101000000-drop-fk.js': DROPPED_FK_MIGRATION },
    },
    {
      name: 'node-pg-migrate dropConstraint drops the foreign key',
      files: { 'migrations/1700000000000_init.js': PGM_MIGRATION, 'migrations/1700000000001_drop.js': PGM_DROP_CONSTRAINT },
    },
    { name: 'node-pg-migrate: createIndex on the referencing column serves the inline references', files: { 'migrations/1700000000000_init.js': PGM_MIGRATION.replace("  pgm.addConstraint('posts', 'posts_editor_fk', { foreignKeys: { columns: 'editorId', references: 'users(id)' } });\n", '') } }],
  invalid: [
    {
      name: 'TypeORM queryRunner.createTable(new Table) + createForeignKey; createIndex serves the second key',
      files: { 'src/database/migrations/1512663990063-CreatePetTable.ts': TYPEORM_MIGRATION },
      errors: [{ messageId: 'fkWithoutIndex', file: 'src/database/migrations/1512663990063-CreatePetTable.ts', line: 18, column: 11, messageIncludes: ['fk_user_pet (`user_id`) on `pet`', 'DELETE or key UPDATE on `user`', 'fk_user_pet (`user_id`) on `pet`', 'ON pet (user_id)'] }],
    },
    {
      name: 'Sequelize queryInterface.createTable: references { model } without an index',
      files: SEQUELIZE_MIGRATIONS,
      errors: [
        { messageId: 'fkWithoutIndex', file: 'server/migrations/20160619080644-initial.js', line: 7, column: 11, messageIncludes: ['"documents_teamId_fkey" (`teamId`) on `documents`', 'DELETE or key UPDATE on `teams`'] },
        { messageId: 'fkWithoutIndex', file: 'server/migrations/20160622043741-indexes.js', line: 6, column: 11, messageIncludes: ['"documents_createdById_fkey" (`createdById`) on `documents`'] },
      ],
    },
    {
      name: 'Sequelize removeConstraint then changeColumn re-creates it: reported once, where it is re-created',
      files: { 'server/migrations/20160619080644-initial.js': SEQUELIZE_MIGRATIONS['server/migrations/20160619080644-initial.js'], 'server/migrations/20170101000000-cascade.js': READDED_FK_MIGRATION },
      errors: [{ messageId: 'fkWithoutIndex', file: 'server/migrations/20170101000000-cascade.js', line: 4, column: 11, messageIncludes: ['"documents_teamId_fkey" (`teamId`) on `documents`'] }],
    },
    {
      name: 'node-pg-migrate addConstraint foreignKeys without an index',
      files: { 'migrations/1700000000000_init.js': PGM_MIGRATION },
      errors: [{ messageId: 'fkWithoutIndex', file: 'migrations/1700000000000_init.js', line: 13, column: 3, messageIncludes: ['posts_editor_fk (`editorId`) on `posts`'] }],
    },
  ],
});

runRuleTests(unindexedFilter, {
  valid: [
    {
      name: 'Sequelize migrations: an index on a renamed column serves the filter on its new name',
      files: { ...SEQUELIZE_MIGRATIONS, 'server/q.ts': "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const q = (c: string) => pool.query('SELECT * FROM documents WHERE \"collectionId\" = $1', [c]);\n" },
      dependencies: { pg: '8.0.0' },
    },
    {
      name: 'node-pg-migrate schema: a unique column serves the lookup',
      files: { 'migrations/1700000000000_init.js': PGM_MIGRATION, 'src/q.ts': "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const q = (e: string) => pool.query('SELECT * FROM users WHERE email = $1', [e]);\n" },
      dependencies: { pg: '8.0.0' },
    },
  ],
  invalid: [
    {
      name: 'Sequelize migrations: removeIndex drops the index the filter needed',
      files: { ...SEQUELIZE_MIGRATIONS, 'server/q.ts': "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const q = (t: string) => pool.query('SELECT * FROM documents WHERE title = $1', [t]);\n" },
      dependencies: { pg: '8.0.0' },
      errors: [{ messageId: 'notServed', file: 'server/q.ts', line: 3, messageIncludes: ['`documents` (`title`)', 'documents_collection_id ("collectionId") starts with "collectionId"'] }],
    },
    {
      name: 'node-pg-migrate schema: a filter on a column no builder indexed',
      files: { 'migrations/1700000000000_init.js': PGM_MIGRATION, 'src/q.ts': "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const q = (s: string) => pool.query('SELECT * FROM posts WHERE status = $1', [s]);\n" },
      dependencies: { pg: '8.0.0' },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`posts` (`status`)', 'posts_userId_index ("userId") starts with "userId"'] }],
    },
  ],
});
