/**
 * fk-without-index on Drizzle tables without migrations (`drizzle-kit push`): a table declared in
 * a schema the project's drizzle.config leaves out of `schemaFilter` (a mirror of a platform's own
 * tables, declared to be queried and referenced) is not the project's: its foreign keys are not
 * reported. A project table's foreign key to such a table still is.
 */
import { runRuleTests } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';

const CONFIG = (filter: string) => `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts',${filter} });\n`;
const SCHEMA = `import { pgSchema, pgTable, text, uuid } from 'drizzle-orm/pg-core';
const vault = pgSchema('vault');
export const safes = vault.table('safes', { id: uuid('id').primaryKey() });
export const keys = vault.table('keys', { id: uuid('id').primaryKey(), safeId: uuid('safe_id').references(() => safes.id) });
export const memos = pgTable('memos', { id: uuid('id').primaryKey(), keyId: uuid('key_id').references(() => keys.id), body: text('body') });
`;
const dependencies = { 'drizzle-orm': '0.44.0', 'drizzle-kit': '0.31.0', pg: '8.0.0' };

runRuleTests(fkWithoutIndex, {
  valid: [],
  invalid: [
    {
      name: 'schemaFilter public: the platform table is skipped, the project table reported',
      dependencies,
      files: { 'drizzle.config.ts': CONFIG(" schemaFilter: ['public']"), 'src/schema.ts': SCHEMA },
      errors: [{ messageId: 'fkWithoutIndex', file: 'src/schema.ts', line: 5, messageIncludes: ['(`key_id`) on `memos`'] }],
    },
    {
      name: 'no schemaFilter: every schema is the project’s',
      dependencies,
      files: { 'drizzle.config.ts': CONFIG(''), 'src/schema.ts': SCHEMA },
      errors: [
        { messageId: 'fkWithoutIndex', file: 'src/schema.ts', line: 4, messageIncludes: ['(`safe_id`) on `vault.keys`'] },
        { messageId: 'fkWithoutIndex', file: 'src/schema.ts', line: 5, messageIncludes: ['(`key_id`) on `memos`'] },
      ],
    },
  ],
});
