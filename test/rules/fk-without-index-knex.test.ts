/**
 * fk-without-index on Knex migrations (.js): the names Knex gives keys (lower-cased, so a key
 * dropped later by that name in raw SQL is gone), and SQL run in the `.then` of a schema chain.
 * The shapes of interledger/rafiki's migrations (a table renamed with its key dropped by Knex's
 * name and re-added; an index created in `.then` after `createTable`).
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests } from '../helpers/ruleTester';
import { fkWithoutIndex } from '../../src/core/rules/fk-without-index';

const CREATE = `exports.up = function (knex) {
  return knex.schema
    .createTable('accounts', (table) => {
      table.uuid('id').notNullable().primary();
    })
    .createTable('apiKeys', (table) => {
      table.uuid('id').notNullable().primary();
      table.uuid('accountId').notNullable();
      table.foreign('accountId').references('accounts.id');
      table.string('kid').notNullable();
    });
};
`;

/** The key re-added under the table's new name; the old key dropped by the name Knex gave it. */
const renameAndReAdd = (dropped: string) => `exports.up = function (knex) {
  return Promise.all([
    knex.schema.renameTable('apiKeys', 'accountKeys'),
    knex.schema.alterTable('accountKeys', (table) => {
      table.foreign(['accountId']).references('accounts.id');
    }),
    knex.raw('ALTER TABLE "accountKeys" DROP CONSTRAINT IF EXISTS "${dropped}"'),
  ]);
};
`;

const spends = (index: string, then = 'then') => `exports.up = function (knex) {
  return knex.schema
    .createTable('grants', (table) => {
      table.string('id').notNullable().primary();
    })
    .createTable('grantSpends', (table) => {
      table.uuid('id').notNullable().primary();
      table.string('grantId').notNullable();
      table.foreign('grantId').references('grants.id');
      table.timestamp('createdAt').defaultTo(knex.fn.now());
    })
    .${then}(() => {
      return knex.raw('CREATE INDEX grant_spends_idx ON "grantSpends" (${index})');
    });
};
`;

runRuleTests(fkWithoutIndex, {
  valid: [
    {
      name: 'a key dropped in raw SQL by the lower-cased name Knex gave it',
      files: { 'migrations/20220101000000_create.js': CREATE, 'migrations/20230101000000_drop.js': "exports.up = (knex) => knex.raw('ALTER TABLE \"apiKeys\" DROP CONSTRAINT \"apikeys_accountid_foreign\"');\n" },
    },
    {
      name: 'an index leading with the key, created by knex.raw in the .then of the createTable chain',
      files: { 'migrations/20260115000000_spends.js': spends('"grantId", "createdAt" DESC') },
    },
  ],
  invalid: [
    {
      name: 'table renamed, old key dropped by Knex\'s name and re-added: reported once, on the re-added key',
      files: { 'migrations/20220101000000_create.js': CREATE, 'migrations/20230101000000_rename.js': renameAndReAdd('apikeys_accountid_foreign') },
      errors: [{ messageId: 'fkWithoutIndex', file: 'migrations/20230101000000_rename.js', line: 4, column: 5, messageIncludes: ['accountkeys_accountid_foreign (`accountId`) on `accountKeys`', 'DELETE or key UPDATE on `accounts`'] }],
    },
    {
      name: 'a drop naming a key Knex did not make (mixed case) leaves the old key: both reported',
      files: { 'migrations/20220101000000_create.js': CREATE, 'migrations/20230101000000_rename.js': renameAndReAdd('apiKeys_accountId_foreign') },
      errors: [
        { messageId: 'fkWithoutIndex', file: 'migrations/20220101000000_create.js', line: 2, column: 10, messageIncludes: ['apikeys_accountid_foreign (`accountId`) on `accountKeys`'] },
        { messageId: 'fkWithoutIndex', file: 'migrations/20230101000000_rename.js', line: 4, column: 5, messageIncludes: ['accountkeys_accountid_foreign (`accountId`) on `accountKeys`'] },
      ],
    },
    {
      name: 'the index created in .then does not lead with the key',
      files: { 'migrations/20260115000000_spends.js': spends('"createdAt", "grantId"') },
      errors: [{ messageId: 'fkWithoutIndex', file: 'migrations/20260115000000_spends.js', line: 2, column: 10, messageIncludes: ['grantspends_grantid_foreign (`grantId`) on `grantSpends`'] }],
    },
    {
      name: 'an index created in .catch runs only when the chain fails: the key is still reported',
      files: { 'migrations/20260115000000_spends.js': spends('"grantId"', 'catch') },
      errors: [{ messageId: 'fkWithoutIndex', file: 'migrations/20260115000000_spends.js', line: 2, column: 10, messageIncludes: ['grantspends_grantid_foreign (`grantId`) on `grantSpends`'] }],
    },
  ],
});
