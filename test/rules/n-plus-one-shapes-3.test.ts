import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, third pass: logto, atproto), each written from its
 * shape, not copied. No node_modules: the packages are known from their imports only, as in a
 * fresh clone.
 */

const DB = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;
const KYSELY = `import { Kysely, PostgresDialect } from 'kysely';\nexport const db = new Kysely<any>({ dialect: new PostgresDialect({} as any) });\n`;
const withDb = (code: string, extra: Record<string, string> = {}) => ({ 'src/example.ts': code, 'src/db.ts': DB, ...extra });

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'a flush (and its progress update) under `if (buffer.length >= BATCH_SIZE)` runs once per batch, not per element',
      files: withDb(`import { pool } from './db';
const BATCH_SIZE = 500;
async function flush(rows: string[]) {
  await pool.query('INSERT INTO profiles SELECT * FROM unnest($1::text[])', [rows]);
  await pool.query('UPDATE imports SET done = done + $1', [rows.length]);
}
export async function load(source: AsyncIterable<string>) {
  let buffer: string[] = [];
  for await (const row of source) {
    buffer.push(row);
    if (buffer.length >= BATCH_SIZE) {
      await flush(buffer);
      buffer = [];
    }
  }
}
`),
    },
    {
      name: 'a seed runner over the SQL files of a folder (read, filtered, sorted, spread into a list), here and through a helper that returns the listing',
      files: withDb(`import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pool } from './db';
async function migrationFiles(dir: string) {
  const names = await readdir(dir);
  return names.filter((n) => n.endsWith('.sql')).sort();
}
export async function createTables(dir: string) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql'));
  const queries = await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const));
  const all = [['tenants.sql', 'CREATE TABLE tenants (id text)'] as const, ...queries.filter(([f]) => f !== 'tenants.sql')];
  const sorted = all.slice().sort();
  for (const [, sql] of sorted) await pool.query(sql);
  for (const file of await migrationFiles(dir)) await pool.query(await readFile(path.join(dir, file), 'utf8'));
}
`),
    },
    {
      name: "a loop over an enum's values, filtered, through a const: the enum fixes how many queries run",
      files: withDb(`import { pool } from './db';
export enum ConfigKey { Cookies = 'cookies', Keys = 'keys', Session = 'session' }
const seeded = Object.values(ConfigKey).filter((k) => k !== ConfigKey.Session);
export async function seed(existing: Set<string>) {
  const missing = seeded.filter((k) => !existing.has(k));
  for (const key of missing) await pool.query('INSERT INTO config(key) VALUES ($1)', [key]);
}
`),
    },
    {
      name: 'a class field only ever assigned an array literal (taggers built in the constructor)',
      files: withDb(`import { pool } from './db';
interface Tagger { tags(): Promise<string[]> }
class LanguageTagger implements Tagger {
  async tags() { return (await pool.query('SELECT lang FROM posts WHERE id = $1', [1])).rows; }
}
class EmbedTagger implements Tagger {
  async tags() { return (await pool.query('SELECT embed FROM posts WHERE id = $1', [1])).rows; }
}
export class TagService {
  private taggers: Tagger[];
  constructor() {
    this.taggers = [new LanguageTagger(), new EmbedTagger()];
  }
  evaluate() {
    return Promise.all(this.taggers.map((t) => t.tags()));
  }
}
`),
    },
    {
      name: 'a query under `case` of a switch on the element itself runs once for that name, not per element',
      files: withDb(`import { pool } from './db';
type Claim = 'email' | 'roles' | 'organizations';
export async function claimsData(userId: string, claims: Claim[]) {
  return Promise.all(
    claims.map(async (claim) => {
      switch (claim) {
        case 'roles':
          return [claim, (await pool.query('SELECT name FROM roles WHERE user_id = $1', [userId])).rows];
        case 'organizations': {
          return [claim, (await pool.query('SELECT id FROM orgs WHERE user_id = $1', [userId])).rows];
        }
        default:
          return [claim, null];
      }
    }),
  );
}
export async function flags(names: string[]) {
  for (const name of names) {
    if (name === 'beta') await pool.query('SELECT 1 FROM beta_users');
  }
}
`),
    },
    {
      name: 'keyset paging whose first page has no cursor: the page comes from either branch of a conditional',
      files: {
        'src/db.ts': KYSELY,
        'src/example.ts': `import { sql } from 'kysely';
import { db } from './db';
export async function eachActor(visit: (did: string) => Promise<void>) {
  const qb = db.selectFrom('actor').selectAll().limit(100);
  let cursor: { createdAt: string; did: string } | undefined;
  do {
    const actors = cursor ? await qb.where(sql\`("createdAt", "did")\`, '>', sql\`(\${cursor.createdAt}, \${cursor.did})\`).execute() : await qb.execute();
    for (const { did } of actors) await visit(did);
    cursor = actors.at(-1);
  } while (cursor);
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a loop over rows a project function returns from the database is data, not a listing',
      files: withDb(`import { readdir } from 'node:fs/promises';
import { pool } from './db';
async function pending() {
  return (await pool.query('SELECT id FROM jobs')).rows as Array<{ id: string }>;
}
export async function run(dir: string) {
  const files = await readdir(dir);
  for (const job of await pending()) await pool.query('UPDATE jobs SET files = $2 WHERE id = $1', [job.id, files.length]);
}
`),
      errors: [{ messageId: 'queryInLoop', line: 8 }],
    },
    {
      name: 'a switch on a property of the element is data: one query per matching row',
      files: withDb(`import { pool } from './db';
export async function targets(rows: Array<{ type: string; id: string }>) {
  for (const row of rows) {
    switch (row.type) {
      case 'user':
        await pool.query('SELECT * FROM users WHERE id = $1', [row.id]);
        break;
      default:
        break;
    }
  }
}
`),
      errors: [{ messageId: 'queryInLoop', line: 6 }],
    },
    {
      name: 'a class field that grows with push holds data',
      files: withDb(`import { pool } from './db';
export class Batch {
  private ids: string[] = ['a'];
  add(id: string) {
    this.ids.push(id);
  }
  load() {
    return Promise.all(this.ids.map((id) => pool.query('SELECT * FROM items WHERE id = $1', [id])));
  }
}
`),
      errors: [{ messageId: 'queryInLoop', line: 8 }],
    },
    {
      name: 'a tree walked up one row at a time through a conditional is still one query per node',
      files: withDb(`import { pool } from './db';
export async function ancestors(id: number, root?: number) {
  let parentId: number | undefined = id;
  while (parentId !== undefined) {
    const row: { parent_id?: number } = parentId === root ? (await pool.query('SELECT parent_id FROM nodes WHERE id = $1', [root])).rows[0] : (await pool.query('SELECT parent_id FROM nodes WHERE id = $1', [parentId])).rows[0];
    parentId = row.parent_id;
  }
}
`),
      errors: [{ messageId: 'queryInLoop', line: 5 }],
    },
  ],
});
