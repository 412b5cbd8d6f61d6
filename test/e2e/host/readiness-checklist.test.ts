// The readiness checklist in the real extension host: the tree data through its provider (the
// extension's exports), clicks that open evidence, the answer commands writing
// shipshape.config.json, the report webview, and a refresh after a file changes on disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ShipshapeApi } from '../../../src/extension/extension';
import type { ChecklistNode } from '../../../src/extension/checklist/checklistView';

const EXTENSION_ID = 'shipshape.shipshape';

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

describe('Readiness checklist in the extension host (examples/orders-api)', function () {
  this.timeout(120_000);
  let api: ShipshapeApi;

  const itemNode = (id: string): Extract<ChecklistNode, { kind: 'item' }> => {
    const view = api.checklist.view;
    for (const category of view.getChildren()) {
      for (const node of view.getChildren(category)) if (node.kind === 'item' && node.item.id === id) return node;
    }
    throw new Error(`no tree node for ${id}`);
  };

  before(async () => {
    const ext = vscode.extensions.getExtension<ShipshapeApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    api = await ext.activate();
    await waitFor('the first checklist from the language server', async () => {
      await api.checklist.model.refresh();
      return api.checklist.model.folders.length === 1 || undefined;
    }, 90_000);
  });

  it('shows the seven categories with their scores, items with status icons, evidence under them', () => {
    const view = api.checklist.view;
    const categories = view.getChildren();
    assert.deepEqual(categories.map((c) => (c.kind === 'category' ? c.category.title : c.kind)), ['Observability', 'Reliability', 'Deployment', 'Disaster recovery', 'Security', 'Documentation', 'Testing']);
    for (const c of categories) assert.match(String(view.getTreeItem(c).description), /^(\d+\/100|not scored)/);
    const health = itemNode('observability.health-endpoints');
    const t = view.getTreeItem(health);
    assert.equal(t.label, 'Health endpoints');
    assert.equal(t.description, health.item.status);
    assert.equal((t.iconPath as vscode.ThemeIcon).id, health.item.status === 'fail' ? 'error' : health.item.status === 'pass' ? 'pass' : 'warning');
    assert.equal(t.contextValue, 'shipshape.checklistItem');
  });

  it('an evidence node opens its file at its line', async () => {
    const node = itemNode('reliability.no-n-plus-one');
    assert.equal(node.item.status, 'fail');
    const evidence = api.checklist.view.getChildren(node);
    const first = evidence[0];
    assert.ok(first && first.kind === 'evidence');
    const t = api.checklist.view.getTreeItem(first);
    assert.equal(t.description, `src/routes/orders.ts:${first.evidence.line}`);
    assert.ok(t.command);
    await vscode.commands.executeCommand(t.command.command, ...(t.command.arguments ?? []));
    const editor = await waitFor('orders.ts in the editor', () => vscode.window.activeTextEditor?.document.uri.fsPath.endsWith(path.join('src', 'routes', 'orders.ts')) && vscode.window.activeTextEditor);
    assert.equal(editor.selection.active.line, (first.evidence.line ?? 1) - 1);
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /pool\.query\(/);
  });

  it('Mark Answered and Mark Not Applicable write shipshape.config.json and the tree follows', async () => {
    await vscode.commands.executeCommand('shipshape.checklist.markAnswered', itemNode('disaster-recovery.restore-tested'), 'pass', 'restored into staging on 2026-11-20');
    await vscode.commands.executeCommand('shipshape.checklist.markNotApplicable', itemNode('reliability.rate-limiting'), 'the API gateway rate-limits per key');
    const config = JSON.parse(fs.readFileSync(path.join(root(), 'shipshape.config.json'), 'utf8'));
    assert.deepEqual(config.checklist.answers, {
      'disaster-recovery.restore-tested': { status: 'pass', note: 'restored into staging on 2026-11-20' },
      'reliability.rate-limiting': { status: 'n/a', note: 'the API gateway rate-limits per key' },
    });
    await waitFor('the answers in the checklist', () => itemNode('disaster-recovery.restore-tested').item.answered && itemNode('reliability.rate-limiting').item.status === 'n/a');
    const t = api.checklist.view.getTreeItem(itemNode('disaster-recovery.restore-tested'));
    assert.equal(t.description, 'pass (answered)');
    assert.equal(t.contextValue, 'shipshape.checklistItem.answered');
    assert.equal(api.checklist.view.getTreeItem(api.checklist.view.getChildren(itemNode('disaster-recovery.restore-tested'))[0]).label, 'answered pass in shipshape.config.json: restored into staging on 2026-11-20');
  });

  it('a Dockerfile added on disk changes the deployment items without a rescan', async () => {
    assert.equal(itemNode('deployment.docker-non-root').item.status, 'n/a');
    fs.writeFileSync(path.join(root(), 'Dockerfile'), 'FROM node:22-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\n\nFROM node:22-slim\nCOPY --from=build /app /app\nUSER node\nCMD ["node", "/app/dist/server.js"]\n');
    await waitFor('docker-non-root to pass after the Dockerfile appears', () => itemNode('deployment.docker-non-root').item.status === 'pass');
    assert.deepEqual(itemNode('deployment.docker-non-root').item.evidence, [{ file: 'Dockerfile', line: 8, note: 'USER node in the final stage' }]);
    assert.equal(itemNode('deployment.docker-multi-stage').item.status, 'pass');
  });

  it('Open Readiness Report shows the report webview', async () => {
    await vscode.commands.executeCommand('shipshape.checklist.openReport');
    const tab = await waitFor('the report tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('shipshape.checklistReport')));
    assert.equal(tab.label, 'Shipshape: Readiness Report');
  });
});
