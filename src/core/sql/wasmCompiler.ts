import * as v8 from 'node:v8';

/**
 * Compiles the parser with V8's baseline WebAssembly compiler (Liftoff) only, never tiering up to
 * the optimising one (TurboFan). For the processes Shipshape owns — the CLI and the language
 * server — and before `loadSqlParser()` (parser.ts). PostgreSQL's grammar is a few huge functions:
 * tiering them up costs more than it saves over a scan's worth of queries, and the optimising
 * compiler's memory, allocated in background threads, stays with the process. Measured on 7,000
 * distinct queries: 0.46 s instead of 1.6 s, and 45 MB less peak memory in a whole-workspace scan
 * (bench/RESULTS.md). Never in a shared process (the extension host): the flag applies to every
 * WebAssembly module the process compiles.
 */
export function useBaselineWasmCompiler(): void {
  v8.setFlagsFromString('--liftoff-only');
}

