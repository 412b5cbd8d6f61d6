import ts from 'typescript';
import { DB_LIBRARIES, dbLibraryOf, type DbClientShape, type DbLibraryDescriptor } from '../db/libraries';
import type { Provenance, ProvenanceResolver } from '../ts/provenance';
import { isTestSource } from './syntax';

/**
 * Database clients the project creates at module level (`export const pool = new Pool()`),
 * recognised by import provenance, with what a readiness probe and a shutdown
 * handler should call on them. Quick fixes use these to check and close the
 * database the project really uses.
 *
 * Where each library's client comes from and the code that pings and closes it is in the
 * library's descriptor (`clients` in `core/db/libraries/<id>.ts`).
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
  imports?: ReadonlyArray<{ name: string; from: string }>;
}

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
  return out;
}

function shapeOf(p: Provenance | undefined): (DbClientShape & { library: string }) | undefined {
  if (!p) return undefined;
  const library = dbLibraryOf(p.module);
  if (!library) return undefined;
  let path = p.path[0] === 'default' ? p.path.slice(1) : p.path;
  // `new PrismaClient().$extends(...)` is still a Prisma client.
  while (path.length >= 2 && path[path.length - 2] === '$extends' && path[path.length - 1] === '()') path = path.slice(0, -2);
  const descriptor: DbLibraryDescriptor = DB_LIBRARIES[library];
  const shape = descriptor.clients?.find((c) => c.paths.some((sp) => sp.length === path.length && sp.every((s, i) => s === '*' || s === path[i])));
  return shape && { ...shape, library };
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
