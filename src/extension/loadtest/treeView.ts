import * as vscode from 'vscode';
import type { LoadTestController } from './controller';
import { loadTestTree, type RunNode, type ScenarioNode } from './treeModel';

type Node = ScenarioNode | RunNode;

const STATUS_ICONS = {
  passed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  stopped: new vscode.ThemeIcon('debug-stop', new vscode.ThemeColor('testing.iconSkipped')),
  none: new vscode.ThemeIcon('circle-large-outline'),
};

/** The Load Tests view: scenarios (config order) → saved runs, newest first. */
export class LoadTestsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly controller: LoadTestController) {
    this.view = vscode.window.createTreeView('shipshape.loadTests', { treeDataProvider: this, showCollapseAll: true, canSelectMany: true });
    this.disposables.push(this.view, controller.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(undefined), 100);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return node.kind === 'scenario' ? node.runs : [];
    const config = await this.controller.readConfig();
    const names = config?.scenarios.entries.map((e) => e.name) ?? [];
    const roots = loadTestTree(names, this.controller.safeList());
    void vscode.commands.executeCommand('setContext', 'shipshape.loadtest.empty', roots.length === 0);
    return roots;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'scenario') {
      const item = new vscode.TreeItem(node.name, node.runs.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `scenario:${node.name}`;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = STATUS_ICONS[node.status];
      item.contextValue = node.inConfig ? 'scenario' : 'scenario.history';
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${node.id}`;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = node.baseline ? new vscode.ThemeIcon('star-full', new vscode.ThemeColor(node.status === 'passed' ? 'testing.iconPassed' : 'testing.iconFailed')) : STATUS_ICONS[node.status];
    item.contextValue = node.contextValue;
    item.command = { command: 'shipshape.loadtest.openRun', title: 'Open Run', arguments: [node] };
    return item;
  }

  /** The runs selected in the view (for Compare with two selected). */
  selectedRuns(): RunNode[] {
    return this.view.selection.filter((n): n is RunNode => n.kind === 'run');
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
