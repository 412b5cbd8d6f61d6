/**
 * Applies the workspace's migration statements, in order, to a real PostgreSQL database. Each
 * statement runs on its own (autocommit), so one that PostgreSQL rejects is skipped and named —
 * with PostgreSQL's own message — and the rest still builds the schema.
 *
 * The statements come from the SQL feature's migration reader (`src/core/sql/migrations.ts`,
 * `readMigrationStatements`): anything with a file, the statement's text and its 0-based range.
 */
import type { Client } from 'pg';
import type { Range } from '../finding';

/** One migration statement (structurally `MigrationStatement` of `src/core/sql`). */
export interface MigrationStatementInput {
  /** Absolute path of the file. */
  file: string;
  sql: string;
  /** 0-based range of the statement in its file. */
  range: Range;
  /** Set when the SQL parser already rejected the statement. */
  error?: { message: string };
}

export interface SkippedStatement {
  /** Absolute path of the migration file. */
  file: string;
  /** 0-based line of the statement. */
  line: number;
  reason: string;
}

/** Transaction control makes no sense when every statement runs alone; it is not applied. */
const TRANSACTION_CONTROL = /^\s*(begin|start\s+transaction|commit|end|rollback|abort|savepoint|release)\b/i;

export async function applyMigrations(client: Client, statements: readonly MigrationStatementInput[], options: { statementTimeoutMs?: number; signal?: AbortSignal } = {}): Promise<SkippedStatement[]> {
  const skipped: SkippedStatement[] = [];
  await client.query(`SET statement_timeout = ${Math.max(1, Math.floor(options.statementTimeoutMs ?? 60_000))}`);
  for (const st of statements) {
    if (options.signal?.aborted) break;
    const sql = st.sql.trim();
    if (!sql || TRANSACTION_CONTROL.test(sql)) continue;
    if (st.error) {
      skipped.push({ file: st.file, line: st.range.start.line, reason: `not valid SQL: ${st.error.message}` });
      continue;
    }
    try {
      await client.query(sql);
    } catch (err) {
      skipped.push({ file: st.file, line: st.range.start.line, reason: oneLine((err as Error).message) });
    }
  }
  await client.query('RESET statement_timeout');
  return skipped;
}

/** PostgreSQL's multi-line messages on one line, for reports. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
