/**
 * The "Create index migration" quick fix: a new migration file next to the project's latest one,
 * named by that folder's own convention, holding the CREATE INDEX CONCURRENTLY statement.
 *
 * Conventions: Prisma (`<yyyyMMddHHmmss>_<name>/migration.sql`), Flyway (`V<next>__<name>.sql`),
 * numbered files (`0007_<name>.sql`, `.up.sql` kept, width kept), timestamped files (the same
 * timestamp width), TypeORM classes (`<ms>-<Name>.ts`, `transaction = false`), Knex modules
 * (`<yyyyMMddHHmmss>_<name>.js|ts`, `config.transaction = false`), Kysely modules (named like the
 * latest, `export async function up(db)` running `` sql`…`.execute(db) ``).
 */
import * as path from 'node:path';
import type { Fix } from '../finding';
import type { MigrationFile } from './migrations';
import { naturalCompare } from './migrations';
import { quoteIdent } from './ast';

/** The time a new migration is stamped with (a parameter so its name is reproducible). */
export type Clock = () => Date;

const CONCURRENTLY_NOTE =
  '-- CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a\n-- transaction block: run this migration outside one (tools that wrap each migration in a\n-- transaction need to be told so).';

export interface IndexMigrationRequest {
  /** `CREATE INDEX CONCURRENTLY IF NOT EXISTS name ON table (…);` */
  createIndex: string;
  /** The index name (for the file name and the down migration). */
  indexName: string;
}

/** The fix, or undefined when the project has no migrations folder to add to. */
export function indexMigrationFix(migrations: readonly MigrationFile[], req: IndexMigrationRequest, clock: Clock = () => new Date()): Fix | undefined {
  const latest = migrations[migrations.length - 1];
  if (!latest) return undefined;
  const created = newMigration(latest, migrations.filter((m) => m.folder === latest.folder), req, clock());
  if (!created) return undefined;
  return { title: `Create index migration ${path.relative(latest.folder, created.file).split(path.sep).join('/')}`, edits: [], createFiles: [created] };
}

function newMigration(latest: MigrationFile, siblings: MigrationFile[], req: IndexMigrationRequest, now: Date): { file: string; content: string } | undefined {
  const slug = `add_${req.indexName}`.replace(/[^A-Za-z0-9_]/g, '_');
  const sql = `${CONCURRENTLY_NOTE}\n${req.createIndex}\n`;
  const base = path.basename(latest.file);
  switch (latest.style) {
    case 'prisma':
      return { file: path.join(latest.folder, `${stamp(now, 14)}_${slug}`, 'migration.sql'), content: sql };
    case 'flyway': {
      const versions = siblings.flatMap((m) => /^V(\d+)/i.exec(path.basename(m.file))?.[1] ?? []).map(Number);
      return { file: path.join(latest.folder, `V${Math.max(0, ...versions) + 1}__${slug}.sql`), content: sql };
    }
    case 'script': {
      // The latest module that runs migration code (not the folder's index.ts or provider.ts).
      const module = [...siblings].reverse().find((m) => m.api) ?? latest;
      return module.api === 'kysely' ? kyselyMigration(module, siblings, req, slug, now) : scriptMigration(latest, req, slug, now);
    }
    default: {
      const suffix = latest.style === 'up-sql' ? '.up.sql' : '.sql';
      const m = /^(\d+)([_-])/.exec(base);
      if (!m) return { file: path.join(latest.folder, `${slug}${suffix}`), content: sql };
      const width = m[1].length;
      // 10+ digits is a timestamp (unix seconds or yyyyMMddHHmmss): stamp the new one the same way.
      const next = width >= 10 ? stamp(now, width) : String(Math.max(...siblings.map((s) => Number(/^(\d+)/.exec(path.basename(s.file))?.[1] ?? 0))) + 1).padStart(width, '0');
      return { file: path.join(latest.folder, `${next}${m[2]}${slug}${suffix}`), content: sql };
    }
  }
}

function scriptMigration(latest: MigrationFile, req: IndexMigrationRequest, slug: string, now: Date): { file: string; content: string } {
  const ext = path.extname(latest.file);
  const base = path.basename(latest.file);
  const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(req.indexName)};`;
  if (/^\d{13}-/.test(base)) {
    // TypeORM: `<ms>-<Name>.ts` holding class `<Name><ms>`.
    const ms = String(now.getTime());
    const name = `Add${pascal(req.indexName)}`;
    const content = [
      "import { MigrationInterface, QueryRunner } from 'typeorm';",
      '',
      '// CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a',
      '// transaction block: `transaction = false` runs this migration outside one.',
      `export class ${name}${ms} implements MigrationInterface {`,
      '  transaction = false as const;',
      '',
      '  public async up(queryRunner: QueryRunner): Promise<void> {',
      `    await queryRunner.query(\`${req.createIndex.replace(/;$/, '')}\`);`,
      '  }',
      '',
      '  public async down(queryRunner: QueryRunner): Promise<void> {',
      `    await queryRunner.query(\`${drop.replace(/;$/, '')}\`);`,
      '  }',
      '}',
      '',
    ].join('\n');
    return { file: path.join(latest.folder, `${ms}-${name}${ext}`), content };
  }
  // Knex: `<yyyyMMddHHmmss>_<name>.js`; `config.transaction = false` lets CONCURRENTLY run.
  const width = /^(\d+)_/.exec(base)?.[1].length ?? 14;
  const esm = ext === '.ts' || ext === '.mjs';
  const content = [
    '// CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a',
    '// transaction block: `config.transaction = false` runs this migration outside one.',
    esm ? 'export const config = { transaction: false };' : 'exports.config = { transaction: false };',
    '',
    `${esm ? 'export const up = ' : 'exports.up = '}(knex) => knex.raw(\`${req.createIndex.replace(/;$/, '')}\`);`,
    '',
    `${esm ? 'export const down = ' : 'exports.down = '}(knex) => knex.raw(\`${drop.replace(/;$/, '')}\`);`,
    '',
  ].join('\n');
  return { file: path.join(latest.folder, `${stamp(now, width)}_${slug}${ext}`), content };
}

/**
 * Kysely: `export async function up(db: Kysely<unknown>)` running the statement with `` sql`…` ``,
 * named like the latest migration (`20230309T045948368Z-name.ts`, `<yyyyMMddHHmmss>_name.ts`).
 * Kysely's Migrator sorts migrations by name and on PostgreSQL runs them in a transaction, where
 * CREATE INDEX CONCURRENTLY fails: the comment says so.
 */
function kyselyMigration(latest: MigrationFile, siblings: MigrationFile[], req: IndexMigrationRequest, slug: string, now: Date): { file: string; content: string } {
  const ext = path.extname(latest.file);
  const base = path.basename(latest.file);
  const iso = /^\d{8}T(\d{6,9})Z([-_])/.exec(base);
  const numbered = /^(\d+)([-_])/.exec(base);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  let name: string;
  if (iso) {
    const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}${p(now.getUTCMilliseconds(), 3)}`.slice(0, iso[1].length);
    name = `${stamp(now, 8)}T${time}Z${iso[2]}${slug.replace(/_/g, '-')}`;
  } else if (numbered && numbered[1].length < 10) {
    const next = Math.max(...siblings.map((s) => Number(/^(\d+)/.exec(path.basename(s.file))?.[1] ?? 0))) + 1;
    name = `${String(next).padStart(numbered[1].length, '0')}${numbered[2]}${slug}`;
  } else name = `${stamp(now, numbered?.[1].length ?? 14)}${numbered?.[2] ?? '_'}${slug}`;
  const esm = ext === '.ts' || ext === '.mts' || ext === '.mjs';
  const sqlText = (s: string) => s.replace(/;$/, '').replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${');
  const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(req.indexName)}`;
  const content = [
    esm ? `import { ${ext === '.ts' || ext === '.mts' ? 'type Kysely, ' : ''}sql } from 'kysely'` : "const { sql } = require('kysely')",
    '',
    '// CREATE INDEX CONCURRENTLY builds the index without blocking writes, and cannot run inside a',
    "// transaction block: Kysely's Migrator runs migrations in one on PostgreSQL, so run this one",
    '// outside it (or without CONCURRENTLY, which blocks writes to the table while the index builds).',
    `${esm ? 'export async function up' : 'exports.up = async function up'}(db${ext === '.ts' || ext === '.mts' ? ': Kysely<unknown>): Promise<void>' : ')'} {`,
    `  await sql\`${sqlText(req.createIndex)}\`.execute(db)`,
    '}',
    '',
    `${esm ? 'export async function down' : 'exports.down = async function down'}(db${ext === '.ts' || ext === '.mts' ? ': Kysely<unknown>): Promise<void>' : ')'} {`,
    `  await sql\`${sqlText(drop)}\`.execute(db)`,
    '}',
    '',
  ].join('\n');
  return { file: path.join(latest.folder, `${name}${ext}`), content };
}

/** UTC `yyyyMMddHHmmss` cut or unix seconds, to the width the folder uses. */
function stamp(now: Date, width: number): string {
  if (width === 10) return String(Math.floor(now.getTime() / 1000));
  if (width === 13) return String(now.getTime());
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const full = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return full.slice(0, Math.min(width, 14)).padEnd(width, '0');
}

function pascal(s: string): string {
  return s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

