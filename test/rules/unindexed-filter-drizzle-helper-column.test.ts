/**
 * unindexed-filter on Drizzle columns built by a project helper that carries its own modifiers
 * (`id: keyCol.primaryKey()`, `lotId: keyCol.references(() => lots.id)`, where `keyCol` is a
 * column-builder function with methods attached): the primary key is a primary key.
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

const COLS = `import { bigint } from 'drizzle-orm/pg-core';
export const keyCol = () => bigint({ mode: 'string' });
keyCol.primaryKey = () => keyCol().generatedAlwaysAsIdentity().primaryKey();
keyCol.references = (ref: () => any) => keyCol().references(ref);
`;
const SCHEMA = `import { pgTable, text } from 'drizzle-orm/pg-core';
import { keyCol } from './cols';
export const lots = pgTable('lots', (c) => ({ id: keyCol.primaryKey(), code: c.text() }));
export const crates = pgTable('crates', (c) => ({ id: keyCol.primaryKey(), lotId: keyCol.references(() => lots.id).notNull(), tag: text('tag') }));
`;
const DB = "import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!);\n";
const files = { 'src/cols.ts': COLS, 'src/schema.ts': SCHEMA, 'src/db.ts': DB };
const Q = (body: string) => `import { eq } from 'drizzle-orm';\nimport { db } from './db';\nimport { crates, lots } from './schema';\n${body}\n`;

const valid: ValidCase[] = both([
  { name: "a lookup by a primary key made by a helper's own primaryKey()", files: { ...files, 'src/q.ts': Q('export const q = (id: string) => db.select().from(lots).where(eq(lots.id, id));') } },
]);

const invalid: InvalidCase[] = both([
  {
    name: 'a filter on a column no index serves, next to a helper-made primary key',
    files: { ...files, 'src/q.ts': Q('export const q = (t: string) => db.select().from(crates).where(eq(crates.tag, t));') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`crates` (`tag`)', 'crates_pkey'] }],
  },
]);

runRuleTests(unindexedFilter, { valid, invalid });
