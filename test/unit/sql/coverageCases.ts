/**
 * Coverage cases shared by the unit test (the model's verdict) and the PGlite oracle test
 * (PostgreSQL's own planner on the same DDL and query). `columns` are the filtered columns of
 * `table` the oracle looks for in the plan's Index Cond.
 */
export interface CoverageCase {
  name: string;
  ddl: string;
  query: string;
  table: string;
  expected: 'served' | 'partly' | 'not-served' | 'no-finding';
  columns: string[];
  /** ORDER BY … LIMIT with no filter: served means an index scan with no Sort. */
  orderOnly?: boolean;
  /** Why the oracle compares differently for this case (PostgreSQL 18 behaviour), shown in the test name. */
  oracleNote?: string;
  /** Rows the oracle loads (and ANALYZEs) first, when the plan depends on statistics. */
  data?: string;
}

const FLAGS = `CREATE TABLE flags (id bigserial PRIMARY KEY, feature text NOT NULL, env text NOT NULL, note text, deleted_at timestamptz); CREATE INDEX flags_feature ON flags (feature); CREATE INDEX flags_env ON flags (env);`;
const FLAG_ROWS = `INSERT INTO flags (feature, env, deleted_at) SELECT 'f' || (i % 2000), 'e' || (i % 20), CASE WHEN i % 50 = 0 THEN now() END FROM generate_series(1, 100000) i; ANALYZE flags;`;

const ORDERS = `CREATE TABLE orders (id bigserial PRIMARY KEY, user_id int NOT NULL, tenant_id int, status text, email text, total numeric, created_at timestamptz, deleted_at timestamptz, shipped_at timestamptz, tags text[], data jsonb, active boolean);`;

export const COVERAGE_CASES: CoverageCase[] = [
  // btree
  { name: 'btree: equality on the indexed column', ddl: `${ORDERS} CREATE INDEX orders_user ON orders (user_id);`, query: 'SELECT * FROM orders WHERE user_id = $1', table: 'orders', expected: 'served', columns: ['user_id'] },
  { name: 'btree: no index on the filtered column', ddl: ORDERS, query: 'SELECT * FROM orders WHERE user_id = $1', table: 'orders', expected: 'not-served', columns: ['user_id'] },
  { name: 'btree: primary key lookup', ddl: ORDERS, query: 'SELECT * FROM orders WHERE id = $1', table: 'orders', expected: 'served', columns: ['id'] },
  { name: 'btree: IN list on the indexed column', ddl: `${ORDERS} CREATE INDEX orders_user ON orders (user_id);`, query: 'SELECT * FROM orders WHERE user_id IN (1, 2, 3)', table: 'orders', expected: 'served', columns: ['user_id'] },
  { name: 'btree: = ANY($1) on the indexed column', ddl: `${ORDERS} CREATE INDEX orders_user ON orders (user_id);`, query: 'SELECT * FROM orders WHERE user_id = ANY($1::int[])', table: 'orders', expected: 'served', columns: ['user_id'] },
  { name: 'btree: range on the indexed column', ddl: `${ORDERS} CREATE INDEX orders_created ON orders (created_at);`, query: 'SELECT * FROM orders WHERE created_at > $1', table: 'orders', expected: 'served', columns: ['created_at'] },
  { name: 'btree: BETWEEN on the indexed column', ddl: `${ORDERS} CREATE INDEX orders_created ON orders (created_at);`, query: "SELECT * FROM orders WHERE created_at BETWEEN '2024-01-01' AND '2024-02-01'", table: 'orders', expected: 'served', columns: ['created_at'] },
  { name: 'btree composite: both equality columns, in either order', ddl: `${ORDERS} CREATE INDEX orders_user_status ON orders (user_id, status);`, query: 'SELECT * FROM orders WHERE status = $1 AND user_id = $2', table: 'orders', expected: 'served', columns: ['user_id', 'status'] },
  { name: 'btree composite: leading column only', ddl: `${ORDERS} CREATE INDEX orders_user_status ON orders (user_id, status);`, query: 'SELECT * FROM orders WHERE user_id = $1', table: 'orders', expected: 'served', columns: ['user_id'] },
  { name: 'btree composite: equality then range', ddl: `${ORDERS} CREATE INDEX orders_user_created ON orders (user_id, created_at);`, query: 'SELECT * FROM orders WHERE user_id = $1 AND created_at >= $2', table: 'orders', expected: 'served', columns: ['user_id', 'created_at'] },
  { name: 'btree composite: the second column alone is not served', ddl: `${ORDERS} CREATE INDEX orders_user_status ON orders (user_id, status);`, query: 'SELECT * FROM orders WHERE status = $1', table: 'orders', expected: 'not-served', columns: ['status'], oracleNote: 'PostgreSQL 18 skip scan may still put status into an Index Cond over the whole index' },
  { name: 'btree: one of two equality columns indexed → partly', ddl: `${ORDERS} CREATE INDEX orders_user ON orders (user_id);`, query: 'SELECT * FROM orders WHERE user_id = $1 AND status = $2', table: 'orders', expected: 'partly', columns: ['user_id', 'status'] },
  { name: 'btree: primary key (tenant_id, organization_id, user_id) with tenant_id and user_id → partly', ddl: 'CREATE TABLE memberships (tenant_id int, organization_id int, user_id int, role text, PRIMARY KEY (tenant_id, organization_id, user_id));', query: 'SELECT * FROM memberships WHERE tenant_id = $1 AND user_id = $2', table: 'memberships', expected: 'partly', columns: ['tenant_id', 'user_id'], oracleNote: 'PostgreSQL 18 skip scan lists user_id in the Index Cond, but still reads the whole tenant range' },
  { name: 'btree: range on a column that is not leading → not served', ddl: `${ORDERS} CREATE INDEX orders_user_created ON orders (user_id, created_at);`, query: 'SELECT * FROM orders WHERE created_at > $1', table: 'orders', expected: 'not-served', columns: ['created_at'], oracleNote: 'PostgreSQL 18 skip scan may still use the index' },
  { name: 'btree: unique lookup serves extra filters', ddl: `${ORDERS} CREATE UNIQUE INDEX orders_email ON orders (email);`, query: 'SELECT * FROM orders WHERE email = $1 AND status = $2', table: 'orders', expected: 'served', columns: ['email'] },
  { name: 'btree: an IN list on the primary key serves extra filters (one row per value)', ddl: ORDERS, query: 'SELECT * FROM orders WHERE id = ANY($1::bigint[]) AND user_id = $2', table: 'orders', expected: 'served', columns: ['id'] },
  { name: 'btree: an IN list on a unique key serves extra filters', ddl: `${ORDERS} CREATE UNIQUE INDEX orders_email ON orders (email);`, query: "SELECT * FROM orders WHERE email IN ('a', 'b') AND status = $1", table: 'orders', expected: 'served', columns: ['email'] },
  { name: 'btree: IS NULL on the indexed column', ddl: `${ORDERS} CREATE INDEX orders_shipped ON orders (shipped_at);`, query: 'SELECT * FROM orders WHERE shipped_at IS NULL', table: 'orders', expected: 'served', columns: ['shipped_at'] },
  { name: 'btree: ORDER BY … LIMIT on the indexed column', ddl: `${ORDERS} CREATE INDEX orders_created ON orders (created_at);`, query: 'SELECT * FROM orders ORDER BY created_at DESC LIMIT 20', table: 'orders', expected: 'served', columns: [], orderOnly: true },
  { name: 'btree: ORDER BY … LIMIT with no index → not served', ddl: ORDERS, query: 'SELECT * FROM orders ORDER BY created_at DESC LIMIT 20', table: 'orders', expected: 'not-served', columns: [], orderOnly: true },
  { name: 'btree: LIKE prefix needs a pattern opclass', ddl: `${ORDERS} CREATE INDEX orders_email_pattern ON orders (email text_pattern_ops);`, query: "SELECT * FROM orders WHERE email LIKE 'ann%'", table: 'orders', expected: 'served', columns: ['email'] },
  { name: 'btree: filter through an alias', ddl: `${ORDERS} CREATE INDEX orders_user ON orders (user_id);`, query: 'SELECT o.id FROM orders AS o WHERE o.user_id = $1', table: 'orders', expected: 'served', columns: ['user_id'] },
  { name: 'btree: a boolean column alone', ddl: `${ORDERS} CREATE INDEX orders_active ON orders (active);`, query: 'SELECT * FROM orders WHERE active', table: 'orders', expected: 'served', columns: ['active'] },
  // The lookup PostgreSQL runs for a two-column foreign key on each DELETE of the parent, with only
  // the first column indexed: fk-without-index reports that key as indexed in part (info).
  { name: 'btree: the check of a two-column foreign key, first column indexed', ddl: 'CREATE TABLE account (id uuid, user_id uuid, PRIMARY KEY (id, user_id)); CREATE TABLE activity (id uuid PRIMARY KEY, account_id uuid, account_user_id uuid, FOREIGN KEY (account_id, account_user_id) REFERENCES account (id, user_id)); CREATE INDEX activity_account_id_idx ON activity (account_id);', query: 'SELECT 1 FROM activity WHERE account_id = $1 AND account_user_id = $2', table: 'activity', expected: 'partly', columns: ['account_id', 'account_user_id'] },
  // several indexes, IN on unique keys, IS NULL flags (shapes from Unleash and outline)
  { name: 'btree: each equality column leads an index of its own → served (BitmapAnd)', ddl: FLAGS, data: FLAG_ROWS, query: 'SELECT * FROM flags WHERE feature = $1 AND env = $2', table: 'flags', expected: 'served', columns: ['feature', 'env'] },
  { name: 'btree: = ANY on the primary key serves extra filters (one row per id)', ddl: FLAGS, data: FLAG_ROWS, query: 'SELECT * FROM flags WHERE id = ANY($1::bigint[]) AND note = $2', table: 'flags', expected: 'served', columns: ['id'] },
  { name: 'btree: IS NULL next to a served filter is a flag, not a column to serve', ddl: FLAGS, data: FLAG_ROWS, query: 'SELECT * FROM flags WHERE feature = $1 AND deleted_at IS NULL', table: 'flags', expected: 'served', columns: ['feature'] },
  { name: 'btree: IS NULL next to an unserved filter: still not served', ddl: FLAGS, query: 'SELECT * FROM flags WHERE note = $1 AND deleted_at IS NULL', table: 'flags', expected: 'not-served', columns: ['note'] },
  { name: 'btree: IS NULL alone without an index → not served', ddl: ORDERS, query: 'SELECT * FROM orders WHERE shipped_at IS NULL', table: 'orders', expected: 'not-served', columns: ['shipped_at'] },
  // a soft-delete flag alone: every live row matches, the table is read whatever index there is (vendure: find({ where: { deletedAt: IsNull() } }))
  { name: 'btree: a soft-delete flag IS NULL alone → no finding', ddl: FLAGS, query: 'SELECT * FROM flags WHERE deleted_at IS NULL', table: 'flags', expected: 'no-finding', columns: [] },
  { name: 'btree: a camelCase soft-delete flag alone → no finding', ddl: 'CREATE TABLE shipping_method (id serial PRIMARY KEY, code text, "deletedAt" timestamp);', query: 'SELECT * FROM shipping_method WHERE "deletedAt" IS NULL', table: 'shipping_method', expected: 'no-finding', columns: [] },
  { name: 'btree: a soft-delete flag with ORDER BY … LIMIT is judged by its order → not served', ddl: FLAGS, query: 'SELECT * FROM flags WHERE deleted_at IS NULL ORDER BY note LIMIT 20', table: 'flags', expected: 'not-served', columns: ['note'], orderOnly: true },
  { name: 'btree: one equality column without any index → partly', ddl: FLAGS, data: FLAG_ROWS, query: 'SELECT * FROM flags WHERE feature = $1 AND note = $2', table: 'flags', expected: 'partly', columns: ['feature', 'note'] },
  // expression indexes
  { name: 'expression: lower(email) served by the same expression', ddl: `${ORDERS} CREATE INDEX orders_lower_email ON orders (lower(email));`, query: 'SELECT * FROM orders WHERE lower(email) = lower($1)', table: 'orders', expected: 'served', columns: ['email'] },
  { name: 'expression: lower(email) not served by an index on email', ddl: `${ORDERS} CREATE INDEX orders_email ON orders (email);`, query: 'SELECT * FROM orders WHERE lower(email) = $1', table: 'orders', expected: 'not-served', columns: ['email'] },
  { name: 'expression: email not served by an index on lower(email)', ddl: `${ORDERS} CREATE INDEX orders_lower_email ON orders (lower(email));`, query: 'SELECT * FROM orders WHERE email = $1', table: 'orders', expected: 'not-served', columns: ['email'] },
  // partial indexes
  { name: 'partial: query repeats the predicate', ddl: `${ORDERS} CREATE INDEX orders_live_user ON orders (user_id) WHERE deleted_at IS NULL;`, query: 'SELECT * FROM orders WHERE user_id = $1 AND deleted_at IS NULL', table: 'orders', expected: 'served', columns: ['user_id'] },
  { name: 'partial: query does not imply the predicate', ddl: `${ORDERS} CREATE INDEX orders_live_user ON orders (user_id) WHERE deleted_at IS NULL;`, query: 'SELECT * FROM orders WHERE user_id = $1', table: 'orders', expected: 'not-served', columns: ['user_id'] },
  { name: 'partial: col IS NOT NULL implied by col = $1', ddl: `${ORDERS} CREATE INDEX orders_email_nn ON orders (email) WHERE email IS NOT NULL;`, query: 'SELECT * FROM orders WHERE email = $1', table: 'orders', expected: 'served', columns: ['email'] },
  { name: 'partial: status constant implied by the same constant', ddl: `${ORDERS} CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'pending';`, query: "SELECT * FROM orders WHERE status = 'pending' AND created_at < $1", table: 'orders', expected: 'served', columns: ['created_at'] },
  // hash
  { name: 'hash: equality', ddl: `${ORDERS} CREATE INDEX orders_email_hash ON orders USING hash (email);`, query: 'SELECT * FROM orders WHERE email = $1', table: 'orders', expected: 'served', columns: ['email'] },
  { name: 'hash: range is not served', ddl: `${ORDERS} CREATE INDEX orders_created_hash ON orders USING hash (created_at);`, query: 'SELECT * FROM orders WHERE created_at > $1', table: 'orders', expected: 'not-served', columns: ['created_at'] },
  // BRIN
  { name: 'brin: range', ddl: `${ORDERS} CREATE INDEX orders_created_brin ON orders USING brin (created_at);`, query: 'SELECT * FROM orders WHERE created_at > $1', table: 'orders', expected: 'served', columns: ['created_at'] },
  // GIN
  { name: 'gin: array containment', ddl: `${ORDERS} CREATE INDEX orders_tags ON orders USING gin (tags);`, query: "SELECT * FROM orders WHERE tags @> ARRAY['rush']", table: 'orders', expected: 'served', columns: ['tags'] },
  { name: 'gin: jsonb key exists', ddl: `${ORDERS} CREATE INDEX orders_data ON orders USING gin (data);`, query: "SELECT * FROM orders WHERE data ? 'coupon'", table: 'orders', expected: 'served', columns: ['data'] },
  { name: 'gin: array overlap', ddl: `${ORDERS} CREATE INDEX orders_tags ON orders USING gin (tags);`, query: 'SELECT * FROM orders WHERE tags && $1::text[]', table: 'orders', expected: 'served', columns: ['tags'] },
  { name: 'gin: containment without an index', ddl: ORDERS, query: `SELECT * FROM orders WHERE data @> '{"a":1}'`, table: 'orders', expected: 'not-served', columns: ['data'] },
  // GiST
  { name: 'gist: range type overlap', ddl: 'CREATE TABLE bookings (id int PRIMARY KEY, room int, during tstzrange); CREATE INDEX bookings_during ON bookings USING gist (during);', query: 'SELECT * FROM bookings WHERE during && $1::tstzrange', table: 'bookings', expected: 'served', columns: ['during'] },
  { name: 'gist: range type overlap without an index', ddl: 'CREATE TABLE bookings (id int PRIMARY KEY, room int, during tstzrange);', query: 'SELECT * FROM bookings WHERE during && $1::tstzrange', table: 'bookings', expected: 'not-served', columns: ['during'] },
  // joins and nesting
  { name: 'join: the joined table is looked up by its foreign key column', ddl: `CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE); ${ORDERS}`, query: 'SELECT o.* FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1', table: 'orders', expected: 'not-served', columns: ['user_id'] },
  { name: 'join: with an index on the joined column', ddl: `CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE); ${ORDERS} CREATE INDEX orders_user ON orders (user_id);`, query: 'SELECT o.* FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1', table: 'orders', expected: 'served', columns: ['user_id'] },
  { name: 'subquery: IN (SELECT …) filters the inner table', ddl: `CREATE TABLE users (id int PRIMARY KEY, email text); ${ORDERS}`, query: 'SELECT * FROM orders WHERE user_id IN (SELECT id FROM users WHERE email = $1)', table: 'users', expected: 'not-served', columns: ['email'] },
  { name: 'CTE: the filter inside the CTE', ddl: `${ORDERS} CREATE INDEX orders_status ON orders (status);`, query: "WITH pending AS (SELECT id FROM orders WHERE status = 'pending') SELECT count(*) FROM pending", table: 'orders', expected: 'served', columns: ['status'] },
  { name: 'UPDATE … WHERE', ddl: ORDERS, query: 'UPDATE orders SET status = $1 WHERE email = $2', table: 'orders', expected: 'not-served', columns: ['email'] },
  { name: 'DELETE … WHERE on the primary key', ddl: ORDERS, query: 'DELETE FROM orders WHERE id = $1', table: 'orders', expected: 'served', columns: ['id'] },
  // no finding
  { name: 'a column the schema does not have: no verdict', ddl: ORDERS, query: 'SELECT * FROM orders WHERE shipped_by = $1', table: 'orders', expected: 'no-finding', columns: [] },
  { name: 'ORDER BY … LIMIT on a column the schema does not have: no verdict', ddl: ORDERS, query: 'SELECT * FROM orders ORDER BY "shippedAt" DESC LIMIT 10', table: 'orders', expected: 'no-finding', columns: [] },
  { name: 'a mixed-case property name folded by the parser (taskId → taskid) is not the quoted column "taskId"', ddl: 'CREATE TABLE tasks (id int PRIMARY KEY, "taskId" text);', query: 'SELECT * FROM tasks WHERE taskId = $1', table: 'tasks', expected: 'no-finding', columns: [] },
  { name: 'no filter: a whole-table listing is not an index question', ddl: ORDERS, query: 'SELECT * FROM orders', table: 'orders', expected: 'no-finding', columns: [] },
  { name: 'OR of filters: left alone', ddl: ORDERS, query: 'SELECT * FROM orders WHERE user_id = $1 OR status = $2', table: 'orders', expected: 'no-finding', columns: [] },
];
