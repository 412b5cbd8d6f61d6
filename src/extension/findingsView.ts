import * as path from 'node:path';
import * as vscode from 'vscode';

const SOURCE = 'shipshape';

interface RuleNode {
  kind: 'rule';
  ruleId: string;
  files: FileNode[];
  count: number;
}

interface FileNode {
  kind: 'file';
  ruleId: string;
  uri: vscode.Uri;
  findings: FindingNode[];
}

interface FindingNode {
  kind: 'finding';
  uri: vscode.Uri;
  diagnostic: vscode.Diagnostic;
}

type Node = RuleNode | FileNode | FindingNode;

/**
 * The Findings view: Shipshape's diagnostics grouped rule → file → finding. It reads what
 * the language server published (the Problems panel's data), so both always agree.
 */
export class FindingsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: RuleNode[] = [];
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor() {
    this.view = vscode.window.createTreeView('shipshape.findings', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.length > 0) this.scheduleRefresh();
      }),
    );
    this.rebuild();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'rule': {
        const item = new vscode.TreeItem(node.ruleId === 'config' ? 'configuration' : node.ruleId, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${plural(node.count, 'problem')} in ${plural(node.files.length, 'file')}`;
        item.iconPath = new vscode.ThemeIcon('law');
        item.contextValue = 'shipshape.rule';
        item.id = `rule:${node.ruleId}`;
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.uri, node.findings.length > 20 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        const folder = vscode.workspace.getWorkspaceFolder(node.uri);
        const rel = folder ? path.posix.dirname(vscode.workspace.asRelativePath(node.uri, false)) : path.dirname(node.uri.fsPath);
        item.label = path.basename(node.uri.fsPath);
        item.description = `${rel === '.' ? '' : rel + ' · '}${node.findings.length}`;
        item.contextValue = 'shipshape.file';
        item.id = `file:${node.ruleId}:${node.uri.toString()}`;
        return item;
      }
      case 'finding': {
        const d = node.diagnostic;
        const item = new vscode.TreeItem(firstSentence(d.message), vscode.TreeItemCollapsibleState.None);
        item.description = `Ln ${d.range.start.line + 1}, Col ${d.range.start.character + 1}`;
        item.iconPath = severityIcon(d.severity);
        item.tooltip = tooltip(d);
        item.contextValue = 'shipshape.finding';
        item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri, { selection: d.range } satisfies vscode.TextDocumentShowOptions] };
        return item;
      }
    }
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots;
    if (node.kind === 'rule') return node.files;
    if (node.kind === 'file') return node.findings;
    return [];
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'rule') return undefined;
    if (node.kind === 'file') return this.roots.find((r) => r.ruleId === node.ruleId);
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }

  private scheduleRefresh(): void {
    // Diagnostics arrive file by file during a workspace pass; redraw once they settle.
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.rebuild(), 150);
  }

  private rebuild(): void {
    const byRule = new Map<string, Map<string, FileNode>>();
    let total = 0;
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const diagnostic of diagnostics) {
        if (diagnostic.source !== SOURCE) continue;
        const ruleId = codeOf(diagnostic);
        let files = byRule.get(ruleId);
        if (!files) byRule.set(ruleId, (files = new Map()));
        let file = files.get(uri.toString());
        if (!file) files.set(uri.toString(), (file = { kind: 'file', ruleId, uri, findings: [] }));
        file.findings.push({ kind: 'finding', uri, diagnostic });
        total++;
      }
    }
    this.roots = [...byRule]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([ruleId, files]) => {
        const list = [...files.values()].sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
        for (const f of list) f.findings.sort((a, b) => a.diagnostic.range.start.compareTo(b.diagnostic.range.start));
        return { kind: 'rule' as const, ruleId, files: list, count: list.reduce((n, f) => n + f.findings.length, 0) };
      });
    this.view.badge = total > 0 ? { value: total, tooltip: `${plural(total, 'Shipshape problem')}` } : undefined;
    this.changed.fire(undefined);
  }
}

function codeOf(d: vscode.Diagnostic): string {
  if (d.code === undefined) return 'other';
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function severityIcon(severity: vscode.DiagnosticSeverity): vscode.ThemeIcon {
  switch (severity) {
    case vscode.DiagnosticSeverity.Error:
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case vscode.DiagnosticSeverity.Warning:
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    default:
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
  }
}

function tooltip(d: vscode.Diagnostic): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendText(d.message);
  for (const r of d.relatedInformation ?? []) {
    md.appendMarkdown('\n\n');
    md.appendText(`${path.basename(r.location.uri.fsPath)}:${r.location.range.start.line + 1} — ${r.message}`);
  }
  if (typeof d.code === 'object' && d.code.target) md.appendMarkdown(`\n\n[${String(d.code.value)}](${d.code.target.toString()})`);
  return md;
}

function firstSentence(message: string): string {
  const m = /^(.+?[.:])(\s|$)/.exec(message);
  const s = m ? m[1] : message;
  return s.length > 160 ? s.slice(0, 157) + '…' : s;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
