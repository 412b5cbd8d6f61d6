import * as vscode from 'vscode';
import type { WorkspaceRoute } from '../../server/routesProtocol';
import { routesInFolder, type SourceRoute } from './routeModel';
import type { RouteFinding } from './viewModel';

/** Where the routes come from: the language server's analysis (`shipshape/routes`). */
export interface RouteSource {
  /** Rejects while the server is not running. */
  routes(): Promise<WorkspaceRoute[]>;
  /** Fires when the server finished an analysis pass: edits, saves and new files may have changed the routes. */
  readonly onDidAnalyse: vscode.Event<void>;
}

/**
 * The folder's routes as the language server found them, asked again after each analysis pass.
 * Type-based route discovery (mount prefixes across files, routers passed as parameters, NestJS
 * controllers) stays in the server; the extension host only reads its answer.
 */
export class RouteIndex implements vscode.Disposable {
  private routes: Promise<SourceRoute[]> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly folder: vscode.WorkspaceFolder,
    private readonly source: RouteSource,
  ) {
    this.disposables.push(
      source.onDidAnalyse(() => {
        this.routes = undefined;
        this.changed.fire();
      }),
    );
  }

  all(): Promise<SourceRoute[]> {
    if (!this.routes) {
      const asked = this.source.routes().then(
        (routes) => routesInFolder(routes, this.folder.uri.fsPath, (uri) => {
          const u = vscode.Uri.parse(uri);
          return u.scheme === 'file' ? u.fsPath : undefined;
        }),
        () => {
          // The server is not running (yet): ask again next time instead of keeping nothing.
          this.routes = undefined;
          return [] as SourceRoute[];
        },
      );
      this.routes = asked;
    }
    return this.routes;
  }

  async inFile(uri: vscode.Uri): Promise<SourceRoute[]> {
    const rel = vscode.workspace.asRelativePath(uri, false);
    return (await this.all()).filter((r) => r.file === rel);
  }

  /**
   * Shipshape's diagnostics inside route handlers (on the lines of a registration and its
   * handler), as findings on that route: what the results panel puts next to a slow endpoint.
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
        const ruleId = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? 'shipshape');
        // One finding per route (method and path) whose handler holds the line.
        const seen = new Set<string>();
        for (const route of inFile.filter((r) => r.line <= line && line <= r.endLine)) {
          const key = `${route.method} ${route.path}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ method: route.method, route: route.path, ruleId, message: d.message.split('\n')[0], file: rel, line: line + 1 });
        }
      }
    }
    return out;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
