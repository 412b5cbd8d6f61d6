// Over 400 lines on purpose: one apply step per DDL statement kind, all changing one SchemaModel in PostgreSQL's
// order and sharing its name resolution (search_path, quoting, case folding, default index names).
/**
 * Builds a `SchemaModel` by applying DDL statements in order, as PostgreSQL would: CREATE/ALTER/
 * DROP TABLE, ADD/DROP/RENAME COLUMN, RENAME TABLE, CREATE/DROP INDEX, PRIMARY KEY/UNIQUE/FOREIGN
 * KEY/CHECK/EXCLUDE constraints, schemas and `SET search_path`. Statements PostgreSQL rejected
 * become problems; anything else that is not DDL (INSERT, CREATE FUNCTION, GRANT, …) is skipped.
 * Naming of unnamed constraints and indexes follows PostgreSQL (`orders_pkey`,
 * `orders_user_id_fkey`, `orders_email_key`, `orders_user_id_idx`).
 *
 * Why one file of ~580 lines: it is one state machine (the model, the current search_path and
 * file) whose DDL handlers share the same lookups (findTable, findIndex, lookupSchema) and the
 * same invariants (a rename or drop follows into indexes, predicates and every table's foreign
 * keys). Split by statement kind, each part would need the whole state and those invariants
 * would be spread over files; the helpers at the bottom are the only parts that stand alone.
 */
import type { Range } from '../finding';
import { columnRef, expressionKey, expressionText, fieldsOf, qualifiedName, relationName, stringList, typeNameText, unwrap, type PgNode, type RelationName } from './ast';
import { plpgsqlStatements, splitStatements } from './parser';
import { SchemaModel, tableKey, type ColumnModel, type IndexKey, type IndexModel, type SchemaOrigin, type SchemaSourceKind, type TableModel } from './schema';

/** One statement to apply, with enough to place what it defines in its file. */
export interface SchemaStatement {
  /** Absolute path of the file the statement is in. */
  file: string;
  sql: string;
  /** The statement's 0-based range in its file. */
  range: Range;
  /** Parse tree (one statement node) when PostgreSQL accepted the statement. */
  ast?: PgNode;
  /** Why PostgreSQL rejected it, placed in the file. */
  error?: { message: string; range: Range };
  /** File range of `[from, to)`, UTF-16 offsets into `sql`. */
  rangeIn(from: number, to: number): Range;
  /** UTF-16 offset into `sql` of a parse-tree `location`. */
  offsetOf(location: number): number;
  /** Where the statement came from; `migration` unless said otherwise. */
  source?: SchemaSourceKind;
}

export class SchemaBuilder {
  readonly model = new SchemaModel();
  /** Schema for unqualified CREATEs (the first entry of the current search_path). */
  private currentSchema = 'public';
  private currentFile: string | undefined;

  applyAll(statements: Iterable<SchemaStatement>): SchemaModel {
    for (const s of statements) this.apply(s);
    return this.model;
  }

  apply(stmt: SchemaStatement): void {
    if (stmt.file !== this.currentFile) {
      // Migration tools run each file in its own session (or reset it): a `SET search_path`
      // does not leak into the next file.
      this.currentFile = stmt.file;
      this.currentSchema = 'public';
    }
    if (stmt.error) {
      this.model.problems.push({
        file: stmt.file,
        range: stmt.error.range,
        message: `PostgreSQL rejects this statement (${stmt.error.message}); it is skipped, so the schema Shipshape checks queries against lacks what it defines. Fix the statement, or leave the file out through \`migrations\` in shipshape.config.json.`,
      });
      return;
    }
    const node = unwrap(stmt.ast);
    if (!node) return;
    try {
      this.applyNode(node.kind, node.fields, stmt);
    } catch (err) {
      // A shape of DDL this builder does not know: skip it rather than lose the whole schema.
      this.model.problems.push({ file: stmt.file, range: stmt.range, message: `Shipshape could not apply this statement (${(err as Error).message}); it is skipped.` });
    }
  }

  private applyNode(kind: string, f: PgNode, stmt: SchemaStatement): void {
    switch (kind) {
      case 'CreateStmt':
        return this.createTable(f, stmt);
      case 'AlterTableStmt':
        return this.alterTable(f, stmt);
      case 'IndexStmt':
        return this.createIndex(f, stmt);
      case 'RenameStmt':
        return this.rename(f);
      case 'DropStmt':
        return this.drop(f);
      case 'CreateSchemaStmt':
        if (f.schemaname) this.model.schemas.add(f.schemaname);
        for (const el of (f.schemaElts as unknown[] | undefined) ?? []) {
          const inner = unwrap(el);
          if (!inner) continue;
          const saved = this.currentSchema;
          this.currentSchema = f.schemaname ?? saved;
          this.applyNode(inner.kind, inner.fields, stmt);
          this.currentSchema = saved;
        }
        return;
      case 'AlterObjectSchemaStmt':
        if (f.objectType === 'OBJECT_TABLE') this.moveTable(relationName(f.relation), f.newschema);
        return;
      case 'DoStmt':
        return this.doBlock(f, stmt);
      case 'VariableSetStmt':
        if (f.name === 'search_path' && Array.isArray(f.args)) {
          const first = f.args.map((a: unknown) => fieldsOf(a, 'A_Const')?.sval?.sval).find((s: unknown) => typeof s === 'string' && s !== '$user');
          if (typeof first === 'string') this.currentSchema = first;
        } else if (f.kind === 'VAR_RESET' && f.name === 'search_path') this.currentSchema = 'public';
        return;
      default:
        return;
    }
  }

  /**
   * `DO $$ … $$`: the DDL its PL/pgSQL body runs, applied as if written at the top level. This is
   * how drizzle-kit (before 0.31) and hand-written idempotent migrations add foreign keys
   * (`BEGIN ALTER TABLE … ADD CONSTRAINT … EXCEPTION WHEN duplicate_object THEN null; END`) and
   * guard DDL with `IF NOT EXISTS (…) THEN … END IF`: the statement is applied whatever the
   * condition, which is what a migration run on a fresh database does.
   */
  private doBlock(f: PgNode, stmt: SchemaStatement): void {
    const language = ((f.args as unknown[] | undefined) ?? []).map((a) => fieldsOf(a, 'DefElem')).find((d) => d?.defname === 'language');
    const languageName = fieldsOf(language?.arg, 'String')?.sval;
    if (languageName && String(languageName).toLowerCase() !== 'plpgsql') return;
    const body = ((f.args as unknown[] | undefined) ?? []).map((a) => fieldsOf(a, 'DefElem')).find((d) => d?.defname === 'as');
    const text = fieldsOf(body?.arg, 'String')?.sval;
    if (typeof text !== 'string') return;
    const bodyAt = stmt.sql.indexOf(text);
    const base = bodyAt < 0 ? undefined : bodyAt;
    for (const inner of plpgsqlStatements(text)) {
      for (const s of splitStatements(inner.text)) {
        if (!s.ast) continue;
        const at = base === undefined ? undefined : base + inner.offset + s.start;
        const rangeIn = (from: number, to: number): Range => (at === undefined ? stmt.range : stmt.rangeIn(at + from, at + to));
        const node = unwrap(s.ast);
        if (!node) continue;
        this.applyNode(node.kind, node.fields, {
          ...stmt,
          sql: s.text,
          ast: s.ast,
          range: rangeIn(0, s.text.length),
          rangeIn,
          offsetOf: (location: number) => s.offsetOf(location) - s.start,
        });
      }
    }
  }

  // ---- tables -------------------------------------------------------------------------------

  private createTable(f: PgNode, stmt: SchemaStatement): void {
    const rel = relationName(f.relation);
    if (!rel) return;
    if (f.partbound) return; // `PARTITION OF parent`: queries go through the parent.
    const schema = rel.schema ?? this.currentSchema;
    const key = tableKey(schema, rel.name);
    if (this.model.tables.has(key)) {
      if (f.if_not_exists) return;
      this.model.tables.delete(key); // a re-definition (a dump after the migrations): the later one wins.
    }
    const origin: SchemaOrigin = { file: stmt.file, range: stmt.range };
    const table: TableModel = { schema, name: rel.name, columns: new Map(), indexes: [], foreignKeys: [], checks: [], origin, source: stmt.source ?? 'migration' };
    this.model.schemas.add(schema);
    this.model.tables.set(key, table);
    for (const el of (f.tableElts as unknown[] | undefined) ?? []) {
      const u = unwrap(el);
      if (u?.kind === 'ColumnDef') this.addColumn(table, u.fields, stmt);
      else if (u?.kind === 'Constraint') this.addConstraint(table, u.fields, stmt);
    }
  }

  private addColumn(table: TableModel, def: PgNode, stmt: SchemaStatement): void {
    const name: string = def.colname;
    if (!name) return;
    const typeName = typeNameText(def.typeName);
    const serial = /^(small|big)?serial[248]?$/.test(typeName);
    const column: ColumnModel = {
      name,
      type: typeName,
      nullable: !serial,
      default: serial ? `nextval('${table.name}_${name}_seq')` : undefined,
      origin: { file: stmt.file, range: def.location !== undefined ? this.rangeToEnd(stmt, def.location) : stmt.range },
    };
    table.columns.set(name, column);
    for (const c of (def.constraints as unknown[] | undefined) ?? []) {
      const con = fieldsOf(c, 'Constraint');
      if (!con) continue;
      switch (con.contype) {
        case 'CONSTR_NOTNULL':
          column.nullable = false;
          break;
        case 'CONSTR_NULL':
          column.nullable = true;
          break;
        case 'CONSTR_DEFAULT':
          column.default = con.raw_expr ? expressionText(con.raw_expr) : undefined;
          break;
        case 'CONSTR_IDENTITY':
          column.nullable = false;
          column.default = 'generated as identity';
          break;
        case 'CONSTR_GENERATED':
          column.default = `generated always as (${expressionText(con.raw_expr)})`;
          break;
        default:
          // PRIMARY KEY, UNIQUE, REFERENCES, CHECK written on the column: the same as the table
          // constraint on that one column.
          this.addConstraint(table, { ...con, keys: con.keys ?? [{ String: { sval: name } }], fk_attrs: con.fk_attrs ?? [{ String: { sval: name } }] }, stmt, name);
      }
    }
  }

  private addConstraint(table: TableModel, con: PgNode, stmt: SchemaStatement, columnName?: string): void {
    const origin: SchemaOrigin = { file: stmt.file, range: con.location !== undefined ? this.rangeToEnd(stmt, con.location) : stmt.range };
    switch (con.contype) {
      case 'CONSTR_PRIMARY':
      case 'CONSTR_UNIQUE': {
        const primary = con.contype === 'CONSTR_PRIMARY';
        if (con.indexname) {
          // `ADD CONSTRAINT … UNIQUE USING INDEX ix`: an existing index becomes the constraint.
          const ix = table.indexes.find((i) => i.name === con.indexname);
          if (ix) {
            ix.unique = true;
            ix.primary = primary;
            ix.constraint = con.conname ?? ix.name;
            if (con.conname) ix.name = con.conname;
            if (primary) for (const k of ix.keys) if (k.column) this.setNotNull(table, k.column);
          }
          return;
        }
        const columns = stringList(con.keys);
        if (columns.length === 0) return;
        if (primary) for (const c of columns) this.setNotNull(table, c);
        const name = con.conname ?? (primary ? `${table.name}_pkey` : `${table.name}_${columns.join('_')}_key`);
        if (primary) table.indexes = table.indexes.filter((i) => !i.primary);
        table.indexes.push({
          name,
          method: 'btree',
          keys: columns.map((column) => ({ column, descending: false })),
          include: stringList(con.including),
          unique: true,
          primary,
          constraint: name,
          origin,
        });
        return;
      }
      case 'CONSTR_FOREIGN': {
        const ref = relationName(con.pktable);
        if (!ref) return;
        const columns = stringList(con.fk_attrs).length > 0 ? stringList(con.fk_attrs) : columnName ? [columnName] : [];
        const refSchema = ref.schema ?? this.lookupSchema(ref.name);
        let refColumns = stringList(con.pk_attrs);
        if (refColumns.length === 0) {
          // `REFERENCES users` means the referenced table's primary key.
          const target = this.model.tables.get(tableKey(refSchema, ref.name)) ?? (ref.name === table.name ? table : undefined);
          refColumns = target?.indexes.find((i) => i.primary)?.keys.flatMap((k) => (k.column ? [k.column] : [])) ?? [];
        }
        table.foreignKeys.push({
          name: con.conname ?? `${table.name}_${columns.join('_')}_fkey`,
          columns,
          references: { schema: refSchema, table: ref.name, columns: refColumns },
          onDelete: FK_ACTIONS[con.fk_del_action as string],
          origin,
        });
        return;
      }
      case 'CONSTR_CHECK':
        table.checks.push({ name: con.conname ?? `${table.name}_${columnName ? columnName + '_' : ''}check`, text: expressionText(con.raw_expr), origin });
        return;
      case 'CONSTR_EXCLUSION': {
        // EXCLUDE USING gist (room WITH =, during WITH &&) is backed by an index of that method.
        const keys: IndexKey[] = [];
        for (const pair of (con.exclusions as unknown[] | undefined) ?? []) {
          const items = fieldsOf(pair, 'List')?.items as unknown[] | undefined;
          const elem = items && fieldsOf(items[0], 'IndexElem');
          if (elem) keys.push(this.indexKey(elem));
        }
        const name = con.conname ?? `${table.name}_${keys.map((k) => k.column ?? 'expr').join('_')}_excl`;
        table.indexes.push({ name, method: con.access_method ?? 'btree', keys, include: [], unique: false, primary: false, constraint: name, origin });
        return;
      }
      default:
        return;
    }
  }

  private alterTable(f: PgNode, stmt: SchemaStatement): void {
    if (f.objtype && f.objtype !== 'OBJECT_TABLE') return;
    const table = this.findTable(relationName(f.relation));
    if (!table) return;
    for (const c of (f.cmds as unknown[] | undefined) ?? []) {
      const cmd = fieldsOf(c, 'AlterTableCmd');
      if (!cmd) continue;
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const def = fieldsOf(cmd.def, 'ColumnDef');
          if (def && !(cmd.missing_ok && table.columns.has(def.colname))) this.addColumn(table, def, stmt);
          break;
        }
        case 'AT_DropColumn':
          this.dropColumn(table, cmd.name);
          break;
        case 'AT_AddConstraint': {
          const con = fieldsOf(cmd.def, 'Constraint');
          if (con) this.addConstraint(table, con, stmt);
          break;
        }
        case 'AT_DropConstraint':
          this.dropConstraint(table, cmd.name);
          break;
        case 'AT_SetNotNull':
          this.setNotNull(table, cmd.name);
          break;
        case 'AT_DropNotNull': {
          const col = table.columns.get(cmd.name);
          if (col) col.nullable = true;
          break;
        }
        case 'AT_ColumnDefault': {
          const col = table.columns.get(cmd.name);
          if (col) col.default = cmd.def ? expressionText(cmd.def) : undefined;
          break;
        }
        case 'AT_AlterColumnType': {
          const col = table.columns.get(cmd.name);
          const def = fieldsOf(cmd.def, 'ColumnDef');
          if (col && def?.typeName) col.type = typeNameText(def.typeName);
          break;
        }
        default:
          break;
      }
    }
  }

  private setNotNull(table: TableModel, column: string): void {
    const col = table.columns.get(column);
    if (col) col.nullable = false;
  }

  private dropColumn(table: TableModel, column: string): void {
    table.columns.delete(column);
    // PostgreSQL drops the indexes and constraints that involve a dropped column.
    table.indexes = table.indexes.filter((i) => !indexColumns(i).includes(column));
    table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(column));
  }

  private dropConstraint(table: TableModel, name: string): void {
    table.indexes = table.indexes.filter((i) => i.constraint !== name);
    table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== name);
    table.checks = table.checks.filter((c) => c.name !== name);
  }

  // ---- indexes ------------------------------------------------------------------------------

  private createIndex(f: PgNode, stmt: SchemaStatement): void {
    const table = this.findTable(relationName(f.relation));
    if (!table) return;
    const keys = ((f.indexParams as unknown[] | undefined) ?? []).flatMap((p) => {
      const elem = fieldsOf(p, 'IndexElem');
      return elem ? [this.indexKey(elem)] : [];
    });
    const name: string = f.idxname ?? defaultIndexName(table.name, keys);
    if (this.findIndex(table.schema, name)) return; // IF NOT EXISTS, or a second run of the same name.
    const index: IndexModel = {
      name,
      method: f.accessMethod ?? 'btree',
      keys,
      include: ((f.indexIncludingParams as unknown[] | undefined) ?? []).flatMap((p) => {
        const n = fieldsOf(p, 'IndexElem')?.name;
        return typeof n === 'string' ? [n] : [];
      }),
      predicate: f.whereClause ? { ast: f.whereClause, text: expressionText(f.whereClause) } : undefined,
      unique: !!f.unique,
      primary: !!f.primary,
      origin: { file: stmt.file, range: stmt.range },
    };
    table.indexes.push(index);
  }

  private indexKey(elem: PgNode): IndexKey {
    const opclass = stringList(elem.opclass).join('.') || undefined;
    const descending = elem.ordering === 'SORTBY_DESC';
    if (typeof elem.name === 'string') return { column: elem.name, descending, opclass };
    // `(email)` parses as an expression that is a bare column: PostgreSQL treats it as the column.
    const bare = columnRef(elem.expr);
    if (bare && !bare.qualifier) return { column: bare.column, descending, opclass };
    return { expression: { key: expressionKey(elem.expr), text: expressionText(elem.expr), columns: columnsIn(elem.expr), ast: elem.expr }, descending, opclass };
  }

  private findIndex(schema: string, name: string): { table: TableModel; index: IndexModel } | undefined {
    for (const table of this.model.tables.values()) {
      if (table.schema !== schema) continue;
      const index = table.indexes.find((i) => i.name === name);
      if (index) return { table, index };
    }
    return undefined;
  }

  // ---- renames and drops --------------------------------------------------------------------

  private rename(f: PgNode): void {
    switch (f.renameType) {
      case 'OBJECT_TABLE': {
        const table = this.findTable(relationName(f.relation));
        if (!table || !f.newname) return;
        this.rekey(table, table.schema, f.newname);
        return;
      }
      case 'OBJECT_COLUMN': {
        const table = this.findTable(relationName(f.relation));
        if (table && f.subname && f.newname) this.renameColumn(table, f.subname, f.newname);
        return;
      }
      case 'OBJECT_INDEX': {
        const rel = relationName(f.relation);
        if (!rel || !f.newname) return;
        const found = this.findIndex(rel.schema ?? this.lookupIndexSchema(rel.name), rel.name);
        if (found) {
          if (found.index.constraint === found.index.name) found.index.constraint = f.newname;
          found.index.name = f.newname;
        }
        return;
      }
      case 'OBJECT_TABCONSTRAINT': {
        const table = this.findTable(relationName(f.relation));
        if (!table || !f.subname || !f.newname) return;
        for (const i of table.indexes) if (i.constraint === f.subname) (i.constraint = f.newname), (i.name = f.newname);
        for (const fk of table.foreignKeys) if (fk.name === f.subname) fk.name = f.newname;
        for (const c of table.checks) if (c.name === f.subname) c.name = f.newname;
        return;
      }
      case 'OBJECT_SCHEMA': {
        if (!f.subname || !f.newname) return;
        for (const t of [...this.model.tables.values()]) if (t.schema === f.subname) this.rekey(t, f.newname, t.name);
        this.model.schemas.delete(f.subname);
        this.model.schemas.add(f.newname);
        return;
      }
      default:
        return;
    }
  }

  private rekey(table: TableModel, schema: string, name: string): void {
    const oldSchema = table.schema;
    const oldName = table.name;
    this.model.tables.delete(tableKey(oldSchema, oldName));
    table.schema = schema;
    table.name = name;
    this.model.tables.set(tableKey(schema, name), table);
    this.model.schemas.add(schema);
    for (const t of this.model.tables.values()) {
      for (const fk of t.foreignKeys) {
        if (fk.references.schema === oldSchema && fk.references.table === oldName) fk.references = { ...fk.references, schema, table: name };
      }
    }
  }

  private moveTable(rel: RelationName | undefined, newSchema: string | undefined): void {
    const table = this.findTable(rel);
    if (table && newSchema) this.rekey(table, newSchema, table.name);
  }

  private renameColumn(table: TableModel, from: string, to: string): void {
    const col = table.columns.get(from);
    if (!col) return;
    // Keep definition order: rebuild the map with the new name in place.
    const entries = [...table.columns.entries()].map(([k, v]): [string, ColumnModel] => (k === from ? [to, { ...v, name: to }] : [k, v]));
    table.columns.clear();
    for (const [k, v] of entries) table.columns.set(k, v);
    const swap = (c: string) => (c === from ? to : c);
    for (const i of table.indexes) {
      i.include = i.include.map(swap);
      i.keys = i.keys.map((k) => {
        if (k.column) return { ...k, column: swap(k.column) };
        if (!k.expression) return k;
        const ast = renameColumnRefs(k.expression.ast, from, to);
        return { ...k, expression: { key: expressionKey(ast), text: expressionText(ast), columns: columnsIn(ast), ast } };
      });
      if (i.predicate) {
        const ast = renameColumnRefs(i.predicate.ast, from, to);
        i.predicate = { ast, text: expressionText(ast) };
      }
    }
    for (const fk of table.foreignKeys) fk.columns = fk.columns.map(swap);
    for (const t of this.model.tables.values()) {
      for (const fk of t.foreignKeys) {
        if (fk.references.schema === table.schema && fk.references.table === table.name) fk.references = { ...fk.references, columns: fk.references.columns.map(swap) };
      }
    }
  }

  private drop(f: PgNode): void {
    const objects = ((f.objects as unknown[] | undefined) ?? []).map((o) => qualifiedName(stringList(fieldsOf(o, 'List')?.items ?? [])));
    switch (f.removeType) {
      case 'OBJECT_TABLE':
        for (const rel of objects) {
          const table = this.findTable(rel);
          if (!table) continue;
          this.model.tables.delete(tableKey(table.schema, table.name));
          // The foreign keys that pointed at it went with it (DROP … CASCADE; without CASCADE
          // PostgreSQL refuses, and the migration would not have run).
          for (const t of this.model.tables.values()) t.foreignKeys = t.foreignKeys.filter((fk) => !(fk.references.schema === table.schema && fk.references.table === table.name));
        }
        return;
      case 'OBJECT_INDEX':
        for (const rel of objects) {
          if (!rel) continue;
          const found = this.findIndex(rel.schema ?? this.lookupIndexSchema(rel.name), rel.name);
          if (found) found.table.indexes = found.table.indexes.filter((i) => i !== found.index);
        }
        return;
      case 'OBJECT_SCHEMA': {
        const names = ((f.objects as unknown[] | undefined) ?? []).flatMap((o) => {
          const s = fieldsOf(o, 'String')?.sval;
          return typeof s === 'string' ? [s] : [];
        });
        for (const s of names) {
          this.model.schemas.delete(s);
          for (const t of [...this.model.tables.values()]) if (t.schema === s) this.model.tables.delete(tableKey(t.schema, t.name));
        }
        return;
      }
      default:
        return;
    }
  }

  // ---- lookup -------------------------------------------------------------------------------

  private findTable(rel: RelationName | undefined): TableModel | undefined {
    if (!rel) return undefined;
    if (rel.schema) return this.model.tables.get(tableKey(rel.schema, rel.name));
    return this.model.tables.get(tableKey(this.currentSchema, rel.name)) ?? this.model.tables.get(tableKey('public', rel.name));
  }

  private lookupSchema(name: string): string {
    if (this.model.tables.has(tableKey(this.currentSchema, name))) return this.currentSchema;
    if (this.model.tables.has(tableKey('public', name))) return 'public';
    return this.currentSchema;
  }

  private lookupIndexSchema(name: string): string {
    if (this.findIndex(this.currentSchema, name)) return this.currentSchema;
    return 'public';
  }

  /** From a parse-tree location to the end of that clause (next top-level `,` or `)`), as a file range. */
  private rangeToEnd(stmt: SchemaStatement, location: number): Range {
    const from = stmt.offsetOf(location);
    return stmt.rangeIn(from, clauseEnd(stmt.sql, from));
  }
}

// 'a' (NO ACTION) is the default and left out.
const FK_ACTIONS: Record<string, string> = { c: 'cascade', n: 'set null', d: 'set default', r: 'restrict' };

/** Every column an index reads: keys, expression columns, INCLUDE and predicate columns. */
export function indexColumns(index: IndexModel): string[] {
  const out = new Set<string>();
  for (const k of index.keys) {
    if (k.column) out.add(k.column);
    for (const c of k.expression?.columns ?? []) out.add(c);
  }
  for (const c of index.include) out.add(c);
  if (index.predicate) for (const c of columnsIn(index.predicate.ast)) out.add(c);
  return [...out];
}

/** Column names an expression reads (unqualified last fields of its ColumnRefs). */
export function columnsIn(node: unknown): string[] {
  const out = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const ref = columnRef(n);
    if (ref) {
      out.add(ref.column);
      return;
    }
    for (const v of Object.values(n)) walk(v);
  };
  walk(node);
  return [...out];
}

function renameColumnRefs(node: PgNode, from: string, to: string): PgNode {
  return JSON.parse(JSON.stringify(node), (key, value) => {
    if (key === 'ColumnRef' && value && Array.isArray(value.fields)) {
      const fields = value.fields.map((f: PgNode, i: number) => (i === value.fields.length - 1 && f.String?.sval === from ? { String: { sval: to } } : f));
      return { ...value, fields };
    }
    return value;
  });
}

/** PostgreSQL's name for an unnamed index: `<table>_<col>_<col>_idx`, `expr` for expressions. */
function defaultIndexName(table: string, keys: IndexKey[]): string {
  const parts = keys.map((k) => k.column ?? (k.expression?.columns[0] ?? 'expr'));
  return `${table}_${parts.join('_')}_idx`.slice(0, 63);
}

/** End of a clause starting at `from`: the next `,` or `)` at depth 0 outside quotes. */
function clauseEnd(sql: string, from: number): number {
  let depth = 0;
  for (let i = from; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const close = sql.indexOf(c, i + 1);
      if (close < 0) return sql.length;
      i = close;
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return trimRight(sql, i);
      depth--;
    } else if ((c === ',' || c === ';') && depth === 0) return trimRight(sql, i);
  }
  return trimRight(sql, sql.length);
}

function trimRight(sql: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(sql[e - 1])) e--;
  return e;
}
