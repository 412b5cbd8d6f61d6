import * as vscode from 'vscode';
import { RouteCodeLens, ScenarioCodeLens } from './codeLens';
import { LoadTestController } from './controller';
import type { RouteSource } from './routeIndex';
import type { RunNode, ScenarioNode } from './treeModel';
import { LoadTestsView } from './treeView';

/** The workspace folder load tests belong to: the one with shipshape.config.json, else the first. */
async function loadTestFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const f of folders) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(f.uri, 'shipshape.config.json'));
      return f;
    } catch {
      // not this one
    }
  }
  return folders[0];
}

const NO_FOLDER = 'Shipshape: load tests need a workspace folder (their scenarios and history live in it). Open a folder first.';

/**
 * Load tests in the editor: commands, the Load Tests view, CodeLens and the results panel.
 * Commands are registered even without a folder (and in Restricted Mode) so they can say why
 * they do nothing.
 */
export async function registerLoadTests(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, routes: RouteSource): Promise<void> {
  const folder = await loadTestFolder();
  if (!folder) {
    for (const id of ['run', 'rerun', 'stop', 'createScenario', 'compare', 'pinBaseline', 'export']) {
      context.subscriptions.push(vscode.commands.registerCommand(`shipshape.loadtest.${id}`, () => vscode.window.showInformationMessage(NO_FOLDER)));
    }
    return;
  }
  const controller = new LoadTestController(context, folder, output, routes);
  const view = new LoadTestsView(controller);
  const routeLens = new RouteCodeLens(controller.routes);
  const runIdOf = (arg: unknown): string | undefined => (typeof arg === 'string' ? arg : (arg as RunNode | undefined)?.kind === 'run' ? (arg as RunNode).id : undefined);
  const scenarioOf = (arg: unknown): string | undefined => (typeof arg === 'string' ? arg : (arg as ScenarioNode | undefined)?.kind === 'scenario' ? (arg as ScenarioNode).name : undefined);
  context.subscriptions.push(
    controller, view, routeLens,
    vscode.languages.registerCodeLensProvider({ pattern: '**/shipshape.config.json' }, new ScenarioCodeLens()),
    vscode.languages.registerCodeLensProvider(
      [{ language: 'typescript', scheme: 'file' }, { language: 'javascript', scheme: 'file' }],
      routeLens,
    ),
    vscode.commands.registerCommand('shipshape.loadtest.run', () => controller.pickAndRun()),
    vscode.commands.registerCommand('shipshape.loadtest.rerun', () => controller.rerunLast()),
    vscode.commands.registerCommand('shipshape.loadtest.stop', () => controller.stop()),
    vscode.commands.registerCommand('shipshape.loadtest.createScenario', () => controller.createScenario()),
    vscode.commands.registerCommand('shipshape.loadtest.compare', (arg?: unknown) => {
      const selected = view.selectedRuns();
      if (selected.length === 2) return controller.compare(selected[0].id, selected[1].id);
      return controller.compare(runIdOf(arg));
    }),
    vscode.commands.registerCommand('shipshape.loadtest.pinBaseline', (arg?: unknown) => controller.pinBaseline(runIdOf(arg))),
    vscode.commands.registerCommand('shipshape.loadtest.export', (arg?: unknown) => controller.exportScenario(scenarioOf(arg))),
    vscode.commands.registerCommand('shipshape.loadtest.runScenario', (arg?: unknown) => {
      const name = scenarioOf(arg);
      return name ? controller.runConfigScenario(name) : controller.pickAndRun();
    }),
    vscode.commands.registerCommand('shipshape.loadtest.runRoute', (method: string, routePath: string) => controller.runRoute(method, routePath)),
    vscode.commands.registerCommand('shipshape.loadtest.openRun', (arg?: unknown) => {
      const id = runIdOf(arg);
      return id ? controller.openRun(id) : controller.pickRun('Shipshape: Open Load Test Run').then((picked) => (picked ? controller.openRun(picked) : undefined));
    }),
    vscode.commands.registerCommand('shipshape.loadtest.deleteRun', (arg?: unknown) => {
      const id = runIdOf(arg);
      return id ? controller.deleteRun(id) : undefined;
    }),
    vscode.commands.registerCommand('shipshape.loadtest.refresh', () => view.refresh()),
    vscode.commands.registerCommand('shipshape.loadtest.openConfig', async () => {
      const config = await controller.readConfig();
      return config ? controller.openConfigAt(config.text, 'loadtest') : controller.createScenario();
    }),
  );
  void vscode.commands.executeCommand('setContext', 'shipshape.loadtest.running', false);
}
