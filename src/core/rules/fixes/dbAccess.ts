import ts from 'typescript';
import type { DbClient } from '../../http/dbclients';
import { canonicalSymbol } from '../../http/syntax';
import { relativeSpecifier, type ImportRequest } from './codeStyle';

export interface ReachableClients {
  /** Clients usable at the insertion point, by the name to use there. */
  usable: Array<{ client: DbClient; name: string }>;
  /** Imports the file needs for them. */
  imports: ImportRequest[];
  /** Clients the file cannot reach (not exported, or the name is taken): mentioned in a comment. */
  unreachable: DbClient[];
}

/**
 * Which of the project's database clients code inserted into `target` at `at`
 * can use, and the imports that takes.
 */
export function reachClients(checker: ts.TypeChecker, target: ts.SourceFile, at: ts.Node, clients: readonly DbClient[]): ReachableClients {
  const out: ReachableClients = { usable: [], imports: [], unreachable: [] };
  const inScope = new Map<string, ts.Symbol>();
  for (const s of checker.getSymbolsInScope(at, ts.SymbolFlags.Value | ts.SymbolFlags.Alias)) inScope.set(s.name, s);
  const seen = new Set<string>();
  for (const client of clients) {
    const declared = checker.getSymbolAtLocation(client.declaration.name);
    const declSymbol = declared && canonicalSymbol(checker, declared);
    const existing = inScope.get(client.name);
    if (existing) {
      if (canonicalSymbol(checker, existing) === declSymbol) add(client, client.name, []);
      else out.unreachable.push(client);
      continue;
    }
    if (client.sourceFile === target) {
      // Module-level, so visible everywhere in its file.
      add(client, client.name, []);
      continue;
    }
    if (client.exported === 'none') {
      out.unreachable.push(client);
      continue;
    }
    add(client, client.name, [{ name: client.name, from: specifierFor(checker, target, client.sourceFile), kind: client.exported === 'default' ? 'default' : 'named' }]);
  }
  // A client the file cannot import (a seed script's own PrismaClient, say) is only worth a
  // comment when no reachable client of the same library is there to do the job.
  out.unreachable = out.unreachable.filter((c) => !out.usable.some((u) => u.client.library === c.library));
  return out;

  function add(client: DbClient, name: string, imports: ImportRequest[]): void {
    const key = `${client.sourceFile.fileName}#${client.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const extra: ImportRequest[] = [];
    for (const imp of client.imports ?? []) {
      const have = inScope.get(imp.name);
      if (have) {
        // Already imported from that package: nothing to add; taken by something else: skip the client.
        const decl = have.declarations?.[0];
        const from = decl && ts.isImportSpecifier(decl) ? (decl.parent.parent.parent.moduleSpecifier as ts.StringLiteral).text : undefined;
        if (from !== imp.from) {
          out.unreachable.push(client);
          return;
        }
        continue;
      }
      extra.push({ name: imp.name, from: imp.from, kind: 'named' });
    }
    out.usable.push({ client, name });
    out.imports.push(...imports, ...extra);
  }
}

/** How `target` already imports `file` (`@/db`, `./db.js`), so new names join that import; else a relative path. */
function specifierFor(checker: ts.TypeChecker, target: ts.SourceFile, file: ts.SourceFile): string {
  for (const st of target.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    if (checker.getSymbolAtLocation(st.moduleSpecifier)?.valueDeclaration === file) return st.moduleSpecifier.text;
  }
  return relativeSpecifier(target, file.fileName);
}
