import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { runCli } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/workspace';

/**
 * Hostile workspace content for the fuzz suite (test/fuzz/scan.fuzz.test.ts) and the long run
 * (bench/fuzz-long.ts): what an adversary, a generator gone wrong or a half-finished edit puts in
 * a repository. Inputs are built by fast-check from a seed, so every failure replays.
 */

export const BASE_PROJECT = path.join(REPO_ROOT, 'examples', 'orders-api');

/** Files of the base project that the mutations start from (read once). */
const BASE_TEXTS: Record<string, string> = Object.fromEntries(
  ['src/routes/orders.ts', 'src/db/customers.ts', 'src/app.ts', 'src/server.ts', 'migrations/002_create_orders.sql', 'package.json', 'tsconfig.json'].map((rel) => [
    rel,
    fs.readFileSync(path.join(BASE_PROJECT, rel), 'utf8'),
  ]),
);

/** Syntax shapes that nest per repetition; each overflowed the stack of the whole scan at ~800. */
const DEEP_SHAPES: Record<string, (n: number) => string> = {
  parens: (n) => `export const x = ${'('.repeat(n)}1${')'.repeat(n)};\n`,
  arrows: (n) => `export const f = ${'() => '.repeat(n)}1;\n`,
  arrays: (n) => `export const a = ${'['.repeat(n)}${']'.repeat(n)};\n`,
  objects: (n) => `export const o = ${'{a:'.repeat(n)}1${'}'.repeat(n)};\n`,
  ifs: (n) => `export function f(x: number) {\n${'if (x) {'.repeat(n)}x++;${'}'.repeat(n)}\n}\n`,
  templates: (n) => `export const t = ${'`${'.repeat(n)}1${'}`'.repeat(n)};\n`,
  generics: (n) => `export type T = ${'Array<'.repeat(n)}number${'>'.repeat(n)};\n`,
  ternaries: (n) => `export const c = (x: number) => ${'x ? 1 : '.repeat(n)}0;\n`,
  thens: (n) => `export const p = Promise.resolve(1)${'.then((v) => v)'.repeat(n)};\n`,
  calls: (n) => `export const c = ${'f('.repeat(n)}1${')'.repeat(n)};\nfunction f(x: any) { return x; }\n`,
  sum: (n) => `declare const a: number;\nexport const s = ${Array(n).fill('a').join(' + ')};\n`,
  unclosed: (n) => `export const x = ${'('.repeat(n)};\n`,
  sqlParens: (n) => `SELECT ${'('.repeat(n)}1${')'.repeat(n)};\n`,
  sqlSubqueries: (n) => `SELECT * FROM t WHERE id IN ${'(SELECT id FROM t WHERE id IN '.repeat(n)}(1)${')'.repeat(n)};\n`,
};

const garbageText = fc.string({ unit: fc.constantFrom(...'(){}[]<>`${};,.:?!=+-*/\\\'"#@\n\t abcxyz0123456789'.split('')), maxLength: 400 });
const binary = fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a));

/** One edit to a text: truncate, insert, delete, replace with binary, repeat a slice. */
function mutate(text: string): fc.Arbitrary<string | Buffer> {
  const at = fc.nat({ max: text.length });
  return fc.oneof(
    at.map((i) => text.slice(0, i)),
    fc.tuple(at, garbageText).map(([i, s]) => text.slice(0, i) + s + text.slice(i)),
    fc.tuple(at, at).map(([i, j]) => text.slice(0, Math.min(i, j)) + text.slice(Math.max(i, j))),
    fc.tuple(at, binary).map(([i, b]) => Buffer.concat([Buffer.from(text.slice(0, i)), b, Buffer.from(text.slice(i))])),
    fc.tuple(at, at, fc.integer({ min: 2, max: 400 })).map(([i, j, k]) => text.slice(0, Math.min(i, j)) + text.slice(Math.min(i, j), Math.max(i, j)).repeat(k) + text.slice(Math.max(i, j))),
    fc.constant('\ufeff' + text),
  );
}

/**
 * Content for a source or migration file. `fromMigrations`: mutations of the example's migrations
 * too — not for new migration files, whose copied DDL (a CREATE INDEX) would legitimately change the
 * findings of untouched files.
 */
function contentArbitrary(fromMigrations: boolean): fc.Arbitrary<string | Buffer> {
  const sources = Object.entries(BASE_TEXTS).filter(([rel]) => fromMigrations || !rel.endsWith('.sql')).map(([, text]) => text);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...Object.keys(DEEP_SHAPES)), fc.integer({ min: 1, max: 3000 })).map(([shape, n]) => DEEP_SHAPES[shape](n)) },
    { weight: 3, arbitrary: fc.constantFrom(...sources).chain(mutate) },
    { weight: 1, arbitrary: garbageText },
    { weight: 1, arbitrary: binary },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 300_000 }).map((n) => `export const s = "${'x'.repeat(n)}";\n`) },
    { weight: 1, arbitrary: fc.constantFrom('', '\ufeff', '\u0000\u0000', 'export {};\r\n', '/*', '`', '\u2028') },
  );
}
export const hostileContent = contentArbitrary(true);

const fileName = fc.constantFrom('a.ts', 'b.tsx', 'c.mts', 'd.cts', 'e.d.ts', 'with space.ts', 'new\nline.ts', 'ünï.ts', 'quote".ts', 'rtl\u202e.ts', 'x.sql');

/** A new file placed where nothing else imports it: it may add findings of its own, never remove others'. */
export interface HostileFile {
  rel: string;
  content: string | Buffer;
}

export const hostileNewFile: fc.Arbitrary<HostileFile> = fc
  .tuple(fc.constantFrom('src/fuzz', 'src/fuzz/deeper', 'migrations/fuzz', 'fuzz'), fileName)
  .map(([dir, name]) => `${dir}/${name.endsWith('.sql') && !dir.startsWith('migrations') ? name.replace('.sql', '.ts') : name}`)
  .chain((rel) => contentArbitrary(!rel.endsWith('.sql')).map((content) => ({ rel, content })));

/** A .gitignore in a new folder: it can only change what is found below it. */
export const hostileGitignore: fc.Arbitrary<HostileFile> = fc
  .oneof(
    garbageText,
    fc.integer({ min: 1, max: 60_000 }).map((n) => `${'a'.repeat(n)}*\n`),
    fc.array(fc.constantFrom('*', '**', '!', '/', '[', ']', '\\', 'a', '#', ' ', '\n'), { maxLength: 200 }).map((a) => a.join('')),
    binary,
  )
  .map((content) => ({ rel: 'src/fuzz/.gitignore', content }));

const ruleIds = ['n-plus-one', 'missing-graceful-shutdown', 'missing-health-endpoint', 'unindexed-filter', 'fk-without-index', 'no-such-rule', '__proto__'];

/** A shipshape.config.json: plausible settings with wrong types and hostile keys mixed in, then maybe mangled. */
export const hostileConfig: fc.Arbitrary<string | Buffer> = fc
  .record(
    {
      rules: fc.dictionary(fc.constantFrom(...ruleIds), fc.oneof(fc.constantFrom('off', 'info', 'warning', 'error', 'loud'), fc.dictionary(fc.constantFrom('severity', 'interprocedural', 'reportWrites', 'ignoreTestFiles', 'signals', 'constructor', 'x'), fc.anything({ maxDepth: 3 })))),
      exclude: fc.array(fc.oneof(fc.constant(''), fc.constant('src/fuzz/**'), fc.string({ maxLength: 30 })), { maxLength: 5 }),
      healthPaths: fc.array(fc.oneof(fc.constant('/livez'), fc.string({ maxLength: 10 })), { maxLength: 3 }),
      loadtest: fc.anything({ maxDepth: 4 }),
    },
    { requiredKeys: [] },
  )
  .chain((config) => {
    const text = JSON.stringify(config, null, 2) ?? '{}';
    return fc.oneof(
      fc.constant(text),
      mutate(text),
      fc.integer({ min: 1, max: 20_000 }).map((n) => `{"loadtest": ${'['.repeat(n)}${']'.repeat(n)}}`),
      fc.constant(`{"__proto__": ${text}}`),
    );
  });

export const hostilePackageJson: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom('null', '[]', '"x"', '1', '{"dependencies": null}', '{"dependencies": []}', '{"dependencies": {"express": 5}}', '{"scripts": [1]}'),
  mutate(BASE_TEXTS['package.json']),
  fc.integer({ min: 1, max: 200_000 }).map((n) => `{"x": ${'['.repeat(n)}${']'.repeat(n)}}`),
);

export const hostileTsconfig: fc.Arbitrary<string | Buffer> = fc.oneof(
  mutate(BASE_TEXTS['tsconfig.json']),
  fc.integer({ min: 1, max: 200_000 }).map((n) => `{"compilerOptions": {"paths": ${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`),
  fc.constantFrom('null', '{"extends": "./tsconfig.json"}', '{"extends": "/dev/zero"}', '{"compilerOptions": {"target": 5}}', '{"include": [null]}'),
);

/** An edit to a file the project is described by: the scan may refuse the config (exit 2), never crash. */
export const hostileProjectFile: fc.Arbitrary<HostileFile> = fc.oneof(
  hostileConfig.map((content) => ({ rel: 'shipshape.config.json', content })),
  hostilePackageJson.map((content) => ({ rel: 'package.json', content })),
  hostileTsconfig.map((content) => ({ rel: 'tsconfig.json', content })),
  fc.constantFrom('src/routes/orders.ts', 'src/db/customers.ts', 'src/db/pool.ts', 'migrations/001_create_customers.sql').chain((rel) =>
    (BASE_TEXTS[rel] !== undefined ? mutate(BASE_TEXTS[rel]) : hostileContent).map((content) => ({ rel, content })),
  ),
);

/** A fresh copy of the base project in the OS temp dir. */
export function copyBase(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-fuzz-'));
  fs.cpSync(BASE_PROJECT, root, { recursive: true });
  return root;
}

export function writeFiles(root: string, files: readonly HostileFile[]): void {
  for (const f of files) {
    const abs = path.join(root, f.rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, f.content);
  }
}

export interface ScanRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `shipshape scan <root> --format json`, in process, as CI would run it. */
export async function scanJson(root: string): Promise<ScanRun> {
  const started = performance.now();
  const run = await runCli(['scan', root, '--format', 'json'], root);
  return { ...run, ms: performance.now() - started };
}

export interface JsonReport {
  findings: Array<{ ruleId: string; file: string; range: { start: { line: number; column: number } }; message: string }>;
  skipped: Array<{ file: string; reason: string }>;
  errors: Array<{ file?: string; ruleId?: string; message: string }>;
  stats: { files: number; errors: number };
}

export const findingKey = (f: JsonReport['findings'][number]) => `${f.ruleId} ${f.file}:${f.range.start.line}:${f.range.start.column}`;

/**
 * What must hold after any scan: exit 0/1 with valid JSON (or 2 with one line for a refused
 * config), nothing that looks like a stack trace or an internal error, one notice per line.
 * Returns the parsed report, or undefined for a refused config; throws what went wrong.
 */
export function checkScan(run: ScanRun, allowRefusal: boolean): JsonReport | undefined {
  const lines = run.stderr.split('\n').filter(Boolean);
  if (lines.some((l) => /^\s+at .+\(.+:\d+:\d+\)$/.test(l) || /^\s+at /.test(l))) throw new Error(`stack trace on stderr:\n${run.stderr.slice(0, 2000)}`);
  if (/internal error|Maximum call stack|out of memory/i.test(run.stderr)) throw new Error(`internal error on stderr:\n${run.stderr.slice(0, 2000)}`);
  if (lines.some((l) => !l.startsWith('shipshape: '))) throw new Error(`a notice spans several lines:\n${run.stderr.slice(0, 2000)}`);
  if (run.code === 2) {
    if (!allowRefusal) throw new Error(`exit 2 for a workspace whose config was not touched:\n${run.stderr.slice(0, 2000)}`);
    if (lines.length !== 1 || !/shipshape\.config\.json/.test(lines[0])) throw new Error(`a refused config must give one line naming it:\n${run.stderr.slice(0, 2000)}`);
    if (run.stdout !== '') throw new Error('output on a refused config');
    return undefined;
  }
  if (run.code !== 0 && run.code !== 1) throw new Error(`exit ${run.code}:\n${run.stderr.slice(0, 2000)}`);
  const report = JSON.parse(run.stdout) as JsonReport;
  if (report.stats.errors !== report.errors.length) throw new Error(`stats.errors ${report.stats.errors} ≠ errors ${report.errors.length}`);
  if (report.errors.length > 0 && run.code !== 1) throw new Error('an incomplete scan exited 0');
  return report;
}
