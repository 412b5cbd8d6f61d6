/** fk-without-index: foreign keys declared in test code (a test database's schema) are left alone. */
import { runRuleTests } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';

const SCHEMA = `CREATE TABLE accounts (id bigserial PRIMARY KEY);
CREATE TABLE invoices (id bigserial PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id));
`;

runRuleTests(fkWithoutIndex, {
  valid: [
    { name: 'a migration under test/', files: { 'test/migrations/001_init.sql': SCHEMA } },
    { name: 'a migration of a test fixture', files: { 'src/__fixtures__/migrations/001_init.sql': SCHEMA } },
    { name: 'a migration of the seed tooling (seeds/)', files: { 'seeds/migrations/001_init.sql': SCHEMA } },
  ],
  invalid: [
    {
      name: 'the same migration in the application is reported',
      files: { 'db/migrations/001_init.sql': SCHEMA },
      errors: [{ messageId: 'fkWithoutIndex', file: 'db/migrations/001_init.sql', line: 2, messageIncludes: ['(`account_id`) on `invoices`'] }],
    },
    {
      name: 'test code is judged when ignoreTestFiles is off',
      config: { rules: { 'fk-without-index': { ignoreTestFiles: false } } },
      files: { 'test/migrations/001_init.sql': SCHEMA },
      errors: [{ messageId: 'fkWithoutIndex', file: 'test/migrations/001_init.sql', line: 2 }],
    },
  ],
});
