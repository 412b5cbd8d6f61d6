import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Analyzer } from '../../src/core/analyze';
import { loadProject } from '../../src/core/project/project';
import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { messageIdOf, runRuleTests } from '../helpers/ruleTester';
import { createWorkspace, DEFAULT_TSCONFIG, removeWorkspace } from '../helpers/workspace';

/** `src/db.ts` exporting a pg pool; most cases import it (no node_modules: provenance only). */
const DB = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;

const withDb = (code: string, extra: Record<string, string> = {}) => ({ 'src/example.ts': code, 'src/db.ts': DB, ...extra });

const AUTHORS = `import { pool } from './db';

export async function loadAuthor(id: number) {
  const { rows } = await pool.query('SELECT * FROM authors WHERE id = $1', [id]);
  return rows[0];
}
`;

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'retry loops: a counter against a constant, while (true) that exits on success — the same statement again, not one per element',
      files: withDb(`import { pool } from './db';
const MAX_RETRIES = 5;
export class Orders {
  private readonly MAX_RETRIES = 3;
  async remove(id: number) {
    let retryCount = 0;
    while (retryCount < this.MAX_RETRIES) {
      try {
        await pool.query('DELETE FROM orders WHERE id = $1', [id]);
        return;
      } catch {
        retryCount++;
      }
    }
  }
}
export async function lock(key: string) {
  for (let attempt = 1; attempt <= MAX_RETRIES; attempt++) {
    const { rowCount } = await pool.query('UPDATE locks SET held = true WHERE key = $1 AND NOT held', [key]);
    if (rowCount) return true;
  }
  return false;
}
export async function waitForJob(id: number) {
  while (true) {
    const { rows } = await pool.query('SELECT status FROM jobs WHERE id = $1', [id]);
    if (rows[0]?.status === 'done') return rows[0];
    await new Promise((r) => setTimeout(r, 1000));
  }
}
`),
    },
    {
      name: 'a loop that pages through a helper, and a loop over chunks that writes each chunk in one statement',
      files: withDb(`import { pool } from './db';
async function page(tableId: string, opts: { take: number; skip: number }) {
  return (await pool.query('SELECT * FROM records WHERE table_id = $1 LIMIT $2 OFFSET $3', [tableId, opts.take, opts.skip])).rows;
}
async function insertBlocks(batch: Array<{ cid: string }>) {
  await pool.query('INSERT INTO blocks SELECT * FROM json_populate_recordset(null::blocks, $1)', [JSON.stringify(batch)]);
}
function chunkArray<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
export async function exportAll(tableId: string) {
  let count = 0;
  let isOver = false;
  while (!isOver) {
    const records = await page(tableId, { take: 1000, skip: count });
    if (records.length === 0) isOver = true;
    count += records.length;
  }
}
export async function saveBlocks(blocks: Array<{ cid: string }>) {
  for (const batch of chunkArray(blocks, 50)) await insertBlocks(batch);
}
`),
    },
    {
      name: 'a GraphQL field resolver on a type only ever returned as one object (a root singleton) runs once per request',
      files: {
        'src/infra.resolver.ts': `import { Field, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

@ObjectType()
export class Infra {
  @Field() executedBy!: string;
}

@ObjectType()
export class Member {
  @Field() id!: string;
}

@Resolver(() => Infra)
export class InfraResolver {
  @Query(() => Infra)
  infra() {
    return { executedBy: 'admin' };
  }

  @ResolveField(() => [Member])
  allMembers(@Parent() infra: Infra) {
    return prisma.member.findMany({ take: 50 });
  }

  @ResolveField(() => Number)
  memberCount() {
    return prisma.member.count();
  }
}
`,
      },
    },
    {
      name: 'a GraphQL field resolver that serves the requesting user only (returns or throws unless the parent is the caller)',
      files: {
        'src/errors.ts': `export function throwErr(code: string): never {
  throw new Error(code);
}
`,
        'src/user.resolver.ts': `import { Field, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PrismaClient } from '@prisma/client';
import { throwErr } from './errors';
const prisma = new PrismaClient();

@ObjectType()
export class User {
  @Field() uid!: string;
}

@Resolver(() => User)
export class UserHistoryResolver {
  @Query(() => [User])
  users() {
    return prisma.user.findMany();
  }

  @ResolveField(() => [String])
  async history(@Parent() user: User, caller: User) {
    if (caller?.uid !== user.uid) return [];
    return prisma.history.findMany({ where: { userUid: user.uid } });
  }

  @ResolveField(() => String)
  async settings(@Parent() user: User, caller: User) {
    if (caller.uid !== user.uid) {
      throwErr('NOT_YOURS');
    }
    return prisma.settings.findFirst({ where: { userUid: user.uid } });
  }
}
`,
      },
    },
    { name: 'a query before and after the loop', files: withDb(`import { pool } from './db';\nexport async function f() {\n  const { rows } = await pool.query('SELECT * FROM posts');\n  for (const r of rows) r.title = r.title.trim();\n  await pool.query('UPDATE stats SET n = $1', [rows.length]);\n}\n`) },
    { name: 'a const list written in the code and never grown', files: withDb(`import { pool } from './db';\nexport async function f() {\n  const ranges = ['1d', 'ytd', 'max'];\n  return Promise.all(ranges.map((r) => pool.query('SELECT $1', [r])));\n}\n`) },
    { name: 'a fixed list under Promise.all', files: withDb(`import { pool } from './db';\nexport const f = () => Promise.all([pool.query('SELECT 1'), pool.query('SELECT 2')]);\n`) },
    {
      name: 'route callbacks are not loops',
      files: withDb(`import express from 'express';\nimport { pool } from './db';\nconst app = express();\napp.get('/users', async (_req, res) => res.json((await pool.query('SELECT * FROM users')).rows));\n`),
    },
    {
      name: 'routes registered in a loop run per request, not per element',
      files: withDb(`import { Router } from 'express';\nimport { pool } from './db';\nconst router = Router();\nfor (const t of ['users', 'posts']) {\n  router.get('/' + t, async (_req, res) => res.json(await pool.query('SELECT * FROM ' + t)));\n}\n`),
    },
    {
      name: 'event listeners and timers registered in a loop',
      files: withDb(`import { EventEmitter } from 'node:events';\nimport { pool } from './db';\nexport function wire(bus: EventEmitter, names: string[]) {\n  for (const n of names) {\n    bus.on(n, (id: number) => pool.query('SELECT $1', [id]));\n    setTimeout(() => pool.query('SELECT 1'), 1000);\n  }\n}\n`),
    },
    { name: 'a promise callback outside a loop', files: withDb(`import { pool } from './db';\nexport const f = (get: () => Promise<number>) => get().then((id) => pool.query('SELECT $1', [id]));\n`) },
    {
      name: 'non-database I/O in a loop: fetch, fs',
      files: withDb(`import { readFile } from 'node:fs/promises';\nexport async function f(urls: string[], files: string[]) {\n  for (const u of urls) await fetch(u);\n  await Promise.all(files.map((p) => readFile(p, 'utf8')));\n}\n`),
    },
    {
      name: 'batched queries in a loop over chunks: = ANY($1), IN with a list parameter',
      files: withDb(`import { pool } from './db';\nexport async function f(chunks: number[][]) {\n  for (const ids of chunks) {\n    await pool.query('SELECT * FROM users WHERE id = ANY($1)', [ids]);\n    await pool.query(\`DELETE FROM sessions WHERE user_id IN (\${ids.map((_, i) => '$' + (i + 1)).join(',')})\`, ids);\n  }\n}\n`),
    },
    {
      name: 'a function that queries with = ANY, called per chunk',
      files: withDb(`import { pool } from './db';\nconst load = (ids: number[]) => pool.query('SELECT * FROM t WHERE id = ANY($1::int[])', [ids]);\nexport async function f(chunks: number[][]) {\n  for (const c of chunks) await load(c);\n}\n`),
    },
    {
      name: 'Prisma findUnique in a map fan-out is batched by the dataloader',
      files: {
        'src/example.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const f = (ids: number[]) => Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));\n`,
      },
    },
    {
      name: 'Prisma findUnique issued in the same tick through a helper, after an await outside the fan-out',
      files: {
        'src/example.ts': `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nconst byId = (id: number) => prisma.user.findUnique({ where: { id } });\nexport async function f() {\n  const posts = await prisma.post.findMany();\n  return Promise.all(posts.map(async (p: { authorId: number }) => ({ ...p, author: await byId(p.authorId) })));\n}\n`,
      },
    },
    {
      name: 'a pagination loop: one query per page, not per row',
      files: withDb(`import { pool } from './db';\nexport async function all() {\n  let after = 0;\n  const out = [];\n  while (true) {\n    const { rows } = await pool.query('SELECT * FROM t WHERE id > $1 ORDER BY id LIMIT 1000', [after]);\n    if (!rows.length) return out;\n    out.push(...rows);\n    after = rows[rows.length - 1].id;\n  }\n}\n`),
    },
    {
      name: 'map over something that is not a collection',
      files: withDb(`import { pool } from './db';\ninterface Stream<T> { map(fn: (x: T) => unknown): Stream<T> }\nexport function f(s: Stream<number>) {\n  return s.map((id) => pool.query('SELECT $1', [id]));\n}\n`),
    },
    {
      name: 'a function defined in a loop but not called there',
      files: withDb(`import { pool } from './db';\nexport function f(ids: number[]) {\n  const loaders = [];\n  for (const id of ids) loaders.push(() => pool.query('SELECT $1', [id]));\n  return loaders;\n}\n`),
    },
    {
      name: 'a Knex builder composed in a loop and run once',
      files: {
        'src/example.ts': `import knex from 'knex';\nconst db = knex({ client: 'pg' });\nexport function f(filters: Record<string, string>) {\n  let q = db('users');\n  for (const [k, v] of Object.entries(filters)) q = q.where(k, v);\n  return q;\n}\n`,
      },
    },
    {
      name: 'an unrelated method named like a query (no database provenance, no declarations)',
      files: { 'src/example.ts': `const cache = { query: (k: string) => k.length };\nexport const f = (keys: string[]) => keys.map((k) => cache.query(k));\n` },
    },
    {
      name: 'a loop over a list written in the code: as fixed as Promise.all([a(), b()])',
      files: withDb(`import { pool } from './db';\nconst TABLES = ['users', 'orders'] as const;\nexport async function f() {\n  for (const t of TABLES) await pool.query('ANALYZE ' + t);\n  return Promise.all(['1d', 'ytd', 'max'].map((range) => pool.query('SELECT perf($1)', [range])));\n}\n`),
    },
    {
      name: 'ORM filters on a chunk of the list: In(chunk), whereIn, in: chunk.map(…), OR: chunk.map(…)',
      files: {
        'src/example.ts': `import { In, Repository } from 'typeorm';
import knex from 'knex';
import { PrismaClient } from '@prisma/client';
const db = knex({ client: 'pg' });
const prisma = new PrismaClient();
export async function f(users: Repository<{ id: number }>, chunks: number[][], rows: Array<Array<{ id: number; kind: string }>>) {
  for (const chunk of chunks) {
    await users.findBy({ id: In(chunk) });
    await db('users').whereIn('id', chunk).update({ seen: true });
  }
  for (const batch of rows) {
    await prisma.user.findMany({ where: { id: { in: batch.map((r) => r.id) } } });
    await prisma.event.findMany({ where: { OR: batch.map((r) => ({ id: r.id, kind: r.kind })) } });
  }
  for (let i = 0; i < chunks.length; i++) await users.findBy({ id: In(chunks[i]) });
}
`,
      },
    },
    {
      name: 'a helper that filters on its list parameter, called per chunk',
      files: {
        'src/example.ts': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
const loadMany = (ids: number[]) => prisma.user.findMany({ where: { id: { in: ids } } });
export async function f(ids: number[]) {
  for (let i = 0; i < ids.length; i += 500) await loadMany(ids.slice(i, i + 500));
}
`,
      },
    },
    {
      name: 'Sequelize: an array value in where is IN',
      files: {
        'src/example.ts': `import { Model } from 'sequelize';
export class Doc extends Model {}
export async function purge(batches: string[][]) {
  for (const batch of batches) await Doc.destroy({ where: { id: batch } });
}
`,
      },
    },
    {
      name: 'pagination options kept in a variable',
      files: {
        'src/example.ts': `import { Model } from 'sequelize';
export class Doc extends Model {}
export async function each(cb: (rows: Doc[]) => Promise<void>) {
  let offset = 0;
  let rows: Doc[];
  do {
    const options = { where: {}, limit: 100, offset };
    rows = await Doc.findAll(options);
    await cb(rows);
    offset += rows.length;
  } while (rows.length > 0);
}
`,
      },
    },
    {
      name: 'a project method on a model instance is the project code, not an association getter',
      files: {
        'src/example.ts': `import { Model } from 'sequelize';
export class User extends Model {
  declare id: number;
  getSigninToken = () => 'token-' + this.id;
}
export const tokens = (users: User[]) => users.map((u) => u.getSigninToken());
`,
      },
    },
    {
      name: 'test files are left alone',
      files: withDb(`export {};\n`, { 'src/test-setup.ts': `import { pool } from './db';\nexport async function dropLeftovers(names: string[]) {\n  await Promise.all(names.map((n) => pool.query(\`DROP DATABASE \${n}\`)));\n}\n`, 'test/seed.test.ts': `import { pool } from '../src/db';\nexport async function seed(ids: number[]) {\n  for (const id of ids) await pool.query('INSERT INTO t VALUES ($1)', [id]);\n}\n`, 'src/users.spec.ts': `import { pool } from './db';\nexport async function seed(ids: number[]) {\n  for (const id of ids) await pool.query('INSERT INTO t VALUES ($1)', [id]);\n}\n` }),
    },
    {
      name: 'seed scripts are left alone (seed/ and seeds/ folders, seed*.ts, *.seed.ts): they fill a development database once',
      files: withDb(`export {};\n`, {
        'packages/db/seed/documents.ts': `import { pool } from '../../../src/db';\nexport async function seedDocument(recipients: string[]) {\n  for (const email of recipients) await pool.query('INSERT INTO recipient (email) VALUES ($1)', [email]);\n}\n`,
        'packages/db/seed-database.ts': `import { pool } from '../../src/db';\nexport async function seedUsers(names: string[]) {\n  await Promise.all(names.map((n) => pool.query('INSERT INTO users (name) VALUES ($1)', [n])));\n}\n`,
        'src/users.seed.ts': `import { pool } from './db';\nexport async function seed(ids: number[]) {\n  for (const id of ids) await pool.query('INSERT INTO t VALUES ($1)', [id]);\n}\n`,
      }),
    },
    {
      name: 'suppressed with a comment',
      files: withDb(`import { pool } from './db';\nexport async function f(ids: number[]) {\n  for (const id of ids) {\n    // shipshape-disable-next-line n-plus-one -- at most 3 ids, checked by the caller\n    await pool.query('SELECT $1', [id]);\n  }\n}\n`),
    },
    {
      name: 'interprocedural reporting can be turned off',
      config: { rules: { 'n-plus-one': { interprocedural: false } } },
      files: withDb(`import { loadAuthor } from './authors';\nexport async function f(ids: number[]) {\n  for (const id of ids) await loadAuthor(id);\n}\n`, { 'src/authors.ts': AUTHORS }),
    },
    {
      name: 'writes can be left out',
      config: { rules: { 'n-plus-one': { reportWrites: false } } },
      files: withDb(`import { pool } from './db';\nexport async function f(ids: number[]) {\n  for (const id of ids) await pool.query('DELETE FROM t WHERE id = $1', [id]);\n}\n`),
    },
  ],
  invalid: [
    {
      name: 'a pool obtained with require() of a project module',
      files: withDb(`const { pool } = require('./db');\nexport async function f(ids: number[]) {\n  for (const id of ids) {\n    await pool.query('SELECT * FROM users WHERE id = $1', [id]);\n  }\n}\n`),
      errors: [{ messageId: 'queryInLoop', line: 4, column: 11, messageIncludes: ['`pool.query(…)`'] }],
    },
    {
      name: 'an array built with push() and then mapped holds data, not a fixed list',
      files: withDb(`import { pool } from './db';\nexport async function f(ids: number[]) {\n  const rows = [];\n  for (const id of ids) rows.push({ id });\n  return Promise.all(rows.map((r) => pool.query('SELECT * FROM t WHERE id = $1', [r.id])));\n}\n`),
      errors: [{ messageId: 'queryInLoop', line: 5, column: 38, messageIncludes: ['element of `rows`'] }],
    },
    {
      name: 'for…of',
      files: withDb(`import { pool } from './db';\nexport async function f(ids: number[]) {\n  for (const id of ids) {\n    await pool.query('SELECT * FROM users WHERE id = $1', [id]);\n  }\n}\n`),
      errors: [{ messageId: 'queryInLoop', line: 4, column: 11, messageIncludes: ['`pool.query(…)`', 'element of `ids` (for…of loop)', '`WHERE id = ANY($1)`'] }],
    },
    {
      name: 'for, for…in, while, do…while, for await',
      files: withDb(
        `import { pool } from './db';
export async function f(ids: number[], byKey: Record<string, number>, stream: AsyncIterable<number>) {
  for (let i = 0; i < ids.length; i++) await pool.query('SELECT $1', [ids[i]]);
  for (const k in byKey) await pool.query('SELECT $1', [byKey[k]]);
  let i = 0;
  while (i < ids.length) await pool.query('SELECT $1', [ids[i++]]);
  do { await pool.query('SELECT $1', [ids[--i]]); } while (i > 0);
  for await (const id of stream) await pool.query('SELECT $1', [id]);
}
`,
      ),
      errors: [
        { messageId: 'queryInLoop', line: 3, column: 46, messageIncludes: ['iteration of this `for` loop'] },
        { messageId: 'queryInLoop', line: 4, column: 32, messageIncludes: ['key of `byKey` (for…in loop)'] },
        { messageId: 'queryInLoop', line: 6, column: 32, messageIncludes: ['iteration of this `while` loop'] },
        { messageId: 'queryInLoop', line: 7, column: 14, messageIncludes: ['`do…while` loop'] },
        { messageId: 'queryInLoop', line: 8, column: 40, messageIncludes: ['item of `stream` (for await loop)'] },
      ],
    },
    {
      name: 'a query in a while condition runs per iteration',
      files: withDb(`import { pool } from './db';\nexport async function drain() {\n  while ((await pool.query('DELETE FROM q WHERE id = (SELECT id FROM q LIMIT 1) RETURNING id')).rowCount) {}\n}\n`),
      errors: [{ messageId: 'queryInLoop', line: 3, column: 17 }],
    },
    {
      name: 'every array method with a callback',
      files: withDb(
        `import { pool } from './db';
export async function f(ids: number[]) {
  ids.map((id) => pool.query('SELECT $1', [id]));
  ids.flatMap((id) => [pool.query('SELECT $1', [id])]);
  ids.forEach((id) => void pool.query('SELECT $1', [id]));
  ids.filter((id) => pool.query('SELECT $1', [id]));
  ids.reduce(async (acc, id) => { await acc; await pool.query('SELECT $1', [id]); }, Promise.resolve());
  ids.some((id) => pool.query('SELECT $1', [id]));
  ids.every((id) => pool.query('SELECT $1', [id]));
  ids.find((id) => pool.query('SELECT $1', [id]));
  ids.findIndex((id) => pool.query('SELECT $1', [id]));
  Array.from(new Set(ids), (id) => pool.query('SELECT $1', [id]));
}
`,
      ),
      errors: [
        { messageId: 'queryInLoop', line: 3, column: 19, messageIncludes: ['(`.map` callback)'] },
        { messageId: 'queryInLoop', line: 4, column: 24, messageIncludes: ['(`.flatMap` callback)'] },
        { messageId: 'queryInLoop', line: 5, column: 28, messageIncludes: ['(`.forEach` callback)'] },
        { messageId: 'queryInLoop', line: 6, column: 22 },
        { messageId: 'queryInLoop', line: 7, column: 52, messageIncludes: ['(`.reduce` callback)'] },
        { messageId: 'queryInLoop', line: 8, column: 20 },
        { messageId: 'queryInLoop', line: 9, column: 21 },
        { messageId: 'queryInLoop', line: 10, column: 20 },
        { messageId: 'queryInLoop', line: 11, column: 25 },
        { messageId: 'queryInLoop', line: 12, column: 36, messageIncludes: ['(`Array.from` callback)'] },
      ],
    },
    {
      name: 'Promise.all over a map: parallel, still one round trip each',
      files: withDb(`import { pool } from './db';\nexport const f = (ids: number[]) =>\n  Promise.allSettled(ids.map(async (id) => (await pool.query('SELECT $1', [id])).rows[0]));\n`),
      errors: [{ messageId: 'queryInLoop', line: 3, column: 51, messageIncludes: ['under `Promise.allSettled`'] }],
    },
    {
      name: 'a .then callback in a loop runs once per element',
      files: withDb(`import { pool } from './db';\nexport function f(ids: number[], get: (id: number) => Promise<number>) {\n  return ids.map((id) => get(id).then((n) => pool.query('SELECT $1', [n])));\n}\n`),
      errors: [{ messageId: 'queryInLoop', line: 3, column: 46 }],
    },
    {
      name: 'a call in a loop to a function in another file that queries',
      files: withDb(`import { loadAuthor } from './authors';\nexport async function f(posts: Array<{ authorId: number }>) {\n  for (const p of posts) {\n    await loadAuthor(p.authorId);\n  }\n}\n`, { 'src/authors.ts': AUTHORS }),
      errors: [{ messageId: 'indirectQueryInLoop', line: 4, column: 11, messageIncludes: ['`loadAuthor(…)`', '`loadAuthor` → `pool.query` in src/authors.ts:4'], related: ['src/authors.ts:4'] }],
    },
    {
      name: 'a function passed by reference to map',
      files: withDb(`import { loadAuthor } from './authors';\nexport const f = (ids: number[]) => Promise.all(ids.map(loadAuthor));\n`, { 'src/authors.ts': AUTHORS }),
      errors: [{ messageId: 'indirectQueryInLoop', line: 2, column: 57, related: ['src/authors.ts:4'] }],
    },
    {
      name: 'three levels deep, through classes, re-exports and a default export',
      files: {
        'src/db.ts': `import pg from 'pg';\nexport default new pg.Pool();\n`,
        'src/repo/users.repository.ts': `import db from '../db';\nexport class UsersRepository {\n  async byId(id: number) {\n    return (await db.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];\n  }\n}\n`,
        'src/repo/index.ts': `export { UsersRepository } from './users.repository';\n`,
        'src/users.service.ts': `import { UsersRepository } from './repo';\nexport class UsersService {\n  constructor(private readonly users: UsersRepository) {}\n  profile(id: number) {\n    return this.load(id);\n  }\n  private load(id: number) {\n    return this.users.byId(id);\n  }\n}\n`,
        'src/example.ts': `import { UsersService } from './users.service';\nexport async function team(svc: UsersService, ids: number[]) {\n  const out = [];\n  for (const id of ids) out.push(await svc.profile(id));\n  return out;\n}\n`,
      },
      errors: [
        {
          messageId: 'indirectQueryInLoop',
          file: 'src/example.ts',
          line: 4,
          column: 40,
          messageIncludes: ['`UsersService.profile` → `UsersService.load` → `UsersRepository.byId` → `db.query` in src/repo/users.repository.ts:4'],
          related: ['src/repo/users.repository.ts:4'],
        },
      ],
    },
    {
      name: 'an interface method: the implementations that query',
      files: {
        'src/db.ts': DB,
        'src/ports.ts': `export interface OrderRepository {\n  byId(id: string): Promise<unknown>;\n}\n`,
        'src/pg-orders.ts': `import { pool } from './db';\nimport type { OrderRepository } from './ports';\nexport class PgOrderRepository implements OrderRepository {\n  async byId(id: string) {\n    return (await pool.query('SELECT * FROM orders WHERE id = $1', [id])).rows[0];\n  }\n}\n`,
        'src/memory-orders.ts': `import type { OrderRepository } from './ports';\nexport class InMemoryOrderRepository implements OrderRepository {\n  private rows = new Map<string, unknown>();\n  async byId(id: string) {\n    return this.rows.get(id);\n  }\n}\n`,
        'src/example.ts': `import type { OrderRepository } from './ports';\nexport class Invoices {\n  constructor(private readonly orders: OrderRepository) {}\n  async lines(ids: string[]) {\n    return Promise.all(ids.map((id) => this.orders.byId(id)));\n  }\n}\n`,
      },
      errors: [{ messageId: 'indirectQueryInLoop', file: 'src/example.ts', line: 5, column: 40, messageIncludes: ['`PgOrderRepository.byId` → `pool.query`'], related: ['src/pg-orders.ts:5'] }],
    },
    {
      name: 'recursion: a tree loaded one node at a time',
      files: withDb(
        `import { pool } from './db';
interface Node { id: number; children?: Node[] }
export async function load(node: Node): Promise<Node> {
  const { rows } = await pool.query('SELECT * FROM nodes WHERE parent_id = $1', [node.id]);
  node.children = await Promise.all(rows.map((child: Node) => load(child)));
  return node;
}
`,
      ),
      errors: [{ messageId: 'indirectQueryInLoop', line: 5, column: 63, messageIncludes: ['`load` → `pool.query`'], related: ['src/example.ts:4'] }],
    },
    {
      name: 'mutual recursion between files',
      files: {
        'src/db.ts': DB,
        'src/a.ts': `import { b } from './b';\nexport async function a(ids: number[]): Promise<void> {\n  for (const id of ids) await b(id);\n}\n`,
        'src/b.ts': `import { a } from './a';\nimport { pool } from './db';\nexport async function b(id: number): Promise<void> {\n  const { rows } = await pool.query('SELECT id FROM t WHERE parent = $1', [id]);\n  await a(rows.map((r: { id: number }) => r.id));\n}\n`,
      },
      errors: [{ messageId: 'indirectQueryInLoop', file: 'src/a.ts', line: 3, column: 31, related: ['src/b.ts:4'] }],
    },
    {
      name: 'a local helper and an object-literal data access layer',
      files: withDb(
        `import { pool } from './db';
export const repo = {
  async count(userId: number) {
    return (await pool.query('SELECT count(*) FROM posts WHERE user_id = $1', [userId])).rows[0].count;
  },
};
export async function stats(userIds: number[]) {
  const one = async (id: number) => ({ id, posts: await repo.count(id) });
  const out = [];
  for (const id of userIds) out.push(await one(id));
  return out;
}
`,
      ),
      errors: [{ messageId: 'indirectQueryInLoop', line: 10, column: 44, messageIncludes: ['`one` → `repo.count` → `pool.query`'], related: ['src/example.ts:4'] }],
    },
    {
      name: 'a transaction callback in a loop and a loop in a transaction callback',
      files: {
        'src/example.ts': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function f(ids: number[]) {
  for (const id of ids) {
    await prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id }, data: { seen: true } });
    });
  }
  await prisma.$transaction(async (tx) => {
    for (const id of ids) await tx.audit.create({ data: { id } });
  });
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', line: 6, column: 13 },
        { messageId: 'queryInLoop', line: 10, column: 33 },
      ],
    },
    {
      name: 'a loop over a client checked out with pool.connect()',
      files: withDb(
        `import { pool } from './db';
export async function f(ids: number[]) {
  const client = await pool.connect();
  for (const id of ids) {
    await client.query('UPDATE t SET n = n + 1 WHERE id = $1', [id]);
  }
  client.release();
}
`,
      ),
      errors: [{ messageId: 'queryInLoop', line: 5, column: 11, messageIncludes: ['UPDATE t SET … FROM unnest'] }],
    },
    {
      name: 'Prisma: sequential findUnique, findUniqueOrThrow/findFirst fan-outs, findUnique after an await in the callback',
      files: {
        'src/example.ts': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function f(ids: number[]) {
  for (const id of ids) await prisma.user.findUnique({ where: { id } });
  await Promise.all(ids.map((id) => prisma.user.findUniqueOrThrow({ where: { id } })));
  await Promise.all(ids.map((id) => prisma.user.findFirst({ where: { id } })));
  await Promise.all(ids.map(async (id) => {
    await prisma.audit.create({ data: { id } });
    return prisma.user.findUnique({ where: { id } });
  }));
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', line: 4, column: 31, messageIncludes: ['`prisma.user.findUnique(…)`', '`findMany({ where: { id: { in: ids } } })`'] },
        { messageId: 'queryInLoop', line: 5, column: 37 },
        { messageId: 'queryInLoop', line: 6, column: 37 },
        // One finding per loop: the findUnique after the await is related information of the create.
        { messageId: 'queryInLoop', line: 8, column: 11, messageIncludes: ['The same loop makes one more query per element'], related: ['src/example.ts:9'] },
      ],
    },
    {
      name: 'one finding per loop: the first query, the loop\'s other direct and indirect queries as related information',
      files: withDb(
        `import { pool } from './db';
import { loadAuthor } from './authors';
export async function f(posts: Array<{ id: number; authorId: number }>) {
  for (const post of posts) {
    const { rows } = await pool.query('SELECT * FROM comments WHERE post_id = $1', [post.id]);
    const author = await loadAuthor(post.authorId);
    await pool.query('UPDATE posts SET comment_count = $1 WHERE id = $2', [rows.length, post.id]);
    if (!author) continue;
  }
}
`,
        { 'src/authors.ts': AUTHORS },
      ),
      errors: [
        {
          messageId: 'queryInLoop',
          line: 5,
          column: 28,
          messageIncludes: ['`pool.query(…)` runs a query once per element of `posts`', 'The same loop makes 2 more queries per element'],
          related: ['src/example.ts:6', 'src/example.ts:7'],
        },
      ],
    },
    {
      name: 'a chained call in a loop is one finding, and nested loops are one each',
      files: {
        'src/example.ts': `import { Model } from 'sequelize';
class Document extends Model {}
export async function purge(teams: Array<{ ids: string[] }>) {
  for (const team of teams) {
    await Document.scope('withDrafts').destroy({ where: { teamId: team.ids[0] } });
    for (const id of team.ids) await Document.findByPk(id);
  }
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', line: 5, column: 11, messageIncludes: ['once per element of `teams`'], related: [] },
        { messageId: 'queryInLoop', line: 6, column: 38, messageIncludes: ['once per element of `team.ids`'], related: [] },
      ],
    },
    {
      name: 'a list filter computed from each element is still one query per element',
      files: {
        'src/example.ts': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function f(users: Array<{ id: number; postIds: number[] }>) {
  for (const user of users) {
    await prisma.post.findMany({ where: { id: { in: user.postIds } } });
  }
}
`,
      },
      errors: [{ messageId: 'queryInLoop', line: 5, column: 11 }],
    },
    {
      name: 'a helper that builds its list from its argument, called per element',
      files: {
        'src/attachments.ts': `import { Model, Op } from 'sequelize';
export class Attachment extends Model {}
const parseIds = (text: string) => text.match(/[0-9a-f-]{36}/g) ?? [];
export async function signUrls(doc: { text: string }) {
  const ids = parseIds(doc.text);
  return Attachment.findAll({ where: { id: { [Op.in]: ids } } });
}
`,
        'src/example.ts': `import { signUrls } from './attachments';\nexport async function render(docs: Array<{ text: string }>) {\n  for (const doc of docs) await signUrls(doc);\n}\n`,
      },
      errors: [{ messageId: 'indirectQueryInLoop', file: 'src/example.ts', line: 3, column: 33, related: ['src/attachments.ts:6'] }],
    },
    {
      name: 'test files are checked when ignoreTestFiles is off',
      config: { rules: { 'n-plus-one': { ignoreTestFiles: false } } },
      files: withDb(`export {};\n`, { 'test/seed.test.ts': `import { pool } from '../src/db';\nexport async function seed(ids: number[]) {\n  for (const id of ids) await pool.query('INSERT INTO t VALUES ($1)', [id]);\n}\n` }),
      errors: [{ messageId: 'queryInLoop', file: 'test/seed.test.ts', line: 3, column: 31 }],
    },
    {
      name: 'a module whose name only contains "seed" (reseed-cache.ts) is still checked',
      files: withDb(`export {};\n`, { 'src/reseed-cache.ts': `import { pool } from './db';\nexport async function refresh(ids: number[]) {\n  for (const id of ids) await pool.query('SELECT * FROM t WHERE id = $1', [id]);\n}\n` }),
      errors: [{ messageId: 'queryInLoop', file: 'src/reseed-cache.ts', line: 3, column: 31 }],
    },
    {
      name: 'GraphQL field resolvers run once per parent object (NestJS @ResolveField, type-graphql @FieldResolver)',
      files: {
        'src/posts.service.ts': `import { PrismaClient } from '@prisma/client';
export class PostsService {
  constructor(private readonly prisma: PrismaClient) {}
  byAuthor(authorId: number) {
    return this.prisma.post.findMany({ where: { authorId } });
  }
}
`,
        'src/authors.resolver.ts': `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { PrismaClient } from '@prisma/client';
import { PostsService } from './posts.service';

@Resolver('Author')
export class AuthorsResolver {
  constructor(private readonly postsService: PostsService, private readonly prisma: PrismaClient) {}

  @ResolveField('posts')
  posts(@Parent() author: { id: number }) {
    return this.postsService.byAuthor(author.id);
  }

  @ResolveField('postCount')
  async postCount(@Parent() author: { id: number }) {
    return this.prisma.post.count({ where: { authorId: author.id } });
  }

  // findUnique from sibling resolvers runs in one tick: Prisma batches it.
  @ResolveField('mentor')
  mentor(@Parent() author: { mentorId: number }) {
    return this.prisma.user.findUnique({ where: { id: author.mentorId } });
  }
}
`,
        'src/books.resolver.ts': `import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Pool } from 'pg';
const pool = new Pool();

@Resolver()
export class BookResolver {
  @FieldResolver()
  async reviews(@Root() book: { id: number }) {
    return (await pool.query('SELECT * FROM reviews WHERE book_id = $1', [book.id])).rows;
  }
}
`,
      },
      errors: [
        { messageId: 'indirectQueryInLoop', file: 'src/authors.resolver.ts', line: 11, column: 12, messageIncludes: ['parent object a query returns (`@ResolveField` `posts` runs for each one)'], related: ['src/posts.service.ts:5'] },
        { messageId: 'queryInLoop', file: 'src/authors.resolver.ts', line: 16, column: 12 },
        { messageId: 'queryInLoop', file: 'src/books.resolver.ts', line: 9, column: 19, messageIncludes: ['`@FieldResolver` `reviews`', 'a DataLoader created per request'] },
      ],
    },
    {
      name: 'a GraphQL field resolver whose parent type a query returns as a list, or hangs under one, names that list',
      files: {
        'src/team.resolver.ts': `import { Field, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

@ObjectType()
export class Owner {
  @Field() id!: string;
}

@ObjectType()
export class Team {
  @Field() id!: string;
  @Field(() => Owner) owner!: Owner;
}

@Resolver(() => Team)
export class TeamResolver {
  @Query(() => [Team])
  myTeams() {
    return prisma.team.findMany();
  }

  @ResolveField(() => Number)
  membersCount(@Parent() team: Team) {
    return prisma.teamMember.count({ where: { teamId: team.id } });
  }
}

@Resolver(() => Owner)
export class OwnerResolver {
  @ResolveField(() => Number)
  teamCount(@Parent() owner: Owner) {
    return prisma.team.count({ where: { ownerId: owner.id } });
  }
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', line: 25, column: 12, messageIncludes: ['`@ResolveField` `membersCount` runs for each one; `@Query` `myTeams` returns `[Team]`)'] },
        { messageId: 'queryInLoop', line: 33, column: 12, messageIncludes: ['`Owner` is a field of `Team`, and `@Query` `myTeams` returns `[Team]`'] },
      ],
    },
    {
      name: 'still per element: a loop bounded by the data, a while (true) that takes the next item each time, a chunk loop querying per item',
      files: withDb(`import { pool } from './db';
export async function f(ids: number[], queue: { shift(): number | undefined }, chunks: number[][]) {
  for (let i = 0; i < ids.length; i++) await pool.query('SELECT * FROM t WHERE id = $1', [ids[i]]);
  while (true) {
    const next = queue.shift();
    if (next === undefined) break;
    await pool.query('UPDATE t SET done = true WHERE id = $1', [next]);
  }
  for (const chunk of chunks) await pool.query('SELECT * FROM t WHERE id = $1', [chunk[0]]);
}
`),
      errors: [
        { messageId: 'queryInLoop', line: 3, column: 46 },
        { messageId: 'queryInLoop', line: 7, column: 11 },
        { messageId: 'queryInLoop', line: 9, column: 37 },
      ],
    },
    {
      name: 'typed: a pg client known only from its declared type',
      withTypes: true,
      files: {
        'src/example.ts': `import type { PoolClient } from 'pg';\nexport async function f(get: () => Promise<PoolClient>, ids: number[]) {\n  const c = await get();\n  for (const id of ids) await c.query('SELECT $1', [id]);\n}\n`,
      },
      errors: [{ messageId: 'queryInLoop', line: 4, column: 31 }],
    },
    {
      name: 'typed: an ambient `declare module` in the project counts as the package',
      files: {
        'types/pg.d.ts': `declare module 'pg' {\n  export interface QueryResult { rows: any[] }\n  export class Pool { query(text: string, values?: unknown[]): Promise<QueryResult> }\n}\n`,
        'src/example.ts': `import { Pool } from 'pg';\nconst make = (): Pool => new Pool();\nexport async function f(ids: number[]) {\n  const registry = { main: make() };\n  for (const id of ids) await registry.main.query('SELECT $1', [id]);\n}\n`,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/example.ts', line: 5, column: 31 }],
    },
    {
      name: 'the same call in nested loops is reported once, for the innermost loop',
      files: withDb(`import { pool } from './db';\nexport async function f(groups: number[][]) {\n  for (const g of groups) {\n    for (const id of g) await pool.query('SELECT $1', [id]);\n  }\n}\n`),
      errors: [{ messageId: 'queryInLoop', line: 4, column: 31, messageIncludes: ['element of `g`'] }],
    },
    {
      name: 'the suppression quick fix inserts a comment above the finding',
      files: withDb(`import { pool } from './db';\nexport async function f(ids: number[]) {\n  for (const id of ids) {\n    await pool.query('SELECT $1', [id]);\n  }\n}\n`),
      errors: [{ messageId: 'queryInLoop', line: 4, column: 11 }],
      fix: {
        title: 'Disable n-plus-one',
        output: {
          'src/example.ts': `import { pool } from './db';\nexport async function f(ids: number[]) {\n  for (const id of ids) {\n    // shipshape-disable-next-line n-plus-one -- TODO: explain why this is safe\n    await pool.query('SELECT $1', [id]);\n  }\n}\n`,
        },
      },
    },
  ],
});

describe('n-plus-one in the language server (overlay edits, cached summaries)', () => {
  const files = {
    'src/db.ts': DB,
    'src/authors.ts': AUTHORS,
    'src/service.ts': `import { loadAuthor } from './authors';\nexport const authorOf = (p: { authorId: number }) => loadAuthor(p.authorId);\n`,
    'src/routes.ts': `import { authorOf } from './service';\nexport async function list(posts: Array<{ authorId: number }>) {\n  for (const p of posts) await authorOf(p);\n}\n`,
  };

  it('re-analysing one file after an edit of a file it imports (transitively) sees the change', () => {
    const root = createWorkspace({ files });
    try {
      const analyzer = new Analyzer(loadProject(root), { rules: [nPlusOne] });
      const routes = path.join(root, 'src/routes.ts');
      const authors = path.join(root, 'src/authors.ts');
      const ids = () => analyzer.analyze([routes]).findings.map((f) => `${messageIdOf(nPlusOne, f.message)}@${f.range.start.line + 1}`);
      assert.deepEqual(analyzer.analyze().findings.length, 1);
      assert.deepEqual(ids(), ['indirectQueryInLoop@3']);
      // The repository stops querying (now served from a cache): the finding goes.
      analyzer.host.setOverlay(authors, `const cache = new Map<number, unknown>();\nexport async function loadAuthor(id: number) {\n  return cache.get(id);\n}\n`, 1);
      assert.deepEqual(ids(), []);
      // And comes back with the query.
      analyzer.host.setOverlay(authors, AUTHORS, 2);
      assert.deepEqual(ids(), ['indirectQueryInLoop@3']);
      // Editing the route file itself: the loop goes, then comes back as a map.
      analyzer.host.setOverlay(routes, `import { authorOf } from './service';\nexport async function list(posts: Array<{ authorId: number }>) {\n  return authorOf(posts[0]);\n}\n`, 3);
      assert.deepEqual(ids(), []);
      analyzer.host.setOverlay(routes, `import { authorOf } from './service';\nexport const list = (posts: Array<{ authorId: number }>) =>\n  Promise.all(posts.map(authorOf));\n`, 4);
      assert.deepEqual(ids(), ['indirectQueryInLoop@3']);
    } finally {
      removeWorkspace(root);
    }
  });

  it('a new implementation of an interface that queries is picked up', () => {
    const root = createWorkspace({
      files: {
        'src/db.ts': DB,
        'src/ports.ts': `export interface Repo { byId(id: number): Promise<unknown> }\n`,
        'src/memory.ts': `import type { Repo } from './ports';\nexport class MemoryRepo implements Repo {\n  async byId(id: number) { return id; }\n}\n`,
        'src/routes.ts': `import type { Repo } from './ports';\nexport const list = (repo: Repo, ids: number[]) => Promise.all(ids.map((id) => repo.byId(id)));\n`,
      },
    });
    try {
      const analyzer = new Analyzer(loadProject(root), { rules: [nPlusOne] });
      const routes = path.join(root, 'src/routes.ts');
      assert.equal(analyzer.analyze([routes]).findings.length, 0);
      analyzer.host.setOverlay(
        path.join(root, 'src/memory.ts'),
        `import type { Repo } from './ports';\nimport { pool } from './db';\nexport class MemoryRepo implements Repo {\n  async byId(id: number) { return pool.query('SELECT $1', [id]); }\n}\n`,
        1,
      );
      const after = analyzer.analyze([routes]).findings;
      assert.equal(after.length, 1);
      assert.equal(after[0].related[0].file, path.join(root, 'src/memory.ts'));
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('n-plus-one across workspace packages (a fresh monorepo clone: no node_modules, packages not built)', () => {
  // @corp/persistence points its main/types/exports at a dist/ that does not exist yet.
  const files = {
    'package.json': JSON.stringify({ name: 'corp', private: true, workspaces: ['apps/*', 'packages/*'] }),
    'packages/persistence/package.json': JSON.stringify({
      name: '@corp/persistence',
      main: 'dist/index.js',
      types: 'dist/index.d.ts',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './users': './dist/users.js' },
      dependencies: { pg: '^8.16.0' },
    }),
    'packages/persistence/src/db.ts': DB,
    'packages/persistence/src/index.ts': `export { findUser } from './users';\n`,
    'packages/persistence/src/users.ts': `import { pool } from './db';\nexport async function findUser(id: number) {\n  return (await pool.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];\n}\n`,
    'apps/api/package.json': JSON.stringify({ name: '@corp/api', dependencies: { '@corp/persistence': 'workspace:*' } }),
    'apps/api/tsconfig.json': DEFAULT_TSCONFIG,
    'apps/api/src/routes.ts': `import { findUser } from '@corp/persistence';\nimport { findUser as byId } from '@corp/persistence/users';\nexport async function load(ids: number[]) {\n  for (const id of ids) await findUser(id);\n  return Promise.all(ids.map((id) => byId(id)));\n}\n`,
  };
  const scan = (root: string, folder = root) => {
    const analyzer = new Analyzer(loadProject(folder), { rules: [nPlusOne] });
    return analyzer.analyze().findings.map((f) => `${path.relative(root, f.file).split(path.sep).join('/')}:${f.range.start.line + 1} → ${(f.related ?? []).map((r) => `${path.relative(root, r.file).split(path.sep).join('/')}:${r.range.start.line + 1}`).join(', ')}`);
  };

  it('an import of a sibling package resolves to its sources: the query in it is found from the loop in the app', () => {
    const root = createWorkspace({ files });
    try {
      const expected = ['apps/api/src/routes.ts:4 → packages/persistence/src/users.ts:3', 'apps/api/src/routes.ts:5 → packages/persistence/src/users.ts:3'];
      assert.deepEqual(scan(root), expected);
      // Scanning the app's folder alone follows its imports into the sibling package.
      assert.deepEqual(scan(root, path.join(root, 'apps', 'api')), expected);
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('n-plus-one through subpath imports (`#src/*` in package.json `imports`, scanned from the monorepo root)', () => {
  // The package maps `#src/*` to its unbuilt `./build/*`; the root has no tsconfig with that alias.
  const files = {
    'package.json': JSON.stringify({ name: 'corp', private: true, workspaces: ['packages/*'] }),
    'packages/core/package.json': JSON.stringify({ name: '@corp/core', type: 'module', imports: { '#src/*': './build/*' }, dependencies: { pg: '^8.16.0' } }),
    'packages/core/src/db.ts': DB,
    'packages/core/src/queries/users.ts': `import { pool } from '#src/db.js';\nexport async function findUser(id: number) {\n  return (await pool.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];\n}\n`,
    'packages/core/src/routes/users.ts': `import { findUser } from '#src/queries/users.js';\nexport async function load(ids: number[]) {\n  return Promise.all(ids.map((id) => findUser(id)));\n}\n`,
  };

  it('resolves `#src/…` through the owning package: the query behind it is found from the loop', () => {
    const root = createWorkspace({ files });
    try {
      const findings = new Analyzer(loadProject(root), { rules: [nPlusOne] }).analyze().findings;
      assert.deepEqual(
        findings.map((f) => `${path.relative(root, f.file).split(path.sep).join('/')}:${f.range.start.line + 1} → ${f.related.map((r) => `${path.relative(root, r.file).split(path.sep).join('/')}:${r.range.start.line + 1}`).join(', ')}`),
        ['packages/core/src/routes/users.ts:3 → packages/core/src/queries/users.ts:3'],
      );
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('n-plus-one across a library and the package that implements its interface', () => {
  // packages/tree is a library: its loops read through an abstract store. packages/server depends
  // on it and implements the store over SQL.
  const files = {
    'package.json': JSON.stringify({ name: 'corp', private: true, workspaces: ['packages/*'] }),
    'packages/tree/package.json': JSON.stringify({ name: '@corp/tree', main: 'dist/index.js' }),
    'packages/tree/src/index.ts': `export abstract class NodeStore {\n  abstract read(key: string): Promise<string[]>;\n}\nexport class Tree {\n  constructor(private readonly store: NodeStore) {}\n  async get(key: string) {\n    return this.store.read(key);\n  }\n  async walk(keys: string[]) {\n    for (const key of keys) await this.store.read(key);\n  }\n}\nexport class MemoryStore extends NodeStore {\n  async read(key: string) {\n    return [key];\n  }\n}\n`,
    'packages/server/package.json': JSON.stringify({ name: '@corp/server', dependencies: { '@corp/tree': 'workspace:*', pg: '^8.16.0' } }),
    'packages/server/src/db.ts': DB,
    'packages/server/src/sqlStore.ts': `import { NodeStore } from '@corp/tree';\nimport { pool } from './db';\nexport class SqlStore extends NodeStore {\n  async read(key: string) {\n    return (await pool.query('SELECT child FROM nodes WHERE key = $1', [key])).rows;\n  }\n}\n`,
    'packages/server/src/routes.ts': `import { Tree } from '@corp/tree';\nimport { SqlStore } from './sqlStore';\nconst tree = new Tree(new SqlStore());\nexport async function load(keys: string[]) {\n  return Promise.all(keys.map((k) => tree.get(k)));\n}\n`,
  };

  it("reports the dependent's loop that drives the library, not the library's own loop", () => {
    const root = createWorkspace({ files });
    try {
      const findings = new Analyzer(loadProject(root), { rules: [nPlusOne] }).analyze().findings;
      assert.deepEqual(
        findings.map((f) => `${path.relative(root, f.file).split(path.sep).join('/')}:${f.range.start.line + 1} → ${f.related.map((r) => `${path.relative(root, r.file).split(path.sep).join('/')}:${r.range.start.line + 1}`).join(', ')}`),
        ['packages/server/src/routes.ts:5 → packages/server/src/sqlStore.ts:5'],
      );
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('n-plus-one across a library, an app that uses it and a server that is only its devDependency', () => {
  // packages/admin runs with @corp/tree and an in-memory store; it lists @corp/server (which
  // implements the store over SQL) only in devDependencies, for its tests.
  const files = {
    'package.json': JSON.stringify({ name: 'corp', private: true, workspaces: ['packages/*'] }),
    'packages/tree/package.json': JSON.stringify({ name: '@corp/tree', main: 'dist/index.js' }),
    'packages/tree/src/index.ts': `export abstract class NodeStore {\n  abstract read(key: string): Promise<string[]>;\n}\nexport class Tree {\n  constructor(private readonly store: NodeStore) {}\n  async get(key: string) {\n    return this.store.read(key);\n  }\n}\nexport class MemoryStore extends NodeStore {\n  async read(key: string) {\n    return [key];\n  }\n}\n`,
    'packages/server/package.json': JSON.stringify({ name: '@corp/server', dependencies: { '@corp/tree': 'workspace:*', pg: '^8.16.0' } }),
    'packages/server/src/db.ts': DB,
    'packages/server/src/sqlStore.ts': `import { NodeStore } from '@corp/tree';\nimport { pool } from './db';\nexport class SqlStore extends NodeStore {\n  async read(key: string) {\n    return (await pool.query('SELECT child FROM nodes WHERE key = $1', [key])).rows;\n  }\n}\n`,
    'packages/admin/package.json': JSON.stringify({ name: '@corp/admin', dependencies: { '@corp/tree': 'workspace:*' }, devDependencies: { '@corp/server': 'workspace:*' } }),
    'packages/admin/src/report.ts': `import { MemoryStore, Tree } from '@corp/tree';\nconst tree = new Tree(new MemoryStore());\nexport async function load(keys: string[]) {\n  return Promise.all(keys.map((k) => tree.get(k)));\n}\n`,
  };

  it("does not report the app's loop through the library: the SQL implementation is not one it runs with", () => {
    const root = createWorkspace({ files });
    try {
      const findings = new Analyzer(loadProject(root), { rules: [nPlusOne] }).analyze().findings;
      assert.deepEqual(findings.map((f) => path.relative(root, f.file).split(path.sep).join('/')), []);
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('n-plus-one through extensionless relative imports in an ESM package (a bundler resolves them)', () => {
  // `"type": "module"` and the tsconfig's `extends` points at a workspace package that is not installed: Node16 defaults apply.
  const files = {
    'package.json': JSON.stringify({ name: 'worker', type: 'module', dependencies: { pg: '^8.16.0' } }),
    'tsconfig.json': JSON.stringify({ extends: '@corp/tsconfig/base.json', include: ['src'] }),
    'src/db.ts': DB,
    'src/users.ts': `import { pool } from './db';\nexport async function findUser(id: number) {\n  return (await pool.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];\n}\n`,
    'src/routes.ts': `import { findUser } from './users';\nexport async function load(ids: number[]) {\n  for (const id of ids) await findUser(id);\n}\n`,
  };

  it('follows `./users` to users.ts: the query behind it is found from the loop', () => {
    const root = createWorkspace({ files });
    try {
      const findings = new Analyzer(loadProject(root), { rules: [nPlusOne] }).analyze().findings;
      assert.deepEqual(
        findings.map((f) => `${path.relative(root, f.file).split(path.sep).join('/')}:${f.range.start.line + 1} → ${f.related.map((r) => `${path.relative(root, r.file).split(path.sep).join('/')}:${r.range.start.line + 1}`).join(', ')}`),
        ['src/routes.ts:3 → src/users.ts:3'],
      );
    } finally {
      removeWorkspace(root);
    }
  });
});
