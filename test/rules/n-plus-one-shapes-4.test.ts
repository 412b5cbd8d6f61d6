import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, fourth pass: openpanel, atproto), each written from
 * its shape, not copied. No node_modules: the packages are known from their imports and
 * package.json only, as in a fresh clone.
 */

const SQLITE_DB = `import SqliteDB from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
export class Database {
  constructor(public db: Kysely<any>) {}
  static sqlite(location: string): Database {
    return new Database(new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDB(location) }) }));
  }
}
`;
const RECORDS = `import { Database } from './db';
export class RecordReader {
  constructor(private readonly store: Database) {}
  async getRecord(uri: string) {
    return this.store.db.selectFrom('record').selectAll().where('uri', '=', uri).executeTakeFirst();
  }
}
`;
const LOOP = `import { Database } from './db';
import { RecordReader } from './records';
export async function check(store: Database, uris: string[]) {
  const reader = new RecordReader(store);
  for (const uri of uris) {
    await store.db.deleteFrom('record').where('uri', '=', uri).execute();
    await reader.getRecord(uri);
  }
}
`;

const PG = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;
const KYSELY = `import { Kysely, PostgresDialect } from 'kysely';\nexport const db = new Kysely<any>({ dialect: new PostgresDialect({} as any) });\n`;
const OUTBOX = (lock: string) => `import { db } from './db';
declare function notify(target: string): Promise<boolean>;
export class Pusher {
  async attempt(id: number) {
    await db.transaction().execute(async (trx) => {
      const evt = await trx.selectFrom('push_event').selectAll()${lock}.where('id', '=', id).executeTakeFirst();
      if (!evt) return;
      const ok = await notify(evt.target);
      await trx.updateTable('push_event').set({ confirmed: ok }).where('id', '=', id).execute();
    });
  }
  async pushAll() {
    const pending = await db.selectFrom('push_event').select('id').where('confirmed', '=', false).execute();
    await Promise.all(pending.map((evt) => this.attempt(evt.id)));
  }
}
`;

const LABELS = (guard: string, exit: string) => `import { db } from './db';
declare function sign(view: object, key: string): Promise<{ sig: Uint8Array }>;
type LabelRow = { id: number; uri: string; sig: Uint8Array | null; keyId: string | null };
export class LabelViews {
  constructor(private readonly keyId: string) {}
  async formatAndEnsureSig(row: LabelRow) {
    const view = { uri: row.uri };
    if (${guard}) ${exit}
    const signed = await sign(view, this.keyId);
    await db.updateTable('label').set({ sig: signed.sig, keyId: this.keyId }).where('id', '=', row.id).execute();
    return { ...view, sig: signed.sig };
  }
  async labels(uris: string[]) {
    const rows = await db.selectFrom('label').selectAll().where('uri', 'in', uris).execute();
    return Promise.all(rows.map((row) => this.formatAndEnsureSig(row)));
  }
}
`;

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'a lazy backfill with Prisma (`if (user.avatarUrl) return user.avatarUrl`, then `update({ data: { avatarUrl } })`)',
      files: {
        'src/example.ts': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
declare function resolveAvatar(email: string): Promise<string>;
type User = { id: number; email: string; avatarUrl: string | null };
async function avatarOf(user: User) {
  if (user.avatarUrl) return user.avatarUrl;
  const avatarUrl = await resolveAvatar(user.email);
  await prisma.user.update({ where: { id: user.id }, data: { avatarUrl } });
  return avatarUrl;
}
export async function avatars(users: User[]) {
  return Promise.all(users.map((u) => avatarOf(u)));
}
`,
      },
    },
    {
      name: 'a view of each row that stores on the row what it found missing (a lazy backfill: `if (row.sig && …) return view`, then `set({ sig, keyId })`) writes once per row, ever',
      files: { 'src/example.ts': LABELS('row.sig && row.keyId === this.keyId', 'return { ...view, sig: row.sig };'), 'src/db.ts': KYSELY },
    },
    {
      name: "the entries of a grouping (a Map of lists), each update filtering on its group's ids: one statement per group",
      files: {
        'src/example.ts': `import { db } from './db';
export async function route(reports: Array<{ id: number; queueId: number; moved: boolean }>) {
  const byQueue = new Map<number, typeof reports>();
  for (const r of reports) byQueue.set(r.queueId, [...(byQueue.get(r.queueId) ?? []), r]);
  for (const [queueId, group] of byQueue) {
    const movedIds = group.filter((r) => r.moved).map((r) => r.id);
    if (movedIds.length) await db.updateTable('report').set({ queueId }).where('id', 'in', movedIds).execute();
  }
}
`,
        'src/db.ts': KYSELY,
      },
    },
    {
      name: 'a walk over a time range, a day or a window per iteration (for over a Date, while with a cursor date and a progress update through a helper)',
      files: {
        'src/example.ts': `import { pool } from './db';
async function saveProgress(jobId: string, day: string) {
  await pool.query('UPDATE jobs SET last_day = $2 WHERE id = $1', [jobId, day]);
}
export async function refresh(from: string, to: string) {
  const end = new Date(to);
  for (let d = new Date(from); d <= end; d.setUTCDate(d.getUTCDate() + 1)) {
    await pool.query('INSERT INTO daily_stats SELECT $1::date, count(*) FROM events WHERE created_at::date = $1', [d]);
  }
}
export async function backfill(jobId: string, start: Date, endDate: Date) {
  let chunkEnd = new Date(endDate);
  while (chunkEnd > start) {
    const chunkStart = new Date(chunkEnd);
    chunkStart.setDate(chunkStart.getDate() - 13);
    await saveProgress(jobId, chunkStart.toISOString());
    chunkEnd = new Date(chunkStart);
    chunkEnd.setDate(chunkEnd.getDate() - 1);
  }
}
`,
        'src/db.ts': PG,
      },
    },
    {
      name: 'a work queue: each job claimed with FOR UPDATE SKIP LOCKED in its own transaction (through a method, Kysely), the other workers skip it',
      files: { 'src/example.ts': OUTBOX('.forUpdate().skipLocked()'), 'src/db.ts': KYSELY },
    },
    {
      name: 'a work queue drained in the loop itself, with SQL text: the claim and the confirmation are one job each',
      files: {
        'src/example.ts': `import { pool } from './db';
export async function drain(ids: number[]) {
  for (const id of ids) {
    const { rows } = await pool.query('SELECT * FROM jobs WHERE id = $1 FOR UPDATE SKIP LOCKED', [id]);
    if (rows.length === 0) continue;
    await pool.query('UPDATE jobs SET done = true WHERE id = $1', [id]);
  }
}
`,
        'src/db.ts': PG,
      },
    },
    {
      name: 'a package that runs on SQLite (better-sqlite3 and no server driver): a query is a call inside the process, not a round trip',
      files: {
        'package.json': JSON.stringify({ name: 'store', dependencies: { kysely: '^0.27.0', 'better-sqlite3': '^11.0.0' }, devDependencies: { pg: '^8.16.0' } }),
        'src/db.ts': SQLITE_DB,
        'src/records.ts': RECORDS,
        'src/example.ts': LOOP,
      },
    },
  ],
  invalid: [
    {
      name: "Prisma's `update({ where, data })` writes the fields under `data`, not fields named `where` or `data`: a guard on `job.data` is no backfill",
      files: {
        'src/example.ts': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
type Job = { id: number; data: string | null };
async function touch(job: Job) {
  if (job.data) return job.data;
  await prisma.job.update({ where: { id: job.id }, data: { status: 'seen' } });
  return null;
}
export async function touchAll(jobs: Job[]) {
  for (const job of jobs) await touch(job);
}
`,
      },
      errors: [{ messageId: 'indirectQueryInLoop', line: 10 }],
    },
    {
      name: 'a guard with a bare return before a per-row update is an idempotency check on a write the loop asks for: reported',
      files: { 'src/example.ts': LABELS('row.sig && row.keyId === this.keyId', 'return;'), 'src/db.ts': KYSELY },
      errors: [{ messageId: 'indirectQueryInLoop', line: 15 }],
    },
    {
      name: 'a guard on a field the update does not write says nothing about backfilling: reported',
      files: { 'src/example.ts': LABELS('row.uri.startsWith("x")', 'return { ...view, sig: row.sig };'), 'src/db.ts': KYSELY },
      errors: [{ messageId: 'indirectQueryInLoop', line: 15 }],
    },
    {
      name: "the entries of a map of rows, each query filtering on a list the row holds, are still one query per row",
      files: {
        'src/example.ts': `import { db } from './db';
export async function load(users: Map<number, { postIds: number[] }>) {
  for (const [, user] of users) {
    await db.selectFrom('post').selectAll().where('id', 'in', user.postIds).execute();
  }
}
`,
        'src/db.ts': KYSELY,
      },
      errors: [{ messageId: 'queryInLoop', line: 4 }],
    },
    {
      name: 'a time range walked for each project of a list is reported on the loop over the projects',
      files: {
        'src/example.ts': `import { pool } from './db';
export async function refreshAll(projects: Array<{ id: string }>, from: Date, to: Date) {
  for (const project of projects) {
    for (let d = new Date(from); d <= to; d.setUTCDate(d.getUTCDate() + 1)) {
      await pool.query('SELECT count(*) FROM events WHERE project_id = $1 AND created_at::date = $2', [project.id, d]);
    }
  }
}
`,
        'src/db.ts': PG,
      },
      errors: [{ messageId: 'queryInLoop', line: 5, messageIncludes: ['`projects`'] }],
    },
    {
      name: 'the same per-element transaction that locks its row without SKIP LOCKED is reported (nothing says it is a job queue)',
      files: { 'src/example.ts': OUTBOX('.forUpdate()'), 'src/db.ts': KYSELY },
      errors: [{ messageId: 'indirectQueryInLoop', line: 14 }],
    },
    {
      name: 'the same code in a package that also depends on a PostgreSQL driver is reported (which database runs is not decided)',
      files: {
        'package.json': JSON.stringify({ name: 'store', dependencies: { kysely: '^0.27.0', 'better-sqlite3': '^11.0.0', pg: '^8.16.0' } }),
        'src/db.ts': SQLITE_DB,
        'src/records.ts': RECORDS,
        'src/example.ts': LOOP,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/example.ts', line: 6 }],
    },
    {
      name: 'SQLite only in devDependencies (the tests) says nothing about where production queries go',
      files: {
        'package.json': JSON.stringify({ name: 'store', dependencies: { kysely: '^0.27.0' }, devDependencies: { 'better-sqlite3': '^11.0.0' } }),
        'src/db.ts': SQLITE_DB,
        'src/records.ts': RECORDS,
        'src/example.ts': LOOP,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/example.ts', line: 6 }],
    },
  ],
});
