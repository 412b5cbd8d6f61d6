import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MigrationStatementInput } from '../../src/core/explain/migrate';

/**
 * The statements of a fixture's `migrations/*.sql`, in file-name order: split on `;` at the end
 * of a line (fixtures are written that way). Hand-listed input for the explain tests; the
 * product reads migrations through src/core/sql.
 */
export function fixtureStatements(migrationsDir: string): MigrationStatementInput[] {
  const out: MigrationStatementInput[] = [];
  for (const name of fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort()) {
    const file = path.join(migrationsDir, name);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let buf: string[] = [];
    let startLine = -1;
    lines.forEach((line, i) => {
      if (startLine < 0 && line.trim() === '') return;
      if (startLine < 0) startLine = i;
      buf.push(line);
      if (/;\s*$/.test(line)) {
        const sql = buf.join('\n').replace(/;\s*$/, '');
        out.push({ file, sql, range: { start: { line: startLine, character: 0 }, end: { line: i, character: line.length } } });
        buf = [];
        startLine = -1;
      }
    });
  }
  return out;
}
