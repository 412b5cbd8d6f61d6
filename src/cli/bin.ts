// The `shipshape` executable (dist/cli.js). `loadtest` runs from a lean bundle
// (dist/cli-loadtest.js, loadtestMain.ts); every other command from the full CLI
// (dist/cli-main.js, main.ts). Both are required at run time, next to this file, so neither is
// compiled when the other runs, and through V8's code cache (compileCache.ts), so a command does not
// compile again what its previous run compiled.
import * as path from 'node:path';
import { useBaselineWasmCompiler } from '../core/sql/wasmCompiler';
import { requireWithCodeCache } from './compileCache';

type Entry = { main(argv: string[]): Promise<number> };

const argv = process.argv.slice(2);
// This process is the CLI's own: the PostgreSQL parser's WebAssembly is compiled for a scan.
useBaselineWasmCompiler();
const bundle = argv[0] === 'loadtest' ? 'cli-loadtest.js' : 'cli-main.js';
// One cache per command: what `--help` compiles is not what a scan needs.
const loaded = requireWithCodeCache(path.join(__dirname, bundle), /^[a-z][a-z-]*$/.test(argv[0] ?? '') ? argv[0] : 'other');
const entry = loaded.exports as Entry;
entry.main(argv).then(
  (code) => {
    process.exitCode = code;
    loaded.save();
    // A scan has nothing left to run once its report is out: exit when stdout and stderr have
    // taken what was written, rather than after freeing a heap of several hundred MB (~35 ms).
    // Other commands end on their own (servers, engine threads and databases stop first).
    if (argv[0] === 'scan') process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (err: unknown) => {
    process.stderr.write(`shipshape: internal error: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
