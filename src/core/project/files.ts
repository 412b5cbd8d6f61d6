import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { MAX_CONFIG_BYTES, readBoundedText } from '../limits/boundedFile';
import { quotePath } from '../report/quotePath';

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
  /** Patterns left out (an unusable .gitignore line, an exclude glob that does not compile): one line each, naming where. */
  problems: string[];
}

/**
 * Bounds on ignore patterns. `ignore` and picomatch turn each pattern into a regular expression:
 * a 40,000-character .gitignore line overflows V8's regex size ("Regular expression too large"),
 * 150,000 exclude globs exhaust the heap. Real .gitignore lines are short and a few hundred.
 */
const MAX_PATTERN_LENGTH = 1000;
const MAX_PATTERNS = 1000;
const MAX_IGNORE_LINES = 10_000;

export interface DiscoveryOptions {
  include?: string[];
  exclude?: string[];
  /** Stop after this many files, so a mistaken root (a home folder) cannot hang a scan. */
  maxFiles?: number;
}

/** Walks `root`, honouring every .gitignore on the way, node_modules and the user's excludes. */
export function discoverFiles(root: string, opts: DiscoveryOptions = {}): DiscoveredFiles {
  const out: DiscoveredFiles = { ts: [], sql: [], other: [], problems: [] };
  const exclude = usableGlobs(opts.exclude ?? [], 'exclude', out.problems);
  const include = usableGlobs(opts.include ?? [], 'include', out.problems);
  const isExcluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const isIncluded = include.length ? picomatch(include, { dot: true }) : () => true;
  const max = opts.maxFiles ?? 200_000;
  let count = 0;

  const walk = (dir: string, rules: Array<{ base: string; ig: Ignore }>): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const ig = readGitignore(path.join(dir, '.gitignore'), toPosix(path.relative(root, path.join(dir, '.gitignore'))), out.problems);
      if (ig) rules = [...rules, { base: dir, ig }];
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

/**
 * A .gitignore as `ignore` rules, line by line: a line that is too long or does not compile is
 * left out with a message naming the file and line, and the rest of the file still applies.
 */
function readGitignore(file: string, shown: string, problems: string[]): Ignore | undefined {
  const read = readBoundedText(file, MAX_CONFIG_BYTES);
  if (read.problem !== undefined) {
    problems.push(`${quotePath(shown)} ${read.problem}; walking on without it.`);
    return undefined;
  }
  const ig = ignore();
  const lines = read.text.split(/\r?\n/);
  let patterns = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('#')) continue;
    const where = `${quotePath(shown)}:${i + 1}`;
    if (++patterns > MAX_IGNORE_LINES) {
      problems.push(`${where}: more than ${MAX_IGNORE_LINES} patterns; this line and the ones after it are not applied.`);
      break;
    }
    if (line.length > MAX_PATTERN_LENGTH) {
      problems.push(`${where}: a pattern of ${line.length} characters (over ${MAX_PATTERN_LENGTH}) is not applied; shorten it.`);
      continue;
    }
    try {
      // `ignore` compiles lazily, on the first test: test once here, so a bad line fails alone.
      ignore().add(line).ignores('x');
    } catch (err) {
      problems.push(`${where}: not a usable pattern (${firstLine(err)}); the line is not applied.`);
      continue;
    }
    ig.add(line);
  }
  return ig;
}

/** The user's globs that picomatch can compile, within the bounds; the rest named in `problems`. */
function usableGlobs(globs: readonly string[], setting: string, problems: string[]): string[] {
  const out: string[] = [];
  for (const glob of globs) {
    if (out.length >= MAX_PATTERNS) {
      problems.push(`${setting}: more than ${MAX_PATTERNS} patterns; the rest are not applied. Use fewer, broader patterns.`);
      break;
    }
    if (typeof glob !== 'string' || glob.trim() === '') continue;
    if (glob.length > MAX_PATTERN_LENGTH) {
      problems.push(`${setting}: a pattern of ${glob.length} characters (over ${MAX_PATTERN_LENGTH}) is not applied; shorten it.`);
      continue;
    }
    try {
      picomatch(glob, { dot: true });
    } catch (err) {
      problems.push(`${setting}: ${JSON.stringify(glob)} is not a usable glob (${firstLine(err)}); it is not applied.`);
      continue;
    }
    out.push(glob);
  }
  return out;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 120);
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
