import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Issue 8, third pass (NestJS + Prisma, NestJS + GraphQL + TypeORM, Express + Knex APIs): loops
 * whose number of iterations the code or the configuration fixes, or that walk chunks, and
 * queries that run once per cache lifetime or only when the caller asks. Each case is written
 * from the shape met, not copied. No node_modules: packages are known from their imports only.
 */

const KNEX = `import knex from 'knex';\nexport const db = knex({ client: 'pg' });\n`;
const PRISMA = `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n`;

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'a for loop over chunks (`i += size`, `rows.slice(i, i + size)`): one statement per chunk, whatever it runs',
      files: {
        'src/knex.ts': KNEX,
        'src/example.ts': `import { db } from './knex';
const MAX_BATCH = 500;
export async function saveSeen(rows: Array<{ name: string; env: string }>) {
  for (let i = 0; i < rows.length; i += MAX_BATCH) {
    const chunk = rows.slice(i, i + MAX_BATCH);
    await db('seen').insert(chunk).onConflict(['name', 'env']).merge();
  }
}
async function settings() {
  return db('settings').select('*');
}
export async function quotes(symbols: string[], perRequest: number) {
  for (let i = 0; i < symbols.length; i += perRequest) {
    const part = symbols.slice(i, i + perRequest);
    const headers = await settings();
    console.log(headers, part);
  }
}
const BATCH_SIZE = 100;
export async function reindex(ids: string[]) {
  const batches = Math.ceil(ids.length / BATCH_SIZE);
  for (let i = 0; i < batches; i++) {
    const begin = i * BATCH_SIZE;
    const batchIds = ids.slice(begin, begin + BATCH_SIZE);
    const channels = await settings();
    await db('index').insert(batchIds.map((id) => ({ id, channels })));
  }
}
`,
      },
    },
    {
      name: 'a loop over the keys of a partition whose query filters on that key\'s whole group (one statement per group)',
      files: {
        'src/knex.ts': KNEX,
        'src/example.ts': `import { db } from './knex';
export async function markSeen(data: Array<{ name: string; env: string }>) {
  const byEnv: Record<string, string[]> = {};
  for (const d of data) (byEnv[d.env] ??= []).push(d.name);
  for (const env of Object.keys(byEnv)) {
    const names = byEnv[env].sort();
    await db('feature_environments')
      .update({ seen: true })
      .where('environment', env)
      .whereIn('feature_name', db('feature_environments').select('feature_name').whereIn('feature_name', names).forUpdate().skipLocked());
  }
}
`,
      },
    },
    {
      name: 'do…while loops probing for a free value: the next try is rebuilt from a counter, the found row only decides whether to go on',
      files: {
        'src/knex.ts': KNEX,
        'src/example.ts': `import { db } from './knex';
export async function uniqueCode(code: string) {
  let candidate = code;
  let suffix = 1;
  let conflict = false;
  do {
    const match = await db('facets').where({ code: candidate }).first();
    conflict = !!match;
    if (conflict) {
      suffix++;
      candidate = candidate.replace(/-\\d+$/, '') + '-' + suffix;
    }
  } while (conflict);
  return candidate;
}
export async function uniqueSlug(t: { slug: string }) {
  const seen: number[] = [];
  let match: { id: number; deleted: boolean } | undefined;
  let suffix = 1;
  do {
    const qb = db('translations').where('slug', t.slug).whereNotIn('id', seen);
    match = await qb.first();
    if (match) {
      if (!match.deleted) t.slug = t.slug + '-' + ++suffix;
      else seen.push(match.id);
    }
  } while (match);
}
`,
      },
    },
    {
      name: 'while (true) probing for a free random value: every exit is under an if on the row found, the next try is drawn again, not read from the row or from a list',
      files: {
        'src/prisma.ts': PRISMA,
        'src/shortcodes.ts': `import { randomBytes } from 'node:crypto';
import { prisma } from './prisma';
const ALPHABET = ['a', 'b', 'c', 'd'];
export class ShortcodeService {
  private generate(): string {
    let out = '';
    for (let i = 0; i < 12; i++) out += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
    return out;
  }
  async find(code: string) {
    try {
      return { found: true, row: await prisma.shortcode.findFirstOrThrow({ where: { id: code } }) };
    } catch {
      return { found: false, row: null };
    }
  }
  async uniqueCode() {
    while (true) {
      const code = this.generate();
      const data = await this.find(code);
      if (!data.found) return code;
    }
  }
  async uniqueToken(prefix: string) {
    for (;;) {
      const token = prefix + randomBytes(8).toString('hex') + ALPHABET[0];
      const taken = await prisma.apiToken.findFirst({ where: { token } });
      if (!taken) return token;
    }
  }
}
`,
      },
    },
    {
      name: 'Object.entries of what a helper returns: an object it fills only under keys the code names (a property, a literal, the key of an element of a list written in the code), or an object literal',
      files: {
        'src/prisma.ts': PRISMA,
        'src/derived.ts': `import { prisma } from './prisma';
const CALLBACKS = [
  { key: 'GOOGLE_CALLBACK_URL', path: '/auth/google/callback' },
  { key: 'GITHUB_CALLBACK_URL', path: '/auth/github/callback' },
];
export async function buildDerived(current: Record<string, string>) {
  const derived: Record<string, string> = {};
  const base = (process.env.BACKEND_URL ?? '').replace(/\\/+$/, '');
  if (current.SECURE !== String(base.startsWith('https'))) derived.SECURE = String(base.startsWith('https'));
  if (!current.MODE) derived['MODE'] = 'default';
  for (const { key, path } of CALLBACKS) {
    if (current[key] !== base + path) derived[key] = base + path;
  }
  return derived;
}
export function limits(plan: string) {
  return { seats: plan === 'pro' ? 50 : 5, projects: 10 };
}
`,
        'src/sync.ts': `import { prisma } from './prisma';
import { buildDerived, limits } from './derived';
export async function syncDerived() {
  const rows = await prisma.setting.findMany();
  const derived = await buildDerived(Object.fromEntries(rows.map((r) => [r.name, r.value])));
  await Promise.all(Object.entries(derived).map(([name, value]) => prisma.setting.update({ where: { name }, data: { value } })));
  for (const [name, value] of Object.entries(limits('pro'))) await prisma.limit.update({ where: { name }, data: { value } });
}
`,
      },
    },
    {
      name: 'Object.values of an enum imported from the ORM package, of a TypeScript enum, and of a constant catalog object',
      files: {
        'src/prisma.ts': PRISMA,
        'src/catalog.ts': `export const PROVIDERS_CATALOG = {
  google: { configId: 'auth.google' },
  oidc: { configId: 'auth.oidc' },
} as const;
`,
        'src/example.ts': `import { DataSource } from '@prisma/client';
import { prisma } from './prisma';
import { PROVIDERS_CATALOG } from './catalog';
enum Level { Low = 'low', High = 'high' }
export async function perSource() {
  const sources = Object.values(DataSource);
  return Promise.all(sources.map((dataSource) => prisma.symbolProfile.count({ where: { dataSource } })));
}
export async function perLevel() {
  for (const level of Object.values(Level)) await prisma.alert.count({ where: { level } });
}
export async function providers() {
  return Promise.all(Object.values(PROVIDERS_CATALOG).map((p) => prisma.setting.findFirst({ where: { name: p.configId } })));
}
`,
      },
    },
    {
      name: 'a loop over injected or configured service objects (an interface of methods): one call per implementation, not per row',
      files: {
        'src/prisma.ts': PRISMA,
        'src/providers.ts': `import { prisma } from './prisma';
export interface DataProvider {
  getName(): string;
  search(query: string): Promise<string[]>;
}
export class SheetsProvider implements DataProvider {
  getName() { return 'sheets'; }
  async search(query: string) {
    const rows = await prisma.symbolProfile.findMany({ where: { name: query } });
    return rows.map((r: { name: string }) => r.name);
  }
}
export interface Enhancer {
  readonly id: string;
  enhance(profile: { symbol: string }): Promise<{ symbol: string }>;
  priority(): number;
}
export class FigiEnhancer implements Enhancer {
  readonly id = 'figi';
  priority() { return 1; }
  async enhance(profile: { symbol: string }) {
    await prisma.property.findFirst({ where: { key: 'figi' } });
    return profile;
  }
}
`,
        'src/example.ts': `import { DataProvider, Enhancer } from './providers';
export class SearchService {
  constructor(private readonly providers: DataProvider[], private readonly enhancers: Enhancer[], private readonly names: string[]) {}
  private configured(): DataProvider[] {
    return this.names.map((n) => this.providers.find((p) => p.getName() === n)!);
  }
  async search(query: string) {
    const out: string[] = [];
    for (const provider of this.configured()) out.push(...(await provider.search(query)));
    return out;
  }
  async enhance(profile: { symbol: string }) {
    for (const enhancer of this.enhancers) profile = await enhancer.enhance(profile);
    return profile;
  }
}
`,
      },
    },
    {
      name: 'a registry of handlers walked at start-up, and a query whose table comes from the element (one per table, not per row)',
      files: {
        'src/knex.ts': KNEX,
        'src/connection.ts': `import { DataSource, ObjectLiteral, Repository } from 'typeorm';
export class Connection {
  constructor(private readonly ds: DataSource) {}
  getRepository<T extends ObjectLiteral>(entity: new () => T): Repository<T> {
    return this.ds.getRepository(entity);
  }
}
export async function related(conn: Connection, fields: Array<{ name: string; entity: new () => { id: string } }>, input: Record<string, string>) {
  for (const field of fields) await conn.getRepository(field.entity).findOneBy({ id: input[field.name] });
}
`,
        'src/queues.ts': `import { db } from './knex';
type Process = (job: { id: string }) => Promise<void>;
export class Queues {
  private readonly started = new Map<string, Process>();
  async start(name: string, process: Process) {
    const next = await db('jobs').where({ queue: name }).first();
    if (next) await process(next);
  }
  async init() {
    for (const [name, process] of this.started) await this.start(name, process);
  }
}
export async function relations(fields: Array<{ name: string; table: string }>, input: Record<string, string>) {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field.name] = await db(field.table).where({ id: input[field.name] }).first();
  return out;
}
`,
      },
    },
    {
      name: 'a NestJS provider walking a list held by an injected singleton (its configuration), not rows',
      files: {
        'src/prisma.ts': PRISMA,
        'src/config.service.ts': `import { Injectable } from '@nestjs/common';
@Injectable()
export class ConfigService {
  customFields: Record<string, Array<{ name: string; type: string; entity: string }>> = {};
}
`,
        'src/relations.service.ts': `import { Injectable } from '@nestjs/common';
import { ConfigService } from './config.service';
import { prisma } from './prisma';
@Injectable()
export class RelationsService {
  constructor(private readonly configService: ConfigService) {}
  async reload(entityName: string, id: string, input: Record<string, string>) {
    const fields = this.configService.customFields[entityName].filter((f) => f.type === 'relation');
    for (const field of fields) {
      if (input[field.name] !== undefined) await prisma.entity.findUnique({ where: { id } });
    }
  }
}
`,
      },
    },
    {
      name: 'a query behind an instance cache, and one under an option no caller passes (`{ skipCache = false } = {}`), reached from loops',
      files: {
        'src/prisma.ts': PRISMA,
        'src/properties.ts': `import { prisma } from './prisma';
export class PropertyService {
  private cached: Promise<Array<{ key: string; value: string }>> | undefined;
  private expiresAt = 0;
  async getByKey(key: string, { skipCache = false } = {}) {
    const all = await this.get({ skipCache });
    return all.find((p) => p.key === key)?.value;
  }
  async get({ skipCache = false } = {}) {
    return this.load({ skipCache });
  }
  private async load({ skipCache = false } = {}) {
    if (skipCache) {
      return prisma.property.findMany();
    }
    if (this.cached && Date.now() < this.expiresAt) {
      return this.cached;
    }
    const rows = prisma.property.findMany();
    this.cached = rows;
    this.expiresAt = Date.now() + 60_000;
    return this.cached;
  }
}
`,
        'src/example.ts': `import { PropertyService } from './properties';
export class QuoteService {
  constructor(private readonly properties: PropertyService) {}
  private async headers() {
    return { key: await this.properties.getByKey('api-key') };
  }
  async quotes(symbols: string[]) {
    const out = [];
    for (const symbol of symbols) out.push({ symbol, headers: await this.headers() });
    return out;
  }
}
`,
      },
    },
    {
      name: 'GraphQL field resolvers that query only when the parent was loaded without the relation, directly or through a hydrating helper',
      files: {
        'src/orders.service.ts': `import { Repository } from 'typeorm';
export class Order { id!: number; lines?: Array<{ id: number }>; translations?: Array<{ name: string }>; name?: string }
export class OrdersService {
  constructor(private readonly orders: Repository<Order>) {}
  findOne(id: number) {
    return this.orders.findOne({ where: { id }, relations: ['lines'] });
  }
  async hydrateField(entity: Order, field: 'name') {
    if (entity[field]) {
      return entity[field];
    }
    await this.hydrate(entity);
    return entity[field];
  }
  private async hydrate(entity: Order) {
    if (!entity.translations?.length) {
      const loaded = await this.orders.findOne({ where: { id: entity.id }, relations: ['translations'] });
      entity.translations = loaded!.translations;
    }
    entity.name = entity.translations?.[0]?.name;
  }
}
`,
        'src/order.resolver.ts': `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Order, OrdersService } from './orders.service';
@Resolver('Order')
export class OrderEntityResolver {
  constructor(private readonly orders: OrdersService) {}
  @ResolveField()
  async lines(@Parent() order: Order) {
    if (order.lines) {
      return order.lines;
    }
    const found = await this.orders.findOne(order.id);
    return found?.lines ?? [];
  }
  @ResolveField()
  name(@Parent() order: Order) {
    return this.orders.hydrateField(order, 'name');
  }
  @ResolveField()
  async firstLine(@Parent() order: Order) {
    if (order.lines !== undefined) {
      return order.lines[0];
    }
    return (await this.orders.findOne(order.id))?.lines?.[0];
  }
  @ResolveField()
  async lineIds(@Parent() order: Order) {
    let lines = order.lines;
    if (!lines) {
      lines = (await this.orders.findOne(order.id))?.lines ?? [];
    } else if (lines.length > 0) {
      lines = lines.filter((l) => l.id > 0);
    }
    return lines.map((l) => l.id);
  }
  @ResolveField()
  async openLines(@Parent() order: Order) {
    let lines: Array<{ id: number }>;
    if (order.lines?.[0]?.id) {
      lines = order.lines;
    } else {
      lines = (await this.orders.findOne(order.id))?.lines ?? [];
    }
    return lines.filter((l) => l.id > 0);
  }
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'control: Object.entries of what a helper returns, when it fills the object under keys from the data (rows, a parameter list), or hands it on',
      files: {
        'src/prisma.ts': PRISMA,
        'src/derived.ts': `import { prisma } from './prisma';
export async function byName() {
  const out: Record<string, string> = {};
  for (const row of await prisma.setting.findMany()) out[row.name] = row.value;
  return out;
}
export function fromKeys(keys: string[]) {
  const out: Record<string, string> = {};
  for (const key of keys) out[key] = '';
  return out;
}
export function merged(extra: Record<string, string>) {
  const out: Record<string, string> = { MODE: 'x' };
  Object.assign(out, extra);
  return out;
}
`,
        'src/sync.ts': `import { prisma } from './prisma';
import { byName, fromKeys, merged } from './derived';
export async function sync(keys: string[], extra: Record<string, string>) {
  for (const [name, value] of Object.entries(await byName())) await prisma.audit.create({ data: { name, value } });
  const blank = fromKeys(keys);
  for (const name of Object.keys(blank)) await prisma.audit.create({ data: { name, value: '' } });
  await Promise.all(Object.entries(merged(extra)).map(([name, value]) => prisma.audit.create({ data: { name, value } })));
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/sync.ts', line: 4 },
        { messageId: 'queryInLoop', file: 'src/sync.ts', line: 6 },
        { messageId: 'queryInLoop', file: 'src/sync.ts', line: 7 },
      ],
    },
    {
      name: 'control: a while (true) whose next try comes from the row found, from a queue outside the loop, or that also exits when its list runs out, and a do…while feeding the row found back as `{ where: { id } }`, are still per element',
      files: {
        'src/prisma.ts': PRISMA,
        'src/walks.ts': `import { prisma } from './prisma';
export async function rootOf(id: string) {
  let current = id;
  while (true) {
    const node = await prisma.folder.findUnique({ where: { id: current } });
    if (!node?.parentId) return current;
    current = node.parentId;
  }
}
export async function firstFree(queue: { shift(): string | undefined }) {
  while (true) {
    const name = queue.shift() ?? '';
    const taken = await prisma.team.findFirst({ where: { name } });
    if (!taken) return name;
  }
}
export async function firstKnown(ids: string[]) {
  let i = 0;
  while (true) {
    const id = ids[i++];
    const user = await prisma.user.findFirst({ where: { id } });
    if (user) return user;
  }
}
export async function firstMissing(pending: string[]) {
  while (true) {
    const code = pending.pop();
    if (code === undefined) return null;
    const row = await prisma.invite.findFirst({ where: { code } });
    if (!row) return code;
  }
}
export async function topmost(start: string) {
  let id = start;
  let node: { parentId: string | null } | null;
  do {
    node = await prisma.folder.findUnique({ where: { id } });
    if (node?.parentId) id = node.parentId;
  } while (node?.parentId);
  return id;
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/walks.ts', line: 5, messageIncludes: ['iteration of this `while` loop'] },
        { messageId: 'queryInLoop', file: 'src/walks.ts', line: 13 },
        { messageId: 'queryInLoop', file: 'src/walks.ts', line: 21 },
        { messageId: 'queryInLoop', file: 'src/walks.ts', line: 29 },
        { messageId: 'queryInLoop', file: 'src/walks.ts', line: 37, messageIncludes: ['iteration of this `do…while` loop'] },
      ],
    },
    {
      name: 'rows a query loaded are data even when typed as an interface of methods (a list of jobs read from a table, directly, destructured, filtered)',
      files: {
        'src/db.ts': `import { Pool } from 'pg';\nexport const pool = new Pool();\n`,
        'src/jobs.ts': `import { pool } from './db';
export interface Job {
  readonly id: string;
  start(): void;
  cancel(): void;
  retry(): void;
}
export async function sweep() {
  const result: { rows: Job[] } = await pool.query('SELECT * FROM jobs WHERE due < now()');
  for (const job of result.rows) await pool.query('UPDATE jobs SET taken = true WHERE id = $1', [job.id]);
  const { rows }: { rows: Job[] } = await pool.query('SELECT * FROM jobs');
  await Promise.all(rows.filter((j) => j.id).map((job) => pool.query('SELECT * FROM job_logs WHERE job_id = $1', [job.id])));
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/jobs.ts', line: 10 },
        { messageId: 'queryInLoop', file: 'src/jobs.ts', line: 12 },
      ],
    },
    {
      name: 'control: a list a provider loads through an injected service (a method call) is data',
      files: {
        'src/prisma.ts': PRISMA,
        'src/users.service.ts': `import { Injectable } from '@nestjs/common';
import { prisma } from './prisma';
@Injectable()
export class UsersService {
  list() {
    return prisma.user.findMany();
  }
}
`,
        'src/audit.service.ts': `import { Injectable } from '@nestjs/common';
import { UsersService } from './users.service';
import { prisma } from './prisma';
@Injectable()
export class AuditService {
  constructor(private readonly users: UsersService) {}
  async run() {
    for (const user of await this.users.list()) await prisma.audit.create({ data: { userId: user.id } });
  }
}
`,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/audit.service.ts', line: 8 }],
    },
    {
      name: 'Sequelize without its types installed: save()/update() on each row of a findAll() walked by for…of (as in a map callback)',
      files: {
        'src/db.ts': `import { Sequelize } from 'sequelize';\nexport const sequelize = new Sequelize(process.env.DATABASE_URL!);\n`,
        'src/user.ts': `import { DataTypes, Model } from 'sequelize';
import { sequelize } from './db';
export class User extends Model {
  declare id: number;
  declare name: string;
}
User.init({ id: { type: DataTypes.INTEGER, primaryKey: true }, name: DataTypes.STRING }, { sequelize, tableName: 'users' });
`,
        'src/jobs.ts': `import { User } from './user';
export async function renameAll(suffix: string) {
  const users = await User.findAll({ where: { active: true } });
  for (const user of users) {
    user.name = user.name + suffix;
    await user.save();
  }
  for (const user of await User.findAll()) await user.update({ name: 'x' });
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/jobs.ts', line: 6, messageIncludes: ['`user.save()`', 'element of `users` (for…of loop)'] },
        { messageId: 'queryInLoop', file: 'src/jobs.ts', line: 8, messageIncludes: ['`user.update(…)`'] },
      ],
    },
    {
      name: 'a long TypeORM query-builder chain on a project helper\'s builder, reached from a field resolver, is still a query (the chain is followed whatever its length)',
      files: {
        'src/resolver.ts': `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { VariantService } from './variants';
@Resolver('Collection')
export class CollectionResolver {
  constructor(private readonly variants: VariantService) {}
  @ResolveField()
  async variantsOf(@Parent() collection: { id: number }) {
    return this.variants.byCollection(collection.id);
  }
}
`,
        'src/variants.ts': `import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
export class Variant { id!: number }
export class ListQueryBuilder {
  constructor(private readonly ds: DataSource) {}
  build<T extends ObjectLiteral>(entity: new () => T, take = 10): SelectQueryBuilder<T> {
    return this.ds.getRepository(entity).createQueryBuilder('v').take(take);
  }
}
export class VariantService {
  constructor(private readonly lists: ListQueryBuilder) {}
  byCollection(collectionId: number) {
    const qb = this.lists
      .build(Variant)
      .leftJoin('v.collections', 'collection')
      .leftJoin('v.product', 'product')
      .andWhere('product.deletedAt IS NULL')
      .andWhere('v.deletedAt IS NULL')
      .andWhere('v.enabled = true')
      .andWhere('collection.id = :collectionId', { collectionId });
    return qb.getManyAndCount().then(([items, totalItems]) => ({ items, totalItems }));
  }
}
`,
      },
      errors: [{ messageId: 'indirectQueryInLoop', file: 'src/resolver.ts', line: 8, messageIncludes: ['`VariantService.byCollection` → `qb.getManyAndCount`'] }],
    },
    {
      name: 'controls: a cache keyed by the argument, a field written then read (not a cache), a caller that passes the option, an if/else on the option, a resolver whose early return is not the relation',
      files: {
        'src/example.ts': `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { prisma } from './prisma';
import { db } from './knex';
export class RateService {
  private readonly cache = new Map<string, number>();
  async rate(pair: string) {
    if (this.cache.has(pair)) return this.cache.get(pair)!;
    const row = await prisma.rate.findFirst({ where: { pair } });
    this.cache.set(pair, row!.value);
    return row!.value;
  }
  private rows: unknown[] = [];
  async refresh(id: string) {
    this.rows = await prisma.row.findMany({ where: { id } });
    if (this.rows.length === 0) console.log('empty');
    return this.rows;
  }
  async load(id: string, { fresh = false } = {}) {
    if (fresh) return prisma.profile.findUnique({ where: { id } });
    return undefined;
  }
  async connect(env: string, project: string, idempotent?: boolean) {
    const query = db('links').insert({ env, project });
    if (idempotent) {
      await query.onConflict(['env', 'project']).ignore();
    } else {
      await query;
    }
  }
  async all(pairs: string[], ids: string[], envs: string[]) {
    for (const pair of pairs) await this.rate(pair);
    for (const id of ids) await this.load(id, { fresh: true });
    await Promise.all(envs.map((env) => this.connect(env, 'p')));
    for (const id of ids) await this.refresh(id);
  }
}
@Resolver('Team')
export class TeamResolver {
  @ResolveField()
  async owner(@Parent() team: { ownerId: string; archived?: boolean }) {
    if (team.archived) return null;
    return prisma.user.findFirst({ where: { id: team.ownerId } });
  }
  @ResolveField()
  async members(@Parent() team: { id: string; members?: string[] }) {
    let members: string[] = [];
    if (team.members) {
      members = team.members;
    }
    members = (await prisma.member.findMany({ where: { teamId: team.id } })).map((m: { id: string }) => m.id);
    return members;
  }
}
`,
        'src/prisma.ts': PRISMA,
        'src/knex.ts': KNEX,
      },
      errors: [
        { messageId: 'indirectQueryInLoop', line: 31, messageIncludes: ['`RateService.rate` → `prisma.rate.findFirst`'] },
        { messageId: 'indirectQueryInLoop', line: 32, messageIncludes: ['`RateService.load` → `prisma.profile.findUnique`'] },
        { messageId: 'indirectQueryInLoop', line: 33, messageIncludes: ['`RateService.connect`'] },
        { messageId: 'indirectQueryInLoop', line: 34, messageIncludes: ['`RateService.refresh` → `prisma.row.findMany`'] },
        { messageId: 'queryInLoop', line: 42 },
        { messageId: 'queryInLoop', line: 50 },
      ],
    },
    {
      name: 'controls: a for loop over elements one by one, Object.values of a map built from rows, a loop over rows',
      files: {
        'src/knex.ts': KNEX,
        'src/example.ts': `import { db } from './knex';
export async function one(rows: Array<{ id: number }>) {
  for (let i = 0; i < rows.length; i++) {
    await db('audit').insert({ row_id: rows[i].id });
  }
}
export async function byOwner(rows: Array<{ id: number; owner: string }>) {
  const owners: Record<string, { id: number; owner: string }> = {};
  for (const r of rows) owners[r.owner] = r;
  for (const r of Object.values(owners)) await db('owners').where({ name: r.owner }).first();
}
import { Model } from 'sequelize';
class Member extends Model {
  declare id: number;
  greet() { return 'hi'; }
  audit() { return 1; }
}
export async function members(list: Member[]) {
  for (const m of list) await db('visits').where({ member_id: m.id });
}
interface Account { id: number; name: string; balance(): number }
export async function accounts(list: Account[]) {
  for (const a of list) await db('balances').where({ account_id: a.id });
}
class Order {
  private readonly lines: number[] = [];
  constructor(private readonly id: number) {}
  getId() { return this.id; }
  total() { return this.lines.length; }
}
export async function orders(list: Order[]) {
  for (const o of list) await db('order_lines').where({ order_id: o.getId() });
}
export async function perOwner(rows: Array<{ id: number; owner: string }>, byOwner: Record<string, number[]>) {
  for (const r of rows) await db('posts').whereIn('id', byOwner[r.owner]);
}
export async function ancestors(start: { id: number; parentId: number | null }) {
  let node: { id: number; parentId: number | null } | undefined = start;
  do {
    node = await db('folders').where({ id: node!.parentId }).first();
  } while (node);
}
export async function audit(list: Account[]) {
  for (const a of list) await db('audit').insert({ account: a.name });
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/example.ts', line: 4 },
        { messageId: 'queryInLoop', file: 'src/example.ts', line: 10 },
        { messageId: 'queryInLoop', file: 'src/example.ts', line: 19 },
        { messageId: 'queryInLoop', file: 'src/example.ts', line: 23 },
        { messageId: 'queryInLoop', file: 'src/example.ts', line: 32 },
        { messageId: 'queryInLoop', file: 'src/example.ts', line: 35 },
        { messageId: 'queryInLoop', file: 'src/example.ts', line: 40 },
        { messageId: 'queryInLoop', file: 'src/example.ts', line: 44 },
      ],
    },
  ],
});
