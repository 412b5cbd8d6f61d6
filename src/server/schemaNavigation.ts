/**
 * Hover and go-to-definition on table and column names in SQL: inside a query string/template
 * the analysis extracted from a TypeScript file, and in .sql migrations. The lookup is the core's
 * (src/core/sql/schemaLookup.ts); this file maps LSP positions to offsets and back.
 */
import * as path from 'node:path';
import { MarkupKind, type Hover, type Location } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { schemaHoverMarkdown } from '../core/sql/schemaHover';
import { codeSymbolAt, sqlSymbolAt, type SchemaSymbol } from '../core/sql/schemaLookup';
import { fileUri } from './diagnostics';
import { isTypeScript, type FolderAnalysis } from './folderAnalysis';

/** The schema object named at `offset` of `file` (text as the editor holds it). */
export function schemaSymbolAt(folder: FolderAnalysis, file: string, doc: TextDocument, offset: number): SchemaSymbol | undefined {
  const state = folder.sqlState();
  if (!state || state.schema.tables.size === 0) return undefined;
  const text = doc.getText();
  if (path.extname(file).toLowerCase() === '.sql') return sqlSymbolAt(text, offset, state.schema);
  if (!isTypeScript(file)) return undefined;
  // A TypeORM/Knex migration module: its SQL is in its string literals, whichever call runs them.
  const spans = folder.isSchemaSource(file) ? [{ start: 0, end: text.length, sql: '' }] : (state.queries.get(file)?.spans ?? []);
  return codeSymbolAt(text, offset, spans, state.schema);
}

export function schemaHover(folder: FolderAnalysis, symbol: SchemaSymbol, doc: TextDocument): Hover {
  const where = (origin: { file: string; range: { start: { line: number } } }) => `${path.relative(folder.root, origin.file).split(path.sep).join('/')}:${origin.range.start.line + 1}`;
  return {
    contents: { kind: MarkupKind.Markdown, value: schemaHoverMarkdown(symbol, where) },
    range: { start: doc.positionAt(symbol.start), end: doc.positionAt(symbol.end) },
  };
}

/** Where the migrations defined it: the CREATE TABLE statement, the column's definition (also in ALTER TABLE … ADD COLUMN). */
export function schemaDefinition(symbol: SchemaSymbol): Location {
  const origin = symbol.kind === 'table' ? symbol.table.origin : symbol.column.origin;
  return { uri: fileUri(origin.file), range: origin.range };
}
