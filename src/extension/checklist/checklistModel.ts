import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CHECKLIST_CHANGED_NOTIFICATION, CHECKLIST_REQUEST, type ChecklistParams, type FolderChecklist } from '../../server/protocol';

/**
 * The latest readiness checklists, as the language server computed them (the analysis never
 * runs in the extension host). The tree view, the status bar and the report listen to it.
 */
export class ChecklistModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  folders: FolderChecklist[] = [];
  /** True until the server has answered once. */
  computing = true;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly client: LanguageClient) {
    this.disposables.push(client.onNotification(CHECKLIST_CHANGED_NOTIFICATION, (p: ChecklistParams) => this.set(p)));
  }

  /** Asks the server (it waits for the analysis to settle); errors leave the last report shown. */
  async refresh(): Promise<void> {
    if (!this.client.isRunning()) return;
    try {
      this.set(await this.client.sendRequest<ChecklistParams>(CHECKLIST_REQUEST));
    } catch {
      /* the server restarts or stops: the next notification brings the report */
    }
  }

  private set(p: ChecklistParams): void {
    this.folders = p.folders;
    this.computing = false;
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
