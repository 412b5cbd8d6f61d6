import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { TOOL } from '../core/report/common';
import { workspaceSources } from '../core/explain/sources';
import { UsageError } from './errors';
import { runLanguageServer } from './lsp';
import { runLoadTestCommand, type LoadTestCliOptions } from './loadtest';
import { parseMinScore, runChecklistCommand, type ChecklistFormat } from './checklist';
import { runExplainCommand, type ExplainFormat } from './explain';
import { loadSqlParser } from '../core/sql/parser';
import { runScan, type FailOn, type ScanFormat } from './scan';

/** Runs the CLI; returns the exit code (0 clean, 1 findings/threshold, 2 usage or internal error). */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
}

type LoadTestIoStream = NodeJS.WritableStream & { isTTY?: boolean };

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const program = new Command();
  let exitCode = 0;
  program
    .name('shipshape')
    .description('Production-readiness checks for TypeScript HTTP APIs on PostgreSQL.')
    .version(TOOL.version, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError(true);

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
    .action((opts: { stdio?: boolean }) => runLanguageServer(opts));

  program
    .command('loadtest')
    .description('Run a load-test scenario (from shipshape.config.json or --url) and check its thresholds.')
    .argument('[scenario]', 'name of a scenario under loadtest.scenarios')
    .option('--config <file>', 'config file (default: shipshape.config.json in the current folder)')
    .option('--url <url>', 'load-test this URL (one GET unless --method) instead of a named scenario')
    .option('--base-url <url>', "send the scenario's requests to this base URL instead of its own (e.g. a port chosen at run time)")
    .option('--method <method>', 'HTTP method for --url')
    .option('--duration <duration>', 'how long to send load, e.g. 10s, 2m')
    .option('--connections <n>', 'closed model: concurrent connections; open model: most requests in flight')
    .option('--rate <n>', 'open model: arrivals per second (latency from each scheduled start)')
    .option('--ramp-up <duration>', 'closed model: open the connections over this long')
    .option('--threads <n>', 'closed model: engine threads sharing the connections (default: one per core, at most 8)')
    .option('--threshold <expr>', 'k6 threshold, e.g. "p(95)<200", "rate<0.01", "http_req_duration{name:list} p(99)<500" (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'junit']).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--allow-remote', 'allow a target that is not this machine (loopback)', false)
    .option('--baseline <run>', 'compare with a saved run: its id, "latest" or "baseline" (the pinned run), or a run file; exit 1 on a regression')
    .addOption(new Option('--export <format>', 'print the scenario as a k6 script, Artillery YAML or a k6-operator TestRun instead of running it').choices(['k6', 'artillery', 'k6-operator']))
    .option('--parallelism <n>', 'k6-operator: number of pods (default 4)')
    .addOption(new Option('--engine <engine>', 'embedded (default) or k6 from PATH').choices(['embedded', 'k6']))
    .option('--no-save', 'do not save the run under .shipshape/runs/')
    .option('--pin', "pin this run as the scenario's baseline (what --baseline baseline compares with)")
    .option('--pin-run <run>', 'pin a saved run (its id or "latest") as its scenario\'s baseline; sends no load')
    .option('--list', 'list the saved runs (of the named scenario) with req/s, p95 and the pinned baseline; sends no load')
    .option('--no-color', 'plain text output')
    .action(async (scenario: string | undefined, opts: LoadTestCliOptions) => {
      let cancel: (() => void) | undefined;
      const onSigint = (): void => {
        if (cancel) cancel();
        else process.exit(130);
      };
      process.on('SIGINT', onSigint);
      try {
        const outcome = await runLoadTestCommand(scenario, opts, { stdout: io.stdout, stderr: io.stderr as LoadTestIoStream, cwd: io.cwd, onCancellable: (c) => (cancel = c) });
        for (const n of outcome.notices) io.stderr.write(`shipshape: ${n}\n`);
        writeOutput(outcome.output, opts.output, io);
        exitCode = outcome.exitCode;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });

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
      const outcome = await runExplainCommand(target, { rows: opts.rows, maxMs: opts.maxMs, format: opts.format, progress: opts.progress, clusterDir: opts.clusterDir, only: opts.only }, io.cwd, workspaceSources, io.stderr);
      for (const n of outcome.notices) io.stderr.write(`shipshape: ${n}\n`);
      writeOutput(outcome.output, opts.output, io);
      exitCode = outcome.exitCode;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; commander already printed its message.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof UsageError || err instanceof InvalidArgumentError) {
      io.stderr.write(`shipshape: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`shipshape: internal error: ${(err as Error).message}. Please report this with the command you ran.\n`);
    if (process.env.SHIPSHAPE_DEBUG) io.stderr.write(`${(err as Error).stack}\n`);
    return 2;
  }
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

function writeOutput(text: string, file: string | undefined, io: { stdout: NodeJS.WritableStream; cwd: string }): void {
  if (!file) {
    io.stdout.write(text);
    return;
  }
  const abs = path.resolve(io.cwd, file);
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Choose a writable --output path.`);
  }
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
