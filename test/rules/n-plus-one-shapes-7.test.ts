import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, seventh pass: logto, atproto's ozone), each written
 * from its shape, not copied. No node_modules: the packages are known from their imports only,
 * as in a fresh clone.
 */

const KYSELY = `import { Kysely, PostgresDialect } from 'kysely';\nexport const db = new Kysely<any>({ dialect: new PostgresDialect({} as any) });\n`;

/** A service that writes one staff member; the server's start-up calls it per configured member. */
const STAFF = `import { db } from './db';
export class StaffService {
  async upsert(member: { did: string; role: string; updatedBy: string }) {
    await db.insertInto('staff').values(member).onConflict((oc) => oc.column('did').doUpdateSet({ role: member.role })).execute();
  }
}
`;

/** The server object: `start()` seeds members and then listens; `seed` is the loop's function. */
const server = (seed: string, extraStart = '') => `import express from 'express';
import http from 'node:http';
import { StaffService } from './staff';
import { db } from './db';
export interface AppConfig { port: number; serviceDid: string; access: { admins: string[]; moderators: string[] } }
export class Service {
  private server?: http.Server;
  constructor(private readonly cfg: AppConfig, private readonly app = express()) {}
  ${seed}
  async start(): Promise<http.Server> {
    await this.seedStaff();${extraStart}
    const server = this.app.listen(this.cfg.port);
    this.server = server;
    return server;
  }
}
export const unused = db;
`;

const CONFIGURED_SEED = `async seedStaff() {
    const members: Array<{ role: string; did: string }> = [];
    this.cfg.access.admins.forEach((did) => members.push({ role: 'admin', did }));
    this.cfg.access.moderators.forEach((did) => members.push({ role: 'moderator', did }));
    for (const member of members) {
      const service = new StaffService();
      await service.upsert({ ...member, updatedBy: this.cfg.serviceDid });
    }
  }`;

const DB = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;

/** Identifiers a sign-in has verified, kept one per kind: a new one replaces the one of its kind. */
const IDENTIFIERS = `export type Identifier =
  | { key: 'accountId'; value: string }
  | { key: 'emailVerified'; value: string }
  | { key: 'phoneVerified'; value: string }
  | { key: 'social'; connectorId: string };
export const mergeIdentifiers = (next: Identifier, old?: Identifier[]) => {
  if (!old) return [next];
  const rest = old.filter((o) => next.key !== o.key);
  return [...rest, next];
};
`;

/** The same without the packages' types (a fresh clone): zod's inferred types are unknown. */
const ZOD_IDENTIFIERS = `import { z } from 'zod';
export const identifierGuard = z.discriminatedUnion('key', [
  z.object({ key: z.literal('accountId'), value: z.string() }),
  z.object({ key: z.literal('emailVerified'), value: z.string() }),
]);
export type Identifier = z.infer<typeof identifierGuard>;
export const signInGuard = z.object({ identifiers: z.array(identifierGuard).optional() });
export type SignIn = z.infer<typeof signInGuard>;
export function mergeIdentifiers(next: Identifier, old: Identifier[] = []): Identifier[] {
  return [...old.filter(function (o) { return o.key !== next.key; }), next];
}
`;

/** A loop over a list of identifiers that looks each kind up its own way. */
const LOOKUP_PER_KIND = `import { pool } from './db';
import type { Identifier } from './identifiers';
const byEmail = async (email: string) => (await pool.query('SELECT * FROM users WHERE email = $1', [email])).rows[0];
export async function currentUser(identifiers: Identifier[] = []) {
  const users = await Promise.all(
    identifiers.map(async (identifier) => {
      switch (identifier.key) {
        case 'emailVerified':
          return byEmail(identifier.value);
        case 'phoneVerified':
          return (await pool.query('SELECT * FROM users WHERE phone = $1', [identifier.value])).rows[0];
        case 'social':
          return (await pool.query('SELECT * FROM users WHERE social_id = $1', [identifier.connectorId])).rows[0];
        case 'accountId':
          return (await pool.query('SELECT * FROM users WHERE id = $1', [identifier.value])).rows[0];
      }
    }),
  );
  return users.find(Boolean);
}
const identify = async (identifier: Identifier): Promise<string | undefined> => {
  if (identifier.key === 'accountId') return identifier.value;
  if (identifier.key === 'social') return (await pool.query('SELECT id FROM users WHERE social_id = $1', [identifier.connectorId])).rows[0]?.id;
  return (await pool.query('SELECT id FROM users WHERE email = $1 OR phone = $1', [identifier.value])).rows[0]?.id;
};
export async function verifyAccount(identifiers: Identifier[]) {
  const ids = await Promise.all(identifiers.map(async (identifier) => identify(identifier)));
  return new Set(ids).size === 1;
}
`;

const files = (serverCode: string, extra: Record<string, string> = {}) => ({ 'src/index.ts': serverCode, 'src/staff.ts': STAFF, 'src/db.ts': KYSELY, ...extra });

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'start-up: a function only the server start calls writes each member the configuration lists (a list made before any await), once per boot',
      files: files(server(CONFIGURED_SEED)),
    },
    {
      name: 'start-up: the loop over the configured admins in the function that calls listen itself',
      files: files(`import express from 'express';
import { db } from './db';
export async function main(cfg: { port: number }) {
  const app = express();
  const admins = process.env.ADMINS ?? '';
  const dids = admins.split(',').filter(Boolean);
  for (const did of dids) {
    await db.insertInto('staff').values({ did, role: 'admin' }).onConflict((oc) => oc.column('did').doNothing()).execute();
  }
  app.listen(cfg.port);
}
`),
    },
    {
      name: 'one per kind: a list the project merges by replacing the element of the same kind, looked up per kind (switch here, or if on the parameter of the function it is handed to)',
      files: { 'src/example.ts': LOOKUP_PER_KIND, 'src/identifiers.ts': IDENTIFIERS, 'src/db.ts': DB },
    },
    {
      name: 'one per kind, without the packages\' types: zod-inferred identifiers, a replace-by-kind merge written as a function expression',
      files: {
        'src/identifiers.ts': ZOD_IDENTIFIERS,
        'src/db.ts': DB,
        'src/example.ts': `import { pool } from './db';
import type { SignIn } from './identifiers';
export async function currentUser({ identifiers }: Pick<SignIn, 'identifiers'>) {
  const users = await Promise.all(
    identifiers?.map(async (identifier) => {
      switch (identifier.key) {
        case 'emailVerified':
          return (await pool.query('SELECT * FROM users WHERE email = $1', [identifier.value])).rows[0];
        case 'accountId':
          return (await pool.query('SELECT * FROM users WHERE id = $1', [identifier.value])).rows[0];
      }
    }) ?? [],
  );
  return users.find(Boolean);
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'one per kind twin: a batch of changes switched on a tag the project never replaces by kind is data, one write per change',
      files: {
        'src/identifiers.ts': IDENTIFIERS,
        'src/db.ts': DB,
        'src/example.ts': `import { pool } from './db';
type Change = { key: 'created'; id: string } | { key: 'deleted'; id: string };
export async function apply(changes: Change[]) {
  for (const change of changes) {
    switch (change.key) {
      case 'created':
        await pool.query('INSERT INTO items (id) VALUES ($1)', [change.id]);
        break;
      case 'deleted':
        await pool.query('DELETE FROM items WHERE id = $1', [change.id]);
        break;
    }
  }
}
`,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/example.ts', line: 7 }],
    },
    {
      name: 'one per kind twin: without types, events switched on a property other than the one the project replaces by',
      files: {
        'src/identifiers.ts': ZOD_IDENTIFIERS,
        'src/db.ts': DB,
        'src/example.ts': `import { z } from 'zod';
import { pool } from './db';
const eventsGuard = z.array(z.object({ type: z.string(), id: z.string() }));
export async function apply(body: unknown) {
  const events = eventsGuard.parse(body);
  for (const event of events) {
    if (event.type === 'deleted') await pool.query('DELETE FROM items WHERE id = $1', [event.id]);
  }
}
`,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/example.ts', line: 7 }],
    },
    {
      name: 'one per kind twin: without types, settings rows picked by one value of the same property name (no dispatch over kinds) are data',
      files: {
        'src/identifiers.ts': ZOD_IDENTIFIERS,
        'src/db.ts': DB,
        'src/example.ts': `import { z } from 'zod';
import { pool } from './db';
const settingsGuard = z.array(z.object({ key: z.string(), value: z.string(), userId: z.string() }));
export async function migrate(body: unknown) {
  for (const setting of settingsGuard.parse(body)) {
    if (setting.key === 'theme') await pool.query('UPDATE users SET theme = $2 WHERE id = $1', [setting.userId, setting.value]);
  }
}
`,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/example.ts', line: 6 }],
    },
    {
      name: 'start-up twin: rows loaded at start-up (an await before the loop) are data, one write per row',
      files: files(
        server(`async seedStaff() {
    const members = await db.selectFrom('pending_staff').selectAll().execute();
    for (const member of members) {
      await new StaffService().upsert({ did: member.did, role: member.role, updatedBy: this.cfg.serviceDid });
    }
  }`),
      ),
      errors: [{ messageId: 'indirectQueryInLoop', file: 'src/index.ts', line: 12 }],
    },
    {
      name: 'start-up twin: the same seeding function also called from a request handler is not start-up code',
      files: files(server(CONFIGURED_SEED, `\n    this.app.post('/staff/sync', async (_req, res) => { await this.seedStaff(); res.end(); });`)),
      errors: [{ messageId: 'indirectQueryInLoop', file: 'src/index.ts', line: 15 }],
    },
  ],
});
