// The `shipshape` executable (dist/cli.js). `loadtest` runs from a lean bundle
// (dist/cli-loadtest.js, loadtestMain.ts); every other command from the full CLI
// (dist/cli-main.js, main.ts). Both are required at run time, next to this file, so neither is
// compiled when the other runs.
import * as path from 'node:path';
import { useBaselineWasmCompiler } from '../core/sql/wasmCompiler';

type Entry = { main(argv: string[]): Promise<number> };

const argv = process.argv.slice(2);
// This process is the CLI's own: the PostgreSQL parser's WebAssembly is compiled for a scan.
useBaselineWasmCompiler();
const bundle = argv[0] === 'loadtest' ? 'cli-loadtest.js' : 'cli-main.js';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path, loaded at run time on purpose
const entry = require(path.join(__dirname, bundle)) as Entry;
entry.main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`shipshape: internal error: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
