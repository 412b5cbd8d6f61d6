/**
 * The hover text for a table or column named in SQL (schemaLookup.ts finds it): what the schema
 * model knows, as Markdown — columns (type, NOT NULL, default), indexes (definition, partial
 * predicate) and foreign keys, and where the migrations defined it.
 */
import { describeIndex } from './coverage';
import { indexColumns } from './schemaBuilder';
import { displayTableName, type ColumnModel, type ForeignKeyModel, type IndexModel, type SchemaOrigin, type TableModel } from './schema';
import type { SchemaSymbol } from './schemaLookup';

/** `where(origin)` turns a definition's place into text (a path relative to the workspace, a line). */
export function schemaHoverMarkdown(symbol: SchemaSymbol, where: (origin: SchemaOrigin) => string): string {
  return symbol.kind === 'table' ? tableMarkdown(symbol.table, where) : columnMarkdown(symbol.table, symbol.column, where);
}

function tableMarkdown(t: TableModel, where: (origin: SchemaOrigin) => string): string {
  const lines = [`**Table \`${displayTableName(t)}\`** — defined in ${where(t.origin)}`, '', '| column | type | not null | default |', '|---|---|---|---|'];
  for (const c of t.columns.values()) lines.push(`| \`${c.name}\` | ${cell(c.type)} | ${c.nullable ? '' : 'NOT NULL'} | ${c.default ? cell(c.default) : ''} |`);
  lines.push('', t.indexes.length ? '**Indexes**' : '**Indexes**: none — every filter on this table is a sequential scan');
  for (const i of t.indexes) lines.push(`- ${indexLine(i)}`);
  if (t.foreignKeys.length) lines.push('', '**Foreign keys**', ...t.foreignKeys.map((fk) => `- ${fkLine(fk)}`));
  return lines.join('\n');
}

function columnMarkdown(t: TableModel, c: ColumnModel, where: (origin: SchemaOrigin) => string): string {
  const facts = [`\`${c.type}\``, c.nullable ? 'nullable' : 'NOT NULL', ...(c.default ? [`default \`${c.default}\``] : [])];
  const lines = [`**Column \`${displayTableName(t)}.${c.name}\`** ${facts.join(', ')} — defined in ${where(c.origin)}`];
  const indexes = t.indexes.filter((i) => indexColumns(i).includes(c.name));
  lines.push('', indexes.length ? '**Indexes using it**' : '**Indexes using it**: none — a filter on it alone is a sequential scan');
  for (const i of indexes) lines.push(`- ${indexLine(i)}${i.keys[0]?.column === c.name ? '' : ' (not its leading column)'}`);
  const fks = t.foreignKeys.filter((fk) => fk.columns.includes(c.name));
  if (fks.length) lines.push('', '**Foreign keys**', ...fks.map((fk) => `- ${fkLine(fk)}`));
  return lines.join('\n');
}

function indexLine(i: IndexModel): string {
  const kind = i.primary ? 'PRIMARY KEY ' : i.unique ? 'UNIQUE ' : '';
  const include = i.include.length ? ` INCLUDE (${i.include.join(', ')})` : '';
  return `${kind}\`${describeIndex(i)}${include}\``;
}

function fkLine(fk: ForeignKeyModel): string {
  const target = displayTableName({ schema: fk.references.schema, name: fk.references.table });
  return `\`${fk.name}\` (${fk.columns.join(', ')}) → \`${target}\` (${fk.references.columns.join(', ')})${fk.onDelete ? ` ON DELETE ${fk.onDelete.toUpperCase()}` : ''}`;
}

/** Table cells cannot hold `|` or line breaks. */
function cell(text: string): string {
  return `\`${text.replace(/\|/g, '\\|').replace(/\s+/g, ' ')}\``;
}
