import * as vscode from 'vscode';
import { CONFIG_FILE, readConfigScenarios } from './configScenarios';
import type { RouteIndex } from './routeIndex';

/** "▶ Run load test" above each scenario object in shipshape.config.json. */
export class ScenarioCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!doc.uri.path.endsWith(`/${CONFIG_FILE}`)) return [];
    const { entries } = readConfigScenarios(doc.getText());
    return entries.map((e) => {
      const at = doc.positionAt(e.offset);
      return new vscode.CodeLens(new vscode.Range(at, at), {
        title: `▶ Run load test`,
        tooltip: `Run the scenario "${e.name}" (results in the Load Test panel)`,
        command: 'shipshape.loadtest.runScenario',
        arguments: [e.name],
      });
    });
  }
}

/** "Load test this route" above each route registration found in a source file. */
export class RouteCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly routes: RouteIndex) {
    this.sub = routes.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const routes = await this.routes.inFile(doc.uri);
    const lenses: vscode.CodeLens[] = [];
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.line}:${r.method}:${r.path}`;
      if (seen.has(key) || r.line >= doc.lineCount) continue;
      seen.add(key);
      const range = new vscode.Range(r.line, 0, r.line, 0);
      lenses.push(new vscode.CodeLens(range, {
        title: `Load test this route (${r.method === 'ALL' ? 'GET' : r.method} ${r.path})`,
        tooltip: `10 connections for 10 s against ${r.path} (parameters filled with 1)`,
        command: 'shipshape.loadtest.runRoute',
        arguments: [r.method === 'ALL' ? 'GET' : r.method, r.path],
      }));
    }
    return lenses;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
