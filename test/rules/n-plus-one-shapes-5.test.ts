import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, fourth pass: logto with Slonik, outline with
 * Sequelize), each written from its shape, not copied. No node_modules: the packages are known
 * from their imports only, as in a fresh clone.
 */

const DB = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;

/** A renderer whose lookup runs only when the caller asks for signed links (`options?.signedUrls && options?.teamId`). */
const RENDERER = `import { pool } from './db';
export class Renderer {
  static async render(body: string, options?: { withTitle?: boolean; signedUrls?: number; teamId?: string }) {
    let text = body;
    if (text && options?.signedUrls && options?.teamId) {
      const { rows } = await pool.query('SELECT id, key FROM files WHERE team_id = $1', [options.teamId]);
      text = text + rows.length;
    }
    return options?.withTitle ? '# ' + text : text;
  }
}
`;

/** A presenter that asks for signed links only under its own `isPublic` option. */
const PRESENTER = `import { Renderer } from './renderer';
type Options = { isPublic?: boolean; shareId?: string; withBody?: boolean };
export async function presentBoard(board: { id: string; body: string; teamId: string }, options: Options = {}) {
  return {
    id: board.id,
    body: options.withBody === false ? undefined : await Renderer.render(board.body, options.isPublic ? { signedUrls: 3600, teamId: board.teamId } : undefined),
  };
}
`;

/** A converter whose lookup runs under the option, with a fallback computed in memory in the `else`. */
const CONVERTER = `import { pool } from './db';
export class Converter {
  static async toData(text: string, options?: { signedUrls?: number; teamId?: string }) {
    let data: unknown;
    if (text && options?.signedUrls && options?.teamId) {
      const { rows } = await pool.query('SELECT id FROM files WHERE team_id = $1', [options.teamId]);
      data = { text, rows };
    } else {
      data = JSON.parse(JSON.stringify({ text }));
    }
    return data;
  }
  static async save(text: string, options?: { upsert?: boolean }) {
    if (options?.upsert) {
      await pool.query('INSERT INTO texts VALUES ($1) ON CONFLICT DO NOTHING', [text]);
    } else {
      await pool.query('INSERT INTO texts VALUES ($1)', [text]);
    }
  }
}
`;

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'a query under an option whose `else` only computes a fallback in memory, reached from loops that never pass the option',
      files: {
        'src/db.ts': DB,
        'src/converter.ts': CONVERTER,
        'src/routes.ts': `import { Converter } from './converter';
export async function presentCollection(c: { id: string; text: string; teamId: string }, options: { isPublic?: boolean } = {}) {
  return { id: c.id, data: await Converter.toData(c.text, options.isPublic ? { signedUrls: 3600, teamId: c.teamId } : undefined) };
}
export async function list(collections: Array<{ id: string; text: string; teamId: string }>) {
  return Promise.all(collections.map((c) => presentCollection(c)));
}
`,
      },
    },
    {
      name: 'a backfill counting down the days given on the command line (or a default constant): one set-based statement per day',
      files: {
        'src/db.ts': DB,
        'src/backfill.ts': `import { pool } from './db';
const DEFAULT_DAYS = 14;
const days = parseInt(process.argv[2], 10);
const backfillDays = Number.isNaN(days) ? DEFAULT_DAYS : days;
const window = Math.max(Number(process.env.WINDOW ?? '7'), 1);
async function backfillDay(date: string) {
  await pool.query('INSERT INTO insights SELECT document_id, $1::date, count(*) FROM events WHERE created_at::date = $1::date GROUP BY document_id', [date]);
}
export async function main() {
  for (let offset = backfillDays; offset >= 1; offset--) {
    await backfillDay(new Date(Date.now() - offset * 86400000).toISOString().slice(0, 10));
  }
  for (let d = 0; d < window; d++) await backfillDay(String(d));
}
`,
      },
    },
    {
      name: 'helpers whose lists come, at every call, from data written in the code: a seed\'s fixed scopes, a rest parameter given arguments, the files of a folder',
      files: {
        'src/db.ts': DB,
        'src/seeds.ts': `export const baseApi = Object.freeze({
  resource: { id: 'api', name: 'API' },
  scopes: [{ id: 'all', name: 'all' }],
});
const scope = (name: string) => ({ id: name, name });
export const makeApi = (tenant: string) => ({ resource: { id: tenant, name: tenant }, scopes: [scope('read'), scope('write')] });
export const makeCloud = (): Readonly<[{ resource: { id: string; name: string }; scopes: Array<{ id: string; name: string }> }, ...Array<{ id: string; name: string }>]> =>
  Object.freeze([{ resource: { id: 'cloud', name: 'Cloud' }, scopes: [scope('tenant')] }, scope('mail'), scope('sms')] as const);
`,
        'src/provision.ts': `import { pool } from './db';
type Scope = { id: string; name: string };
export const seedApi = async (data: { resource: { id: string; name: string }; scopes: Scope[] }, ...extra: Scope[]) => {
  const { resource, scopes } = data;
  await pool.query('INSERT INTO resources VALUES ($1, $2)', [resource.id, resource.name]);
  await Promise.all([...scopes, ...extra].map((s) => pool.query('INSERT INTO scopes VALUES ($1, $2)', [s.id, s.name])));
};
export const grant = async (role: string, ...scopeIds: string[]) => {
  await Promise.all(scopeIds.map((id) => pool.query('INSERT INTO roles_scopes VALUES ($1, $2)', [role, id])));
};
`,
        'src/run.ts': `import { pool } from './db';
import { baseApi, makeApi, makeCloud } from './seeds';
import { seedApi, grant } from './provision';
export async function seedAll() {
  await seedApi(baseApi);
  await seedApi(makeApi('admin'));
  const [cloud, ...cloudScopes] = makeCloud();
  await seedApi(cloud, ...cloudScopes);
  await grant('m2m', ...cloudScopes.filter((s) => s.name !== 'sms').map(({ id }) => id));
  await grant('viewer', 'read', 'list');
}
`,
        'src/migrate.ts': `import { readdir } from 'node:fs/promises';
import { pool } from './db';
type Step = { file: string; version: number };
const listSteps = async (): Promise<Step[]> => {
  const files = await readdir('./steps');
  if (files.length === 0) return [];
  return files.filter((f) => f.endsWith('.js')).sort().map((file) => ({ file, version: parseInt(file, 10) }));
};
const pending = async (current: number) => (await listSteps()).filter((s) => s.version > current);
const chooseUpTo = (steps: readonly Step[], target?: number) => (target === undefined ? steps.slice() : steps.filter((s) => s.version <= target));
const apply = async (step: Step) => {
  await pool.query('UPDATE meta SET version = $1', [step.version]);
};
const revert = async (steps: Step[]) => {
  for (const step of steps.slice().reverse()) await apply(step);
};
export async function migrate(action: string, target?: number) {
  const { rows } = await pool.query('SELECT version FROM meta');
  const steps = chooseUpTo(await pending(rows[0].version), target);
  if (action === 'up') {
    for (const step of steps) await apply(step);
  } else {
    await revert(steps);
  }
}
`,
      },
    },
    {
      name: 'a query under `options?.a && options?.b` several calls deep, reached from loops whose calls never pass the option',
      files: {
        'src/db.ts': DB,
        'src/renderer.ts': RENDERER,
        'src/presenter.ts': PRESENTER,
        'src/routes.ts': `import { Renderer } from './renderer';
import { presentBoard } from './presenter';
export async function presentNote(note: { id: string; body: string }) {
  return { id: note.id, text: await Renderer.render(note.body, { withTitle: false }) };
}
export async function listNotes(notes: Array<{ id: string; body: string }>) {
  return Promise.all(notes.map((n) => presentNote(n)));
}
export async function listBoards(boards: Array<{ id: string; body: string; teamId: string }>) {
  const out = [];
  for (const b of boards) out.push(await presentBoard(b));
  return Promise.all([out, ...boards.map((b) => presentBoard(b, { withBody: true }))]);
}
export async function renderAll(bodies: string[]) {
  return Promise.all(bodies.map((b) => Renderer.render(b, undefined)));
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a query function destructured from a factory-built library (`const { users: { findUserById } } = queries`) is followed',
      files: {
        'src/db.ts': DB,
        'src/queries.ts': `import { pool } from './db';
export const createUserQueries = () => {
  const findUserById = async (id: string) => (await pool.query('SELECT * FROM users WHERE id = $1', [id])).rows[0];
  const countUsers = async () => (await pool.query('SELECT count(*) FROM users')).rows[0];
  return { findUserById, count: countUsers };
};
export class Queries {
  users = createUserQueries();
}
`,
        'src/routes.ts': `import { Queries } from './queries';
export async function check(queries: Queries, ids: string[]) {
  const { users: { findUserById } } = queries;
  await Promise.all(ids.map(async (id) => findUserById(id)));
  const { count } = queries.users;
  for (const id of ids) console.log(id, await count());
}
`,
      },
      errors: [
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 4 },
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 6 },
      ],
    },
    {
      name: 'the same converter from a loop that asks for signed links, and an option whose `else` is the other variant of the same write',
      files: {
        'src/db.ts': DB,
        'src/converter.ts': CONVERTER,
        'src/routes.ts': `import { Converter } from './converter';
export async function presentCollection(c: { id: string; text: string; teamId: string }, options: { isPublic?: boolean } = {}) {
  return { id: c.id, data: await Converter.toData(c.text, options.isPublic ? { signedUrls: 3600, teamId: c.teamId } : undefined) };
}
export async function listShared(collections: Array<{ id: string; text: string; teamId: string }>) {
  return Promise.all(collections.map((c) => presentCollection(c, { isPublic: true })));
}
export async function saveAll(texts: string[]) {
  for (const t of texts) await Converter.save(t);
}
`,
      },
      errors: [
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 6 },
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 9 },
      ],
    },
    {
      name: 'a query after `if (!row.parentId) return` on a row handed in (not an options parameter) still runs per row',
      files: {
        'src/db.ts': DB,
        'src/memberships.ts': `import { pool } from './db';
export class Membership {
  id = '';
  userId = '';
  documentId?: string;
}
export async function recreate(model: Membership, options: { documentId?: string }) {
  if (!model.documentId) return;
  await pool.query('SELECT id FROM documents WHERE id = $1', [options.documentId ?? model.documentId]);
}
export async function recalculate(memberships: Membership[]) {
  await Promise.all(memberships.map((m) => recreate(m, {})));
}
`,
      },
      errors: [{ messageId: 'indirectQueryInLoop', file: 'src/memberships.ts', line: 12 }],
    },
    {
      name: 'a countdown from a number the request or the data gives is still one query per step',
      files: {
        'src/db.ts': DB,
        'src/backfill.ts': `import { pool } from './db';
async function backfillDay(date: string) {
  await pool.query('SELECT 1 FROM events WHERE day = $1', [date]);
}
export async function handler(query: { days: string }) {
  const days = Number(query.days);
  for (let offset = days; offset >= 1; offset--) await backfillDay(String(offset));
  const { rows } = await pool.query('SELECT id FROM users');
  const total = rows.length;
  for (let i = total; i > 0; i--) await backfillDay(String(i));
}
`,
      },
      errors: [
        { messageId: 'indirectQueryInLoop', file: 'src/backfill.ts', line: 7 },
        { messageId: 'indirectQueryInLoop', file: 'src/backfill.ts', line: 10 },
      ],
    },
    {
      name: 'the same helpers when one call hands them a list from the data (rows of a query, a spread of them)',
      files: {
        'src/db.ts': DB,
        'src/provision.ts': `import { pool } from './db';
type Scope = { id: string; name: string };
export const seedApi = async (data: { resource: { id: string }; scopes: Scope[] }) => {
  const { scopes } = data;
  await Promise.all(scopes.map((s) => pool.query('INSERT INTO scopes VALUES ($1, $2)', [s.id, s.name])));
};
export const grant = async (role: string, ...scopeIds: string[]) => {
  await Promise.all(scopeIds.map((id) => pool.query('INSERT INTO roles_scopes VALUES ($1, $2)', [role, id])));
};
export const apply = async (steps: string[]) => {
  for (const step of steps) await pool.query('UPDATE meta SET step = $1', [step]);
};
`,
        'src/run.ts': `import { pool } from './db';
import { seedApi, grant, apply } from './provision';
export async function copy(tenant: string) {
  const { rows } = await pool.query<{ id: string; name: string }>('SELECT id, name FROM scopes WHERE tenant = $1', [tenant]);
  await seedApi({ resource: { id: tenant }, scopes: [{ id: 'all', name: 'all' }] });
  await seedApi({ resource: { id: tenant }, scopes: rows });
  await grant('viewer', 'read');
  await grant('copy', ...rows.map((r) => r.id));
  await apply(['a', 'b']);
}
export const handlers = { apply };
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/provision.ts', line: 5 },
        { messageId: 'queryInLoop', file: 'src/provision.ts', line: 8 },
        { messageId: 'queryInLoop', file: 'src/provision.ts', line: 11 },
      ],
    },
    {
      name: 'the same query reached from loops whose calls do pass the option, directly or through the presenter\'s own option',
      files: {
        'src/db.ts': DB,
        'src/renderer.ts': RENDERER,
        'src/presenter.ts': PRESENTER,
        'src/routes.ts': `import { Renderer } from './renderer';
import { presentBoard } from './presenter';
export async function listShared(boards: Array<{ id: string; body: string; teamId: string }>) {
  return Promise.all(boards.map((b) => presentBoard(b, { isPublic: true })));
}
export async function signAll(notes: Array<{ body: string; teamId: string }>) {
  return Promise.all(notes.map((n) => Renderer.render(n.body, { signedUrls: 60, teamId: n.teamId })));
}
export async function forward(notes: Array<{ body: string }>, hours: number, teamId: string) {
  for (const n of notes) await Renderer.render(n.body, hours > 0 ? { signedUrls: hours * 3600, teamId } : undefined);
}
`,
      },
      errors: [
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 4 },
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 7 },
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 10 },
      ],
    },
  ],
});
