/**
 * unindexed-filter on Sequelize models: `findAll/findOne/count/destroy({ where, order, limit })`,
 * the model followed to `Model.init`, `sequelize.define` or sequelize-typescript's `@Table`, its
 * table named by `tableName` or the pluralised model name. With and without declarations.
 */
// The tester (and through it the rule registry) first: the rule modules are part of an import cycle through config.ts.
import { runRuleTests, type InvalidCase, type ValidCase } from '../helpers/ruleTester';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';
import * as assert from 'node:assert/strict';
import { pluralise } from '../../src/core/sql/sequelizeQueries';

const DEPS = { sequelize: '6.37.0', pg: '8.0.0' };
function both<T extends ValidCase>(cases: T[]): T[] {
  return cases.flatMap((c) => [
    { ...c, name: `${c.name} (with types)`, withTypes: true, dependencies: DEPS },
    { ...c, name: `${c.name} (without types)`, withTypes: false, dependencies: DEPS },
  ]);
}

const MIGRATION = `CREATE TABLE "Users" (id serial PRIMARY KEY, email text NOT NULL UNIQUE, status text NOT NULL, "createdAt" timestamptz NOT NULL);
CREATE TABLE "Categories" (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL, placed_at timestamptz NOT NULL);
`;
const DB = "import { Sequelize } from 'sequelize';\nexport const sequelize = new Sequelize('postgres://localhost/app');\n";
const USER = "import { DataTypes, Model } from 'sequelize';\nimport { sequelize } from './db';\nexport class User extends Model {}\nUser.init({ email: DataTypes.STRING, status: DataTypes.STRING }, { sequelize, modelName: 'User' });\n";
const ORDER = "import { DataTypes } from 'sequelize';\nimport { sequelize } from './db';\nexport const Order = sequelize.define('Order', { customerId: { type: DataTypes.INTEGER, field: 'customer_id' }, placedAt: DataTypes.DATE }, { tableName: 'orders', underscored: true });\n";
const CATEGORY = "import { DataTypes, Model } from 'sequelize';\nimport { sequelize } from './db';\nexport class Category extends Model {}\nCategory.init({ name: DataTypes.STRING }, { sequelize });\n";
const files = { 'migrations/001_init.sql': MIGRATION, 'src/db.ts': DB, 'src/user.ts': USER, 'src/order.ts': ORDER, 'src/category.ts': CATEGORY };
const Q = (body: string) => `import { Op } from 'sequelize';\nimport { User } from './user';\nimport { Order } from './order';\nimport { Category } from './category';\n${body}\n`;

const valid: ValidCase[] = both([
  { name: 'findOne on a unique column', files: { ...files, 'src/q.ts': Q('export const q = (email: string) => User.findOne({ where: { email } });') } },
  { name: 'Op.or is left alone', files: { ...files, 'src/q.ts': Q('export const q = (s: string) => User.findAll({ where: { [Op.or]: [{ status: s }, { id: 1 }] } });') } },
  { name: 'Op.like is left alone', files: { ...files, 'src/q.ts': Q("export const q = (s: string) => User.findAll({ where: { status: { [Op.like]: s + '%' } } });") } },
  { name: 'an include (join) is left alone', files: { ...files, 'src/q.ts': Q('export const q = (s: string) => User.findAll({ where: { status: s }, include: [Order] });') } },
]);

const invalid: InvalidCase[] = both([
  {
    name: 'Model.init: pluralised model name (Users), where + order + limit',
    files: { ...files, 'src/q.ts': Q("export const q = (s: string) => User.findAll({ where: { status: s }, order: [['createdAt', 'DESC']], limit: 20 });") },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 5, column: 33, messageIncludes: ['`Users` (`status`)', 'ON "Users" (status, "createdAt" DESC)'] }],
  },
  {
    name: 'sequelize.define with tableName, field and underscored; array value means IN; Op.gte',
    files: { ...files, 'src/q.ts': Q('export const q = (ids: number[], d: Date) => Order.count({ where: { customerId: ids, placedAt: { [Op.gte]: d } } });') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 5, messageIncludes: ['`orders` (`customer_id`, `placed_at`)'] }],
  },
  {
    name: 'Category → Categories (-y → -ies), destroy({ where })',
    files: { ...files, 'src/q.ts': Q('export const q = (n: string) => Category.destroy({ where: { name: n } });') },
    errors: [{ messageId: 'notServed', file: 'src/q.ts', line: 5, messageIncludes: ['`Categories` (`name`)'] }],
  },
]);

runRuleTests(unindexedFilter, { valid, invalid });

describe('Sequelize default table names', () => {
  it('pluralises as Sequelize (inflection) does for regular and common irregular nouns', () => {
    assert.deepEqual(['User', 'Category', 'Address', 'Box', 'Match', 'Day', 'Person', 'Child', 'Salesperson'].map(pluralise), ['Users', 'Categories', 'Addresses', 'Boxes', 'Matches', 'Days', 'People', 'Children', 'Salespeople']);
  });
});
