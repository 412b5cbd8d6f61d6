import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShowMessageRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Command,
  type Diagnostic,
  type FileEvent,
  type ProtocolConnection,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { copyFixture, REPO_ROOT, removeWorkspace } from '../helpers/workspace';

const SERVER = process.env.SHIPSHAPE_TEST_SERVER ?? path.join(REPO_ROOT, 'dist', 'server.js');

/** Builds dist/server.js once per test run unless it is newer than every source file. */
export function ensureServerBuilt(): void {
  if (process.env.SHIPSHAPE_TEST_SERVER) return;
  if (fs.existsSync(SERVER) && fs.statSync(SERVER).mtimeMs > newestSource(path.join(REPO_ROOT, 'src'))) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node esbuild.mjs failed:\n${r.stdout}\n${r.stderr}`);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export const uriOf = (file: string): string => URI.file(file).toString();

export interface ShownMessage {
  type: number;
  message: string;
  actions: string[];
}

/**
 * A minimal LSP client over the built server's stdio, playing VS Code's part: it answers
 * workspace/configuration with `settings`, accepts registrations, records what the server
 * publishes and shows. A real server process, real files on disk.
 */
export class LspTestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly statuses: Array<{ state: string; findings: number; files: number; durationMs: number }> = [];
  readonly messages: ShownMessage[] = [];
  readonly logs: string[] = [];
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  private readonly versions = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly root: string,
    private readonly proc: ChildProcess,
    readonly connection: ProtocolConnection,
    public settings: Record<string, unknown>,
  ) {}

  /**
   * `serverArgs`: what to run with node instead of the repository's dist/server.js, e.g. a .vsix's
   * `extension/dist/server.js --stdio` or `dist/cli.js lsp --stdio`.
   */
  static async start(root: string, opts: { settings?: Record<string, unknown>; extensionPath?: string | null; serverArgs?: string[] } = {}): Promise<LspTestClient> {
    const proc = spawn(process.execPath, opts.serverArgs ?? [SERVER, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += String(d)));
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspTestClient(root, proc, connection, opts.settings ?? {});
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      client.diagnostics.set(p.uri, p.diagnostics);
      client.notify();
    });
    connection.onNotification('shipshape/status', (p: LspTestClient['statuses'][number]) => {
      client.statuses.push(p);
      client.notify();
    });
    connection.onNotification(LogMessageNotification.type, (p) => {
      client.logs.push(p.message);
    });
    connection.onNotification(ShowMessageNotification.type, (p) => {
      client.messages.push({ type: p.type, message: p.message, actions: [] });
      client.notify();
    });
    connection.onRequest(ShowMessageRequest.type, (p) => {
      client.messages.push({ type: p.type, message: p.message, actions: (p.actions ?? []).map((a) => a.title) });
      client.notify();
      return null;
    });
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => (item.section === 'shipshape' ? client.settings : null)));
    connection.onRequest(RegistrationRequest.type, (p) => {
      client.registrations.push(...p.registrations.map((r) => ({ method: r.method, registerOptions: r.registerOptions })));
    });
    connection.listen();
    proc.on('exit', (code) => {
      if (code && code !== 0) client.logs.push(`server exited with ${code}: ${stderr}`);
    });
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
      // null: no initializationOptions at all, as Neovim's and Helix's clients start the server.
      initializationOptions: opts.extensionPath === null ? undefined : { extensionPath: opts.extensionPath ?? REPO_ROOT },
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
        },
        window: { showDocument: { support: true } },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  file(rel: string): string {
    return path.join(this.root, rel);
  }

  diagnosticsOf(rel: string): Diagnostic[] {
    return this.diagnostics.get(uriOf(this.file(rel))) ?? [];
  }

  /** Waits until `check` returns something truthy (re-checked on every notification). */
  async waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    const first = check();
    if (first) return first;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\ndiagnostics: ${JSON.stringify([...this.diagnostics], null, 1)}\nlog:\n${this.logs.join('\n')}`));
      }, timeoutMs);
      const waiter = () => {
        const value = check();
        if (!value) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value);
      };
      this.waiters.add(waiter);
    });
  }

  /** The first `idle` status after the whole-workspace pass that follows startup. */
  waitForIdle(after = 0): Promise<unknown> {
    return this.waitFor('an idle status', () => this.statuses.slice(after).find((s) => s.state === 'idle'));
  }

  async open(rel: string, text = fs.readFileSync(this.file(rel), 'utf8')): Promise<void> {
    const uri = uriOf(this.file(rel));
    this.versions.set(uri, 1);
    const languageId = rel.endsWith('.sql') ? 'sql' : rel.endsWith('.tsx') ? 'typescriptreact' : 'typescript';
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole buffer (a full-content change, which incremental sync also accepts). */
  async change(rel: string, text: string): Promise<number> {
    const uri = uriOf(this.file(rel));
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(rel: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(this.file(rel)) } });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async settingsChanged(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { shipshape: settings } });
  }

  async codeActions(rel: string, range: Range, diagnostics: Diagnostic[]): Promise<Array<Command | CodeAction>> {
    return (await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(this.file(rel)) }, range, context: { diagnostics } })) ?? [];
  }

  scanWorkspace(): Promise<{ findings: number; files: number; durationMs: number }> {
    return this.connection.sendRequest('shipshape/scanWorkspace');
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      /* already gone */
    }
    this.connection.dispose();
    if (this.proc.exitCode === null) {
      await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 2000))]);
      if (this.proc.exitCode === null) this.proc.kill();
    }
  }

  isRunning(): boolean {
    return this.proc.exitCode === null;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

/**
 * For a mocha `describe`: each test starts the built server on a fresh copy of `fixture`
 * (`prepare` may change the copy first) and waits for the first idle; the server is stopped and
 * the copy removed after each test.
 */
export function lspFixtureSession(fixture: string): { start(prepare?: (root: string) => void): Promise<LspTestClient>; readonly client: LspTestClient } {
  let root: string | undefined;
  let current: LspTestClient | undefined;
  before(() => ensureServerBuilt());
  afterEach(async () => {
    await current?.stop();
    if (root) removeWorkspace(root);
    current = undefined;
    root = undefined;
  });
  return {
    async start(prepare) {
      root = copyFixture(fixture);
      prepare?.(root);
      current = await LspTestClient.start(root);
      await current.waitForIdle();
      return current;
    },
    get client() {
      if (!current) throw new Error('start() the session first');
      return current;
    },
  };
}
