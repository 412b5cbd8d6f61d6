import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { SCAN_WORKSPACE_REQUEST, STATUS_NOTIFICATION, type ScanWorkspaceResult, type StatusParams } from '../server/protocol';
import { registerChecklist } from './checklist';
import { createLanguageClient } from './client';
import { ExplainController } from './explain/explainController';
import { FindingsView } from './findingsView';
import { registerLoadTests } from './loadtest/register';
import { ROUTES_REQUEST, type RoutesResult } from '../server/routesProtocol';
import { ShipshapeStatusBar } from './statusBar';

let client: LanguageClient | undefined;

/**
 * A thin client: it starts the language server, shows its state and findings, and
 * forwards commands. In an untrusted workspace it runs unchanged: analysis only reads
 * files, it never executes anything from the workspace.
 */
/** What the extension exports: the checklist's model and tree data, for other extensions and the end-to-end suite. */
export interface ShipshapeApi {
  checklist: ReturnType<typeof registerChecklist>;
}

export async function activate(context: vscode.ExtensionContext): Promise<ShipshapeApi> {
  // A log channel: the client writes the server's log lines into it with time and level.
  const output = vscode.window.createOutputChannel('Shipshape', { log: true });
  const statusBar = new ShipshapeStatusBar();
  const findings = new FindingsView();
  context.subscriptions.push(output, statusBar, findings);

  client = createLanguageClient(context, output);
  const lc = client;
  /** The server finished an analysis pass (what the route list is asked again after). */
  const analysed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    new ExplainController(context, output, lc),
    analysed,
    lc.onNotification(STATUS_NOTIFICATION, (status: StatusParams) => {
      statusBar.update(status);
      if (status.state === 'idle') analysed.fire();
    }),
    lc.onDidChangeState((e) => {
      if (e.newState === State.Stopped) statusBar.stopped();
      else if (e.newState === State.Starting) statusBar.starting();
    }),
    vscode.commands.registerCommand('shipshape.scanWorkspace', () => scanWorkspace(lc)),
    vscode.commands.registerCommand('shipshape.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('shipshape.restartServer', async () => {
      output.info('Restarting the Shipshape language server…');
      statusBar.starting();
      await (lc.isRunning() ? lc.restart() : lc.start());
    }),
  );
  await registerLoadTests(context, output, {
    routes: async () => (await lc.sendRequest<RoutesResult>(ROUTES_REQUEST)).routes,
    onDidAnalyse: analysed.event,
  });
  const checklist = registerChecklist(context, lc);
  if (!vscode.workspace.isTrusted) output.info('Restricted mode: Shipshape runs its static analysis only (nothing from the workspace is executed).');

  try {
    await lc.start();
  } catch (err) {
    statusBar.stopped();
    output.error(`The Shipshape language server did not start: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window.showErrorMessage('Shipshape: the language server did not start. See the Shipshape output for details.', 'Show Output').then((c) => {
      if (c) output.show();
    });
  }
  return { checklist };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

async function scanWorkspace(lc: LanguageClient): Promise<void> {
  if (!lc.isRunning()) {
    void vscode.window.showWarningMessage('Shipshape: the language server is not running. Run "Shipshape: Restart Language Server".');
    return;
  }
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Shipshape: scanning the workspace…' }, async () => {
    const result = await lc.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST);
    vscode.window.setStatusBarMessage(
      `Shipshape: ${result.findings} problem${result.findings === 1 ? '' : 's'} in ${result.files} files (${result.durationMs} ms)`,
      5000,
    );
  });
}
