import * as path from 'node:path';
import ts from 'typescript';
import { digestOf } from '../ts/fileDigest';
import { absolutePath } from './absolutePath';

/**
 * Which project files import which, read backwards: the files an edit can change findings in.
 * A function that gains a query in repository.ts makes the loop that calls it in routes.ts an
 * N+1, and routes.ts imports repository.ts (directly or through others). The language server
 * asks it which files to re-analyse after an edit; the call graph, which cached facts to drop.
 *
 * Imports are read from the syntax (import/export declarations, `import x = require()`,
 * `require()`, `import()`) and resolved as the program resolved them — which includes a sibling
 * workspace package imported by a bare name (`@corp/persistence`, mapped to its sources by the
 * program host) — else with the project's compiler options (paths, baseUrl, extensions). Per
 * SourceFile object: the program host keeps the objects of unchanged files, so after an edit
 * only the edited file is read and resolved again.
 */
export class DependentsGraph {
  private readonly importsBySource = new WeakMap<ts.SourceFile, string[]>();
  private readonly cache: ts.ModuleResolutionCache;
  /** The SourceFile each file's edges were read from. */
  private readonly indexed = new Map<string, ts.SourceFile>();
  private readonly dependents = new Map<string, Set<string>>();

  constructor(private readonly options: ts.CompilerOptions, root: string) {
    this.cache = ts.createModuleResolutionCache(root, (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()), options);
  }

  /**
   * Brings the graph in step with `program`, re-reading only files whose SourceFile changed.
   * `isProjectFile` says which files take part (package declarations import nothing of ours).
   */
  update(program: ts.Program, isProjectFile: (file: string) => boolean): void {
    const current = new Set<string>();
    for (const sf of program.getSourceFiles()) {
      const file = absolutePath(sf.fileName);
      if (!isProjectFile(file)) continue;
      current.add(file);
      const before = this.indexed.get(file);
      if (before === sf) continue;
      if (before) this.unlink(file, before);
      for (const to of this.importsOf(sf, program)) {
        let set = this.dependents.get(to);
        if (!set) this.dependents.set(to, (set = new Set()));
        set.add(file);
      }
      this.indexed.set(file, sf);
    }
    for (const [file, sf] of this.indexed) {
      if (current.has(file)) continue;
      this.unlink(file, sf);
      this.indexed.delete(file);
    }
  }

  /** Files that import any of `files`, directly or transitively (not `files` themselves), as of the last `update`. */
  dependentsOf(files: Iterable<string>): Set<string> {
    const seeds = new Set([...files].map((f) => path.resolve(f)));
    const out = new Set<string>();
    const queue = [...seeds];
    while (queue.length > 0) {
      for (const dependent of this.dependents.get(queue.pop()!) ?? []) {
        if (out.has(dependent) || seeds.has(dependent)) continue;
        out.add(dependent);
        queue.push(dependent);
      }
    }
    return out;
  }

  /**
   * The project files `sf` imports (resolved; packages left out: they cannot import the project
   * back). With `program`, what its module resolution found comes first.
   */
  importsOf(sf: ts.SourceFile, program?: ts.Program): string[] {
    const cached = this.importsBySource.get(sf);
    if (cached) return cached;
    const out: string[] = [];
    // A bare specifier names a package unless `paths`/`baseUrl` map it into the project, or the
    // program resolved it to sources (a workspace package).
    const bareMayBeProject = this.options.paths !== undefined || this.options.baseUrl !== undefined;
    const checker = program?.getTypeChecker();
    for (const { specifier, literal } of moduleSpecifiers(sf)) {
      // The module the program bound the import to (its host's resolution, workspace packages included).
      const target = checker?.getSymbolAtLocation(literal)?.valueDeclaration;
      if (target && ts.isSourceFile(target) && !target.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(target.fileName)) {
        out.push(path.resolve(target.fileName));
        continue;
      }
      if (!bareMayBeProject && !specifier.startsWith('.') && !path.isAbsolute(specifier)) continue;
      const resolved = ts.resolveModuleName(specifier, sf.fileName, this.options, ts.sys, this.cache).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport) out.push(path.resolve(resolved.resolvedFileName));
    }
    this.importsBySource.set(sf, out);
    return out;
  }

  private unlink(file: string, sf: ts.SourceFile): void {
    // Cached per SourceFile by the `update` that linked it.
    for (const to of this.importsOf(sf)) this.dependents.get(to)?.delete(file);
  }
}

/** Every module a file refers to: import/export declarations, `import x = require()`, `require()`, `import()`. */
function moduleSpecifiers(sf: ts.SourceFile): Array<{ specifier: string; literal: ts.StringLiteralLike }> {
  return digestOf(sf).moduleReferences.map((literal) => ({ specifier: literal.text, literal }));
}

/**
 * Files whose findings depend on the whole project, whatever they import: a file that starts
 * a server carries the health-endpoint and graceful-shutdown findings, which an edit anywhere
 * (a new `/healthz` route, a SIGTERM handler in another module) can add or remove. A cheap
 * text test: a false positive only costs a re-analysis of that file.
 */
export function mayStartServer(sf: ts.SourceFile): boolean {
  return /\blisten\b|\bserve\b|createAdaptorServer/.test(sf.text);
}

/**
 * The files whose findings an edit to `edited` can change, besides `edited` itself: files that
 * import them (directly or not), and files whose findings depend on every file.
 */
export function filesAffectedByEdit(program: ts.Program, graph: DependentsGraph, projectFiles: readonly string[], edited: readonly string[]): Set<string> {
  const members = new Set(projectFiles.map((f) => absolutePath(f)));
  // Sources outside the folder take part too (a sibling workspace package's src/, reached
  // through its imports): an edit there reaches the folder's files through them.
  graph.update(program, (f) => members.has(f) || (!/[\\/]node_modules[\\/]/.test(f) && !f.endsWith('.d.ts')));
  const seeds = new Set(edited.map((f) => path.resolve(f)));
  const out = new Set([...graph.dependentsOf(seeds)].filter((f) => members.has(f)));
  for (const file of projectFiles) {
    const abs = absolutePath(file);
    if (seeds.has(abs) || out.has(abs) || file.endsWith('.d.ts')) continue;
    const sf = program.getSourceFile(file);
    if (sf && mayStartServer(sf)) out.add(file);
  }
  return out;
}
