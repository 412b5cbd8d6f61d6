import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, second pass), each written from its shape, not
 * copied: what is not an N+1 (valid) and what was missed (invalid). No node_modules: the
 * packages are known from their imports only, as in a fresh clone.
 */

const DB = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;
const KNEX = `import knex from 'knex';\nexport const db = knex({ client: 'pg' });\n`;
const withDb = (code: string, extra: Record<string, string> = {}) => ({ 'src/example.ts': code, 'src/db.ts': DB, ...extra });
const withKnex = (code: string, extra: Record<string, string> = {}) => ({ 'src/example.ts': code, 'src/knex.ts': KNEX, ...extra });

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'Knex builders made per element and composed into one query: unionAll of a map, a destructured list, a CTE, rendered with toQuery',
      files: withKnex(`import { db } from './knex';
export async function linkedRecords(links: Array<[string, string[]]>) {
  const queries = links.map(([table, ids]) => db.select({ id: 'id' }).from(table).whereIn('id', ids));
  if (!queries.length) return [];
  const [first, ...rest] = queries;
  return db.raw(first.unionAll(rest).toQuery());
}
export function visitedSql(fieldIds: string[], startIds: string[]) {
  const query = db.queryBuilder();
  query.with('start', db.unionAll(startIds.map((id) => db.select({ toId: db.raw('?', id) }))));
  query.unionAll(Array.from(new Set(fieldIds)).map((fieldId) => db.select({ fieldId: db.raw('?', fieldId) }).from(fieldId)));
  return query.toQuery();
}
`),
    },
    {
      name: 'a forEach that adds to one shared Knex builder, directly and through helpers that return it',
      files: withKnex(`import type { Knex } from 'knex';
import { db } from './knex';
abstract class AggregationFunction {
  constructor(protected readonly builder: Knex.QueryBuilder) {}
  compile(field: string, func: string) {
    return this.builder.select(db.raw('?? AS ??', [func + '(' + field + ')', field + '_' + func]));
  }
}
class PostgresAggregation extends AggregationFunction {}
export class AggregationQuery {
  constructor(private readonly builder: Knex.QueryBuilder, private readonly fields: Array<{ id: string; func: string }>) {}
  private adapter(): AggregationFunction {
    return new PostgresAggregation(this.builder);
  }
  groupBy(field: string) {
    return this.builder.groupBy(field);
  }
  append() {
    this.fields.forEach(({ id, func }) => {
      this.adapter().compile(id, func);
    });
    this.fields.forEach(({ id }) => this.groupBy(id));
    this.fields.forEach(({ id }) => this.builder.orderBy(id));
    return this.builder;
  }
}
`),
    },
    {
      name: "a loaded Drizzle row's array field: `.includes` on a value is not a query",
      files: {
        'src/example.ts': `import { drizzle } from 'drizzle-orm/node-postgres';
import { eq } from 'drizzle-orm';
const db = drizzle(process.env.DATABASE_URL!);
export async function accessible(memberId: string, environmentIds: string[]) {
  const member = await db.query.member.findFirst({ where: (m: any) => eq(m.id, memberId) });
  return environmentIds.filter((id) => member!.accessedEnvironments.includes(id));
}
`,
      },
    },
    {
      name: 'in-memory work over an eagerly loaded relation: `find`/`filter` with a callback on loaded rows is an array method',
      files: {
        'src/example.ts': `import { DataSource } from 'typeorm';
const dataSource = new DataSource({ type: 'postgres' });
const orders = dataSource.getRepository('Order');
export async function bundles(id: number) {
  const order = await orders.findOne({ where: { id }, relations: { items: true } });
  if (!order) return [];
  return order.items.map((item: { id: number }) => order.items.find((other: { parentId: number }) => other.parentId === item.id));
}
`,
      },
    },
    {
      name: "a package's chunk() without its types installed: one statement per chunk is the batching",
      files: withDb(`import { chunk } from 'es-toolkit/compat';
import _ from 'lodash';
import { pool } from './db';
export async function createTasks(inputs: unknown[], importId: string) {
  return Promise.all(
    chunk(inputs, 50).map((input) => {
      const attrs = { state: 'created', input, importId };
      return pool.query('INSERT INTO import_tasks (attrs) VALUES ($1)', [attrs]);
    }),
  );
}
export async function insertAll(rows: unknown[]) {
  const batches = _.chunk(rows, 100);
  for (const batch of batches) await pool.query('INSERT INTO t SELECT * FROM json_populate_recordset(null::t, $1)', [JSON.stringify(batch)]);
}
`),
    },
    {
      name: 'a query on the first iteration only: the counter or index is 0, the list has one element',
      files: withDb(`import { pool } from './db';
export async function lockFirst(ids: number[], rows: Array<{ id: number }>) {
  for (let i = 0; i < ids.length; i++) {
    if (i === 0) await pool.query('SELECT pg_advisory_lock($1)', [ids[i]]);
    ids[i] = ids[i] * 2;
  }
  ids.forEach((id, index) => {
    if (index === 0 && id > 0) void pool.query('SELECT pg_notify($1, $2)', ['first', String(id)]);
  });
  for (const r of rows) {
    if (rows.length === 1) await pool.query('UPDATE t SET only = true WHERE id = $1', [r.id]);
  }
}
`),
    },
    {
      name: 'a loop that always ends right after its query: return it, or break after it',
      files: withDb(`import { pool } from './db';
export async function firstFree(candidates: string[]) {
  for (const handle of candidates) {
    if (handle.length < 3) continue;
    return (await pool.query('SELECT * FROM users WHERE handle = $1', [handle])).rows[0];
  }
  return undefined;
}
export async function markOne(keys: string[]) {
  for (const key of keys) {
    if (!key) continue;
    await pool.query('UPDATE t SET seen = true WHERE k = $1', [key]);
    break;
  }
}
`),
    },
    {
      name: 'a loop indexing the chunks of an untyped package chunk(): the element at the counter is a batch',
      files: {
        'src/example.ts': `import { chunk } from 'es-toolkit/compat';
import { Model } from 'sequelize';
export class Doc extends Model {}
export async function purge(deletedIds: string[]) {
  const batches = chunk(deletedIds, 10);
  for (let i = 0; i < batches.length; i++) {
    await Doc.destroy({ where: { id: batches[i] } });
  }
}
`,
      },
    },
    {
      name: 'probing for a free value: a for (;;) that rebuilds its argument from a counter and exits on the first miss',
      files: withDb(`import { pool } from './db';
export async function freeSubdomain(base: string) {
  let subdomain = base;
  let append = 0;
  for (;;) {
    const { rowCount } = await pool.query('SELECT 1 FROM teams WHERE subdomain = $1', [subdomain]);
    if (!rowCount) return subdomain;
    subdomain = \`\${base}\${++append}\`;
  }
}
`),
    },
    {
      name: 'a counter counting down from a constant',
      files: withDb(`import { pool } from './db';
const RECOMPUTE_DAYS = 2;
export async function rollup() {
  for (let offset = RECOMPUTE_DAYS; offset >= 0; offset--) {
    const day = new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    await pool.query('INSERT INTO rollup SELECT $1::date, count(*) FROM views WHERE day = $1', [day]);
  }
}
`),
    },
    {
      name: 'keyset paging whose cursor option has another name: the loop condition reads what the result gives',
      files: withDb(`import { pool } from './db';
async function seqRange(opts: { earliestSeq?: number; limit: number }) {
  // The page size is applied in code here (or by a builder step under an \`if\`): nothing says "page" to the analysis.
  const { rows } = await pool.query('SELECT * FROM seq WHERE seq > $1 ORDER BY seq', [opts.earliestSeq ?? 0]);
  return rows.slice(0, opts.limit) as Array<{ seq: number }>;
}
export async function replay(start?: number) {
  let cursor: number | undefined = start;
  while (cursor !== undefined) {
    const page = await seqRange({ earliestSeq: cursor, limit: 500 });
    cursor = page.at(-1)?.seq;
  }
}
`),
    },
    {
      name: 'for await over events.on(): events handled as they arrive',
      files: withDb(`import { on, EventEmitter } from 'node:events';
import { pool } from './db';
export async function consume(bus: EventEmitter) {
  for await (const [evt] of on(bus, 'commit')) {
    await pool.query('INSERT INTO events(body) VALUES ($1)', [evt]);
  }
}
`),
    },
    {
      name: 'the statements of one operation run one at a time: a toSQL() list, a helper returning an array written in the code',
      files: {
        'src/example.ts': `import knexFactory from 'knex';
import { PrismaClient } from '@prisma/client';
const knex = knexFactory({ client: 'pg' });
const prisma = new PrismaClient();
interface DbProvider { createSchema(name: string): string[] | undefined; dropColumn(table: string, column: string): string[] }
class SqliteProvider implements DbProvider {
  createSchema(_name: string) {
    return undefined;
  }
  dropColumn(table: string, column: string): string[] {
    return [\`ALTER TABLE \${table} DROP COLUMN \${column}\`];
  }
}
class PostgresProvider implements DbProvider {
  createSchema(name: string) {
    return [knex.raw('create schema if not exists ??', [name]).toQuery(), knex.raw('revoke all on schema ?? from public', [name]).toQuery()];
  }
  dropColumn(table: string, column: string): string[] {
    return knex.schema.alterTable(table, (t) => { t.dropColumn(column); }).toSQL().map((item) => item.sql);
  }
}
export class BaseService {
  constructor(private readonly dbProvider: DbProvider = process.env.SQLITE ? new SqliteProvider() : new PostgresProvider()) {}
  async create(schema: string, table: string) {
    const sqlList = this.dbProvider.createSchema(schema);
    if (sqlList) for (const sql of sqlList) await prisma.$executeRawUnsafe(sql);
    const ddl = knex.schema.createTable(table, (t) => { t.increments('id'); });
    for (const s of ddl.toSQL()) await prisma.$executeRawUnsafe(s.sql);
  }
}
`,
      },
    },
    {
      name: 'lists the code fixes: Object.freeze([...]), a filter of a constant list, Array.from({ length: MAX }) around a batch delete',
      files: withDb(`import { pool } from './db';
const RLS_TABLES = Object.freeze(['applications', 'roles', 'scopes']);
const CONFIG_KEYS = ['privateKeys', 'cookieKeys', 'session'] as const;
const maxRevokeBatches = 20;
export async function migrate(existing: string[]) {
  for (const table of RLS_TABLES) await pool.query(\`ALTER TABLE \${table} ENABLE ROW LEVEL SECURITY\`);
  for (const key of CONFIG_KEYS.filter((k) => !existing.includes(k))) await pool.query('INSERT INTO configs (key) VALUES ($1)', [key]);
  for (const _ of Array.from({ length: maxRevokeBatches })) {
    const { rowCount } = await pool.query('DELETE FROM grants WHERE id IN (SELECT id FROM grants WHERE expired LIMIT 500)');
    if (!rowCount) break;
  }
}
`),
    },
  ],
  invalid: [
    {
      name: "a model's own method named like an association getter is not a query (only the loop's findByPk is)",
      files: {
        'src/example.ts': `import { Model } from 'sequelize';
export class User extends Model {
  declare flags: Record<string, number> | null;
  getFlag = (flag: string) => this.flags?.[flag] ?? 0;
}
export async function remind(userIds: string[]) {
  for (const userId of userIds) {
    const user = await User.scope('withTeam').findByPk(userId);
    if (user && user.getFlag('inviteReminderSent') === 0) console.log(userId);
  }
}
`,
      },
      errors: [{ messageId: 'queryInLoop', line: 8, messageIncludes: ["`User.scope(…).findByPk(…)`"], related: [] }],
    },
    {
      name: 'Knex builders that do run per element are still reported: Promise.all over a map, a helper returning a builder awaited in a loop, a chain on it, a variable awaited later',
      files: withKnex(`import { db } from './knex';
function byId(id: number) {
  return db('users').where({ id });
}
export async function load(ids: number[]) {
  const all = await Promise.all(ids.map((id) => db('users').where({ id }).first()));
  for (const id of ids) await byId(id);
  for (const id of ids) await byId(id).first();
  for (const id of ids) {
    const q = byId(id);
    all.push(await q);
  }
  return all;
}
`),
      errors: [
        { messageId: 'queryInLoop', line: 6, messageIncludes: ["`db(…).where(…).first()`"] },
        { messageId: 'indirectQueryInLoop', line: 7, messageIncludes: ['`byId`'] },
        { messageId: 'queryInLoop', line: 8, messageIncludes: ['`byId(…).first()`'] },
        { messageId: 'indirectQueryInLoop', line: 10 },
      ],
    },
    {
      name: 'still one per element: statements mapped from data, a while (true) drawing the next item from a queue, a helper returning a list it fills, a walk up a tree',
      files: {
        'src/example.ts': `import knexFactory from 'knex';
import { PrismaClient } from '@prisma/client';
const knex = knexFactory({ client: 'pg' });
const prisma = new PrismaClient();
export async function countAll(tables: string[], queue: { shift(): string | undefined }) {
  const queries = tables.map((t) => knex.count('*').from(t).toQuery());
  for (const q of queries) await prisma.$queryRawUnsafe(q);
  let name = 'x';
  for (;;) {
    name = queue.shift() ?? '';
    if (!name) break;
    await prisma.$executeRawUnsafe('DELETE FROM t WHERE name = $1', name);
  }
}
async function serversOf(userId: string) {
  const servers: Array<{ id: string }> = [];
  for (const org of await prisma.organization.findMany({ where: { ownerId: userId } })) servers.push({ id: org.id });
  return servers;
}
export async function activateAll(userId: string) {
  for (const server of await serversOf(userId)) await prisma.server.update({ where: { id: server.id }, data: { active: true } });
}
export async function ancestors(documentId: string) {
  let parentId: string | null = documentId;
  while (parentId) {
    const parent = await prisma.document.findUnique({ where: { id: parentId } });
    if (!parent) break;
    parentId = parent.parentId;
  }
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', line: 7, messageIncludes: ['element of `queries`'] },
        { messageId: 'queryInLoop', line: 12 },
        { messageId: 'queryInLoop', line: 21, messageIncludes: ['element of `await serversOf(userId)`'] },
        { messageId: 'queryInLoop', line: 26, messageIncludes: ['iteration of this `while` loop'] },
      ],
    },
    {
      name: 'a loop bounded by the code inside a loop over data: reported on the data loop (k queries per element)',
      files: withDb(`import { pool } from './db';
function dropColumnSql(table: string, column: string) {
  return [\`ALTER TABLE \${table} DROP COLUMN \${column}\`, \`DROP INDEX IF EXISTS idx_\${column}\`];
}
export async function dropFields(table: string, fieldNames: string[]) {
  for (const name of fieldNames) {
    for (const sql of dropColumnSql(table, name)) await pool.query(sql);
  }
  for (const name of fieldNames) {
    for (const kind of ['min', 'max']) await pool.query('DELETE FROM stats WHERE field = $1 AND kind = $2', [name, kind]);
  }
}
`),
      errors: [
        { messageId: 'queryInLoop', line: 7, messageIncludes: ['element of `fieldNames` (for…of loop)'] },
        { messageId: 'queryInLoop', line: 10, messageIncludes: ['element of `fieldNames` (for…of loop)'] },
      ],
    },
    {
      name: 'a Knex builder consumed by .then() in a loop',
      files: withKnex(`import { db } from './knex';
export function warm(ids: number[], cache: Map<number, unknown>) {
  for (const id of ids) db('users').where({ id }).first().then((u) => cache.set(id, u));
}
`),
      errors: [{ messageId: 'queryInLoop', line: 3 }],
    },
    {
      name: 'functions called through bind() and promisify(), and methods passed as callbacks',
      files: withDb(`import { promisify } from 'node:util';
import { pool } from './db';
class Users {
  async load(id: number) {
    return (await pool.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];
  }
}
const users = new Users();
const load = users.load.bind(users);
function fetchUser(id: number, cb: (err: Error | null, row?: unknown) => void) {
  pool.query('SELECT * FROM users WHERE id = $1', [id]).then((r) => cb(null, r.rows[0]), cb);
}
const fetchUserAsync = promisify(fetchUser);
export class Service {
  constructor(private readonly repo: Users) {}
  async viaBind(ids: number[]) {
    for (const id of ids) await load(id);
  }
  viaBindInMap(ids: number[]) {
    return Promise.all(ids.map(users.load.bind(users)));
  }
  async viaPromisify(ids: number[]) {
    for (const id of ids) await fetchUserAsync(id);
  }
  viaMethodReference(ids: number[]) {
    return Promise.all(ids.map(this.repo.load));
  }
}
`),
      errors: [
        { messageId: 'indirectQueryInLoop', line: 17, messageIncludes: ['`Users.load` → `pool.query`'] },
        { messageId: 'indirectQueryInLoop', line: 20 },
        { messageId: 'indirectQueryInLoop', line: 23, messageIncludes: ['`fetchUser` → `pool.query`'] },
        { messageId: 'indirectQueryInLoop', line: 26 },
      ],
    },
    {
      name: 'forEach with an async callback: every element still sends its query',
      files: withDb(`import { pool } from './db';
export function revoke(userIds: number[]) {
  userIds.forEach(async (id) => {
    await pool.query('DELETE FROM sessions WHERE user_id = $1', [id]);
  });
}
`),
      errors: [{ messageId: 'queryInLoop', line: 4, messageIncludes: ['`.forEach` callback'] }],
    },
    {
      name: 'a recursive helper called per element names every query along the cycle',
      files: withDb(`import { pool } from './db';
async function loadFolder(id: number): Promise<unknown> {
  const folder = (await pool.query('SELECT * FROM folders WHERE id = $1', [id])).rows[0];
  return { ...folder, children: await loadChildren(id) };
}
async function loadChildren(parentId: number): Promise<unknown[]> {
  const { rows } = await pool.query('SELECT id FROM folders WHERE parent_id = $1', [parentId]);
  const out = [];
  for (const row of rows) out.push(await loadFolder(row.id));
  return out;
}
export async function loadTrees(rootIds: number[]) {
  for (const id of rootIds) await loadFolder(id);
}
`),
      errors: [
        { messageId: 'indirectQueryInLoop', line: 9, related: ['src/example.ts:3', 'src/example.ts:7'] },
        { messageId: 'indirectQueryInLoop', line: 13, messageIncludes: ['`loadFolder` → `pool.query`'], related: ['src/example.ts:3', 'src/example.ts:7'] },
      ],
    },
  ],
});
