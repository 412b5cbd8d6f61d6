/**
 * `schema.prisma` as a schema source, parsed with @mrleebo/prisma-ast (a maintained parser of
 * the Prisma schema language, not regexes): each model becomes the SQL Prisma Migrate would run
 * for it — `CREATE TABLE` with `@id`/`@@id`, `@unique`/`@@unique`, `@@index` (with `type: Hash`,
 * `Gin`, `Gist`, `Brin`), `@map`/`@@map` names and Prisma's default index and constraint names
 * (`User_pkey`, `Post_authorId_idx`, `Post_authorId_fkey`) — and the relations' foreign keys
 * (`@relation(fields: […], references: […])`, unless `relationMode = "prisma"`). The statements
 * are placed on the model and field lines, so findings land in schema.prisma.
 *
 * Used when a project has no SQL migrations (`prisma db push`), and for the Prisma-side facts
 * (model → table, field → column) either way.
 */
import type { Attribute as FieldAttribute, BlockAttribute, Field, Model } from '@mrleebo/prisma-ast';

/** Field (`@id`) and block (`@@index`) attributes read the same way here. */
type Attribute = FieldAttribute | BlockAttribute;
import type { Range } from '../finding';
import { computeLineStarts } from '../suppression';
import { positionAt, type MigrationStatement } from './migrations';
import { splitStatements } from './parser';
import type { SchemaSourceKind } from './schema';

export interface PrismaModelInfo {
  model: string;
  table: string;
  /** Field name → column name (scalar fields). */
  columns: Map<string, string>;
  /**
   * Relation field name → the columns of this model a relation filter on it restricts. Prisma
   * sends `where: { author: { … } }` as `"authorId" IN (SELECT "id" FROM "User" WHERE …)` (this
   * side holds the key: its `fields`), and `posts: { some: { … } }` as `"id" IN (SELECT
   * "authorId" FROM "Post" WHERE …)` (the other side holds it: its `references`).
   */
  relations: Map<string, string[]>;
  /** The model block (for the `@@index` fix: insert before its closing brace). */
  range: Range;
  /** Offset of the model's closing brace. */
  closeOffset: number;
  file: string;
}

export interface PrismaSchemaSource {
  statements: MigrationStatement[];
  models: PrismaModelInfo[];
  /** The file does not parse: what the parser said. */
  error?: string;
}

const SCALARS: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Bytes: 'bytea',
};

export function prismaSchemaSource(file: string, text: string): PrismaSchemaSource {
  let schema: ReturnType<typeof import('@mrleebo/prisma-ast').getSchema>;
  try {
    schema = prismaAst().getSchema(text);
  } catch (err) {
    return { statements: [], models: [], error: (err as Error).message.split('\n')[0] };
  }
  const lineStarts = computeLineStarts(text);
  const rangeOf = (from: number, to: number): Range => ({ start: positionAt(lineStarts, from), end: positionAt(lineStarts, to) });
  const models = schema.list.filter((b): b is Model => b.type === 'model');
  const enums = new Set(schema.list.flatMap((b) => (b.type === 'enum' ? [b.name] : [])));
  const modelNames = new Set(models.map((m) => m.name));
  const relationModePrisma = /relationMode\s*=\s*"prisma"/.test(text);
  const tableOf = new Map(models.map((m) => [m.name, mapped(blockAttributes(m), m.name)]));
  const statements: MigrationStatement[] = [];
  const infos: PrismaModelInfo[] = [];

  for (const model of models) {
    const table = tableOf.get(model.name)!;
    const block = modelBlock(text, model.name);
    if (!block) continue;
    const fields = model.properties.filter((p): p is Field => p.type === 'field');
    const scalar = fields.filter((f) => !modelNames.has(f.fieldType as string) && !f.array || (!modelNames.has(f.fieldType as string) && f.array && SCALARS[f.fieldType as string]));
    const columnOf = new Map(scalar.map((f) => [f.name, mapped(f.attributes ?? [], f.name)]));
    const fieldRange = (name: string): Range => {
      const m = new RegExp(`^[ \\t]*(${escapeRe(name)})\\b`, 'm').exec(text.slice(block.open, block.close));
      const at = m ? block.open + m.index + m[0].length - m[1].length : block.open;
      const lineEnd = text.indexOf('\n', at);
      return rangeOf(at, lineEnd < 0 ? block.close : lineEnd);
    };
    const modelRange = rangeOf(block.start, block.close + 1);
    const add = (sql: string, range: Range) => statements.push(...statementsAt(file, sql, range));
    const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
    const cols = (names: string[]) => names.map((n) => q(columnOf.get(n) ?? n)).join(', ');

    const defs = scalar.map((f) => {
      const type = (SCALARS[f.fieldType as string] ?? (enums.has(f.fieldType as string) ? q(f.fieldType as string) : 'text')) + (f.array ? '[]' : '');
      return `${q(columnOf.get(f.name)!)} ${type}${f.optional ? '' : ' NOT NULL'}`;
    });
    const ids = scalar.filter((f) => hasAttr(f, 'id')).map((f) => f.name);
    const blockId = blockAttributes(model).find((a) => a.name === 'id');
    const pk = blockId ? fieldList(blockId) : ids;
    if (pk.length) defs.push(`CONSTRAINT ${q(constraintName(blockId, `${table}_pkey`))} PRIMARY KEY (${cols(pk)})`);
    add(`CREATE TABLE ${q(table)} (${defs.join(', ')})`, modelRange);
    for (const f of scalar.filter((x) => hasAttr(x, 'unique'))) {
      const a = (f.attributes ?? []).find((x) => x.name === 'unique')!;
      add(`CREATE UNIQUE INDEX ${q(constraintName(a, `${table}_${columnOf.get(f.name)}_key`))} ON ${q(table)} (${cols([f.name])})`, fieldRange(f.name));
    }
    for (const a of blockAttributes(model)) {
      if (a.name !== 'index' && a.name !== 'unique') continue;
      const names = fieldList(a);
      if (names.length === 0) continue;
      const suffix = a.name === 'unique' ? 'key' : 'idx';
      const method = a.name === 'index' ? indexType(a) : undefined;
      const name = constraintName(a, `${table}_${names.map((n) => columnOf.get(n) ?? n).join('_')}_${suffix}`);
      add(`CREATE ${a.name === 'unique' ? 'UNIQUE ' : ''}INDEX ${q(name)} ON ${q(table)}${method ? ` USING ${method}` : ''} (${cols(names)})`, modelRange);
    }
    if (!relationModePrisma) {
      for (const f of fields) {
        const rel = (f.attributes ?? []).find((a) => a.name === 'relation');
        if (!rel || !modelNames.has(f.fieldType as string)) continue;
        const from = keyValueList(rel, 'fields');
        const to = keyValueList(rel, 'references');
        if (from.length === 0 || to.length === 0) continue;
        const target = models.find((m) => m.name === f.fieldType)!;
        const targetColumns = new Map(target.properties.filter((p): p is Field => p.type === 'field').map((p) => [p.name, mapped(p.attributes ?? [], p.name)]));
        const fkName = constraintName(rel, `${table}_${from.map((n) => columnOf.get(n) ?? n).join('_')}_fkey`);
        add(`ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(fkName)} FOREIGN KEY (${cols(from)}) REFERENCES ${q(tableOf.get(target.name)!)} (${to.map((n) => q(targetColumns.get(n) ?? n)).join(', ')})`, fieldRange(f.name));
      }
    }
    infos.push({ model: model.name, table, columns: columnOf, relations: relationColumns(model, fields, models, columnOf), range: modelRange, closeOffset: block.close, file });
  }
  return { statements, models: infos };
}

/**
 * The columns of `model` each of its relation fields restricts in a relation filter: the
 * relation's own `fields` when this side holds the key, else the `references` of the opposite
 * field (same relation name, in the related model). A relation whose opposite side is ambiguous
 * is left out (its filter is then not knowable).
 */
function relationColumns(model: Model, fields: Field[], models: Model[], columnOf: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const column = (n: string) => columnOf.get(n) ?? n;
  for (const f of fields) {
    const target = models.find((m) => m.name === f.fieldType);
    if (!target) continue;
    const rel = (f.attributes ?? []).find((a) => a.name === 'relation');
    const own = rel ? keyValueList(rel, 'fields') : [];
    if (own.length) {
      out.set(f.name, own.map(column));
      continue;
    }
    const name = rel ? relationName(rel) : undefined;
    const opposite = target.properties.filter(
      (p): p is Field =>
        p.type === 'field' && p !== f && p.fieldType === model.name && relationOf(p) !== undefined && keyValueList(relationOf(p)!, 'fields').length > 0 && relationName(relationOf(p)!) === name,
    );
    if (opposite.length !== 1) continue;
    const refs = keyValueList(relationOf(opposite[0])!, 'references');
    if (refs.length) out.set(f.name, refs.map(column));
  }
  return out;
}

function relationOf(f: Field): Attribute | undefined {
  return (f.attributes ?? []).find((a) => a.name === 'relation');
}

/** `@relation("Name", …)` or `@relation(name: "Name", …)`. */
function relationName(a: Attribute): string | undefined {
  for (const arg of a.args ?? []) {
    const v = arg.value as unknown;
    if (typeof v === 'string') return unquote(v);
    const kv = v as { type?: string; key?: string; value?: unknown };
    if (kv && kv.type === 'keyValue' && kv.key === 'name' && typeof kv.value === 'string') return unquote(kv.value);
  }
  return undefined;
}

/** Statements of generated SQL, every one placed on `range` of the .prisma file. */
function statementsAt(file: string, sql: string, range: Range): MigrationStatement[] {
  return generatedStatements(file, sql, range, 'prisma-schema', 'prisma');
}

/**
 * Statements of SQL generated from a schema written in code (schema.prisma, TypeORM entities,
 * Drizzle tables), every one placed on `range` of the file that declares it, so findings about
 * the statement (a foreign key without an index) land on that declaration.
 */
export function generatedStatements(file: string, sql: string, range: Range, source: SchemaSourceKind, style: MigrationStatement['style']): MigrationStatement[] {
  return splitStatements(sql).map((s) => ({
    file,
    style,
    source,
    sql: s.text,
    range,
    ast: s.ast,
    error: s.error ? { message: s.error.message, range } : undefined,
    rangeIn: () => range,
    offsetOf: (loc: number) => s.offsetOf(loc) - s.start,
  }));
}

function blockAttributes(model: Model): Attribute[] {
  return model.properties.filter((p): p is BlockAttribute => p.type === 'attribute');
}

function hasAttr(f: Field, name: string): boolean {
  return (f.attributes ?? []).some((a) => a.name === name);
}

/** `@map("x")` / `@@map("x")`, else the Prisma name. */
function mapped(attrs: Attribute[], fallback: string): string {
  const a = attrs.find((x) => x.name === 'map');
  const v = a?.args?.[0]?.value;
  return typeof v === 'string' ? unquote(v) : fallback;
}

/** `[a, b(sort: Desc)]` of the first argument. */
function fieldList(a: Attribute): string[] {
  const first = a.args?.find((x) => typeof x.value === 'object' && x.value !== null && (x.value as { type?: string }).type === 'array');
  const arr = first?.value as { args?: unknown[] } | undefined;
  return (arr?.args ?? []).flatMap((v) => (typeof v === 'string' ? [v] : typeof v === 'object' && v && 'name' in v ? [String((v as { name: string }).name)] : []));
}

function keyValueList(a: Attribute, key: string): string[] {
  for (const arg of a.args ?? []) {
    const v = arg.value as { type?: string; key?: string; value?: { args?: unknown[] } };
    if (v && v.type === 'keyValue' && v.key === key) return (v.value?.args ?? []).filter((x): x is string => typeof x === 'string');
  }
  return [];
}

function constraintName(a: Attribute | undefined, fallback: string): string {
  for (const arg of a?.args ?? []) {
    const v = arg.value as { type?: string; key?: string; value?: unknown };
    if (v && v.type === 'keyValue' && (v.key === 'map' || (v.key === 'name' && a?.name !== 'relation')) && typeof v.value === 'string') return unquote(v.value);
  }
  return fallback.slice(0, 63);
}

function indexType(a: Attribute): string | undefined {
  for (const arg of a.args ?? []) {
    const v = arg.value as { type?: string; key?: string; value?: unknown };
    if (v && v.type === 'keyValue' && v.key === 'type' && typeof v.value === 'string') return v.value.toLowerCase();
  }
  return undefined;
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, '$1');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Offsets of `model Name {` … `}` in the text. */
function modelBlock(text: string, name: string): { start: number; open: number; close: number } | undefined {
  const m = new RegExp(`^[ \\t]*model\\s+${escapeRe(name)}\\s*\\{`, 'm').exec(text);
  if (!m) return undefined;
  const open = m.index + m[0].length;
  let depth = 1;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return { start: m.index + (m[0].length - m[0].trimStart().length), open, close: i };
  }
  return undefined;
}

/**
 * The parser, loaded on the first schema.prisma: building its grammar (chevrotain) costs ~80 ms
 * at start-up, which a project without Prisma — and every CLI or server start — need not pay.
 */
function prismaAst(): typeof import('@mrleebo/prisma-ast') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use on purpose (see above)
  return require('@mrleebo/prisma-ast') as typeof import('@mrleebo/prisma-ast');
}
