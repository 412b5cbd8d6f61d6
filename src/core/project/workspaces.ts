import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Workspace packages (npm/pnpm/yarn workspaces, Nx, Turborepo): the package.json folders among
 * the project's own files, by package name. In a fresh clone, `import { db } from '@corp/persistence'`
 * does not resolve — no node_modules link, and the package's `main`/`types`/`exports` point into
 * a `dist/` that is built later — so the compiler sees no query behind it. Resolved here to the
 * package's sources instead, a query in a sibling package is found from a loop in the app.
 */
export interface WorkspacePackage {
  name: string;
  dir: string;
  /** Entry points package.json names, relative to `dir`, per subpath (`.`, `./server`). */
  entries: Map<string, string[]>;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
/** Build output folders a package's entry points usually name; their sources sit in `src/`. */
const BUILD_DIRS = /^(\.\/)?(dist|build|lib|out|esm|cjs|dist-esm|dist-cjs)\//;

/**
 * The packages whose folders hold the given project files (walking up from each file to `root`),
 * and — when `root` is one app of a monorepo — its sibling workspace packages, found from the
 * workspace root above it (`workspaces` in package.json, pnpm-workspace.yaml).
 */
export function findWorkspacePackages(root: string, files: readonly string[]): Map<string, WorkspacePackage> {
  const byName = new Map<string, WorkspacePackage>();
  const seenDirs = new Set<string>();
  const absRoot = path.resolve(root);
  for (const dir of siblingPackageDirs(absRoot)) {
    const pkg = readPackage(dir);
    if (pkg && !byName.has(pkg.name)) byName.set(pkg.name, pkg);
  }
  for (const file of files) {
    for (let dir = path.dirname(path.resolve(file)); dir.startsWith(absRoot) && !seenDirs.has(dir); dir = path.dirname(dir)) {
      seenDirs.add(dir);
      const pkg = readPackage(dir);
      if (pkg && !byName.has(pkg.name)) byName.set(pkg.name, pkg);
      if (dir === absRoot) break;
    }
  }
  return byName;
}

function readPackage(dir: string): WorkspacePackage | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof json.name !== 'string' || !json.name) return undefined;
  const entries = new Map<string, string[]>();
  const add = (subpath: string, target: unknown): void => {
    for (const t of targets(target)) entries.set(subpath, [...(entries.get(subpath) ?? []), t]);
  };
  const exportsField = json.exports;
  if (typeof exportsField === 'string' || Array.isArray(exportsField)) add('.', exportsField);
  else if (exportsField && typeof exportsField === 'object') {
    const keys = Object.keys(exportsField);
    if (keys.some((k) => k.startsWith('.'))) for (const k of keys) add(k, (exportsField as Record<string, unknown>)[k]);
    else add('.', exportsField);
  }
  for (const field of ['source', 'types', 'typings', 'module', 'main']) add('.', json[field]);
  return { name: json.name, dir, entries };
}

/** The file paths an `exports` value can point to, sources and types first. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(targets);
  if (value && typeof value === 'object') {
    const conditions = value as Record<string, unknown>;
    const order = ['source', 'types', 'typescript', 'development', 'import', 'require', 'node', 'default'];
    return [...order.filter((c) => c in conditions), ...Object.keys(conditions).filter((c) => !order.includes(c))].flatMap((c) => targets(conditions[c]));
  }
  return [];
}

/** The package a bare specifier names, and the subpath (`@corp/db/server` → `@corp/db`, `./server`). */
export function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const n = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { name: parts.slice(0, n).join('/'), subpath: rest ? `./${rest}` : '.' };
}

/** The source file an import of `pkg` (at `subpath`) means, when its entry points are not built. */
export function resolveToSource(pkg: WorkspacePackage, subpath: string): string | undefined {
  const candidates: string[] = [];
  const mapped = (target: string) => [target, target.replace(BUILD_DIRS, 'src/')];
  for (const [key, list] of pkg.entries) {
    if (key === subpath) for (const t of list) candidates.push(...mapped(t));
    else if (key.includes('*')) {
      const [prefix, suffix] = key.split('*');
      if (subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
        const star = subpath.slice(prefix.length, subpath.length - suffix.length);
        for (const t of list) candidates.push(...mapped(t.replace('*', star)));
      }
    }
  }
  if (subpath === '.') candidates.push('src/index', 'index', 'src/main', 'src/server');
  else candidates.push(`src/${subpath.slice(2)}`, subpath.slice(2), `src/${subpath.slice(2)}/index`, `${subpath.slice(2)}/index`);
  for (const c of candidates) {
    const found = sourceFileFor(path.resolve(pkg.dir, c));
    if (found) return found;
  }
  return undefined;
}

/**
 * A subpath import (`import { pool } from '#src/db.js'`) that the compiler cannot resolve: Node's
 * `imports` field of the package.json that owns the importing file maps it, usually into the
 * unbuilt `build/`/`dist/` of a fresh clone (`"#src/*": "./build/*"`), whose sources sit in
 * `src/`. Scanned from a monorepo root, the package's own tsconfig is not the one in use, so
 * this is the only map left; without it every query behind such an import is invisible.
 * See https://nodejs.org/api/packages.html#subpath-imports.
 */
export function resolveSubpathImport(specifier: string, containingFile: string, cache: SubpathImportsCache): string | undefined {
  if (!specifier.startsWith('#')) return undefined;
  const owner = owningPackageImports(path.dirname(path.resolve(containingFile)), cache);
  if (!owner) return undefined;
  const candidates: string[] = [];
  for (const [key, value] of Object.entries(owner.imports)) {
    let star: string | undefined;
    if (key === specifier) star = '';
    else if (key.includes('*')) {
      const [prefix, suffix] = key.split('*');
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) star = specifier.slice(prefix.length, specifier.length - suffix.length);
    }
    if (star === undefined) continue;
    for (const t of targets(value)) {
      if (!t.startsWith('./')) continue; // a package target (`#dep` → `some-pkg`) is the compiler's business
      const target = t.replace('*', star);
      candidates.push(target, target.replace(BUILD_DIRS, 'src/'));
    }
  }
  for (const c of candidates) {
    const found = sourceFileFor(path.resolve(owner.dir, c));
    if (found) return found;
  }
  return undefined;
}

/** The owning package's `imports` per folder (null: the owner has none), kept by the caller as long as its package.json files are. */
export type SubpathImportsCache = Map<string, { dir: string; imports: Record<string, unknown> } | null>;

/** The nearest package.json at or above `dir` (the package that owns the file), if it has an `imports` field. */
function owningPackageImports(dir: string, importsCache: SubpathImportsCache): { dir: string; imports: Record<string, unknown> } | undefined {
  const passed: string[] = [];
  let owner: { dir: string; imports: Record<string, unknown> } | null = null;
  for (let d = dir; ; d = path.dirname(d)) {
    const cached = importsCache.get(d);
    if (cached !== undefined) {
      owner = cached;
      break;
    }
    passed.push(d);
    let json: { imports?: unknown } | undefined;
    try {
      json = JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8'));
    } catch {
      json = undefined;
    }
    // The package that owns the file decides, with or without an `imports` map.
    if (json) {
      owner = json.imports && typeof json.imports === 'object' && !Array.isArray(json.imports) ? { dir: d, imports: json.imports as Record<string, unknown> } : null;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  for (const d of passed) importsCache.set(d, owner);
  return owner ?? undefined;
}

/** `x.js`/`x.d.ts`/`x` → the TypeScript source beside it (`x.ts`, `x.tsx`, `x/index.ts`). */
function sourceFileFor(target: string): string | undefined {
  const base = target.replace(/\.d\.[cm]?ts$/, '').replace(/\.[cm]?jsx?$/, '').replace(/\.[cm]?tsx?$/, '');
  for (const ext of SOURCE_EXTENSIONS) if (isFile(base + ext)) return base + ext;
  for (const ext of SOURCE_EXTENSIONS) if (isFile(path.join(base, `index${ext}`))) return path.join(base, `index${ext}`);
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The package folders the nearest workspace root at or above `dir` declares (simple globs: `packages/*`, `apps/**`). */
function siblingPackageDirs(dir: string): string[] {
  for (let d = dir; ; d = path.dirname(d)) {
    const patterns = workspacePatterns(d);
    if (patterns) return patterns.flatMap((p) => expand(d, p.replace(/^\.\//, '').split('/')));
    if (path.dirname(d) === d || fs.existsSync(path.join(d, '.git'))) return [];
  }
}

function workspacePatterns(dir: string): string[] | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { workspaces?: string[] | { packages?: string[] } };
    const list = Array.isArray(json.workspaces) ? json.workspaces : json.workspaces?.packages;
    if (list?.length) return list.filter((p) => typeof p === 'string' && !p.startsWith('!'));
  } catch {
    /* no package.json here */
  }
  try {
    const yaml = fs.readFileSync(path.join(dir, 'pnpm-workspace.yaml'), 'utf8');
    const block = /^packages:\s*\n((?:\s+-.*\n?)+)/m.exec(yaml)?.[1] ?? '';
    const list = [...block.matchAll(/-\s*['"]?([^'"\n#]+?)['"]?\s*$/gm)].map((m) => m[1].trim()).filter((p) => !p.startsWith('!'));
    if (list.length) return list;
  } catch {
    /* no pnpm workspace */
  }
  return undefined;
}

function expand(base: string, segments: string[], depth = 0): string[] {
  if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) return [base];
  const [head, ...rest] = segments;
  // `packages/**`: package folders a few levels down, not a walk of the whole tree.
  if (head === '**') return depth > 3 ? [] : [base, ...subdirs(base).flatMap((d) => expand(d, segments, depth + 1))].filter((d) => fs.existsSync(path.join(d, 'package.json')));
  if (!head.includes('*')) return expand(path.join(base, head), rest);
  const re = new RegExp(`^${head.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return subdirs(base).filter((d) => re.test(path.basename(d))).flatMap((d) => expand(d, rest));
}

function subdirs(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')).map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}
