/**
 * Drizzle tables without migrations under drizzle.config's `casing: 'snake_case'`: a column named
 * by its property (`ownerId: integer()`) is `owner_id` in the database, in the message and in the
 * index to create; a column given its name keeps it.
 */
import { runRuleTests } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';

const CONFIG = (casing: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts'${casing} });\n`;
const SCHEMA = `import { integer, pgTable, serial } from 'drizzle-orm/pg-core';
export const owners = pgTable('owners', { id: serial('id').primaryKey() });
export const boats = pgTable('boats', { id: serial('id').primaryKey(), ownerId: integer().references(() => owners.id), berthNo: integer('berthNo').references(() => owners.id) });
`;
const dependencies = { 'drizzle-orm': '0.44.0', 'drizzle-kit': '0.31.0', pg: '8.0.0' };

runRuleTests(fkWithoutIndex, {
  valid: [],
  invalid: [
    {
      name: "casing 'snake_case': the property-named column is snake_cased, a named one kept",
      dependencies,
      files: { 'drizzle.config.ts': CONFIG(", casing: 'snake_case'"), 'src/schema.ts': SCHEMA },
      errors: [
        { messageId: 'fkWithoutIndex', file: 'src/schema.ts', line: 3, messageIncludes: ['(`owner_id`) on `boats`', 'ON boats (owner_id)'] },
        { messageId: 'fkWithoutIndex', file: 'src/schema.ts', line: 3, messageIncludes: ['(`berthNo`) on `boats`'] },
      ],
    },
    {
      name: 'no casing option: the property is the column name',
      dependencies,
      files: { 'drizzle.config.ts': CONFIG(''), 'src/schema.ts': SCHEMA },
      errors: [
        { messageId: 'fkWithoutIndex', file: 'src/schema.ts', line: 3, messageIncludes: ['(`ownerId`) on `boats`'] },
        { messageId: 'fkWithoutIndex', file: 'src/schema.ts', line: 3, messageIncludes: ['(`berthNo`) on `boats`'] },
      ],
    },
  ],
});
