import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { readBoundedJson } from '../limits/jsonLimits';
import { parseWithinLimits } from '../limits/parseWithinLimits';
import { absolutePath } from '../project/absolutePath';
import { findWorkspacePackages, resolveSubpathImport, resolveToSource, splitSpecifier, type SubpathImportsCache, type WorkspacePackage } from '../project/workspaces';
import { missingStandardLibraryProblem, standardLibrary } from './standardLibrary';

export interface TsConfigInfo {
  options: ts.CompilerOptions;
  /** Absolute path of the tsconfig.json read, if any. */
  file?: string;
  /** Human-readable problems with the tsconfig (analysis goes on with defaults). */
  problems: string[];
}

/** Options every analysis program uses, whatever the project's tsconfig says: we type-check, never emit. */
const FORCED: ts.CompilerOptions = {
  noEmit: true,
  skipLibCheck: true,
  allowJs: false,
  declaration: false,
  composite: false,
  incremental: false,
  noUnusedLocals: false,
  noUnusedParameters: false,
  // The lib files come from the folder standardLibrary() found, never from a project's
  // `@typescript/lib-*` packages (a module resolution per lib file, and not what we ship).
  libReplacement: false,
};

const DEFAULTS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  strict: true,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: false,
  jsx: ts.JsxEmit.Preserve,
};

/** Reads `<root>/tsconfig.json` (with `extends`), else `tsconfig.base.json`, else sensible defaults. */
export function readTsConfig(root: string): TsConfigInfo {
  const info = readTsConfigFile(root);
  const missing = missingStandardLibraryProblem(standardLibrary());
  return missing ? { ...info, problems: [...info.problems, missing] } : info;
}

function readTsConfigFile(root: string): TsConfigInfo {
  // Nx-style monorepos keep `paths` in tsconfig.base.json and have no tsconfig.json at the root.
  const file = ['tsconfig.json', 'tsconfig.base.json'].map((name) => path.join(root, name)).find((f) => fs.existsSync(f)) ?? path.join(root, 'tsconfig.json');
  if (!fs.existsSync(file)) return { options: withLeanGlobals({ ...DEFAULTS, ...FORCED }), problems: [] };
  // TypeScript's JSON parser recurses per level and reads whatever the path points at (/dev/zero too).
  const bounded = readBoundedJson(file);
  if (bounded.problem !== undefined) return { options: withLeanGlobals({ ...DEFAULTS, ...FORCED }), file, problems: [`${file}: ${bounded.problem}; using default compiler options`] };
  const read = ts.readConfigFile(file, () => bounded.text);
  if (read.error) {
    return { options: withLeanGlobals({ ...DEFAULTS, ...FORCED }), file, problems: [`${file}: ${flatten(read.error)}; using default compiler options`] };
  }
  let parsed: ts.ParsedCommandLine;
  try {
    // Files reached through `extends` get the same bounds; one refused reads as not found. The
    // root files come from the project model (src/core/project/files.ts), not from `include`:
    // listing the folders again for `fileNames`, which nothing reads, walked the whole tree.
    const host: ts.ParseConfigHost = { ...ts.sys, readFile: (f) => readBoundedJson(f).text, readDirectory: () => [] };
    parsed = ts.parseJsonConfigFileContent(read.config, host, root, undefined, file);
  } catch (err) {
    return { options: withLeanGlobals({ ...DEFAULTS, ...FORCED }), file, problems: [`${file}: cannot be read (${(err as Error).message}); using default compiler options`] };
  }
  // "No inputs found" (TS18003) is irrelevant: we pass the root files ourselves.
  const problems = parsed.errors.filter((d) => d.code !== 18003).map((d) => `${file}: ${flatten(d)}`);
  return { options: withLeanGlobals({ ...DEFAULTS, ...parsed.options, ...FORCED }), file, problems };
}

/**
 * The rules need the project's own code and the declarations its imports resolve to, not every
 * global: unless the tsconfig asks for them, skip automatic `@types/*` inclusion and the DOM lib
 * (together about half of program creation time on a small project).
 */
function withLeanGlobals(options: ts.CompilerOptions): ts.CompilerOptions {
  return { ...options, types: options.types ?? [], lib: options.lib ?? ['lib.es2022.d.ts'] };
}

function flatten(d: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, '\n');
}

interface CachedSource {
  version: string;
  sourceFile: ts.SourceFile;
}

/**
 * Owns one TypeScript program over the project and rebuilds it incrementally:
 * unchanged files keep their SourceFile objects, so the compiler reuses them.
 * Open editor buffers are overlays that win over the disk.
 */
export class ProgramHost {
  private readonly sources = new Map<string, CachedSource>();
  private readonly overlays = new Map<string, { text: string; version: number }>();
  private readonly diskVersions = new Map<string, string>();
  private diskReads = 0;
  /** Files whose content was left out of the program (see parseWithinLimits), and why. */
  private readonly unanalysable = new Map<string, string>();
  private program: ts.Program | undefined;
  private dirty = true;
  private readonly host: ts.CompilerHost;

  private resolutionCache: ts.ModuleResolutionCache | undefined;
  /**
   * package.json files read for module resolution and for each file's module format, kept from
   * one program to the next: without it the compiler re-reads and re-parses the package.json
   * above every declaration file under node_modules on every rebuild (@types/node's, for each
   * of its files), a third of re-analysing one edited file. Dropped when the file list changes
   * (a reload: packages may have been installed) or a package.json changes on disk.
   */
  private packageJsonCache: ts.PackageJsonInfoCache | undefined;
  private workspacePackages: Map<string, WorkspacePackage> | undefined;
  private readonly subpathImports: SubpathImportsCache = new Map();
  /** Folders found or not found while building the current program (see directoryExists). */
  private readonly directories = new Map<string, boolean>();
  /** The folder holding every root file, computed once per file list (asked per unresolved import). */
  private rootDir: string | undefined;

  constructor(private rootNames: string[], readonly options: ts.CompilerOptions) {
    const base = ts.createCompilerHost(options, true);
    const libDir = standardLibrary().dir;
    this.host = {
      ...base,
      getDefaultLibLocation: () => libDir,
      getDefaultLibFileName: (o) => path.join(libDir, ts.getDefaultLibFileName(o)),
      resolveModuleNameLiterals: (literals, containingFile, redirected, options, containingSourceFile) =>
        literals.map((literal) => this.resolveModule(literal, containingFile, redirected, options, containingSourceFile)),
      fileExists: (f) => this.overlays.has(absolutePath(f)) || base.fileExists(f),
      directoryExists: (d) => this.directoryExists(d, base),
      readFile: (f) => this.overlays.get(absolutePath(f))?.text ?? base.readFile(f),
      getSourceFile: (fileName, languageVersion, onError) => this.getSourceFile(fileName, languageVersion, onError),
      // No rule reads JSDoc, and in TypeScript files it carries no types: the parser skips it (tsc
      // itself skips all but @see/@link). The lib files alone are mostly JSDoc.
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
      // The compiler takes the package.json cache from here (see packageJsonCache).
      getModuleResolutionCache: () => this.moduleResolutionCache(),
    };
  }

  setRootNames(rootNames: string[]): void {
    this.rootNames = rootNames;
    this.workspacePackages = undefined;
    this.packageJsonCache = undefined;
    this.subpathImports.clear();
    this.rootDir = undefined;
    this.dirty = true;
  }

  /** This program's resolution cache, over the package.json files read by earlier programs. */
  private moduleResolutionCache(): ts.ModuleResolutionCache {
    this.resolutionCache ??= ts.createModuleResolutionCache(this.host.getCurrentDirectory(), (f) => this.host.getCanonicalFileName(f), this.options, this.packageJsonCache);
    this.packageJsonCache = this.resolutionCache.getPackageJsonInfoCache();
    return this.resolutionCache;
  }

  /** Why a file of the current program stands in empty for its real content, if it does. */
  unanalysableReason(file: string): string | undefined {
    if (this.unanalysable.size === 0) return undefined;
    return this.unanalysable.get(absolutePath(file));
  }

  /**
   * The compiler's resolution first; a bare import of a workspace package it cannot resolve (a
   * fresh clone: no node_modules link, entry points in an unbuilt dist/) goes to that package's
   * sources (src/core/project/workspaces.ts).
   */
  private resolveModule(
    literal: ts.StringLiteralLike,
    containingFile: string,
    redirected: ts.ResolvedProjectReference | undefined,
    options: ts.CompilerOptions,
    containingSourceFile: ts.SourceFile,
  ): ts.ResolvedModuleWithFailedLookupLocations {
    const mode = ts.getModeForUsageLocation(containingSourceFile, literal, options);
    const resolved = ts.resolveModuleName(literal.text, containingFile, options, this.host, this.moduleResolutionCache(), redirected, mode);
    if (!resolved.resolvedModule && (literal.text.startsWith('.') || path.isAbsolute(literal.text))) return this.resolveExtensionless(literal.text, containingFile, options, resolved);
    if (resolved.resolvedModule || literal.text.startsWith('.') || path.isAbsolute(literal.text)) return resolved;
    let source: string | undefined;
    if (literal.text.startsWith('#')) {
      source = resolveSubpathImport(literal.text, containingFile, this.subpathImports);
    } else {
      const { name, subpath } = splitSpecifier(literal.text);
      this.workspacePackages ??= findWorkspacePackages((this.rootDir ??= commonDirectory(this.rootNames)), this.rootNames);
      const pkg = this.workspacePackages.get(name);
      source = pkg && resolveToSource(pkg, subpath);
    }
    if (!source) return resolved;
    const extension = source.endsWith('.tsx') ? ts.Extension.Tsx : source.endsWith('.mts') ? ts.Extension.Mts : source.endsWith('.cts') ? ts.Extension.Cts : ts.Extension.Ts;
    return { resolvedModule: { resolvedFileName: source, extension, isExternalLibraryImport: false } };
  }

  /**
   * `import { x } from './utils/state'` in a `"type": "module"` package: Node16 resolution wants
   * `./utils/state.js`, but a bundler (tsup, tsdown, vite, esbuild) takes it as written — and in a
   * fresh clone the tsconfig that says `"moduleResolution": "bundler"` often extends a workspace
   * package that is not installed, so the defaults apply. Resolved as a bundler would, rather than
   * losing every function behind the import.
   */
  private resolveExtensionless(specifier: string, containingFile: string, options: ts.CompilerOptions, failed: ts.ResolvedModuleWithFailedLookupLocations): ts.ResolvedModuleWithFailedLookupLocations {
    if (options.moduleResolution === ts.ModuleResolutionKind.Bundler) return failed;
    const bundler = { ...options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    const retried = ts.resolveModuleName(specifier, containingFile, bundler, this.host);
    return retried.resolvedModule ? retried : failed;
  }

  getRootNames(): readonly string[] {
    return this.rootNames;
  }

  /** An editor buffer's content, which wins over the file on disk. */
  setOverlay(file: string, text: string, version: number): void {
    const abs = path.resolve(file);
    const prev = this.overlays.get(abs);
    if (prev && prev.text === text) return;
    this.overlays.set(abs, { text, version });
    this.dirty = true;
  }

  removeOverlay(file: string): void {
    if (this.overlays.delete(path.resolve(file))) this.dirty = true;
  }

  /** The file changed on disk (watcher event): forget the cached copy. */
  invalidate(file: string): void {
    const abs = path.resolve(file);
    this.sources.delete(abs);
    this.diskVersions.delete(abs);
    if (path.basename(abs) === 'package.json') {
      this.packageJsonCache = undefined;
      this.subpathImports.clear();
    }
    this.dirty = true;
  }

  getProgram(): ts.Program {
    if (!this.program || this.dirty) {
      // Fresh per program, as the compiler's own: files added or removed change resolutions
      // (the package.json files under them are kept: see packageJsonCache).
      this.resolutionCache = undefined;
      this.directories.clear();
      this.program = ts.createProgram({ rootNames: this.rootNames, options: this.options, host: this.host, oldProgram: this.program });
      this.dirty = false;
    }
    return this.program;
  }

  /**
   * Whether a folder exists, asked once per program: module resolution asks for the same
   * `node_modules` folders above every importing file (a `stat` each, ~25 ms on 1,500 files).
   */
  private directoryExists(dir: string, base: ts.CompilerHost): boolean {
    let exists = this.directories.get(dir);
    if (exists === undefined) this.directories.set(dir, (exists = base.directoryExists?.(dir) ?? true));
    return exists;
  }

  private getSourceFile(fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions, onError?: (m: string) => void): ts.SourceFile | undefined {
    const abs = absolutePath(fileName);
    const overlay = this.overlays.get(abs);
    let version: string;
    let text: string | undefined;
    if (overlay) {
      version = `o${overlay.version}:${overlay.text.length}`;
    } else {
      // The disk's copy is read once and kept until `invalidate` (a watcher event) drops it: its
      // version is when it was read, not a `stat` of the file (a system call per file per scan).
      let v = this.diskVersions.get(abs);
      if (v === undefined) this.diskVersions.set(abs, (v = `d${++this.diskReads}`));
      version = v;
    }
    const cached = this.sources.get(abs);
    if (cached && cached.version === version) return cached.sourceFile;
    try {
      text = overlay ? overlay.text : fs.readFileSync(abs, 'utf8');
    } catch (err) {
      // Gone since the file list was made: no such file, as before any read.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError?.((err as Error).message);
      this.diskVersions.delete(abs);
      return undefined;
    }
    const { sourceFile, problem } = parseWithinLimits(fileName, text, languageVersion);
    if (problem) this.unanalysable.set(abs, problem);
    else this.unanalysable.delete(abs);
    this.sources.set(abs, { version, sourceFile });
    return sourceFile;
  }
}

/** The deepest folder holding every file (the workspace root, for a project's file list). */
function commonDirectory(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let dir = path.dirname(path.resolve(files[0]));
  for (const f of files) {
    const abs = path.resolve(f);
    while (!abs.startsWith(dir + path.sep) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  }
  return dir;
}
