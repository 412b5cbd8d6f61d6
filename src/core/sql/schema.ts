/**
 * The database schema as the workspace's migrations build it: tables, columns, indexes,
 * constraints. Built by `SchemaBuilder` (schemaBuilder.ts) applying statements in migration
 * order; read by index coverage, the rules, hovers and the explain feature.
 *
 * Names are stored as PostgreSQL stores them: unquoted identifiers folded to lower case by the
 * parser, quoted ones kept exactly. Tables are keyed by `schema.name`; `public` is the default
 * schema.
 */
import type { Range } from '../finding';
import type { PgNode } from './ast';

/** Where a schema object was defined: a file (absolute path) and a 0-based range in it. */
export interface SchemaOrigin {
  file: string;
  range: Range;
}

export interface ColumnModel {
  name: string;
  /** The type as written, readable (`integer`, `text`, `timestamp with time zone`, `varchar(255)`). */
  type: string;
  nullable: boolean;
  /** The default expression's text, when there is one. */
  default?: string;
  origin: SchemaOrigin;
}

/** One key of an index: a column, or an expression (`lower(email)`). */
export interface IndexKey {
  column?: string;
  /** For an expression key: its canonical parse tree (see `expressionKey`), readable text, the columns it reads, the tree. */
  expression?: { key: string; text: string; columns: string[]; ast: PgNode };
  descending: boolean;
  /** Explicit operator class, when given (`text_pattern_ops`, `jsonb_path_ops`). */
  opclass?: string;
}

export type IndexMethod = 'btree' | 'hash' | 'gist' | 'spgist' | 'gin' | 'brin' | (string & {});

export interface IndexModel {
  /** The index name (PostgreSQL's generated name for unnamed constraints and indexes). */
  name: string;
  method: IndexMethod;
  keys: IndexKey[];
  /** `INCLUDE (…)` columns: stored, not searchable. */
  include: string[];
  /** A partial index's predicate: its parse tree and text. */
  predicate?: { ast: PgNode; text: string };
  unique: boolean;
  /** The index behind a PRIMARY KEY constraint. */
  primary: boolean;
  /** Set when the index exists because of a PRIMARY KEY, UNIQUE or EXCLUDE constraint. */
  constraint?: string;
  origin: SchemaOrigin;
}

export interface ForeignKeyModel {
  /** The constraint name (generated as PostgreSQL does when the migration gives none). */
  name: string;
  columns: string[];
  references: { schema: string; table: string; columns: string[] };
  onDelete?: string;
  /** The constraint in the migration (for `fk-without-index`). */
  origin: SchemaOrigin;
}

export interface CheckModel {
  name: string;
  text: string;
  origin: SchemaOrigin;
}

export interface TableModel {
  schema: string;
  name: string;
  /** In definition order. */
  columns: Map<string, ColumnModel>;
  indexes: IndexModel[];
  foreignKeys: ForeignKeyModel[];
  checks: CheckModel[];
  /** The statement that created the table. */
  origin: SchemaOrigin;
  /** Where the table came from: a SQL migration, schema.prisma, … */
  source: SchemaSourceKind;
}

export type SchemaSourceKind = 'migration' | 'prisma-schema' | 'drizzle' | 'typeorm-entity';

/** A statement Shipshape could not apply, with where it is and what to do. */
export interface SchemaProblem {
  file: string;
  range: Range;
  message: string;
}

export class SchemaModel {
  /** Keyed by `schema.name`. */
  readonly tables = new Map<string, TableModel>();
  readonly schemas = new Set<string>(['public']);
  readonly problems: SchemaProblem[] = [];

  /**
   * The table a query names. Qualified names resolve exactly; an unqualified name resolves in
   * `public` first, then in the one other schema that has it (an application that sets its
   * search_path to its own schema). Unknown → undefined: the rules then say nothing.
   */
  lookup(name: string, schema?: string): TableModel | undefined {
    if (schema) return this.tables.get(`${schema}.${name}`);
    const inPublic = this.tables.get(`public.${name}`);
    if (inPublic) return inPublic;
    let found: TableModel | undefined;
    for (const t of this.tables.values()) {
      if (t.name !== name) continue;
      if (found) return undefined;
      found = t;
    }
    return found;
  }

  /** Every table, in creation order. */
  allTables(): TableModel[] {
    return [...this.tables.values()];
  }
}

export function tableKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** `orders` for public tables, `billing.invoices` otherwise. */
export function displayTableName(t: { schema: string; name: string }): string {
  return t.schema === 'public' ? t.name : `${t.schema}.${t.name}`;
}
