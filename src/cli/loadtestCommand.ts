import { Option, type Command } from 'commander';
import type { LoadTestCliOptions } from './loadtest';
import { writeOutput, type CliIo } from './program';

type LoadTestIoStream = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * `shipshape loadtest`: its options and action, shared by the full CLI (main.ts) and the lean
 * entry that runs a load test without loading the analysis (loadtestMain.ts).
 */
export function addLoadTestCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
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
        // Loaded when run: the full CLI registers this command but most of its runs are scans.
        const { runLoadTestCommand } = require('./loadtest') as typeof import('./loadtest');
        const outcome = await runLoadTestCommand(scenario, opts, { stdout: io.stdout, stderr: io.stderr as LoadTestIoStream, cwd: io.cwd, onCancellable: (c) => (cancel = c) });
        for (const n of outcome.notices) io.stderr.write(`shipshape: ${n}\n`);
        writeOutput(outcome.output, opts.output, io);
        setExitCode(outcome.exitCode);
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
