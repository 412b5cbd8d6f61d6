import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../server/protocol';

/**
 * The language client: dist/server.js in its own Node process over IPC (as vscode-eslint
 * runs its server), so analysis never blocks the extension host.
 */
export function createLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    // "Attach to Shipshape Server" in .vscode/launch.json connects here.
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const initializationOptions: InitializationOptions = { extensionPath: context.extensionPath };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'typescriptreact' },
      { scheme: 'file', language: 'sql' },
    ],
    diagnosticCollectionName: 'shipshape',
    outputChannel,
    initializationOptions,
    // The server pulls `shipshape.*` per folder (workspace/configuration) and registers for changes itself.
  };
  return new LanguageClient('shipshape', 'Shipshape', serverOptions, clientOptions);
}
