/**
 * unindexed-filter and fk-without-index on Drizzle and Kysely projects: Drizzle `pgTable`
 * definitions as the schema (no migrations, `drizzle-kit push`), Drizzle `select/update/delete`
 * chains and relational `db.query.<table>.findMany`, Kysely `selectFrom(…).where(…)` chains.
 * Every case runs with the libraries' declarations installed and without any.
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests, type InvalidCase, type ValidCase } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';

function both<T extends ValidCase>(cases: T[], dependencies: Record<string, string>): T[] {
  return cases.flatMap((c) => [
    { ...c, name: `${c.name} (with types)`, withTypes: true, dependencies },
    { ...c, name: `${c.name} (without types)`, withTypes: false, dependencies },
  ]);
}

const SCHEMA = `import { index, integer, pgTable, serial, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: varchar('email_address', { length: 255 }).notNull().unique(),
  status: text('status').notNull(),
});

export const posts = pgTable(
  'posts',
  {
    id: serial('id').primaryKey(),
    authorId: integer('author_id').notNull().references(() => users.id),
    editorId: integer('editor_id').references(() => users.id),
    slug: text('slug').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('posts_editor_idx').on(t.editorId), uniqueIndex('posts_slug_key').on(t.slug)],
);

export const comments = pgTable(
  'comments',
  {
    id: serial('id').primaryKey(),
    postId: integer('post_id').notNull().references(() => posts.id),
    body: text('body'),
  },
  (t) => ({ postIdx: index('comments_post_idx').on(t.postId) }),
);
`;

const DB = "import { drizzle } from 'drizzle-orm/node-postgres';\nimport * as schema from './schema';\nexport const db = drizzle(process.env.DATABASE_URL!, { schema });\n";
const Q = (body: string) => `import { and, asc, desc, eq, gt, inArray, or } from 'drizzle-orm';\nimport { db } from './db';\nimport { comments, posts, users } from './schema';\n${body}\n`;
const drizzleFiles = { 'src/schema.ts': SCHEMA, 'src/db.ts': DB };
const DRIZZLE = { 'drizzle-orm': '0.44.0', pg: '8.0.0' };

runRuleTests(fkWithoutIndex, {
  valid: both([{ name: 'Drizzle: migrations define the tables, pgTable is not a second schema', files: { ...drizzleFiles, 'drizzle/0000_init.sql': 'CREATE TABLE posts (id serial PRIMARY KEY);' } }], DRIZZLE),
  invalid: both(
    [
      {
        name: 'Drizzle pgTable as schema: .references() without an index (array and object third argument)',
        files: drizzleFiles,
        errors: [{ messageId: 'fkWithoutIndex', file: 'src/schema.ts', line: 13, column: 15, messageIncludes: ['posts_author_id_users_id_fk (`author_id`) on `posts`', 'ON posts (author_id)'] }],
      },
    ],
    DRIZZLE,
  ),
});

const drizzleValid: ValidCase[] = both(
  [
    { name: 'Drizzle: eq on a unique column (column renamed in the builder)', files: { ...drizzleFiles, 'src/q.ts': Q('export const q = (e: string) => db.select().from(users).where(eq(users.email, e));') } },
    { name: 'Drizzle: inArray on the primary key and an index from the object-returning third argument', files: { ...drizzleFiles, 'src/q.ts': Q('export const a = (ids: number[]) => db.select().from(users).where(inArray(users.id, ids));\nexport const b = (p: number) => db.select().from(comments).where(eq(comments.postId, p));') } },
    { name: 'Drizzle: or() is left alone', files: { ...drizzleFiles, 'src/q.ts': Q("export const q = (s: string) => db.select().from(users).where(or(eq(users.status, s), eq(users.id, 1)));") } },
    { name: 'Drizzle: a join condition is not a filter', files: { ...drizzleFiles, 'src/q.ts': Q('export const q = () => db.select().from(posts).innerJoin(users, eq(posts.authorId, users.id)).where(eq(posts.authorId, users.id));') } },
    { name: 'Drizzle relational query on a unique index', files: { ...drizzleFiles, 'src/q.ts': Q("export const q = (slug: string) => db.query.posts.findFirst({ where: eq(posts.slug, slug) });") } },
  ],
  DRIZZLE,
);

const drizzleInvalid: InvalidCase[] = both(
  [
    {
      name: 'Drizzle select … where(and(eq, gt)) … orderBy(desc) … limit, columns mapped to their SQL names',
      files: { ...drizzleFiles, 'src/q.ts': Q('export const q = async (a: number, d: Date) => await db.select().from(posts).where(and(eq(posts.authorId, a), gt(posts.createdAt, d))).orderBy(desc(posts.createdAt)).limit(10);') },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`posts` (`author_id`, `created_at`)', 'posts_editor_idx (editor_id) starts with editor_id', 'ON posts (author_id, created_at)'] }],
    },
    {
      name: 'Drizzle update … where on a plain column',
      files: { ...drizzleFiles, 'src/q.ts': Q("export const q = async (s: string) => await db.update(users).set({ status: 'x' }).where(eq(users.status, s));") },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`users` (`status`)'] }],
    },
    {
      name: 'Drizzle relational query with a where callback',
      files: { ...drizzleFiles, 'src/q.ts': Q('export const q = (s: string) => db.query.users.findMany({ where: (u, { eq }) => eq(u.status, s) });') },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`users` (`status`)'] }],
    },
  ],
  DRIZZLE,
);

// ---- Kysely ----------------------------------------------------------------------------------

const MIGRATION = `CREATE TABLE person (id serial PRIMARY KEY, email text NOT NULL UNIQUE, first_name text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE pet (id serial PRIMARY KEY, owner_id int NOT NULL REFERENCES person (id), species text NOT NULL);
CREATE INDEX pet_owner_id_idx ON pet (owner_id);
`;
const KDB = "import { Kysely, PostgresDialect } from 'kysely';\nimport { Pool } from 'pg';\nexport const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool() }) });\n";
const K = (body: string) => `import { db } from './db';\n${body}\n`;
const kyselyFiles = { 'migrations/001_init.sql': MIGRATION, 'src/db.ts': KDB };
const KYSELY = { kysely: '0.28.0', pg: '8.0.0' };

const kyselyValid: ValidCase[] = both(
  [
    { name: 'Kysely: where on a unique column', files: { ...kyselyFiles, 'src/q.ts': K("export const q = (e: string) => db.selectFrom('person').selectAll().where('email', '=', e).executeTakeFirst();") } },
    { name: 'Kysely: alias and an indexed column', files: { ...kyselyFiles, 'src/q.ts': K("export const q = (o: number) => db.selectFrom('pet as p').select('p.id').where('p.owner_id', '=', o).execute();") } },
    { name: 'Kysely: expression-builder callback is left alone', files: { ...kyselyFiles, 'src/q.ts': K("export const q = (s: string) => db.selectFrom('pet').selectAll().where((eb) => eb.or([eb('species', '=', s), eb('id', '=', 1)])).execute();") } },
    { name: 'Kysely: a filter on a joined table is left alone', files: { ...kyselyFiles, 'src/q.ts': K("export const q = (s: string) => db.selectFrom('pet').innerJoin('person', 'person.id', 'pet.owner_id').selectAll().where('person.first_name', '=', s).execute();") } },
  ],
  KYSELY,
);

const kyselyInvalid: InvalidCase[] = both(
  [
    {
      name: 'Kysely: where + orderBy + limit, camelCase names mapped to the schema (CamelCasePlugin)',
      files: { ...kyselyFiles, 'src/q.ts': K("export const q = (n: string) => db.selectFrom('person').where('firstName', '=', n).orderBy('createdAt', 'desc').limit(10).execute();") },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 2, column: 33, messageIncludes: ['`person` (`first_name`)', 'ON person (first_name, created_at DESC)'] }],
    },
    {
      name: 'Kysely: deleteFrom … where in',
      files: { ...kyselyFiles, 'src/q.ts': K("export const q = (s: string[]) => db.deleteFrom('pet').where('species', 'in', s).execute();") },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 2, messageIncludes: ['`pet` (`species`)'] }],
    },
  ],
  KYSELY,
);

runRuleTests(unindexedFilter, { valid: [...drizzleValid, ...kyselyValid], invalid: [...drizzleInvalid, ...kyselyInvalid] });
