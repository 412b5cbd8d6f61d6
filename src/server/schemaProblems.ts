/**
 * Migration statements the schema model could not use (PostgreSQL rejects them, or Shipshape
 * could not apply them: SchemaModel.problems) as diagnostics on their line of the migration.
 * Not a rule's finding — no rule id, nothing to suppress or configure — but a problem with the
 * input, like a broken shipshape.config.json: the rest of the schema is still built and checked.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { SchemaProblem } from '../core/sql/schema';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

/** The diagnostics' code: lets a client (and a test) tell them from rule findings. */
export const MIGRATION_STATEMENT_CODE = 'migration-statement';

export class SchemaProblemDiagnostics {
  private byFile = new Map<string, Diagnostic[]>();
  private key = '[]';

  /** Replaces the problems; returns the files whose diagnostics changed (to publish again). */
  update(problems: readonly SchemaProblem[]): string[] {
    const key = JSON.stringify(problems.map((p) => [p.file, p.range, p.message]));
    if (key === this.key) return [];
    this.key = key;
    const before = this.byFile;
    this.byFile = new Map();
    for (const p of problems) {
      const list = this.byFile.get(p.file) ?? [];
      list.push({ range: p.range, severity: DiagnosticSeverity.Warning, source: DIAGNOSTIC_SOURCE, code: MIGRATION_STATEMENT_CODE, message: p.message });
      this.byFile.set(p.file, list);
    }
    return [...new Set([...before.keys(), ...this.byFile.keys()])];
  }

  diagnosticsFor(file: string): Diagnostic[] {
    return this.byFile.get(file) ?? [];
  }
}
