import { unindexedFilter } from '../../src/core/rules/unindexed-filter';
import { runRuleTests } from '../helpers/ruleTester';

const ORDERS_SQL = `CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL,
  tenant_id int NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_tenant_customer ON orders (tenant_id, customer_id);
`;

const PRISMA_SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id         Int      @id @default(autoincrement())
  customerId Int      @map("customer_id")
  status     String
  createdAt  DateTime @default(now()) @map("created_at")
  @@index([customerId])
  @@map("orders")
}
`;

const PRISMA_RELATIONS = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Author {
  id     Int     @id @default(autoincrement())
  email  String
  books  Book[]
  notes  Note[]
}

model Book {
  id       Int     @id @default(autoincrement())
  title    String
  authorId Int     @map("author_id")
  author   Author  @relation(fields: [authorId], references: [id])
  @@index([authorId])
}

model Note {
  id       Int     @id @default(autoincrement())
  body     String
  authorId Int
  author   Author  @relation(fields: [authorId], references: [id])
  @@index([body])
}
`;

const PRISMA_CLIENT = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";

const PG = (body: string) => `import { Pool } from 'pg';\nconst pool = new Pool();\n${body}\n`;

runRuleTests(unindexedFilter, {
  valid: [
    {
      name: 'Prisma findUnique by id and findMany on an indexed relation field',
      files: {
        'prisma/schema.prisma': PRISMA_SCHEMA,
        'src/q.ts': "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const one = (id: number) => prisma.order.findUnique({ where: { id } });\nexport const of = (customerId: number) => prisma.order.findMany({ where: { customerId } });\n",
      },
    },
    { name: 'Knex chain on the primary key', files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': "import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport const one = async (id: number) => await db('orders').where({ id }).first();\n" } },
    { name: 'primary key lookup (pg)', files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG("export const one = (id: number) => pool.query('SELECT * FROM orders WHERE id = $1', [id]);") } },
    { name: 'leading prefix of a composite index', files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG("export const q = (t: number, c: number) => pool.query('SELECT * FROM orders WHERE customer_id = $2 AND tenant_id = $1', [t, c]);") } },
    { name: 'a table the migrations do not define', files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG("export const q = (e: string) => pool.query('SELECT * FROM invoices WHERE email = $1', [e]);") } },
    { name: 'a query text computed at run time', files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG('export const q = (col: string, v: string) => pool.query(`SELECT * FROM orders WHERE ${col} = $1`, [v]);') } },
    { name: 'no migrations: nothing to check against', files: { 'src/q.ts': PG("export const q = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1', [s]);") } },
    { name: 'a string that is not passed to a database call', files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': "export const text = 'SELECT * FROM orders WHERE status = $1';\nconsole.log(text);\n" } },
    { name: 'a filter under OR is left alone', files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG("export const q = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1 OR id = 1', [s]);") } },
    {
      name: "a test's or a seed's own query (e2e/, *.spec.ts, seed/): it reads a test database of a handful of rows, never production",
      files: {
        'migrations/001_init.sql': ORDERS_SQL,
        'e2e/orders/cancel.spec.ts': PG("export const check = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1', [s]);"),
        'src/orders.test.ts': PG("export const check = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1', [s]);"),
        'db/seed/customers.ts': PG("export const existing = (e: string) => pool.query('SELECT id FROM customers WHERE email = $1', [e]);"),
      },
    },
    {
      name: 'Prisma relation filters restrict the relation key: to-one (`author: { email }`, `is`) on an indexed foreign key, to-many `some` on the primary key (one row per probe: other columns need no index); a query its own columns serve stays served, the relation key is not a column left to filter; a `where` with a spread (`...byKey(id)`) may hold the key: no verdict',
      files: {
        'prisma/schema.prisma': PRISMA_RELATIONS,
        'src/q.ts': PRISMA_CLIENT + "export const byEmail = (email: string) => prisma.book.findMany({ where: { author: { email } } });\nexport const byIs = (email: string) => prisma.book.findMany({ where: { author: { is: { email } } } });\nexport const withBook = (title: string) => prisma.author.findMany({ where: { books: { some: { title } } } });\nexport const namedWithBook = (title: string, email: string) => prisma.author.findMany({ where: { books: { some: { title } }, email } });\nexport const noteOf = (body: string, email: string) => prisma.note.findFirst({ where: { body, author: { email } } });\nconst byKey = (id: number) => ({ id });\nexport const titledById = (id: number, title: string) => prisma.book.findFirst({ where: { ...byKey(id), title } });\nexport const titledByIdAnd = (id: number, title: string) => prisma.book.findFirst({ where: { AND: [{ ...byKey(id) }, { title }] } });\n",
      },
    },
    {
      name: 'suppressed with a comment',
      files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG("// shipshape-disable-next-line unindexed-filter -- admin report, runs nightly\nexport const q = (s: string) => pool.query('SELECT * FROM orders WHERE status = $1', [s]);") },
    },
  ],
  invalid: [
    {
      name: 'a trigram GIN index (gin_trgm_ops) is named for the searches it serves, a plain GIN for its containment operators; a filter on another column is not served by either',
      files: {
        'prisma/migrations/20240101000000_init/migration.sql': `CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE "Request" ("id" TEXT NOT NULL, "collectionID" TEXT NOT NULL, "title" TEXT NOT NULL, "tags" TEXT[], CONSTRAINT "Request_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Request_title_trgm_idx" ON "Request" USING GIN (title gin_trgm_ops);
CREATE INDEX "Request_tags_idx" ON "Request" USING GIN ("tags");
`,
        'src/q.ts': PG("export const inCollection = (id: string) => pool.query('SELECT * FROM \"Request\" WHERE \"collectionID\" = $1', [id]);"),
      },
      errors: [
        {
          messageId: 'notServed',
          file: 'src/q.ts',
          line: 3,
          messageIncludes: [
            'Request_title_trgm_idx USING gin (title) is a trigram GIN index (title): it serves LIKE/ILIKE patterns, ~ and % (similarity) on those columns',
            'Request_tags_idx USING gin (tags) is a GIN index (tags): it serves @>, <@, &&, ?, @@ on those columns',
          ],
        },
      ],
    },
    {
      name: 'Prisma relation filter on a foreign key no index serves: the semi-join scans the table (the filter names the key column, not the relation); an unknown operator on a scalar (`notIn`) is not a relation',
      files: {
        'prisma/schema.prisma': PRISMA_RELATIONS,
        'src/q.ts': PRISMA_CLIENT + "export const notesOf = (email: string) => prisma.note.findMany({ where: { author: { email } } });\nexport const titledNotBy = (ids: number[]) => prisma.book.findMany({ where: { authorId: { notIn: ids }, title: 'x' } });\n",
      },
      errors: [
        { messageId: 'notServed', file: 'src/q.ts', line: 3, column: 43, messageIncludes: ['`Note` (`authorId`)'] },
        { messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`Book` (`title`)'] },
      ],
    },
    {
      name: "Prisma relation filter next to a column filter: the related key's index serves the query, the column is left to a filter (info), not a whole-table scan",
      files: {
        'prisma/schema.prisma': PRISMA_RELATIONS,
        'src/q.ts': PRISMA_CLIENT + "export const titled = (email: string, title: string) => prisma.book.findMany({ where: { author: { email }, title } });\n",
      },
      errors: [{ messageId: 'partlyServed', severity: 'info', file: 'src/q.ts', line: 3, messageIncludes: ['Only `author_id`', '`title`'] }],
    },
    {
      name: 'Prisma where/orderBy on a model (@@map, @map), fixed with @@index in schema.prisma',
      files: {
        'prisma/schema.prisma': PRISMA_SCHEMA,
        'src/q.ts': "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const open = () => prisma.order.findMany({ where: { status: 'open' }, orderBy: { createdAt: 'desc' }, take: 20 });\n",
      },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, column: 27, messageIncludes: ['`orders` (`status`)', 'orders_customer_id_idx (customer_id) starts with customer_id'] }],
      fix: {
        title: 'Add @@index([status, createdAt(sort: Desc)]) to model Order',
        output: { 'prisma/schema.prisma': PRISMA_SCHEMA.replace('  @@map("orders")\n}', '  @@map("orders")\n  @@index([status, createdAt(sort: Desc)])\n}') },
      },
    },
    {
      name: 'Prisma client kept by a generic singleton helper (remember<T>(name, () => T): T, keep<T>(value: T): T), imported from a workspace file',
      files: {
        'prisma/schema.prisma': PRISMA_SCHEMA,
        'src/db/remember.ts': 'export function remember<T>(name: string, getValue: () => T): T {\n  const g = globalThis as unknown as { cache?: Map<string, unknown> };\n  g.cache ??= new Map();\n  if (!g.cache.has(name)) g.cache.set(name, getValue());\n  return g.cache.get(name) as T;\n}\n',
        'src/db/index.ts': "import { PrismaClient } from '@prisma/client';\nimport { remember } from './remember';\nexport const prisma = remember('prisma', () => new PrismaClient());\nexport const viaValue = remember('again', makeClient);\nfunction makeClient() {\n  return new PrismaClient();\n}\nconst kept = new Map<string, unknown>();\nfunction keep<T>(value: T): T {\n  if (!kept.has('db')) kept.set('db', value);\n  return kept.get('db') as T;\n}\nexport const viaIdentity = keep(new PrismaClient());\n",
        'src/q.ts': "import { prisma, viaIdentity, viaValue } from './db';\nexport const open = () => prisma.order.findMany({ where: { status: 'open' } });\nexport const open2 = () => viaValue.order.findMany({ where: { status: 'open' } });\nexport const open3 = () => viaIdentity.order.findMany({ where: { status: 'open' } });\n",
      },
      errors: [
        { messageId: 'notServed', file: 'src/q.ts', line: 2, messageIncludes: ['`orders` (`status`)'] },
        { messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`orders` (`status`)'] },
        { messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`orders` (`status`)'] },
      ],
    },
    {
      name: 'Knex builder chain: where + orderBy + first',
      files: {
        'migrations/001_init.sql': ORDERS_SQL,
        'src/q.ts': "import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport const latest = async (s: string) => await db('orders').where('status', s).orderBy('created_at', 'desc').first();\n",
      },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, messageIncludes: ['`orders` (`status`)', 'orders_status_created_at_idx ON orders (status, created_at DESC)'] }],
    },
    {
      name: 'pg: filter on a column no index covers, with the fix as the next numbered migration',
      files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG("export const byStatus = (s: string) => pool.query('SELECT id FROM orders WHERE status = $1 ORDER BY created_at DESC', [s]);") },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, column: 51, messageIncludes: ['`orders` (`status`)', 'orders_pkey (id) starts with id', 'orders_tenant_customer (tenant_id, customer_id) starts with tenant_id', 'sequential scan of every row of `orders`', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created_at_idx ON orders (status, created_at DESC);'] }],
      fix: {
        title: 'Create index migration',
        output: {
          'migrations/002_add_orders_status_created_at_idx.sql':
            '-- CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a\n-- transaction block: run this migration outside one (tools that wrap each migration in a\n-- transaction need to be told so).\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created_at_idx ON orders (status, created_at DESC);\n',
        },
      },
    },
    {
      name: 'the second column of a composite index alone (postgres.js tagged template)',
      files: {
        'migrations/001_init.sql': ORDERS_SQL,
        'src/q.ts': "import postgres from 'postgres';\nconst sql = postgres();\nexport const q = (c: number) => sql`SELECT * FROM orders WHERE customer_id = ${c}`;\n",
      },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3, column: 33, messageIncludes: ['(`customer_id`)'] }],
    },
    {
      name: 'partly served: tenant_id served by the composite index, status left to a row-by-row filter (info)',
      files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG("export const q = (t: number, s: string) => pool.query('SELECT * FROM orders WHERE tenant_id = $1 AND status = $2', [t, s]);") },
      errors: [{ messageId: 'partlyServed', file: 'src/q.ts', line: 3, severity: 'info', messageIncludes: ['Only `tenant_id`', 'orders_tenant_customer (tenant_id, customer_id)', '`status` is checked row by row', 'orders_tenant_id_status_idx ON orders (tenant_id, status)'] }],
    },
    {
      name: 'constant folding: const fragments and concatenation, through an alias and a join',
      files: {
        'migrations/001_init.sql': ORDERS_SQL,
        'src/sql.ts': "export const ORDER_COLUMNS = 'o.id, o.status';\n",
        'src/q.ts': PG("import { ORDER_COLUMNS } from './sql';\nconst FROM = ' FROM customers c JOIN orders o ON o.customer_id = c.id';\nexport const q = (e: string) => pool.query('SELECT ' + ORDER_COLUMNS + FROM + ' WHERE c.email = $1', [e]);"),
      },
      errors: [
        { messageId: 'notServed', file: 'src/q.ts', line: 5, messageIncludes: ['`customers` (`email`)'] },
        { messageId: 'notServed', file: 'src/q.ts', line: 5, messageIncludes: ['`orders` (`customer_id`)', 'orders_tenant_customer (tenant_id, customer_id) starts with tenant_id'] },
      ],
    },
    {
      name: 'ORDER BY … LIMIT with no index in that order',
      files: { 'migrations/001_init.sql': ORDERS_SQL, 'src/q.ts': PG("export const latest = () => pool.query('SELECT * FROM orders ORDER BY created_at DESC LIMIT 20');") },
      errors: [{ messageId: 'unsortedLimit', file: 'src/q.ts', line: 3, messageIncludes: ['in `created_at` order', 'orders_created_at_idx ON orders (created_at DESC)'] }],
    },
    {
      name: 'Flyway folder: the fix is the next version',
      files: {
        'db/migration/V1__init.sql': ORDERS_SQL,
        'db/migration/V2__more.sql': 'ALTER TABLE orders ADD COLUMN note text;',
        'src/q.ts': PG("export const q = (n: string) => pool.query('SELECT * FROM orders WHERE note = $1', [n]);"),
      },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3 }],
      fix: {
        title: 'Create index migration',
        output: {
          'db/migration/V3__add_orders_note_idx.sql':
            '-- CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a\n-- transaction block: run this migration outside one (tools that wrap each migration in a\n-- transaction need to be told so).\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note);\n',
        },
      },
    },
    {
      name: 'mysql2-style ? placeholders and Knex raw',
      files: {
        'migrations/001_init.sql': ORDERS_SQL,
        'src/q.ts': "import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport const q = async (s: string) => await db.raw('SELECT * FROM orders WHERE status = ?', [s]);\n",
      },
      errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 3 }],
    },
  ],
});
