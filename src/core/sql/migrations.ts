/**
 * Migration discovery and the ordered statement list.
 *
 * Stable API (the explain feature applies the same statements, in the same order, to a real
 * PostgreSQL):
 *
 *   const files = discoverMigrations({ root, files: project.files, globs: project.config.migrations });
 *   await loadSqlParser();
 *   const statements = readMigrationStatements(files);   // MigrationStatement[], in apply order
 *   const schema = buildSchema(statements);             // SchemaModel (schemaSource.ts)
 *
 * `discoverMigrations` returns migration files in the order their tool applies them:
 * - Flyway `V<version>__<name>.sql` by version (V2 before V10, V1_1 between V1 and V2), then
 *   repeatable `R__<name>.sql` by name; undo scripts `U…` are never applied;
 * - Prisma `migrations/<timestamp>_<name>/migration.sql` by folder name;
 * - golang-migrate / dbmate-style `<version>_<name>.up.sql` by version; `*.down.sql` never;
 * - plain folders (`migrations/`, `db/migrate/`, `sql/`, drizzle-kit's `drizzle/`) and TypeORM,
 *   Knex, node-pg-migrate, Sequelize, MikroORM and Kysely migration modules (`.ts`/`.js`) by file name,
 *   numbers compared as numbers (`2_x` before `10_x`, timestamps in order).
 * Files are grouped by their folder; folders are applied in path order — except migration modules
 * named by a timestamp (`1700000000000-AddUser.ts`, `20240101120000_add_user.js`): TypeORM and Knex
 * run every configured folder's migrations in one timestamp order, so those are merged.
 *
 * `readMigrationStatements` yields one `MigrationStatement` per SQL statement: the statement's
 * text (`sql`), its file and 0-based range, the parse tree, or the parser's error. For TypeScript
 * migrations the SQL comes from the strings passed to `queryRunner.query`, `knex.raw`,
 * `knex.schema.raw`, `pgm.sql`, `queryInterface.sequelize.query`, `this.addSql`, and from Knex's
 * schema builder (`createTable`, `alterTable`, `table.index`, `foreign`, …) and Kysely's
 * (`db.schema.createTable(…)….execute()`, `` sql`…`.execute(db) ``), which are turned
 * into the equivalent SQL (`sql` is then that SQL; the range is the builder call).
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Position, Range } from '../finding';
import type { DiscoveredFiles } from '../project/files';
import { toPosix } from '../project/files';
import { computeLineStarts, lineOf } from '../suppression';
import { splitStatements } from './parser';
import type { SchemaStatement } from './schemaBuilder';
import { extractMigrationSql } from './tsMigrations';
import { readBoundedText } from '../limits/boundedFile';

export type MigrationStyle = 'flyway' | 'prisma' | 'up-sql' | 'sql' | 'typeorm' | 'knex' | 'node-pg-migrate' | 'sequelize' | 'mikro-orm' | 'db-migrate' | 'kysely';

export interface MigrationFile {
  /** Absolute path. */
  file: string;
  /** How the file is named and run; decides its order and how a new migration next to it is named. */
  style: MigrationStyle | 'script';
  /** The migrations folder (for Prisma, the folder holding the `<timestamp>_<name>/` folders). */
  folder: string;
  /** A migration module's API, once its statements are read (`kysely`, `knex`, …): a new migration is written the same way. */
  api?: MigrationStyle;
}

export interface MigrationStatement extends SchemaStatement {
  style: MigrationFile['style'];
}

export interface DiscoverMigrationsInput {
  /** Absolute workspace root. */
  root: string;
  files: Pick<DiscoveredFiles, 'sql' | 'ts' | 'other'>;
  /** Globs relative to the root (`migrations` in shipshape.config.json). */
  globs: string[];
}

const SCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/** Migration files of a workspace, in the order their tools apply them. */
export function discoverMigrations(input: DiscoverMigrationsInput): MigrationFile[] {
  const matches = picomatch(input.globs, { dot: true });
  const candidates = [...input.files.sql, ...input.files.ts, ...input.files.other].filter((abs) => {
    const rel = toPosix(path.relative(input.root, abs));
    if (!matches(rel) || isNeverApplied(rel)) return false;
    const ext = path.extname(abs).toLowerCase();
    if (ext === '.sql') return true;
    return SCRIPT_EXTENSIONS.has(ext) && !abs.endsWith('.d.ts') && !/\.(test|spec)\.[cm]?[jt]s$/.test(abs);
  });
  const files = postgresDialectOnly(input.root, [...new Set(candidates)]).map(classify);
  // Timestamped modules of several folders run as one sequence, placed where the first folder's would.
  const timestampedAt = files.filter(isTimestamped).map((m) => m.folder).sort()[0] ?? '';
  return files.sort((a, b) => compareMigrations(a, b, timestampedAt));
}

/** A folder named for a database (`migrations/postgres/`, `migrations/mysql/`). */
const DIALECT_FOLDER = /^(postgres|postgresql|pg|pgsql|mysql|mariadb|sqlite|sqlite3|better-sqlite3|mssql|sqlserver|oracle|cockroach|cockroachdb)$/i;
const POSTGRES_FOLDER = /^(postgres|postgresql|pg|pgsql)$/i;

/**
 * A project that supports several databases keeps one migration folder per database, side by side
 * (`migrations/postgres/`, `migrations/mysql/`, `migrations/sqlite/`): only one of them ever runs
 * against a database, so where a PostgreSQL folder is among them, the others are not its schema
 * (applied too, SQLite's table rebuilds would replace PostgreSQL's tables and indexes).
 */
function postgresDialectOnly(root: string, files: string[]): string[] {
  const dialectOf = (abs: string): { parent: string; postgres: boolean } | undefined => {
    const parts = toPosix(path.relative(root, abs)).split('/').slice(0, -1);
    const i = parts.findIndex((p) => DIALECT_FOLDER.test(p));
    return i < 0 ? undefined : { parent: parts.slice(0, i).join('/'), postgres: POSTGRES_FOLDER.test(parts[i]) };
  };
  const withPostgres = new Set(files.flatMap((f) => {
    const d = dialectOf(f);
    return d?.postgres ? [d.parent] : [];
  }));
  return files.filter((f) => {
    const d = dialectOf(f);
    return !d || d.postgres || !withPostgres.has(d.parent);
  });
}

/** Down, undo and revert scripts, and sqitch's verify scripts, are never part of the schema. */
function isNeverApplied(rel: string): boolean {
  const base = path.posix.basename(rel).toLowerCase();
  if (/(^|[._-])down\.sql$/.test(base) || base.endsWith('.undo.sql') || /^u\d[\w.]*__/i.test(base)) return true;
  return /(^|\/)(revert|verify|rollback|seeds?)\//i.test(rel);
}

function classify(file: string): MigrationFile {
  const base = path.basename(file);
  const dir = path.dirname(file);
  if (SCRIPT_EXTENSIONS.has(path.extname(file).toLowerCase())) return { file, style: 'script', folder: dir };
  if (base === 'migration.sql' && path.basename(path.dirname(dir)).toLowerCase() === 'migrations') return { file, style: 'prisma', folder: path.dirname(dir) };
  if (/^[VR]\d*[\w.]*__.+\.sql$/i.test(base) && /^(V\d|R__)/i.test(base)) return { file, style: 'flyway', folder: dir };
  if (/\.up\.sql$/i.test(base)) return { file, style: 'up-sql', folder: dir };
  return { file, style: 'sql', folder: dir };
}

/** A migration module named by its timestamp (TypeORM `<ms>-Name.ts`, Knex `<yyyymmddhhmmss>_name.js`). */
const TIMESTAMPED_MODULE = /^\d{10,}[-_]/;

const isTimestamped = (m: MigrationFile) => m.style === 'script' && TIMESTAMPED_MODULE.test(path.basename(m.file));

/** The order key of a file's group: its folder, or where its merged order starts. */
function groupOf(m: MigrationFile, timestampedAt: string): string {
  // Flyway merges every location into one version order; TypeORM and Knex merge their folders by timestamp.
  if (m.style === 'flyway') return '';
  return isTimestamped(m) ? timestampedAt : m.folder;
}

function compareMigrations(a: MigrationFile, b: MigrationFile, timestampedAt: string): number {
  const groupA = groupOf(a, timestampedAt);
  const groupB = groupOf(b, timestampedAt);
  if (groupA !== groupB) return groupA < groupB ? -1 : 1;
  if (a.style === 'flyway' && b.style === 'flyway') return compareFlyway(path.basename(a.file), path.basename(b.file));
  const keyA = a.style === 'prisma' ? path.basename(path.dirname(a.file)) : path.basename(a.file);
  const keyB = b.style === 'prisma' ? path.basename(path.dirname(b.file)) : path.basename(b.file);
  return naturalCompare(keyA, keyB) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}

/** Flyway: versioned (`V1_2__x`, `V1.2__x`) by version segments, then repeatable (`R__x`) by description. */
function compareFlyway(a: string, b: string): number {
  const va = flywayVersion(a);
  const vb = flywayVersion(b);
  if (!va && !vb) return a < b ? -1 : a > b ? 1 : 0;
  if (!va) return 1;
  if (!vb) return -1;
  for (let i = 0; i < Math.max(va.length, vb.length); i++) {
    const d = compareDigits(va[i] ?? '0', vb[i] ?? '0');
    if (d !== 0) return d;
  }
  return 0;
}

function flywayVersion(base: string): string[] | undefined {
  const m = /^V([\d._]+?)__/i.exec(base);
  return m ? m[1].split(/[._]/).filter(Boolean) : undefined;
}

/** Compares names with digit runs as numbers: `2_x` < `10_x`, `V9` < `V10`. */
export function naturalCompare(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i];
    const y = rb[i];
    const bothDigits = /^\d/.test(x) && /^\d/.test(y);
    const d = bothDigits ? compareDigits(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d;
  }
  return ra.length - rb.length;
}

function compareDigits(x: string, y: string): number {
  const a = x.replace(/^0+(?=\d)/, '');
  const b = y.replace(/^0+(?=\d)/, '');
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The statements of the migration files, in apply order. Needs the SQL parser loaded
 * (`await loadSqlParser()`). `read` lets the editor pass unsaved buffers.
 */
export function readMigrationStatements(files: readonly MigrationFile[], read: (file: string) => string | undefined = readFileOrUndefined): MigrationStatement[] {
  const out: MigrationStatement[] = [];
  for (const mf of files) {
    const text = read(mf.file);
    if (text === undefined) continue;
    out.push(...statementsOfFile(mf, text));
  }
  return out;
}

/** The statements of one migration file (SQL, or a TypeScript/JavaScript migration module). */
export function statementsOfFile(mf: MigrationFile, text: string): MigrationStatement[] {
  const lineStarts = computeLineStarts(text);
  const position = (offset: number): Position => positionAt(lineStarts, offset);
  if (mf.style !== 'script') return sqlStatements(mf.file, mf.style, text, 0, (o) => position(o));
  const extracted = extractMigrationSql(mf.file, text);
  if (!extracted) return [];
  const out: MigrationStatement[] = [];
  for (const piece of extracted.pieces) {
    if (piece.kind === 'literal') {
      // Offsets inside the literal map one to one onto the file (escapes aside, which migration
      // SQL rarely has).
      out.push(...sqlStatements(mf.file, extracted.style, piece.sql, 0, (o) => position(piece.start + Math.min(o, piece.length))));
    } else {
      const range: Range = { start: position(piece.start), end: position(piece.end) };
      out.push(...sqlStatements(mf.file, extracted.style, piece.sql, 0, () => range.start, range));
    }
  }
  return out;
}

function sqlStatements(file: string, style: MigrationFile['style'], sql: string, base: number, position: (offset: number) => Position, fixedRange?: Range): MigrationStatement[] {
  return splitStatements(sql).map((s) => {
    const rangeIn = (from: number, to: number): Range => fixedRange ?? { start: position(base + s.start + from), end: position(base + s.start + to) };
    const stmt: MigrationStatement = {
      file,
      style,
      sql: s.text,
      range: rangeIn(0, s.text.length),
      ast: s.ast,
      rangeIn,
      offsetOf: (location: number) => s.offsetOf(location) - s.start,
    };
    if (s.error) {
      const at = s.error.offset - s.start;
      stmt.error = { message: s.error.message, range: fixedRange ?? rangeIn(at, Math.min(s.text.length, at + tokenLength(s.text, at))) };
    }
    return stmt;
  });
}

function tokenLength(text: string, at: number): number {
  const m = /^[\w$"]+|^./.exec(text.slice(at));
  return m ? m[0].length : 0;
}

export function positionAt(lineStarts: number[], offset: number): Position {
  const line = lineOf(lineStarts, offset);
  return { line, character: offset - lineStarts[line] };
}

/**
 * Migrations can be large (data loads), but a multi-gigabyte file or a file that is not a regular
 * file must not stall or exhaust the analysis: read within a bound, regular files only.
 */
export const MAX_MIGRATION_BYTES = 16 * 1024 * 1024;

/** A migration or schema file's text, or undefined when it cannot be read within the bound. */
export function readMigrationText(file: string): string | undefined {
  return readBoundedText(file, MAX_MIGRATION_BYTES).text;
}

function readFileOrUndefined(file: string): string | undefined {
  return readMigrationText(file);
}
