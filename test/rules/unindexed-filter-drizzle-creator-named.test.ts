/**
 * unindexed-filter on Drizzle tables made by creators that take the name of the function they
 * stand for (`const pgTable = pgTableCreator(…)`), several modules each with a creator of that
 * name and a prefix of its own: each table is named by the creator its file declares or imports.
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

const SHARED = "import { pgTableCreator } from 'drizzle-orm/pg-core';\nexport const pgTable = pgTableCreator((name) => `core__${name}`);\n";
const KIOSK = `import { index, integer, serial, text } from 'drizzle-orm/pg-core';
import { pgTable } from '../shared';
export const stalls = pgTable('stall', { id: serial('id').primaryKey(), zone: integer('zone').notNull(), owner: text('owner') }, (t) => [index('stall_zone_idx').on(t.zone)]);
`;
const GARDEN = `import { integer, pgTableCreator, serial, text } from 'drizzle-orm/pg-core';
const pgTable = pgTableCreator((name) => \`gd__\${name}\`);
export const beds = pgTable('bed', { id: serial('id').primaryKey(), plot: integer('plot').notNull(), crop: text('crop') });
`;
const DB = "import { drizzle } from 'drizzle-orm/node-postgres';\nexport const db = drizzle(process.env.DATABASE_URL!);\n";
const files = { 'src/schema/shared.ts': SHARED, 'src/schema/kiosk/index.ts': KIOSK, 'src/schema/garden.ts': GARDEN, 'src/db.ts': DB };
const Q = (body: string) => `import { eq } from 'drizzle-orm';\nimport { db } from './db';\nimport { stalls } from './schema/kiosk';\nimport { beds } from './schema/garden';\n${body}\n`;

const valid: ValidCase[] = both([
  { name: 'an imported creator named pgTable: a filter its index serves', files: { ...files, 'src/q.ts': Q('export const q = (z: number) => db.select().from(stalls).where(eq(stalls.zone, z));') } },
  { name: 'a local creator named pgTable: a lookup by the primary key', files: { ...files, 'src/q.ts': Q('export const q = (id: number) => db.select().from(beds).where(eq(beds.id, id));') } },
]);

const invalid: InvalidCase[] = both([
  {
    name: 'a table of an imported creator named pgTable has its prefix',
    files: { ...files, 'src/q.ts': Q('export const q = (o: string) => db.select().from(stalls).where(eq(stalls.owner, o));') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 5, messageIncludes: ['`core__stall` (`owner`)'] }],
  },
  {
    name: 'a table of a local creator named pgTable has its own prefix',
    files: { ...files, 'src/q.ts': Q('export const q = (p: number) => db.select().from(beds).where(eq(beds.plot, p));') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 5, messageIncludes: ['`gd__bed` (`plot`)'] }],
  },
]);

runRuleTests(unindexedFilter, { valid, invalid });
