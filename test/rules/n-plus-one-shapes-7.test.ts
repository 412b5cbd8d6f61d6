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
  ],
  invalid: [
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
