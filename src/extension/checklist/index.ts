import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { answerItem } from './answers';
import { ChecklistModel } from './checklistModel';
import { ChecklistView, type ChecklistNode } from './checklistView';
import { ChecklistReportPanel } from './reportPanel';

/**
 * The readiness checklist in the editor: the Checklist view, a status-bar score, the report
 * webview and the answer commands. Everything is computed by the language server.
 */
export function registerChecklist(context: vscode.ExtensionContext, client: LanguageClient): { model: ChecklistModel; view: ChecklistView } {
  const model = new ChecklistModel(client);
  const view = new ChecklistView(model);
  const tree = vscode.window.createTreeView('shipshape.checklist', { treeDataProvider: view, showCollapseAll: true });
  const report = new ChecklistReportPanel(context, model);
  const status = vscode.window.createStatusBarItem('shipshape.readiness', vscode.StatusBarAlignment.Left, 49);
  status.name = 'Shipshape Readiness';
  status.command = 'shipshape.checklist.focus';
  const update = () => {
    const scores = model.folders.map((f) => f.report.score).filter((s): s is number => s !== null);
    if (model.folders.length === 0) {
      status.hide();
      return;
    }
    const score = scores.length ? Math.min(...scores) : undefined;
    status.text = `$(dashboard) Readiness ${score ?? '–'}`;
    const fails = model.folders.flatMap((f) => f.report.categories.flatMap((c) => c.items)).filter((i) => i.status === 'fail').length;
    status.tooltip = `Shipshape production readiness: ${score ?? 'not scored'}/100${fails ? `, ${fails} failed item${fails === 1 ? '' : 's'}` : ''}. Click to show the checklist.`;
    tree.message = undefined;
    status.show();
    void vscode.commands.executeCommand('setContext', 'shipshape.checklistReady', true);
  };
  context.subscriptions.push(
    model,
    view,
    tree,
    report,
    status,
    model.onDidChange(update),
    vscode.commands.registerCommand('shipshape.checklist.refresh', () => vscode.window.withProgress({ location: { viewId: 'shipshape.checklist' } }, () => model.refresh())),
    vscode.commands.registerCommand('shipshape.checklist.openReport', () => report.show()),
    vscode.commands.registerCommand('shipshape.checklist.markAnswered', (node?: ChecklistNode, status?: string, note?: string) => answerItem(node, status, note)),
    vscode.commands.registerCommand('shipshape.checklist.markNotApplicable', (node?: ChecklistNode, note?: string) => answerItem(node, 'n/a', note)),
    vscode.commands.registerCommand('shipshape.checklist.openDocs', async (arg?: ChecklistNode | string) => {
      const id = typeof arg === 'string' ? arg : arg && arg.kind === 'item' ? arg.item.id : undefined;
      if (!id || !/^[a-z-]+\.[a-z-]+$/.test(id)) return;
      const uri = vscode.Uri.joinPath(context.extensionUri, 'docs', 'checklist', `${id}.md`);
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    }),
  );
  // The first report once the server is up (it answers after the initial analysis).
  client.onDidChangeState((e) => {
    if (e.newState === 2 /* State.Running */) void model.refresh();
  });
  if (client.isRunning()) void model.refresh();
  return { model, view };
}
