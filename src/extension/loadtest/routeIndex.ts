import * as vscode from 'vscode';
import { scanRoutes, type SourceRoute } from './routeScan';
import type { RouteFinding } from './viewModel';

const SOURCES = '**/*.{ts,mts,cts,js,mjs,cjs}';
const IGNORED = '{**/node_modules/**,**/dist/**,**/out/**,**/build/**,**/.shipshape/**,**/*.d.ts,**/*.test.*,**/*.spec.*,**/test/**,**/tests/**}';
const MAX_FILES = 3000;

/**
 * The workspace's routes (see routeScan.ts), rebuilt lazily after a source file changes. Reading
 * a few thousand files' text is fast enough here; anything type-based stays in the language server.
 */
export class RouteIndex implements vscode.Disposable {
  private routes: Promise<SourceRoute[]> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly folder: vscode.WorkspaceFolder) {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, SOURCES));
    const invalidate = () => {
      this.routes = undefined;
      this.changed.fire();
    };
    this.disposables.push(watcher, watcher.onDidChange(invalidate), watcher.onDidCreate(invalidate), watcher.onDidDelete(invalidate));
  }

  all(): Promise<SourceRoute[]> {
    this.routes ??= this.scan();
    return this.routes;
  }

  async inFile(uri: vscode.Uri): Promise<SourceRoute[]> {
    const rel = vscode.workspace.asRelativePath(uri, false);
    return (await this.all()).filter((r) => r.file === rel);
  }

  private async scan(): Promise<SourceRoute[]> {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, SOURCES), IGNORED, MAX_FILES);
    const decoder = new TextDecoder();
    const files = await Promise.all(uris.map(async (uri) => {
      try {
        return { file: vscode.workspace.asRelativePath(uri, false), text: decoder.decode(await vscode.workspace.fs.readFile(uri)) };
      } catch {
        return undefined;
      }
    }));
    return scanRoutes(files.filter((f): f is { file: string; text: string } => f !== undefined));
  }

  /**
   * Shipshape's diagnostics inside route handlers (between a registration and the next one in
   * the file), as findings on that route: what the results panel puts next to a slow endpoint.
   */
  async findings(): Promise<RouteFinding[]> {
    const routes = await this.all();
    const out: RouteFinding[] = [];
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      const rel = vscode.workspace.asRelativePath(uri, false);
      const inFile = routes.filter((r) => r.file === rel);
      if (!inFile.length) continue;
      for (const d of diagnostics) {
        if (d.source !== 'shipshape') continue;
        const line = d.range.start.line;
        const route = inFile.filter((r) => r.line <= line && line < r.endLine).at(-1);
        if (!route) continue;
        const ruleId = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? 'shipshape');
        out.push({ method: route.method, route: route.path, ruleId, message: d.message.split('\n')[0], file: rel, line: line + 1 });
      }
    }
    return out;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
