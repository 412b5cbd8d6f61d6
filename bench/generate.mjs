// Generates the benchmark workspace: an Express-style API of N route modules over `pg`, with
// the `pg` and `express` APIs declared locally (`declare module`), so that `tsc --noEmit` and
// Shipshape see the same complete program without node_modules.
//
// Layout (N = 1,500 by default):
//   src/db.ts                       the pool
//   src/repositories/repoNN.ts      50 repositories (functions over the pool)
//   src/services/svcNN.ts           100 service classes (constructor-injected pool, call repositories)
//   src/routes/routeNNNN.ts         N route modules: handlers with loops — some N+1 (direct, through
//                                   repositories, through service methods), some batched, some pure
//   types/pg.d.ts, types/express.d.ts
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPOS = 50;
const SERVICES = 100;

export function generate(root, routes = 1500) {
  fs.rmSync(root, { recursive: true, force: true });
  const write = (rel, text) => {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  };
  write('package.json', JSON.stringify({ name: 'bench-api', private: true, dependencies: { express: '^5.1.0', pg: '^8.16.0' } }, null, 2));
  write(
    'tsconfig.json',
    JSON.stringify(
      { compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, skipLibCheck: true, types: [], noEmit: true }, include: ['src', 'types'] },
      null,
      2,
    ),
  );
  write('types/pg.d.ts', PG_DTS);
  write('types/express.d.ts', EXPRESS_DTS);
  // The schema the queries run against (unindexed-filter, fk-without-index): every route's
  // queries are served, except the seeded ones (every 10th route filters orders on \`region\`).
  write(
    'migrations/001_init.sql',
    [
      'CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL, email text NOT NULL, tier text);',
      'CREATE TABLE orders (id bigserial PRIMARY KEY, tenant_id int NOT NULL, customer_id bigint NOT NULL REFERENCES customers (id), total numeric, status text NOT NULL, region text);',
      'CREATE INDEX orders_tenant_id_idx ON orders (tenant_id);',
      'CREATE INDEX orders_status_idx ON orders (status);',
      'CREATE INDEX orders_customer_id_idx ON orders (customer_id);',
      'CREATE TABLE order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), sku text, qty int, price numeric);',
      'CREATE INDEX order_lines_order_id_idx ON order_lines (order_id);',
      '',
    ].join('\n'),
  );
  write('src/db.ts', `import { Pool } from 'pg';\n\ndeclare const DATABASE_URL: string;\n\nexport const pool = new Pool({ connectionString: DATABASE_URL, max: 20 });\n`);
  for (let r = 0; r < REPOS; r++) write(`src/repositories/repo${pad(r, 2)}.ts`, repository(r));
  for (let s = 0; s < SERVICES; s++) write(`src/services/svc${pad(s, 3)}.ts`, service(s));
  for (let i = 0; i < routes; i++) write(`src/routes/route${pad(i, 4)}.ts`, route(i));
  return { files: 1 + REPOS + SERVICES + routes + 2, routes };
}

const pad = (n, w) => String(n).padStart(w, '0');

function repository(r) {
  return `import { pool } from '../db';

export interface Customer${r} {
  id: number;
  name: string;
  email: string;
  tier: 'free' | 'pro' | 'enterprise';
}

export async function loadCustomer${r}(id: number): Promise<Customer${r} | undefined> {
  const { rows } = await pool.query<Customer${r}>('SELECT id, name, email, tier FROM customers WHERE id = $1', [id]);
  return rows[0];
}

export async function loadCustomers${r}(ids: number[]): Promise<Map<number, Customer${r}>> {
  const { rows } = await pool.query<Customer${r}>('SELECT id, name, email, tier FROM customers WHERE id = ANY($1)', [ids]);
  return new Map(rows.map((c) => [c.id, c]));
}

export function displayName${r}(c: Customer${r}): string {
  return c.tier === 'enterprise' ? \`\${c.name} ★\` : c.name;
}
`;
}

function service(s) {
  const r = s % REPOS;
  return `import type { Pool } from 'pg';
import { loadCustomer${r}, displayName${r} } from '../repositories/repo${pad(r, 2)}';

export interface Line${s} {
  sku: string;
  qty: number;
  price: number;
}

export class OrderService${s} {
  constructor(private readonly pool: Pool) {}

  async total(orderId: number): Promise<number> {
    const { rows } = await this.pool.query<Line${s}>('SELECT sku, qty, price FROM order_lines WHERE order_id = $1', [orderId]);
    return rows.reduce((sum, l) => sum + l.qty * l.price, 0);
  }

  async owner(customerId: number): Promise<string> {
    const c = await loadCustomer${r}(customerId);
    return c ? displayName${r}(c) : 'unknown';
  }

  priced(lines: Line${s}[], discount: number): Line${s}[] {
    return lines.map((l) => ({ ...l, price: Math.round(l.price * (1 - discount) * 100) / 100 }));
  }
}
`;
}

function route(i) {
  const r = i % REPOS;
  const s = i % SERVICES;
  const variant = i % 4;
  const loops = [
    // direct N+1
    `  for (const order of rows) {
    const { rows: lines } = await pool.query('SELECT * FROM order_lines WHERE order_id = $1', [order.id]);
    order.lines = lines;
  }`,
    // indirect N+1 through a service method, sequential
    `  for (const order of rows) {
    order.total = await service.total(order.id);
  }`,
    // batched: one query for every order's lines
    `  const { rows: lines } = await pool.query('SELECT * FROM order_lines WHERE order_id = ANY($1)', [rows.map((o) => o.id)]);
  for (const order of rows) order.lines = lines.filter((l) => l.order_id === order.id);`,
    // pure loop
    `  for (const order of rows) {
    order.total = Math.round(order.total * 100) / 100;
  }`,
  ][variant];
  return `import { Router, type Request, type Response } from 'express';
import { pool } from '../db';
import { loadCustomer${r}, loadCustomers${r}, displayName${r} } from '../repositories/repo${pad(r, 2)}';
import { OrderService${s}, type Line${s} } from '../services/svc${pad(s, 3)}';

interface Order${i} {
  id: number;
  customer_id: number;
  total: number;
  status: 'open' | 'paid' | 'shipped';
  lines?: unknown[];
}

const service = new OrderService${s}(pool);
export const router${i} = Router();

router${i}.get('/r${i}/orders', async (req: Request, res: Response) => {
  const { rows } = await pool.query<Order${i}>('SELECT * FROM orders WHERE tenant_id = $1 ORDER BY id DESC LIMIT 50', [req.query.tenant]);
${loops}
  res.json(rows);
});

router${i}.get('/r${i}/customers', async (req: Request, res: Response) => {
  const { rows } = await pool.query<Order${i}>('SELECT * FROM orders WHERE ${i % 10 === 0 ? 'region' : 'status'} = $1 LIMIT 100', [req.query.status ?? 'open']);
  const byId = await loadCustomers${r}(rows.map((o) => o.customer_id));
  const named = rows.map((o) => {
    const c = byId.get(o.customer_id);
    return { ...o, customer: c ? displayName${r}(c) : null };
  });
${i % 3 === 0 ? `  const owners = await Promise.all(rows.slice(0, 5).map((o) => loadCustomer${r}(o.customer_id)));\n  res.json({ named, owners });` : '  res.json(named);'}
});

router${i}.post('/r${i}/quote', async (req: Request, res: Response) => {
  const lines: Line${s}[] = req.body.lines ?? [];
  const priced = service.priced(lines, Number(req.body.discount ?? 0));
  const totals = priced.map((l) => l.qty * l.price);
  res.json({ total: totals.reduce((a, b) => a + b, 0), owner: await service.owner(Number(req.body.customerId)) });
});

export function summarize${i}(orders: Order${i}[]): Record<Order${i}['status'], number> {
  const out: Record<Order${i}['status'], number> = { open: 0, paid: 0, shipped: 0 };
  for (const o of orders) out[o.status] += o.total;
  return out;
}
`;
}

const PG_DTS = `declare module 'pg' {
  export interface QueryResultRow {
    [column: string]: any;
  }
  export interface QueryResult<R extends QueryResultRow = any> {
    rows: R[];
    rowCount: number | null;
    command: string;
  }
  export interface PoolConfig {
    connectionString?: string;
    max?: number;
    idleTimeoutMillis?: number;
  }
  export interface ClientBase {
    query<R extends QueryResultRow = any>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  }
  export interface PoolClient extends ClientBase {
    release(err?: Error | boolean): void;
  }
  export class Pool {
    constructor(config?: PoolConfig);
    query<R extends QueryResultRow = any>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    connect(): Promise<PoolClient>;
    end(): Promise<void>;
  }
}
`;

const EXPRESS_DTS = `declare module 'express' {
  export interface Request {
    params: Record<string, string>;
    query: Record<string, string | undefined>;
    body: any;
  }
  export interface Response {
    json(body: unknown): Response;
    status(code: number): Response;
    send(body?: unknown): Response;
  }
  export type Handler = (req: Request, res: Response) => unknown;
  export interface Router {
    get(path: string, ...handlers: Handler[]): Router;
    post(path: string, ...handlers: Handler[]): Router;
    use(...handlers: unknown[]): Router;
  }
  export function Router(): Router;
  interface Application extends Router {
    listen(port: number, cb?: () => void): { close(cb?: () => void): void };
  }
  export default function express(): Application;
}
`;
