import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * Which project files run in the same server process as a server start. Shutdown and health are
 * judged per process: in a monorepo a SIGTERM handler or a `/health` route of another app does
 * not keep this server's in-flight requests or tell its load balancer anything.
 *
 * A process is what its entry files import, transitively: the entries are the files with no
 * importer among those that (transitively) import the file that starts the server. A file nothing
 * imports and that leads to no server (routes loaded from a folder at run time, a handler wired
 * by a framework) cannot be placed: it counts for the servers of its own package (nearest
 * package.json) — never for another app's.
 */
export class ServerProcesses {
  private readonly imports = new Map<ts.SourceFile, ts.SourceFile[]>();
  private readonly importers = new Map<ts.SourceFile, ts.SourceFile[]>();
  private readonly byServerFile = new Map<ts.SourceFile, ReadonlySet<ts.SourceFile>>();
  private readonly packageDirs = new Map<string, string>();
  private entriesOfServers: Set<ts.SourceFile> | undefined;

  constructor(
    private readonly files: readonly ts.SourceFile[],
    private readonly checker: ts.TypeChecker,
    private readonly serverFiles: readonly ts.SourceFile[],
  ) {
    const project = new Set(files);
    for (const sf of files) {
      const targets = importedFiles(sf, checker).filter((t) => project.has(t));
      this.imports.set(sf, targets);
      for (const t of targets) this.importers.set(t, [...(this.importers.get(t) ?? []), sf]);
    }
  }

  /** Whether evidence in `file` (a handler, a route) counts for the server started in `serverFile`. */
  sameProcess(serverFile: ts.SourceFile, file: ts.SourceFile): boolean {
    if (file === serverFile || this.processOf(serverFile).has(file)) return true;
    return this.isUnplaced(file) && this.packageDir(file) === this.packageDir(serverFile);
  }

  private processOf(serverFile: ts.SourceFile): ReadonlySet<ts.SourceFile> {
    let files = this.byServerFile.get(serverFile);
    if (!files) {
      const closure = new Set<ts.SourceFile>();
      for (const entry of this.entriesOf(serverFile)) walk(entry, (f) => this.imports.get(f) ?? [], closure);
      this.byServerFile.set(serverFile, (files = closure));
    }
    return files;
  }

  private entriesOf(serverFile: ts.SourceFile): ts.SourceFile[] {
    const upward = new Set<ts.SourceFile>();
    walk(serverFile, (f) => this.importers.get(f) ?? [], upward);
    const entries = [...upward].filter((f) => (this.importers.get(f) ?? []).length === 0);
    // An import cycle with no outside importer: the server's own file is the entry.
    return entries.length > 0 ? entries : [serverFile];
  }

  /** Nothing imports it and it leads to no server start. */
  private isUnplaced(file: ts.SourceFile): boolean {
    if ((this.importers.get(file) ?? []).length > 0) return false;
    this.entriesOfServers ??= new Set(this.serverFiles.flatMap((s) => this.entriesOf(s)));
    return !this.entriesOfServers.has(file);
  }

  private packageDir(sf: ts.SourceFile): string {
    const start = path.dirname(path.resolve(sf.fileName));
    const cached = this.packageDirs.get(start);
    if (cached !== undefined) return cached;
    let dir = start;
    while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    this.packageDirs.set(start, dir);
    return dir;
  }
}

function walk(start: ts.SourceFile, next: (f: ts.SourceFile) => readonly ts.SourceFile[], into: Set<ts.SourceFile>): void {
  const queue = [start];
  while (queue.length) {
    const f = queue.pop()!;
    if (into.has(f)) continue;
    into.add(f);
    queue.push(...next(f));
  }
}

/** The source files `sf` loads: import/export declarations, `import x = require()`, `require()`, `import()`. */
function importedFiles(sf: ts.SourceFile, checker: ts.TypeChecker): ts.SourceFile[] {
  const out: ts.SourceFile[] = [];
  const add = (spec: ts.Expression | undefined) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const target = checker.getSymbolAtLocation(spec)?.valueDeclaration;
    if (target && ts.isSourceFile(target)) out.push(target);
  };
  const dynamic = sf.text.includes('require(') || sf.text.includes('import(');
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) add(n.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) add(n.moduleReference.expression);
    else if (dynamic && ts.isCallExpression(n) && n.arguments.length === 1 && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) add(n.arguments[0]);
    if (dynamic) ts.forEachChild(n, visit);
  };
  for (const st of sf.statements) visit(st);
  return out;
}
