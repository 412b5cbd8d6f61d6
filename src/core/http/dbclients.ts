import ts from 'typescript';
import type { Provenance, ProvenanceResolver } from '../ts/provenance';
import { isTestSource } from './syntax';

/**
 * Database clients the project creates at module level (`export const pool = new Pool()`),
 * recognised by import provenance, with what a readiness probe and a shutdown
 * handler should call on them. Quick fixes use these to check and close the
 * database the project really uses.
 *
 * To add a library, add a `ClientShape`: where its client comes from and the
 * code (`%` stands for the variable) that pings and closes it.
 */
export interface DbClient {
  library: string;
  /** The variable that holds the client. */
  name: string;
  declaration: ts.VariableDeclaration;
  sourceFile: ts.SourceFile;
  /** How the file exports it: a named export, the default export, or not at all. */
  exported: 'named' | 'default' | 'none';
  /** An awaitable expression that fails when the database does not answer. */
  ping?: string;
  /** An awaitable expression that closes the client's connections. */
  close?: string;
  /** Package imports `ping`/`close` need (`sql` from kysely). */
  imports?: Array<{ name: string; from: string }>;
}

interface ClientShape {
  library: string;
  modules: string[];
  /** Export path (leading `default` removed); `*` matches any one segment. Extra trailing `$extends()` calls are allowed. */
  paths: string[][];
  ping?: string;
  close?: string;
  imports?: Array<{ name: string; from: string }>;
}

const SHAPES: ClientShape[] = [
  { library: 'pg', modules: ['pg', 'pg-pool'], paths: [['Pool', '()'], ['Client', '()'], ['()']], ping: "%.query('SELECT 1')", close: '%.end()' },
  { library: 'postgres', modules: ['postgres'], paths: [['()']], ping: '%`SELECT 1`', close: '%.end({ timeout: 5 })' },
  { library: 'prisma', modules: ['@prisma/client'], paths: [['PrismaClient', '()']], ping: '%.$queryRaw`SELECT 1`', close: '%.$disconnect()' },
  { library: 'typeorm', modules: ['typeorm'], paths: [['DataSource', '()']], ping: "%.query('SELECT 1')", close: '%.destroy()' },
  { library: 'knex', modules: ['knex'], paths: [['()'], ['knex', '()']], ping: "%.raw('SELECT 1')", close: '%.destroy()' },
  { library: 'kysely', modules: ['kysely'], paths: [['Kysely', '()']], ping: '%.selectNoFrom((eb) => eb.val(1).as(\'ok\')).execute()', close: '%.destroy()' },
  { library: 'mysql2', modules: ['mysql2'], paths: [['createPool', '()'], ['createConnection', '()']], ping: "%.query('SELECT 1')", close: '%.end()' },
  { library: 'sequelize', modules: ['sequelize', 'sequelize-typescript'], paths: [['Sequelize', '()']], ping: '%.authenticate()', close: '%.close()' },
  { library: 'mikro-orm', modules: ['@mikro-orm/core', '@mikro-orm/postgresql'], paths: [['MikroORM', 'init', '()']], ping: "%.em.getConnection().execute('SELECT 1')", close: '%.close()' },
  { library: 'drizzle', modules: ['drizzle-orm'], paths: [['drizzle', '()']], ping: '%.execute(sql`SELECT 1`)', imports: [{ name: 'sql', from: 'drizzle-orm' }] },
];

export function findDbClients(provenance: ProvenanceResolver, files: readonly ts.SourceFile[], root: string): DbClient[] {
  const out: DbClient[] = [];
  for (const sf of files) {
    if (sf.isDeclarationFile || isTestSource(root, sf)) continue;
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st)) continue;
      const exportedNamed = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
      for (const decl of st.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name) || !decl.initializer) continue;
        const shape = shapeOf(provenance.of(decl.initializer));
        if (!shape) continue;
        const name = decl.name.text;
        const exported = exportedNamed ? 'named' : exportKind(sf, name);
        out.push({
          library: shape.library,
          name,
          declaration: decl,
          sourceFile: sf,
          exported,
          ping: shape.ping?.split('%').join(name),
          close: shape.close?.split('%').join(name),
          imports: shape.imports,
        });
      }
    }
  }
  // A drizzle instance usually wraps a pool found above: closing the pool is enough.
  return out;
}

function shapeOf(p: Provenance | undefined): ClientShape | undefined {
  if (!p) return undefined;
  let path = p.path[0] === 'default' ? p.path.slice(1) : p.path;
  // `new PrismaClient().$extends(...)` is still a Prisma client.
  while (path.length >= 2 && path[path.length - 2] === '$extends' && path[path.length - 1] === '()') path = path.slice(0, -2);
  for (const shape of SHAPES) {
    if (!shape.modules.includes(p.module)) continue;
    if (shape.paths.some((sp) => sp.length === path.length && sp.every((s, i) => s === '*' || s === path[i]))) return shape;
  }
  return undefined;
}

/** `export { pool }`, `export default pool`. */
function exportKind(sf: ts.SourceFile, name: string): DbClient['exported'] {
  for (const st of sf.statements) {
    if (ts.isExportAssignment(st) && !st.isExportEquals && ts.isIdentifier(st.expression) && st.expression.text === name) return 'default';
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        if ((el.propertyName ?? el.name).text === name && el.name.text === name) return 'named';
      }
    }
  }
  return 'none';
}
