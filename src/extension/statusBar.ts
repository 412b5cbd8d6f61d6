import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';

/** `$(checklist) Shipshape: N problems`, a spinner while the workspace is analysed. */
export class ShipshapeStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('shipshape.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Shipshape';
    this.item.command = 'shipshape.findings.focus';
    this.starting();
    this.item.show();
  }

  starting(): void {
    this.item.text = '$(sync~spin) Shipshape';
    this.item.tooltip = 'Shipshape: starting the language server';
    this.item.backgroundColor = undefined;
    void vscode.commands.executeCommand('setContext', 'shipshape.state', 'analysing');
  }

  update(status: StatusParams): void {
    const problems = `${status.findings} problem${status.findings === 1 ? '' : 's'}`;
    if (status.state === 'analysing') {
      this.item.text = `$(sync~spin) Shipshape: analysing…`;
      this.item.tooltip = `Shipshape is analysing the workspace (${problems} so far)`;
    } else {
      this.item.text = `$(checklist) Shipshape: ${problems}`;
      this.item.tooltip = `Shipshape: ${problems} in ${status.files} analysed files; last analysis took ${status.durationMs} ms. Click to show the findings.`;
    }
    this.item.backgroundColor = undefined;
    this.item.command = 'shipshape.findings.focus';
    void vscode.commands.executeCommand('setContext', 'shipshape.state', status.state);
  }

  stopped(): void {
    this.item.text = '$(error) Shipshape: stopped';
    this.item.tooltip = 'The Shipshape language server stopped. Click to restart it; details are in the Shipshape output.';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.command = 'shipshape.restartServer';
    void vscode.commands.executeCommand('setContext', 'shipshape.state', 'stopped');
  }

  dispose(): void {
    this.item.dispose();
  }
}
