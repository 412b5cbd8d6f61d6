/**
 * unindexed-filter: which code it judges. Test files (their queries run against a test database)
 * and migration code (run once at deploy time) are left alone; production code is not.
 */
import { runRuleTests } from '../helpers/ruleTester';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';

const SCHEMA = `CREATE TABLE invoices (id bigserial PRIMARY KEY, account_id bigint NOT NULL, state text NOT NULL);
`;

const PG = (body: string) => `import { Pool } from 'pg';\nconst pool = new Pool();\n${body}\n`;
const BY_STATE = PG("export const byState = (s: string) => pool.query('SELECT * FROM invoices WHERE state = $1', [s]);");
const BACKFILL = PG("export async function up() {\n  await pool.query('UPDATE invoices SET state = $1 WHERE state = $2', ['void', 'cancelled']);\n}");

runRuleTests(unindexedFilter, {
  valid: [
    { name: 'a query in a *.test.ts file', files: { 'migrations/001_init.sql': SCHEMA, 'src/invoices.test.ts': BY_STATE } },
    { name: 'a query in a __tests__ folder', files: { 'migrations/001_init.sql': SCHEMA, 'src/__tests__/helpers.ts': BY_STATE } },
    { name: 'a query in a test setup file', files: { 'migrations/001_init.sql': SCHEMA, 'src/vitest.setup.ts': BY_STATE } },
    { name: 'a query in a test helpers\' fixtures folder', files: { 'migrations/001_init.sql': SCHEMA, 'src/fixtures/invoices.ts': BY_STATE } },
    { name: 'a query in a seed script', files: { 'migrations/001_init.sql': SCHEMA, 'prisma/seed.ts': BY_STATE } },
    { name: 'a query in a seeds folder', files: { 'migrations/001_init.sql': SCHEMA, 'src/seeds/invoices.ts': BY_STATE } },
    { name: 'a data migration next to the schema migrations', files: { 'migrations/001_init.sql': SCHEMA, 'migrations/002_backfill.ts': BACKFILL } },
    {
      name: 'a timestamp-named script in a migrations folder the configured globs do not list',
      config: { migrations: ['db/schema/*.sql'] },
      files: { 'db/schema/001_init.sql': SCHEMA, 'src/migrations/20240105120000-void-cancelled.ts': BACKFILL },
    },
  ],
  invalid: [
    {
      name: 'production code is judged',
      files: { 'migrations/001_init.sql': SCHEMA, 'src/invoices.ts': BY_STATE },
      errors: [{ messageId: 'notServed', file: 'src/invoices.ts', line: 3, messageIncludes: ['`invoices` (`state`)'] }],
    },
    {
      name: 'partly served: the message leaves to the filter only what no index serves',
      files: {
        'migrations/001_init.sql': 'CREATE TABLE profiles (id int PRIMARY KEY, source text, owner_id int, name text);\nCREATE INDEX profiles_source ON profiles (source);\nCREATE INDEX profiles_name ON profiles (name);\n',
        'src/profiles.ts': PG("export const q = (o: number, s: string, n: string[]) => pool.query('SELECT * FROM profiles WHERE owner_id = $1 AND source = $2 AND name = ANY($3)', [o, s, n]);"),
      },
      errors: [{ messageId: 'partlyServed', file: 'src/profiles.ts', line: 3, severity: 'info', messageIncludes: ['Only `source`, `name` of the filter on `profiles`', 'profiles_source (source) and profiles_name (name)', '`owner_id` is checked row by row'] }],
    },
    {
      name: 'test files are judged when ignoreTestFiles is off',
      config: { rules: { 'unindexed-filter': { ignoreTestFiles: false } } },
      files: { 'migrations/001_init.sql': SCHEMA, 'src/invoices.test.ts': BY_STATE },
      errors: [{ messageId: 'notServed', file: 'src/invoices.test.ts', line: 3 }],
    },
    {
      name: 'a script in a migrations folder without a version in its name is production code',
      config: { migrations: ['db/schema/*.sql'] },
      files: { 'db/schema/001_init.sql': SCHEMA, 'src/migrations/runner.ts': BY_STATE },
      errors: [{ messageId: 'notServed', file: 'src/migrations/runner.ts', line: 3 }],
    },
  ],
});
