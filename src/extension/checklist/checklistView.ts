import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FolderChecklist } from '../../server/protocol';
import type { ChecklistModel } from './checklistModel';

type Report = FolderChecklist['report'];
type Category = Report['categories'][number];
type Item = Category['items'][number];
type Evidence = Item['evidence'][number];

export type ChecklistNode =
  | { kind: 'folder'; folder: FolderChecklist }
  | { kind: 'category'; folder: FolderChecklist; category: Category }
  | { kind: 'item'; folder: FolderChecklist; item: Item }
  | { kind: 'evidence'; folder: FolderChecklist; item: Item; evidence: Evidence; index: number };

const STATUS_ICON: Record<Item['status'], [string, string | undefined]> = {
  pass: ['pass', 'testing.iconPassed'],
  warn: ['warning', 'editorWarning.foreground'],
  fail: ['error', 'testing.iconFailed'],
  manual: ['question', 'editorInfo.foreground'],
  'n/a': ['circle-slash', 'descriptionForeground'],
};

/**
 * The Checklist view: category (with its score) → item (status icon) → evidence (click opens the
 * file at the line). Item context menu: mark answered, mark not applicable, open docs.
 */
export class ChecklistView implements vscode.TreeDataProvider<ChecklistNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ChecklistNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly model: ChecklistModel) {
    this.disposables.push(model.onDidChange(() => this.changed.fire(undefined)));
  }

  getChildren(node?: ChecklistNode): ChecklistNode[] {
    if (!node) {
      const folders = this.model.folders;
      if (folders.length === 1) return folders[0].report.categories.map((category) => ({ kind: 'category', folder: folders[0], category }));
      return folders.map((folder) => ({ kind: 'folder', folder }));
    }
    switch (node.kind) {
      case 'folder':
        return node.folder.report.categories.map((category) => ({ kind: 'category', folder: node.folder, category }));
      case 'category':
        return node.category.items.map((item) => ({ kind: 'item', folder: node.folder, item }));
      case 'item':
        return [...node.item.evidence.map((evidence, index) => ({ kind: 'evidence' as const, folder: node.folder, item: node.item, evidence, index }))];
      default:
        return [];
    }
  }

  getTreeItem(node: ChecklistNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const t = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        t.description = score(node.folder.report.score);
        t.id = `folder:${node.folder.root}`;
        return t;
      }
      case 'category': {
        const t = new vscode.TreeItem(node.category.title, vscode.TreeItemCollapsibleState.Collapsed);
        const counts = count(node.category.items);
        t.description = `${score(node.category.score)}${counts ? ` · ${counts}` : ''}`;
        t.iconPath = new vscode.ThemeIcon('checklist');
        t.id = `category:${node.folder.root}:${node.category.id}`;
        t.contextValue = 'shipshape.checklistCategory';
        return t;
      }
      case 'item': {
        const t = new vscode.TreeItem(node.item.title, vscode.TreeItemCollapsibleState.Collapsed);
        t.description = node.item.answered ? `${node.item.status} (answered)` : node.item.status;
        const [icon, color] = STATUS_ICON[node.item.status];
        t.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        const tip = new vscode.MarkdownString(`**${node.item.title}** — \`${node.item.id}\`: **${node.item.status}**\n\n${node.item.next}`);
        t.tooltip = tip;
        t.id = `item:${node.folder.root}:${node.item.id}`;
        t.contextValue = node.item.answered ? 'shipshape.checklistItem.answered' : 'shipshape.checklistItem';
        return t;
      }
      case 'evidence': {
        const e = node.evidence;
        const t = new vscode.TreeItem(e.note, vscode.TreeItemCollapsibleState.None);
        t.tooltip = e.note;
        t.id = `evidence:${node.folder.root}:${node.item.id}:${node.index}`;
        if (e.file) {
          t.description = `${e.file}${e.line ? `:${e.line}` : ''}`;
          // No resourceUri: the label is the note, not a file name to decorate with problem counts.
          t.iconPath = new vscode.ThemeIcon('go-to-file');
          const uri = vscode.Uri.file(path.join(node.folder.root, e.file));
          const line = Math.max(0, (e.line ?? 1) - 1);
          t.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: new vscode.Range(line, 0, line, 0) } satisfies vscode.TextDocumentShowOptions] };
        } else t.iconPath = new vscode.ThemeIcon('search');
        return t;
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function score(s: number | null): string {
  return s === null ? 'not scored' : `${s}/100`;
}

function count(items: Item[]): string {
  const fail = items.filter((i) => i.status === 'fail').length;
  const warn = items.filter((i) => i.status === 'warn').length;
  return [fail ? `${fail} fail` : '', warn ? `${warn} warn` : ''].filter(Boolean).join(', ');
}
