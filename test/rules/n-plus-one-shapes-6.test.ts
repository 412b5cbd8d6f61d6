import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, fifth pass: documenso with Prisma), each written
 * from its shape, not copied. No node_modules: the packages are known from their imports only,
 * as in a fresh clone.
 */

const DB = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;

/** A task provider contract: the client registers task kinds on it, then triggers them by name. */
const TASK_BASE = `export type TaskKind = { id: string; name: string; every?: string; run: (input: unknown) => Promise<void> };
export class TaskProvider {
  register(_kind: TaskKind): void {
    throw new Error('not implemented');
  }
  async trigger(_name: string, _input: unknown): Promise<void> {
    throw new Error('not implemented');
  }
}
`;

/**
 * A provider whose private registries (a record by id, a list of scheduled kinds) are filled only
 * by `register(kind)`: one entry per kind the code defines, so its loops run once per task kind.
 */
const MEMORY_PROVIDER = `import { pool } from './db';
import { TaskProvider, type TaskKind } from './base';
type Scheduled = { kind: TaskKind; every: string; lastRunAt: Date };
export class MemoryProvider extends TaskProvider {
  private kinds: Record<string, TaskKind> = {};
  private scheduled: Scheduled[] = [];
  override register(kind: TaskKind) {
    this.kinds[kind.id] = { ...kind, name: kind.name ?? kind.id };
    if (kind.every && !this.scheduled.some((s) => s.kind.id === kind.id)) {
      this.scheduled.push({ kind: { ...kind }, every: kind.every, lastRunAt: new Date() });
    }
  }
  async tick() {
    for (const entry of this.scheduled) {
      entry.lastRunAt = new Date();
      await pool.query('INSERT INTO task_runs (task_id) VALUES ($1)', [entry.kind.id]);
    }
  }
  override async trigger(name: string, input: unknown) {
    const matching = Object.values(this.kinds).filter((k) => k.name === name);
    await Promise.all(matching.map(async (k) => pool.query('INSERT INTO task_runs (task_id, input) VALUES ($1, $2)', [k.id, input])));
  }
}
`;

/** The client: handed the task kinds, registers each on the provider it picks. */
const TASK_CLIENT = `import { TaskProvider, type TaskKind } from './base';
import { MemoryProvider } from './memory';
export class TaskClient {
  private provider: TaskProvider;
  constructor(kinds: readonly TaskKind[]) {
    this.provider = new MemoryProvider();
    kinds.forEach((kind) => {
      this.provider.register(kind);
    });
  }
  trigger(name: string, input: unknown) {
    return this.provider.trigger(name, input);
  }
}
`;

const TASK_KINDS = `import type { TaskKind } from './base';
const MAIL_ID = 'mail.send';
export const SEND_MAIL_TASK = {
  id: MAIL_ID,
  name: MAIL_ID,
  run: async (input: unknown) => {
    console.log(input);
  },
} as const satisfies TaskKind;
export const SWEEP_TASK = { id: 'sweep', name: 'sweep', every: '*/5 * * * *', run: async () => {} } satisfies TaskKind;
`;

/** A plugin host whose `#private` Map is filled only by `use(plugin)`. */
const PLUGIN_HOST = `import { pool } from './db';
type Plugin = { name: string; table: string };
export class PluginHost {
  #plugins = new Map<string, Plugin>();
  use(plugin: Plugin) {
    const table = plugin.table || 'plugin_events';
    this.#plugins.set(plugin.name, { ...plugin, table });
  }
  async record(event: string) {
    for (const p of this.#plugins.values()) await pool.query('INSERT INTO plugin_events (plugin, event) VALUES ($1, $2)', [p.name, event]);
  }
}
`;

/** A loader whose loop walks a list its callers hand it. */
const REGION_LOADER = `import { pool } from './db';
export class RegionLoader {
  async load(data: { regions: string[] }) {
    for (const r of data.regions) await pool.query('INSERT INTO regions (code) VALUES ($1)', [r]);
  }
}
`;

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'loops over a private registry filled only with the task kinds a code-written list hands to its register method (through the base class)',
      files: {
        'src/db.ts': DB,
        'src/base.ts': TASK_BASE,
        'src/memory.ts': MEMORY_PROVIDER,
        'src/client.ts': TASK_CLIENT,
        'src/kinds.ts': TASK_KINDS,
        'src/index.ts': `import { TaskClient } from './client';
import { SEND_MAIL_TASK, SWEEP_TASK } from './kinds';
export const tasks = new TaskClient([SEND_MAIL_TASK, SWEEP_TASK]);
`,
      },
    },
    {
      name: 'a `#private` Map of plugins filled by `use(plugin)` calls made at module level with constants and literals, walked with `.values()`',
      files: {
        'src/db.ts': DB,
        'src/plugins.ts': PLUGIN_HOST,
        'src/index.ts': `import { PluginHost } from './plugins';
const AUDIT = { name: 'audit', table: 'audit_events' };
export const host = new PluginHost();
host.use(AUDIT);
host.use({ name: 'metrics', table: 'metric_events' });
`,
      },
    },
    {
      name: 'a loader method whose only caller hands it regions written in the code',
      files: {
        'src/db.ts': DB,
        'src/regions.ts': REGION_LOADER,
        'src/dev.ts': `import { RegionLoader } from './regions';
export async function dev(loader: RegionLoader) {
  await loader.load({ regions: ['eu', 'us'] });
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'the same registries when the client is also handed the rows of a query',
      files: {
        'src/db.ts': DB,
        'src/base.ts': TASK_BASE,
        'src/memory.ts': MEMORY_PROVIDER,
        'src/client.ts': TASK_CLIENT,
        'src/kinds.ts': TASK_KINDS,
        'src/index.ts': `import { pool } from './db';
import { TaskClient } from './client';
import { SEND_MAIL_TASK } from './kinds';
export const tasks = new TaskClient([SEND_MAIL_TASK]);
export async function restore() {
  const { rows } = await pool.query('SELECT id, name FROM saved_tasks');
  return new TaskClient(rows.map((r) => ({ id: r.id, name: r.name, run: async () => {} })));
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/memory.ts', line: 16, messageIncludes: ['element of `this.scheduled` (for…of loop)'] },
        { messageId: 'queryInLoop', file: 'src/memory.ts', line: 21, messageIncludes: ['element of `matching`'] },
      ],
    },
    {
      name: 'the same registries when a request handler registers a kind built from its body',
      files: {
        'src/db.ts': DB,
        'src/base.ts': TASK_BASE,
        'src/memory.ts': MEMORY_PROVIDER,
        'src/client.ts': TASK_CLIENT,
        'src/kinds.ts': TASK_KINDS,
        'src/index.ts': `import { TaskClient } from './client';
import { MemoryProvider } from './memory';
import { SEND_MAIL_TASK } from './kinds';
export const tasks = new TaskClient([SEND_MAIL_TASK]);
export function registerFromRequest(provider: MemoryProvider, body: { id: string; name: string }) {
  provider.register({ id: body.id, name: body.name, run: async () => {} });
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/memory.ts', line: 16 },
        { messageId: 'queryInLoop', file: 'src/memory.ts', line: 21 },
      ],
    },
    {
      name: 'the same plugin host when a request handler hands `use` the body it was sent',
      files: {
        'src/db.ts': DB,
        'src/plugins.ts': PLUGIN_HOST,
        'src/index.ts': `import { PluginHost } from './plugins';
export const host = new PluginHost();
host.use({ name: 'metrics', table: 'metric_events' });
export function install(req: { body: { name: string; table: string } }) {
  host.use(req.body);
}
`,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/plugins.ts', line: 10, messageIncludes: ['element of `this.#plugins.values()`'] }],
    },
    {
      name: 'the same loader when another call of a method of that name has a receiver the checker cannot type (callers not all known)',
      files: {
        'src/db.ts': DB,
        'src/regions.ts': REGION_LOADER,
        'src/dev.ts': `import { RegionLoader } from './regions';
export async function dev(loader: RegionLoader) {
  await loader.load({ regions: ['eu', 'us'] });
}
`,
        'src/cli.ts': `export async function run(app: any, file: string) {
  const loader = app.get('RegionLoader');
  await loader.load(require(file));
}
`,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/regions.ts', line: 4 }],
    },
    {
      name: 'a private buffer appended to with constants on every call, with no check of what is there: it grows per call, not per kind',
      files: {
        'src/db.ts': DB,
        'src/audit.ts': `import { pool } from './db';
type AuditEvent = { kind: string; level: number };
export const LOGIN_EVENT = { kind: 'login', level: 1 };
export class AuditBuffer {
  private pending: AuditEvent[] = [];
  private byTime = new Map<string, AuditEvent>();
  record(event: AuditEvent) {
    this.pending.push({ ...event });
  }
  stamp(event: AuditEvent) {
    this.byTime.set(String(new Date()), event);
  }
  async flush() {
    for (const e of this.pending) await pool.query('INSERT INTO audit (kind, level) VALUES ($1, $2)', [e.kind, e.level]);
    for (const e of this.byTime.values()) await pool.query('INSERT INTO audit (kind, level) VALUES ($1, $2)', [e.kind, e.level]);
  }
}
export const audit = new AuditBuffer();
export function onLogin() {
  audit.record(LOGIN_EVENT);
  audit.stamp(LOGIN_EVENT);
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/audit.ts', line: 14 },
        { messageId: 'queryInLoop', file: 'src/audit.ts', line: 15 },
      ],
    },
    {
      name: 'a private registry its own method fills with the rows of a query, or with a key from the data',
      files: {
        'src/db.ts': DB,
        'src/listeners.ts': `import { pool } from './db';
type Listener = { id: string; url: string };
export class Listeners {
  private byId: Record<string, Listener> = {};
  private list: Listener[] = [];
  register(listener: Listener) {
    this.byId[listener.id] = listener;
  }
  async reload() {
    const { rows } = await pool.query<Listener>('SELECT id, url FROM listeners');
    this.list.push(...rows);
  }
  async notify(event: string) {
    for (const l of this.list) await pool.query('INSERT INTO deliveries (listener_id, event) VALUES ($1, $2)', [l.id, event]);
    for (const l of Object.values(this.byId)) await pool.query('INSERT INTO deliveries (listener_id, event) VALUES ($1, $2)', [l.id, event]);
  }
}
export const listeners = new Listeners();
export function subscribe(body: Listener) {
  listeners.register(body);
}
`,
      },
      errors: [
        { messageId: 'queryInLoop', file: 'src/listeners.ts', line: 14 },
        { messageId: 'queryInLoop', file: 'src/listeners.ts', line: 15 },
      ],
    },
  ],
});
