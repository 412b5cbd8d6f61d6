import { InvalidArgumentError, Option } from 'commander';
import { addLoadTestCommand } from './loadtestCommand';
import type { ChecklistFormat } from './checklist';
import type { ExplainFormat } from './explain';
import { loadSqlParser } from '../core/sql/parser';
import { newProgram, runProgram, writeOutput, type CliIo } from './program';
import { runScan, type FailOn, type ScanFormat } from './scan';

// The other commands are loaded when run (a `require` esbuild turns into a lazy module init): the
// language server, the load-test engine and the embedded PostgreSQL bring libraries a scan in CI
// never uses, and every process would otherwise evaluate them at start.

export type { CliIo };

/** Runs the CLI; returns the exit code (0 clean, 1 findings/threshold, 2 usage or internal error). */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const program = newProgram(io);
  let exitCode = 0;

  program
    .command('scan')
    .description('Statically analyse TypeScript sources and SQL migrations.')
    .argument('[paths...]', 'folders (project roots) or files to scan', [])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info', 'never']).default('warning'))
    .option('--allow-incomplete', 'exit 0 even when some files or rules could not be analysed (stats.errors > 0)')
    .option('--no-color', 'plain text output')
    .action(async (paths: string[], opts: { format: ScanFormat; output?: string; failOn: FailOn; color: boolean; allowIncomplete?: boolean }) => {
      // The PostgreSQL parser (WebAssembly) loads once, before the synchronous analysis.
      await loadSqlParser();
      const outcome = runScan(paths, { format: opts.format, output: opts.output, failOn: opts.failOn, color: opts.color && Boolean(io.stdout.isTTY), allowIncomplete: opts.allowIncomplete }, io.cwd);
      for (const n of outcome.notices) io.stderr.write(`shipshape: ${n}\n`);
      writeOutput(outcome.output, opts.output, io);
      exitCode = outcome.exitCode;
    });

  program
    .command('lsp')
    .description('Run the language server (for editors other than VS Code: Neovim, Helix, …).')
    .option('--stdio', 'speak the Language Server Protocol over stdin/stdout')
    .action((opts: { stdio?: boolean }) => (require('./lsp') as typeof import('./lsp')).runLanguageServer(opts));

  addLoadTestCommand(program, io, (code) => (exitCode = code));

  program
    .command('checklist')
    .description('Score the production readiness of a project: every checklist item with its evidence and next step.')
    .argument('[path]', 'the project folder (default: the current folder)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--min-score <n>', 'exit 1 when the overall score is below n (0-100)')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--no-color', 'plain text output')
    .action(async (target: string | undefined, opts: { format: ChecklistFormat; minScore?: string; output?: string; color: boolean }) => {
      // The unindexed-filter rule the checklist runs needs the PostgreSQL parser (WebAssembly).
      await loadSqlParser();
      const { parseMinScore, runChecklistCommand } = require('./checklist') as typeof import('./checklist');
      const minScore = opts.minScore === undefined ? undefined : parseMinScore(opts.minScore);
      const outcome = runChecklistCommand(target, { format: opts.format, minScore, color: opts.color && Boolean(io.stdout.isTTY) && !opts.output }, io.cwd);
      for (const n of outcome.notices) io.stderr.write(`shipshape: ${n}\n`);
      writeOutput(outcome.output, opts.output, io);
      exitCode = outcome.exitCode;
    });

  program
    .command('explain')
    .description('EXPLAIN ANALYZE every extracted query on an embedded PostgreSQL filled with synthetic rows at production volume, before and after the suggested index.')
    .argument('[path]', 'project folder', '.')
    .option('--rows <n>', 'rows per table (default: scale.defaultRows, 100000)', positiveInt)
    .option('--max-ms <ms>', 'exit 1 when a query takes longer than this at scale', positiveNumber)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--progress', 'progress as JSON lines on stderr (for editors)').hideHelp())
    .addOption(new Option('--only <file:line>', 'only the query at this location (the editor\'s CodeLens)').hideHelp())
    .addOption(new Option('--cluster-dir <dir>', 'folder of the embedded PostgreSQL cluster (default: ~/.cache/shipshape/postgres)').hideHelp())
    .action(async (target: string, opts: { rows?: number; maxMs?: number; format: ExplainFormat; output?: string; progress?: boolean; clusterDir?: string; only?: string }) => {
      const { runExplainCommand } = require('./explain') as typeof import('./explain');
      const { workspaceSources } = require('../core/explain/sources') as typeof import('../core/explain/sources');
      const outcome = await runExplainCommand(target, { rows: opts.rows, maxMs: opts.maxMs, format: opts.format, progress: opts.progress, clusterDir: opts.clusterDir, only: opts.only }, io.cwd, workspaceSources, io.stderr);
      for (const n of outcome.notices) io.stderr.write(`shipshape: ${n}\n`);
      writeOutput(outcome.output, opts.output, io);
      exitCode = outcome.exitCode;
    });

  return runProgram(program, argv, io, () => exitCode);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of rows, e.g. 100000.');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected milliseconds, e.g. 200.');
  return n;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`shipshape: internal error: ${(err as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
