import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FromWebview, ToWebview } from '../../webview/checklist/protocol';
import { panelHtml, panelOptions } from '../webview/panelHtml';
import type { ChecklistModel } from './checklistModel';

export const REPORT_VIEW_TYPE = 'shipshape.checklistReport';

/** The readiness report webview: one panel, created or revealed; restored after a reload. */
export class ChecklistReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly model: ChecklistModel) {
    this.disposables.push(
      model.onDidChange(() => this.post()),
      vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => {
          this.attach(panel);
          void model.refresh();
        },
      }),
    );
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Active);
      return;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Shipshape: Readiness Report', vscode.ViewColumn.Active, panelOptions(this.context.extensionUri));
    this.attach(panel);
    void this.model.refresh();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = panelOptions(this.context.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'shipshape.svg');
    panel.webview.html = panelHtml({ webview: panel.webview, extensionUri: this.context.extensionUri, name: 'checklist', title: 'Readiness Report', styles: ['checklist.css'], initialState: this.model.folders });
    panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m), undefined, this.disposables);
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    }, undefined, this.disposables);
  }

  private post(): void {
    const message: ToWebview = { type: 'report', folders: this.model.folders, computing: this.model.computing };
    void this.panel?.webview.postMessage(message);
  }

  private async onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.post();
        return;
      case 'refresh':
        await vscode.commands.executeCommand('shipshape.checklist.refresh');
        return;
      case 'openDocs':
        await vscode.commands.executeCommand('shipshape.checklist.openDocs', m.id);
        return;
      case 'openFile': {
        // Only files inside a folder the checklist was computed for.
        if (!this.model.folders.some((f) => f.root === m.root)) return;
        const abs = path.resolve(m.root, m.file);
        if (!abs.startsWith(m.root + path.sep)) return;
        const line = Math.max(0, (m.line ?? 1) - 1);
        await vscode.window.showTextDocument(vscode.Uri.file(abs), { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.Beside });
        return;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
