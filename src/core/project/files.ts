import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

/** Directories never worth walking: dependencies, VCS metadata, build caches. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.shipshape', '.cache', '.next', '.turbo', 'coverage']);

export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

export interface DiscoveredFiles {
  /** Absolute paths of TypeScript sources (declaration files included). */
  ts: string[];
  /** Absolute paths of SQL files. */
  sql: string[];
  /** Absolute paths of every other file kept (e.g. Dockerfile, schema.prisma), for checklist items. */
  other: string[];
}

export interface DiscoveryOptions {
  include?: string[];
  exclude?: string[];
  /** Stop after this many files, so a mistaken root (a home folder) cannot hang a scan. */
  maxFiles?: number;
}

/** Walks `root`, honouring every .gitignore on the way, node_modules and the user's excludes. */
export function discoverFiles(root: string, opts: DiscoveryOptions = {}): DiscoveredFiles {
  const out: DiscoveredFiles = { ts: [], sql: [], other: [] };
  const isExcluded = opts.exclude?.length ? picomatch(opts.exclude, { dot: true }) : () => false;
  const isIncluded = opts.include?.length ? picomatch(opts.include, { dot: true }) : () => true;
  const max = opts.maxFiles ?? 200_000;
  let count = 0;

  const walk = (dir: string, rules: Array<{ base: string; ig: Ignore }>): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const gitignore = path.join(dir, '.gitignore');
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        rules = [...rules, { base: dir, ig: ignore().add(fs.readFileSync(gitignore, 'utf8')) }];
      } catch {
        /* unreadable .gitignore: walk on without it */
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (count >= max) return;
      const abs = path.join(dir, entry.name);
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue;
      if (isDir && ALWAYS_SKIPPED.has(entry.name)) continue;
      const rel = toPosix(path.relative(root, abs));
      if (isIgnored(abs, isDir, rules)) continue;
      if (isExcluded(rel) || (isDir && isExcluded(rel + '/'))) continue;
      if (isDir) {
        walk(abs, rules);
        continue;
      }
      if (!isIncluded(rel)) continue;
      count++;
      const ext = path.extname(entry.name).toLowerCase();
      if (TS_EXTENSIONS.includes(ext)) out.ts.push(abs);
      else if (ext === '.sql') out.sql.push(abs);
      else out.other.push(abs);
    }
  };
  walk(root, []);
  return out;
}

function isIgnored(abs: string, isDir: boolean, rules: Array<{ base: string; ig: Ignore }>): boolean {
  for (const { base, ig } of rules) {
    const rel = toPosix(path.relative(base, abs));
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? rel + '/' : rel)) return true;
  }
  return false;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
