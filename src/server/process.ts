import type { Connection } from 'vscode-languageserver';
import { loadSqlParser } from '../core/sql/parser';
import { useBaselineWasmCompiler } from '../core/sql/wasmCompiler';
import { startLanguageServer } from './languageServer';

/**
 * Runs the language server as the whole process: dist/server.js (started by the extension) and
 * `shipshape lsp --stdio` (started by other editors) both come here.
 */
export function serveLanguageServer(connection: Connection, version: string): void {
  // Last line of defence: a stray exception is logged, the server keeps serving.
  process.on('uncaughtException', (err) => connection.console.error(`Uncaught exception: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  // The PostgreSQL parser (WebAssembly) loads before the first analysis; messages wait meanwhile.
  // This process is the server's own: its WebAssembly is compiled for a scan (see the function).
  useBaselineWasmCompiler();
  loadSqlParser()
    .catch((err: Error) => connection.console.error(`The PostgreSQL parser did not load (${err.message}); SQL rules are off until the server restarts.`))
    .finally(() => startLanguageServer(connection, { version }));
}
