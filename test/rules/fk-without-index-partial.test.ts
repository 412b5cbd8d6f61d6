/**
 * fk-without-index: a composite foreign key whose first column(s) an index has (ghostfolio's
 * `(accountId, accountUserId)` with `@@index([accountId])`) is reported at info, as a partly served
 * lookup, naming what the index covers and what is checked row by row.
 */
import { runRuleTests } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';

const ACCOUNTS = 'CREATE TABLE accounts (id uuid NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (id, user_id));\n';

runRuleTests(fkWithoutIndex, {
  valid: [
    {
      name: 'an index on both columns of the composite key',
      files: { 'migrations/001_init.sql': `${ACCOUNTS}CREATE TABLE orders (id uuid PRIMARY KEY, account_id uuid, account_user_id uuid, FOREIGN KEY (account_id, account_user_id) REFERENCES accounts (id, user_id));\nCREATE INDEX orders_account ON orders (account_user_id, account_id);\n` },
    },
  ],
  invalid: [
    {
      name: 'an index on the first column only: info, naming the column left to the check',
      files: { 'migrations/001_init.sql': `${ACCOUNTS}CREATE TABLE orders (id uuid PRIMARY KEY, account_id uuid, account_user_id uuid, FOREIGN KEY (account_id, account_user_id) REFERENCES accounts (id, user_id));\nCREATE INDEX orders_account ON orders (account_id);\n` },
      errors: [{ messageId: 'fkPartlyIndexed', line: 2, severity: 'info', messageIncludes: ['is indexed only in part: orders_account (account_id) finds the referencing rows by `account_id`', '`account_user_id` is checked row by row', 'ON orders (account_id, account_user_id)'] }],
    },
    {
      name: 'an index that starts with a column of the key then goes elsewhere',
      files: { 'migrations/001_init.sql': `${ACCOUNTS}CREATE TABLE balances (id uuid PRIMARY KEY, account_id uuid, user_id uuid, day date, FOREIGN KEY (account_id, user_id) REFERENCES accounts (id, user_id));\nCREATE INDEX balances_user_day ON balances (user_id, day);\n` },
      errors: [{ messageId: 'fkPartlyIndexed', line: 2, severity: 'info', messageIncludes: ['indexed only in part: balances_user_day (user_id, day) finds the referencing rows by `user_id`', '`account_id` is checked row by row'] }],
    },
    {
      name: 'no index starting with any column of the key: a warning as before',
      files: { 'migrations/001_init.sql': `${ACCOUNTS}CREATE TABLE notes (id uuid PRIMARY KEY, account_id uuid, user_id uuid, FOREIGN KEY (account_id, user_id) REFERENCES accounts (id, user_id));\n` },
      errors: [{ messageId: 'fkWithoutIndex', line: 2, severity: 'warning' }],
    },
  ],
});
