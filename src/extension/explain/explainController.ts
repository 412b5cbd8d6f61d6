import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadConfig } from '../../core/config';
import { binariesStorage, downloadedBinaries, downloadPostgresBinaries, platformPackageName } from '../../core/explain/binaries';
import { explainSettings, shortCount } from '../../core/explain/settings';
import { hostOf } from '../../core/explain/run';
import { QUERIES_REQUEST, type QueriesParams, type QueriesResult } from '../../server/queriesProtocol';
import type { ExplainPanelState, PanelToExtension } from '../../webview/explain/protocol';
import { panelHtml, panelOptions } from '../webview/panelHtml';

const RULE = 'unindexed-filter';
const LANGUAGES = ['typescript', 'typescriptreact', 'sql'];

interface QueryJson {
  file: string;
  range: { start: { line: number; column: number } };
  sql: string;
  before?: ExplainPanelState['before'] & { tree?: unknown };
  withIndex?: ExplainPanelState['withIndex'];
  verdict: string;
  error?: string;
}

interface ReportJson {
  database: string;
  rows: { default: number; tables: Record<string, number> };
  queries: QueryJson[];
}

/** What the controller asks the language server (`shipshape/queries`). */
export interface QuerySource {
  sendRequest(method: string, params: QueriesParams, token?: vscode.CancellationToken): Promise<QueriesResult>;
  isRunning(): boolean;
}

/**
 * "Explain at N rows": a CodeLens above each query Shipshape extracted (the language server's
 * `shipshape/queries`: SQL strings, tagged templates, ORM calls) and each unindexed-filter finding, a code
 * action on the finding, progress with Cancel, a plan panel, and the measured figure in the
 * finding's hover. All database work runs in a child process (`dist/cli.js explain`), never in
 * the extension host; nothing runs in an untrusted workspace.
 */
export class ExplainController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  /** Measured results by `uri#line` (0-based line of the query's start). */
  private readonly measured = new Map<string, { verdict: string; rows: string }>();
  private panel: vscode.WebviewPanel | undefined;
  private panelTarget: { uri: vscode.Uri; range: vscode.Range } | undefined;
  private readonly confirmedHosts = new Set<string>();
  /** Explain runs in flight: stopped (SIGTERM → the CLI stops PostgreSQL) on deactivate. */
  private readonly running = new Set<import('node:child_process').ChildProcess>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly server?: QuerySource,
  ) {
    const selector = LANGUAGES.map((language) => ({ scheme: 'file', language }));
    this.disposables.push(
      this.lensesChanged,
      vscode.languages.registerCodeLensProvider(selector, { onDidChangeCodeLenses: this.lensesChanged.event, provideCodeLenses: (doc, token) => this.lenses(doc, token) }),
      vscode.languages.registerCodeActionsProvider(selector, { provideCodeActions: (doc, _range, ctx) => this.actions(doc, ctx) }, { providedCodeActionKinds: [vscode.CodeActionKind.Empty] }),
      vscode.languages.registerHoverProvider(selector, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.languages.onDidChangeDiagnostics(() => this.lensesChanged.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.lensesChanged.fire()),
      vscode.commands.registerCommand('shipshape.explainQuery', (uri?: vscode.Uri, line?: number) => this.explainCommand(uri, line)),
    );
  }

  dispose(): void {
    for (const child of this.running) child.kill('SIGTERM');
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private findingsOf(doc: vscode.TextDocument): vscode.Diagnostic[] {
    return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'shipshape' && codeOf(d) === RULE);
  }

  private rowsLabel(uri: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return shortCount(100_000);
    const settings = explainSettings(loadConfig(folder.uri.fsPath).config);
    const largest = Math.max(settings.rows.default, ...Object.values(settings.rows.tables));
    return shortCount(largest);
  }

  private async lenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.isTrusted) return [];
    const ranges = [...(await this.queryRanges(doc, token)), ...this.findingsOf(doc).map((d) => d.range)];
    if (ranges.length === 0 || token.isCancellationRequested) return [];
    const rows = this.rowsLabel(doc.uri);
    // One lens per line: `explain --only file:line` explains the query starting there.
    const seen = new Set<number>();
    return ranges
      .filter((r) => !seen.has(r.start.line) && seen.add(r.start.line))
      .map((r) => new vscode.CodeLens(r, { title: `Explain at ${rows} rows`, tooltip: 'EXPLAIN ANALYZE on an embedded PostgreSQL at production volume, before and after the suggested index', command: 'shipshape.explainQuery', arguments: [doc.uri, r.start.line] }));
  }

  /** Every query the language server extracted from the document; none while it is not running. */
  private async queryRanges(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.Range[]> {
    if (!this.server?.isRunning() || !/^typescript/.test(doc.languageId)) return [];
    try {
      const { queries } = await this.server.sendRequest(QUERIES_REQUEST, { uri: doc.uri.toString() }, token);
      return queries.map((q) => new vscode.Range(q.range.start.line, q.range.start.character, q.range.end.line, q.range.end.character));
    } catch (err) {
      if (!token.isCancellationRequested) this.output.warn(`Explain lenses: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }

  private actions(doc: vscode.TextDocument, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!vscode.workspace.isTrusted) return [];
    return ctx.diagnostics
      .filter((d) => d.source === 'shipshape' && codeOf(d) === RULE)
      .map((d) => {
        const action = new vscode.CodeAction(`Explain at ${this.rowsLabel(doc.uri)} rows (prove it on a real PostgreSQL)`, vscode.CodeActionKind.Empty);
        action.command = { title: action.title, command: 'shipshape.explainQuery', arguments: [doc.uri, d.range.start.line] };
        action.diagnostics = [d];
        return action;
      });
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const finding = this.findingsOf(doc).find((d) => d.range.contains(pos));
    if (!finding) return undefined;
    const result = this.measured.get(`${doc.uri.toString()}#${finding.range.start.line}`);
    if (!result) return undefined;
    const md = new vscode.MarkdownString(`**Measured at ${result.rows}:** ${result.verdict}`);
    return new vscode.Hover(md, finding.range);
  }

  private async explainCommand(uri?: vscode.Uri, line?: number): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Shipshape: explain runs a database; it is disabled in an untrusted workspace. Trust the workspace to use it.');
      return;
    }
    const editor = vscode.window.activeTextEditor;
    const target = uri ?? editor?.document.uri;
    const atLine = line ?? editor?.selection.active.line;
    if (!target || atLine === undefined) {
      void vscode.window.showInformationMessage('Shipshape: put the cursor on a query to explain it.');
      return;
    }
    const folder = vscode.workspace.getWorkspaceFolder(target);
    if (!folder) {
      void vscode.window.showWarningMessage('Shipshape: the file is not in a workspace folder.');
      return;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (doc?.isDirty) await doc.save();
    const settings = explainSettings(loadConfig(folder.uri.fsPath).config);
    if (settings.databaseUrl) {
      const host = hostOf(settings.databaseUrl);
      if (!this.confirmedHosts.has(host)) {
        const choice = await vscode.window.showWarningMessage(`Run plain EXPLAIN (read-only, nothing executed) on ${host}?`, { modal: true, detail: 'explain.databaseUrl / SHIPSHAPE_DATABASE_URL points at your own database. Shipshape only plans the query there, in a read-only transaction.' }, 'Run EXPLAIN');
        if (choice !== 'Run EXPLAIN') return;
        this.confirmedHosts.add(host);
      }
    }
    const env: Record<string, string> = {};
    if (!settings.databaseUrl) {
      const binaries = await this.postgresBinaries();
      if (binaries === null) return;
      if (binaries) env.SHIPSHAPE_POSTGRES_DIR = binaries;
    }
    const rel = path.relative(folder.uri.fsPath, target.fsPath).split(path.sep).join('/');
    const report = await this.runCli(folder.uri.fsPath, [`--only`, `${rel}:${atLine + 1}`], env);
    if (!report) return;
    const query = report.queries[0];
    if (!query) return;
    const rows = `${shortCount(report.rows.default)} rows per table`;
    this.measured.set(`${target.toString()}#${query.range.start.line - 1}`, { verdict: query.verdict, rows });
    this.showPanel(
      {
        location: `${rel}:${query.range.start.line}`,
        sql: query.sql,
        database: report.database,
        rows,
        analyzed: !/plain EXPLAIN/.test(report.database),
        verdict: query.verdict,
        before: query.before as ExplainPanelState['before'],
        withIndex: query.withIndex,
        error: query.error,
        canCreateIndex: Boolean(query.withIndex),
      },
      target,
      new vscode.Range(query.range.start.line - 1, 0, query.range.start.line - 1, 0),
    );
  }

  /**
   * The PostgreSQL binaries' folder for the CLI: none needed (undefined) when the extension carries
   * the platform package (a development install) or SHIPSHAPE_POSTGRES_DIR is set; else the copy
   * downloaded at the first explain (src/core/explain/binaries.ts), fetched now if missing, with
   * progress and Cancel. `null` when there is none (message shown).
   */
  private async postgresBinaries(): Promise<string | undefined | null> {
    if (process.env.SHIPSHAPE_POSTGRES_DIR) return undefined;
    try {
      require.resolve(platformPackageName(), { paths: [this.context.extensionPath] });
      return undefined;
    } catch {
      // The packaged extension (.vsix, --no-dependencies): no native PostgreSQL inside.
    }
    const storage = binariesStorage(this.context.globalStorageUri.fsPath);
    const ready = downloadedBinaries(storage);
    if (ready) return ready;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Shipshape: downloading PostgreSQL for explain (once)', cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      try {
        const dir = await downloadPostgresBinaries({
          storageDir: storage,
          signal: abort.signal,
          onProgress: (received, total) => {
            if (!total) return;
            const percent = Math.floor((received / total) * 100);
            if (percent === reported) return;
            progress.report({ increment: percent - reported, message: `${platformPackageName()}: ${(received / 1e6).toFixed(0)} of ${(total / 1e6).toFixed(0)} MB` });
            reported = percent;
          },
        });
        this.output.info(`Explain: PostgreSQL binaries in ${dir}`);
        return dir;
      } catch (err) {
        if (!token.isCancellationRequested) {
          const message = err instanceof Error ? err.message : String(err);
          this.output.error(`Explain: ${message}`);
          void vscode.window.showErrorMessage(`Shipshape: ${message}`);
        }
        return null;
      } finally {
        cancel.dispose();
      }
    });
  }

  /** `dist/cli.js explain` in a child Node process; progress from its JSON lines; Cancel = SIGTERM. */
  private runCli(folder: string, extra: string[], env: Record<string, string> = {}): Thenable<ReportJson | undefined> {
    const cli = this.context.asAbsolutePath(path.join('dist', 'cli.js'));
    // As root PostgreSQL runs as `postgres`, which cannot enter the editor's storage: let the CLI
    // choose its folder under the temp dir then.
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const clusterDir = asRoot ? [] : ['--cluster-dir', path.join(this.context.globalStorageUri.fsPath, 'postgres')];
    const args = [cli, 'explain', folder, '--format', 'json', '--progress', ...clusterDir, ...extra];
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Shipshape: explain', cancellable: true }, (progress, token) =>
      new Promise<ReportJson | undefined>((resolve) => {
        // ELECTRON_RUN_AS_NODE: the editor's own runtime runs the CLI as plain Node.
        const child = spawn(process.execPath, args, { env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
        this.running.add(child);
        child.once('exit', () => this.running.delete(child));
        let stdout = '';
        let stderrTail = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
        child.stderr.on('data', (c: Buffer) => {
          const text = c.toString('utf8');
          for (const line of text.split('\n')) {
            if (!line.trim()) continue;
            try {
              const event = JSON.parse(line) as { kind: string; message?: string; index?: number; total?: number };
              progress.report({ message: event.kind === 'query' ? `query ${event.index! + 1} of ${event.total}` : event.message });
            } catch {
              stderrTail = (stderrTail + line + '\n').slice(-2000);
              this.output.info(line);
            }
          }
        });
        const cancel = token.onCancellationRequested(() => child.kill('SIGTERM'));
        child.on('error', (err) => {
          cancel.dispose();
          void vscode.window.showErrorMessage(`Shipshape: cannot run explain: ${err.message}`);
          resolve(undefined);
        });
        child.on('close', (code) => {
          cancel.dispose();
          if (token.isCancellationRequested) return resolve(undefined);
          if (code === 0 || code === 1) {
            try {
              return resolve(JSON.parse(stdout) as ReportJson);
            } catch {
              // Falls through to the error message.
            }
          }
          const message = stderrTail.trim().split('\n').pop()?.replace(/^shipshape: /, '') || `exit code ${code}`;
          void vscode.window.showErrorMessage(`Shipshape: ${message}`, 'Show Output').then((c) => c && this.output.show());
          resolve(undefined);
        });
      }),
    );
  }

  private showPanel(state: ExplainPanelState, uri: vscode.Uri, range: vscode.Range): void {
    this.panelTarget = { uri, range };
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('shipshape.explainPlan', 'Shipshape: Explain', vscode.ViewColumn.Beside, panelOptions(this.context.extensionUri));
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: PanelToExtension) => this.onPanelMessage(m));
      this.panel.webview.html = panelHtml({ webview: this.panel.webview, extensionUri: this.context.extensionUri, name: 'explain', title: 'Shipshape: Explain', styles: ['explain.css'], initialState: state });
    } else {
      void this.panel.webview.postMessage({ type: 'show', state });
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
  }

  private async onPanelMessage(message: PanelToExtension): Promise<void> {
    const target = this.panelTarget;
    if (!target) return;
    if (message.type === 'openQuery') {
      await vscode.window.showTextDocument(target.uri, { selection: target.range, viewColumn: vscode.ViewColumn.One });
      return;
    }
    // The unindexed-filter rule's own quick fix, as the lightbulb offers it.
    const finding = vscode.languages.getDiagnostics(target.uri).find((d) => codeOf(d) === RULE && d.range.start.line === target.range.start.line);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', target.uri, finding?.range ?? target.range);
    const fix = actions?.find((a) => /index migration|@@index/i.test(a.title));
    if (!fix) {
      void vscode.window.showInformationMessage('Shipshape: no index migration fix is offered for this query.');
      return;
    }
    if (fix.edit) await vscode.workspace.applyEdit(fix.edit);
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  }
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}
