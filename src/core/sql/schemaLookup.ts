/**
 * "What schema object is at this offset": a table or column name inside SQL — a migration file,
 * or a query string/template in TypeScript that the analysis extracted — resolved against the
 * SchemaModel. The language server answers hovers and go-to-definition with it; nothing here
 * knows about editors (offsets in, schema objects out).
 *
 * Names are found in the parse tree (RangeVar and ColumnRef carry source locations), never by
 * searching the text, so `orders` in a string constant or a comment is not a table.
 */
import { fieldsOf, unwrap, type PgNode } from './ast';
import { splitStatements, type SqlStatement } from './parser';
import type { ColumnModel, SchemaModel, TableModel } from './schema';

export type SchemaSymbol =
  | { kind: 'table'; table: TableModel; start: number; end: number }
  | { kind: 'column'; table: TableModel; column: ColumnModel; start: number; end: number };

/** A query the analysis extracted from code: where its literal/template is in the file (UTF-16 offsets). */
export interface CodeQuerySpan {
  start: number;
  end: number;
  /** The SQL as the analysis read it (`$n` parameters, constants folded). */
  sql: string;
}

/** The table or column named at `offset` of a SQL text (a migration, a .sql file). */
export function sqlSymbolAt(sql: string, offset: number, schema: SchemaModel): SchemaSymbol | undefined {
  const stmt = splitStatements(sql).find((s) => s.start <= offset && offset <= s.end);
  if (!stmt?.ast) return undefined;
  return symbolInStatement(sql, stmt, offset, schema);
}

/**
 * The table or column named at `offset` of a TypeScript file, when the offset is inside the
 * text of one of the extracted queries. A single literal or template is read in place (its
 * `${…}` parts masked as parameters of the same length, so offsets stay one to one); SQL built
 * from several pieces falls back to the identifier under the cursor, accepted only when it names
 * a table (or a column of a table) the extracted query really reads.
 */
export function codeSymbolAt(fileText: string, offset: number, queries: readonly CodeQuerySpan[], schema: SchemaModel): SchemaSymbol | undefined {
  const query = queries.find((q) => q.start <= offset && offset <= q.end);
  if (!query) return undefined;
  const literal = literalAt(fileText, query.start, query.end, offset);
  if (!literal) return undefined;
  const masked = maskTemplate(fileText.slice(literal.start, literal.end));
  if (masked !== undefined) {
    const found = sqlSymbolAt(masked, offset - literal.start, schema);
    if (found) return { ...found, start: found.start + literal.start, end: found.end + literal.start };
  }
  return wordSymbol(fileText, offset, query.sql, schema);
}

// ---- inside one statement -------------------------------------------------------------------

interface NamedRelation {
  table: TableModel;
  alias?: string;
}

function symbolInStatement(sql: string, stmt: SqlStatement, offset: number, schema: SchemaModel): SchemaSymbol | undefined {
  const relations: NamedRelation[] = [];
  const columnRefs: Array<{ fields: PgNode; at: number }> = [];
  const columnDefs: Array<{ name: string; at: number; owner: TableModel | undefined }> = [];
  let hit: SchemaSymbol | undefined;
  const walk = (node: unknown, owner: TableModel | undefined): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, owner));
    const u = unwrap(node);
    if (!u) return;
    const f = u.fields;
    if (u.kind === 'RangeVar' && typeof f.relname === 'string') {
      const table = schema.lookup(f.relname, f.schemaname);
      const at = stmt.offsetOf(f.location ?? -1);
      if (table) {
        relations.push({ table, alias: f.alias?.aliasname });
        if (f.location !== undefined && within(offset, at, at + qualifiedLength(sql, at))) hit = { kind: 'table', table, start: at, end: at + qualifiedLength(sql, at) };
      }
      return;
    }
    if (u.kind === 'ColumnRef' && f.location !== undefined) columnRefs.push({ fields: f, at: stmt.offsetOf(f.location) });
    if (u.kind === 'ColumnDef' && typeof f.colname === 'string' && f.location !== undefined) columnDefs.push({ name: f.colname, at: stmt.offsetOf(f.location), owner });
    // CREATE TABLE / ALTER TABLE: their column definitions belong to the statement's relation.
    const ownTable = (u.kind === 'CreateStmt' || u.kind === 'AlterTableStmt') && f.relation ? schema.lookup(f.relation.relname, f.relation.schemaname) : owner;
    for (const [key, value] of Object.entries(f)) if (value && typeof value === 'object' && key !== 'location') walk(isBareRangeVar(value) ? { RangeVar: value } : value, ownTable);
  };
  walk(stmt.ast, undefined);
  if (hit) return hit;
  for (const def of columnDefs) {
    const end = def.at + qualifiedLength(sql, def.at);
    const column = def.owner?.columns.get(def.name);
    if (def.owner && column && within(offset, def.at, end)) return { kind: 'column', table: def.owner, column, start: def.at, end };
  }
  for (const ref of columnRefs) {
    const parts = ((ref.fields.fields as unknown[]) ?? []).map((p) => fieldsOf(p, 'String')?.sval).filter((s): s is string => typeof s === 'string');
    if (parts.length === 0) continue;
    const spans = partSpans(sql, ref.at, parts.length);
    const last = spans[spans.length - 1];
    if (!last) continue;
    const qualifier = parts.length > 1 ? parts[parts.length - 2] : undefined;
    const owner = ownerOf(relations, parts[parts.length - 1], qualifier);
    if (!owner) continue;
    // On the qualifier (`o` of `o.status`, or the table name itself): the table.
    if (spans.length > 1 && within(offset, spans[spans.length - 2].start, spans[spans.length - 2].end)) return { kind: 'table', table: owner, ...spans[spans.length - 2] };
    const column = owner.columns.get(parts[parts.length - 1]);
    if (column && within(offset, last.start, last.end)) return { kind: 'column', table: owner, column, ...last };
  }
  return undefined;
}

/** `relation` of CREATE/ALTER TABLE and CREATE INDEX, `pktable` of REFERENCES: a RangeVar's fields without the wrapper. */
function isBareRangeVar(value: object): boolean {
  return !Array.isArray(value) && typeof (value as PgNode).relname === 'string';
}

function ownerOf(relations: NamedRelation[], column: string, qualifier: string | undefined): TableModel | undefined {
  if (qualifier) return relations.find((r) => r.alias === qualifier || (!r.alias && r.table.name === qualifier) || r.table.name === qualifier)?.table;
  const having = [...new Set(relations.map((r) => r.table))].filter((t) => t.columns.has(column));
  // Ambiguous (two tables of the query have it): PostgreSQL would reject it; say nothing.
  return having.length === 1 ? having[0] : undefined;
}

function within(offset: number, start: number, end: number): boolean {
  return offset >= start && offset <= end;
}

const IDENT = /^(?:"(?:[^"]|"")*"|[\p{L}_][\p{L}\p{N}_$]*)/u;

/** Spans of the identifiers of a dotted name written at `at` (`public.orders`, `o."userId"`). */
function partSpans(sql: string, at: number, count: number): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let i = at;
  while (spans.length < count) {
    const m = IDENT.exec(sql.slice(i));
    if (!m) break;
    spans.push({ start: i, end: i + m[0].length });
    i += m[0].length;
    const dot = /^\s*\.\s*/.exec(sql.slice(i));
    if (!dot) break;
    i += dot[0].length;
  }
  return spans;
}

function qualifiedLength(sql: string, at: number): number {
  const spans = partSpans(sql, at, 3);
  return spans.length ? spans[spans.length - 1].end - at : 0;
}

// ---- TypeScript literals ----------------------------------------------------------------------

/** The string literal or template (content only, quotes excluded) around `offset` within [from, to). */
function literalAt(text: string, from: number, to: number, offset: number): { start: number; end: number } | undefined {
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      const close = closingQuote(text, i, to);
      if (close < 0) return undefined;
      if (offset > i && offset <= close) return { start: i + 1, end: close };
      i = close + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? to : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? to : close + 2;
    } else i++;
  }
  return undefined;
}

function closingQuote(text: string, open: number, to: number): number {
  const quote = text[open];
  let depth = 0;
  for (let i = open + 1; i < to; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (quote === '`' && c === '$' && text[i + 1] === '{') (depth++, i++);
    else if (quote === '`' && depth > 0 && c === '}') depth--;
    else if (c === quote && depth === 0) return i;
  }
  return -1;
}

/**
 * A literal's content as SQL of the same length: `${expr}` → `$n` padded with spaces, escapes
 * (`\n`, `\'`) → characters SQL reads the same way. Undefined when an interpolation is too short
 * to hold its parameter number (never for real code: `${x}` is four characters).
 */
export function maskTemplate(content: string): string | undefined {
  let out = '';
  let n = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c === '\\') {
      const next = content[i + 1] ?? '';
      out += next === "'" ? "''" : next === '"' || next === '`' || next === '\\' ? ` ${next}` : '  ';
      i++;
    } else if (c === '$' && content[i + 1] === '{') {
      let depth = 0;
      let j = i;
      for (; j < content.length; j++) {
        if (content[j] === '{') depth++;
        else if (content[j] === '}' && --depth === 0) break;
      }
      const param = `$${++n}`;
      const length = j - i + 1;
      if (length < param.length) return undefined;
      out += param + ' '.repeat(length - param.length);
      i = j;
    } else out += c;
  }
  return out;
}

/** The identifier under the cursor, accepted when the extracted query reads that table, or one table of it has that column. */
function wordSymbol(text: string, offset: number, querySql: string, schema: SchemaModel): SchemaSymbol | undefined {
  let start = offset;
  while (start > 0 && /[\p{L}\p{N}_$]/u.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && /[\p{L}\p{N}_$]/u.test(text[end])) end++;
  if (start === end) return undefined;
  const word = text.slice(start, end).toLowerCase();
  const stmt = splitStatements(querySql)[0];
  if (!stmt?.ast) return undefined;
  const tables: TableModel[] = [];
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    const u = unwrap(node);
    if (!u) return;
    if (u.kind === 'RangeVar' && typeof u.fields.relname === 'string') {
      const t = schema.lookup(u.fields.relname, u.fields.schemaname);
      if (t && !tables.includes(t)) tables.push(t);
      return;
    }
    for (const v of Object.values(u.fields)) if (v && typeof v === 'object') collect(v);
  };
  collect(stmt.ast);
  const table = tables.find((t) => t.name === word);
  if (table) return { kind: 'table', table, start, end };
  const owners = tables.filter((t) => t.columns.has(word));
  return owners.length === 1 ? { kind: 'column', table: owners[0], column: owners[0].columns.get(word)!, start, end } : undefined;
}
