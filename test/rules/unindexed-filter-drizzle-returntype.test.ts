/**
 * unindexed-filter on Drizzle queries made through a client typed by TypeScript's utility types:
 * `type Store = ReturnType<typeof makeStore>` (a factory that returns `drizzle(…)`), or
 * `Awaited<ReturnType<typeof openStore>>` for an async one, taken as a parameter or a
 * constructor field. Without node_modules the type names no package: the factory's return does.
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

const SCHEMA = `import { index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';

export const parcels = pgTable(
  'parcels',
  {
    id: serial('id').primaryKey(),
    depotId: integer('depot_id').notNull(),
    label: text('label'),
  },
  (t) => [index('parcels_depot_idx').on(t.depotId)],
);
`;
const STORE = `import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from './schema';
export const makeStore = (url: string) => drizzle(url, { schema });
export async function openStore(url: string) {
  return drizzle(url, { schema });
}
export type Store = ReturnType<typeof makeStore>;
export type OpenedStore = Awaited<ReturnType<typeof openStore>>;
`;
const files = { 'src/schema.ts': SCHEMA, 'src/store.ts': STORE };
const HEAD = "import { eq } from 'drizzle-orm';\nimport { parcels } from './schema';\nimport type { OpenedStore, Store } from './store';\n";

const valid: ValidCase[] = both([
  {
    name: 'a ReturnType-typed client: a filter its index serves',
    files: { ...files, 'src/q.ts': `${HEAD}export const byDepot = (s: Store, d: number) => s.select().from(parcels).where(eq(parcels.depotId, d));\n` },
  },
]);

const invalid: InvalidCase[] = both([
  {
    name: 'a parameter typed ReturnType<typeof factory> is the client the factory returns',
    files: { ...files, 'src/q.ts': `${HEAD}export const byLabel = (s: Store, l: string) => s.select().from(parcels).where(eq(parcels.label, l));\n` },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 4, messageIncludes: ['`parcels` (`label`)'] }],
  },
  {
    name: 'a constructor field typed Awaited<ReturnType<typeof asyncFactory>>',
    files: {
      ...files,
      'src/q.ts': `${HEAD}export class Parcels {\n  constructor(private readonly store: OpenedStore) {}\n  byLabel(l: string) {\n    return this.store.select().from(parcels).where(eq(parcels.label, l));\n  }\n}\n`,
    },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 7, messageIncludes: ['`parcels` (`label`)'] }],
  },
]);

runRuleTests(unindexedFilter, { valid, invalid });
