import * as vscode from 'vscode';
import { EMPTY_PANEL_STATE, type ExtensionToPanel, type PanelState, type PanelToExtension } from '../../webview/loadtest/protocol';
import { applyMessage } from '../../webview/loadtest/state';
import { panelHtml, panelOptions } from '../webview/panelHtml';

export const RESULTS_VIEW_TYPE = 'shipshape.loadTestResults';

/**
 * The one load-test results panel: created on first use, revealed afterwards. It keeps the state
 * it last sent, so a panel that is hidden and shown again, or restored by the serializer after a
 * reload, shows the same thing (the webview also keeps it with setState).
 */
export class LoadTestResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: PanelState = EMPTY_PANEL_STATE;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (msg: PanelToExtension) => void,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, saved: unknown) => {
          if (isPanelState(saved)) this.state = saved.phase === 'running' ? { ...saved, phase: 'cancelled', message: 'VS Code reloaded while this run was going; it was stopped.' } : saved;
          this.attach(panel);
        },
      }),
    );
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Shows the panel (created or revealed) without taking focus from the editor. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, 'Load Test', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, panelOptions(this.extensionUri));
    this.attach(panel);
  }

  post(msg: ExtensionToPanel): void {
    this.state = applyMessage(this.state, msg);
    if (this.panel) {
      if (msg.type === 'state') this.panel.title = titleOf(this.state);
      void this.panel.webview.postMessage(msg);
    }
  }

  setState(state: PanelState): void {
    this.post({ type: 'state', state });
  }

  current(): PanelState {
    return this.state;
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'shipshape.svg');
    panel.webview.options = panelOptions(this.extensionUri);
    panel.title = titleOf(this.state);
    panel.webview.html = panelHtml({ webview: panel.webview, extensionUri: this.extensionUri, name: 'loadtest', title: 'Load Test', css: true, initialState: this.state });
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    }, undefined, this.disposables);
    panel.webview.onDidReceiveMessage((msg: PanelToExtension) => {
      // A page that loaded before the latest state (restored, or reloaded by VS Code) catches up.
      if (msg?.type === 'ready') void panel.webview.postMessage({ type: 'state', state: this.state } satisfies ExtensionToPanel);
      else if (msg && typeof msg === 'object') this.onMessage(msg);
    }, undefined, this.disposables);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function titleOf(s: PanelState): string {
  const name = s.header?.scenario;
  if (!name) return 'Load Test';
  if (s.phase === 'running') return `Load Test: ${name} (running)`;
  if (s.phase === 'done' && s.passed !== undefined) return `Load Test: ${name} ${s.passed ? '✓' : '✗'}`;
  return `Load Test: ${name}`;
}

function isPanelState(v: unknown): v is PanelState {
  return typeof v === 'object' && v !== null && typeof (v as PanelState).phase === 'string' && Array.isArray((v as PanelState).samples);
}
