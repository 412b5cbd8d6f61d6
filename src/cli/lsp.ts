import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { TOOL } from '../core/report/common';
import { serveLanguageServer } from '../server/process';
import { UsageError } from './errors';

/**
 * `shipshape lsp --stdio`: the language server the VS Code extension runs, for Neovim, Helix and
 * any other LSP client. Stdout carries the protocol from here on, so nothing else may print there:
 * console output goes to the client's log (window/logMessage) instead. The process ends with the
 * client's `exit` notification or when stdin closes (vscode-languageserver exits the process).
 */
export function runLanguageServer(opts: { stdio?: boolean }): Promise<never> {
  if (!opts.stdio) throw new UsageError('the language server speaks over stdio only: run `shipshape lsp --stdio`');
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = console.log;
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  serveLanguageServer(connection, TOOL.version);
  return new Promise<never>(() => undefined);
}
