/**
 * unindexed-filter on Drizzle tables made by a table creator (`pgTableCreator`, create-t3-app's
 * per-project prefix) in another file than the creator, with a partial index
 * (`index(…).on(…).where(sql`…`)`). With the libraries' declarations installed and without any.
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests, type InvalidCase, type ValidCase } from '../helpers/ruleTester';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';

function both<T extends ValidCase>(cases: T[]): T[] {
  const dependencies = { 'drizzle-orm': '0.44.0', pg: '8.0.0' };
  return cases.flatMap((c) => [
    { ...c, name: `${c.name} (with types)`, withTypes: true, dependencies },
    { ...c, name: `${c.name} (without types)`, withTypes: false, dependencies },
  ]);
}

const CREATOR = "import { pgTableCreator } from 'drizzle-orm/pg-core';\nexport const createTable = pgTableCreator((name) => `acme_${name}`);\n";
const SCHEMA = `import { sql } from 'drizzle-orm';
import { index, integer, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { createTable } from './table';

export const tickets = createTable(
  'ticket',
  {
    id: serial('id').primaryKey(),
    queue: integer('queue_id').notNull(),
    state: text('state').notNull(),
    title: text('title'),
    deletedAt: timestamp('deleted_at'),
  },
  (t) => [index('ticket_live_state_idx').on(t.state).where(sql\`\${t.deletedAt} is null\`), index('ticket_queue_idx').on(t.queue)],
);
`;
const DB = "import { drizzle } from 'drizzle-orm/node-postgres';\nimport * as schema from './schema';\nexport const db = drizzle(process.env.DATABASE_URL!, { schema });\n";
const Q = (body: string) => `import { and, eq, isNull } from 'drizzle-orm';\nimport { db } from './db';\nimport { tickets } from './schema';\n${body}\n`;
const files = { 'src/table.ts': CREATOR, 'src/schema.ts': SCHEMA, 'src/db.ts': DB };

const valid: ValidCase[] = both([
  { name: 'a table made by an imported creator: a filter its index serves', files: { ...files, 'src/q.ts': Q('export const q = (n: number) => db.select().from(tickets).where(eq(tickets.queue, n));') } },
  { name: 'a partial index serves a filter that states its predicate', files: { ...files, 'src/q.ts': Q('export const q = (s: string) => db.select().from(tickets).where(and(eq(tickets.state, s), isNull(tickets.deletedAt)));') } },
]);

const invalid: InvalidCase[] = both([
  {
    name: 'a table made by an imported creator is named as the creator names it',
    files: { ...files, 'src/q.ts': Q('export const q = (t: string) => db.select().from(tickets).where(eq(tickets.title, t));') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`acme_ticket` (`title`)'] }],
  },
  {
    name: 'a partial index does not serve a filter without its predicate',
    files: { ...files, 'src/q.ts': Q('export const q = (s: string) => db.select().from(tickets).where(eq(tickets.state, s));') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`acme_ticket` (`state`)', 'ticket_live_state_idx'] }],
  },
]);

runRuleTests(unindexedFilter, { valid, invalid });
