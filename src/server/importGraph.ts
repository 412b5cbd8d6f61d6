import * as path from 'node:path';
import ts from 'typescript';

/**
 * Which project files import which, to find the files an edit can change findings in:
 * a function that gains a query in repository.ts makes the loop that calls it in
 * routes.ts an N+1, and routes.ts imports repository.ts (directly or through others).
 *
 * Imports are read from the syntax and resolved with the project's compiler options
 * (paths, baseUrl, extensions), per SourceFile object: the program host keeps the
 * objects of unchanged files, so after an edit only the edited file is resolved again.
 */
export class ImportGraph {
  private readonly importsOf = new WeakMap<ts.SourceFile, string[]>();
  private readonly cache: ts.ModuleResolutionCache;
  private dependents = new Map<string, Set<string>>();
  private builtFrom: readonly ts.SourceFile[] = [];

  constructor(
    private readonly options: ts.CompilerOptions,
    root: string,
  ) {
    this.cache = ts.createModuleResolutionCache(root, (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()), options);
  }

  /** Files that import any of `files`, directly or transitively (not `files` themselves). */
  dependentsOf(program: ts.Program, projectFiles: ReadonlySet<string>, files: Iterable<string>): Set<string> {
    this.update(program, projectFiles);
    const seeds = new Set([...files].map((f) => path.resolve(f)));
    const out = new Set<string>();
    const queue = [...seeds];
    while (queue.length > 0) {
      const file = queue.pop()!;
      for (const dependent of this.dependents.get(file) ?? []) {
        if (out.has(dependent) || seeds.has(dependent)) continue;
        out.add(dependent);
        queue.push(dependent);
      }
    }
    return out;
  }

  private update(program: ts.Program, projectFiles: ReadonlySet<string>): void {
    const sources = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && projectFiles.has(path.resolve(sf.fileName)));
    if (sources.length === this.builtFrom.length && sources.every((sf, i) => sf === this.builtFrom[i])) return;
    const dependents = new Map<string, Set<string>>();
    for (const sf of sources) {
      const from = path.resolve(sf.fileName);
      for (const to of this.resolvedImports(sf)) {
        if (!projectFiles.has(to)) continue;
        let set = dependents.get(to);
        if (!set) dependents.set(to, (set = new Set()));
        set.add(from);
      }
    }
    this.dependents = dependents;
    this.builtFrom = sources;
  }

  private resolvedImports(sf: ts.SourceFile): string[] {
    const cached = this.importsOf.get(sf);
    if (cached) return cached;
    const out: string[] = [];
    for (const specifier of moduleSpecifiers(sf)) {
      // Packages cannot import the project back; only relative and aliased paths matter.
      const resolved = ts.resolveModuleName(specifier, sf.fileName, this.options, ts.sys, this.cache).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport) out.push(path.resolve(resolved.resolvedFileName));
    }
    this.importsOf.set(sf, out);
    return out;
  }
}

/** Every module a file refers to: import/export declarations, `import x = require()`, `require()`, `import()`. */
function moduleSpecifiers(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      out.push(node.moduleReference.expression.text);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      out.push(node.arguments[0].text);
    }
    // Imports live at the top level or inside functions (lazy require); skip nothing.
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
