import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';
import { runRuleTests } from '../helpers/ruleTester';

const NOTE =
  '-- CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a\n-- transaction block: run this migration outside one (tools that wrap each migration in a\n-- transaction need to be told so).\n';

const PRISMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
  likes Like[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  authorId  Int      @map("author_id")
  author    User     @relation(fields: [authorId], references: [id])
  likes     Like[]
  @@map("posts")
}

model Like {
  userId Int
  postId Int
  user   User @relation(fields: [userId], references: [id])
  post   Post @relation(fields: [postId], references: [id])
  @@id([userId, postId])
  @@index([postId])
}
`;

runRuleTests(fkWithoutIndex, {
  valid: [
    { name: 'schema.prisma: relations whose fields lead an @@id or @@index', files: { 'prisma/schema.prisma': PRISMA.replace('  @@map("posts")', '  @@index([authorId])\n  @@map("posts")') } },
    { name: 'schema.prisma with relationMode = "prisma": no foreign keys in the database', files: { 'prisma/schema.prisma': PRISMA.replace('url      = env("DATABASE_URL")', 'url      = env("DATABASE_URL")\n  relationMode = "prisma"') } },
    { name: 'indexed by a composite index that starts with it', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int, a_id int REFERENCES a, t timestamptz);\nCREATE INDEX b_a_t ON b (a_id, t);\n' } },
    { name: 'the leading column of the primary key', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a, line int, PRIMARY KEY (a_id, line));\n' } },
    { name: 'multi-column key served in another column order', files: { 'migrations/001.sql': 'CREATE TABLE p (x int, y int, PRIMARY KEY (x, y));\nCREATE TABLE c (x int, y int, FOREIGN KEY (x, y) REFERENCES p (x, y));\nCREATE INDEX c_yx ON c (y, x);\n' } },
    { name: 'indexed in a later migration', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);\n', 'migrations/002.sql': 'CREATE INDEX CONCURRENTLY b_a ON b (a_id);\n' } },
    { name: 'a partial index on a_id IS NOT NULL', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);\nCREATE INDEX b_a ON b (a_id) WHERE a_id IS NOT NULL;\n' } },
    { name: 'suppressed in SQL', files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (\n  -- shipshape-disable-next-line fk-without-index -- audit column, never joined\n  a_id int REFERENCES a\n);\n' } },
  ],
  invalid: [
    {
      name: 'schema.prisma without migrations: the relation field, fixed with @@index in the model',
      files: {
        'prisma/schema.prisma': PRISMA,
      },
      errors: [{ messageId: 'fkWithoutIndex', line: 17, column: 3, messageIncludes: ['posts_author_id_fkey (`author_id`) on `posts`', 'on `User`'] }],
      fix: { title: 'Add @@index([authorId]) to model Post', output: { 'prisma/schema.prisma': PRISMA.replace('  @@map("posts")\n}', '  @@map("posts")\n  @@index([authorId])\n}') } },
    },
    {
      name: 'column REFERENCES with no index, fixed by the next numbered file',
      files: { 'migrations/001_init.sql': 'CREATE TABLE customers (id bigserial PRIMARY KEY);\nCREATE TABLE orders (\n  id bigserial PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers (id)\n);\n' },
      errors: [{ messageId: 'fkWithoutIndex', line: 4, column: 31, messageIncludes: ['Foreign key orders_customer_id_fkey (`customer_id`) on `orders`', 'DELETE or key UPDATE on `customers`', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);'] }],
      fix: { title: 'Create index migration', output: { 'migrations/002_add_orders_customer_id_idx.sql': `${NOTE}CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);\n` } },
    },
    {
      name: 'an index whose second column is the foreign key',
      files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (t int, a_id int);\nALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id);\nCREATE INDEX b_t_a ON b (t, a_id);\n' },
      errors: [{ messageId: 'fkWithoutIndex', line: 3, column: 19, messageIncludes: ['b_a_fk'] }],
    },
    {
      name: 'the index was dropped later',
      files: { 'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);\nCREATE INDEX b_a ON b (a_id);\n', 'migrations/002.sql': 'DROP INDEX b_a;\n' },
      errors: [{ messageId: 'fkWithoutIndex', file: 'migrations/001.sql', line: 2 }],
    },
    {
      name: 'TypeORM migration class: reported on the constraint inside the query string',
      files: {
        'src/migrations/1700000000000-Init.ts': [
          "import { MigrationInterface, QueryRunner } from 'typeorm';",
          'export class Init1700000000000 implements MigrationInterface {',
          '  public async up(queryRunner: QueryRunner): Promise<void> {',
          '    await queryRunner.query(`CREATE TABLE "user" ("id" SERIAL NOT NULL, CONSTRAINT "PK_user" PRIMARY KEY ("id"))`);',
          '    await queryRunner.query(`CREATE TABLE "post" ("id" SERIAL NOT NULL, "authorId" integer, CONSTRAINT "PK_post" PRIMARY KEY ("id"))`);',
          '    await queryRunner.query(`ALTER TABLE "post" ADD CONSTRAINT "FK_post_author" FOREIGN KEY ("authorId") REFERENCES "user"("id")`);',
          '  }',
          '  public async down(queryRunner: QueryRunner): Promise<void> {}',
          '}',
          '',
        ].join('\n'),
      },
      errors: [{ messageId: 'fkWithoutIndex', line: 6, column: 53, messageIncludes: ['"FK_post_author"', '`authorId`', 'post_authorId_idx'] }],
    },
    {
      name: 'a two-column foreign key whose first column alone is indexed: served in part, at info',
      files: {
        'migrations/001.sql': [
          'CREATE TABLE account (id uuid, user_id uuid, PRIMARY KEY (id, user_id));',
          'CREATE TABLE activity (id uuid PRIMARY KEY, account_id uuid, account_user_id uuid,',
          '  CONSTRAINT activity_account_fkey FOREIGN KEY (account_id, account_user_id) REFERENCES account (id, user_id));',
          'CREATE INDEX activity_account_id_idx ON activity (account_id);',
          // An index led by a column that is not in the key serves nothing: still a warning below.
          'CREATE TABLE balance (id uuid PRIMARY KEY, day date, account_id uuid, user_id uuid, FOREIGN KEY (account_id, user_id) REFERENCES account (id, user_id));',
          'CREATE INDEX balance_day_account ON balance (day, account_id);',
          '',
        ].join('\n'),
      },
      errors: [
        { messageId: 'fkPartlyIndexed', severity: 'info', line: 3, messageIncludes: ['indexed only in part: activity_account_id_idx (account_id) finds the referencing rows by `account_id`, and `account_user_id` is checked row by row', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS activity_account_id_account_user_id_idx ON activity (account_id, account_user_id);'] },
        { messageId: 'fkWithoutIndex', severity: 'warning', line: 5, messageIncludes: ['balance_account_id_user_id_fkey'] },
      ],
    },
    {
      name: 'drizzle-kit SQL: the foreign key added inside DO $$ BEGIN … EXCEPTION … END $$, reported on its line',
      files: {
        'drizzle/0000_init.sql': [
          'CREATE TABLE IF NOT EXISTS "users" ("id" serial PRIMARY KEY NOT NULL);',
          '--> statement-breakpoint',
          'CREATE TABLE IF NOT EXISTS "posts" ("id" serial PRIMARY KEY NOT NULL, "author_id" integer NOT NULL);',
          '--> statement-breakpoint',
          'DO $$ BEGIN',
          ' ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;',
          'EXCEPTION',
          ' WHEN duplicate_object THEN null;',
          'END $$;',
          '',
        ].join('\n'),
      },
      errors: [{ messageId: 'fkWithoutIndex', file: 'drizzle/0000_init.sql', line: 6, column: 26, messageIncludes: ['posts_author_id_users_id_fk (`author_id`) on `posts`', 'posts_author_id_idx'] }],
    },
    {
      name: 'Knex migration (.js): .references() creates no index',
      files: {
        'migrations/20240101000000_init.js':
          "exports.up = async (knex) => {\n  await knex.schema.createTable('users', (t) => { t.increments('id'); });\n  await knex.schema.createTable('posts', (t) => {\n    t.increments('id');\n    t.integer('user_id').references('id').inTable('users');\n  });\n};\nexports.down = () => {};\n",
      },
      errors: [{ messageId: 'fkWithoutIndex', file: 'migrations/20240101000000_init.js', line: 3, messageIncludes: ['posts_user_id_foreign'] }],
    },
  ],
});
