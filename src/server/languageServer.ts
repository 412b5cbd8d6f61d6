import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type FileEvent,
  type Hover,
  type Location,
  type TextDocumentPositionParams,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE, type ConfigProblem } from '../core/config';
import { TS_EXTENSIONS } from '../core/project/files';
import { allRules } from '../core/rules';
import type { Rule } from '../core/rules/types';
import { fileUri, uriToFile } from './diagnostics';
import { documentQueries } from './documentQueries';
import { QUERIES_REQUEST, type QueriesParams, type QueriesResult } from './queriesProtocol';
import { ROUTES_REQUEST, type RoutesResult } from './routesProtocol';
import { FolderAnalysis, isTypeScript } from './folderAnalysis';
import { createServerLog, errorText, ms, type ServerLog } from './log';
import {
  CHECKLIST_CHANGED_NOTIFICATION,
  CHECKLIST_REQUEST,
  SCAN_WORKSPACE_REQUEST,
  STATUS_NOTIFICATION,
  type ChecklistParams,
  type InitializationOptions,
  type ScanWorkspaceResult,
  type ShipshapeSettings,
  type StatusParams,
} from './protocol';
import { feedsChecklist, FolderChecklistState } from './checklist';
import { schemaDefinition, schemaHover, schemaSymbolAt } from './schemaNavigation';
import { AnalysisScheduler, DEFAULT_TIMING, type SchedulerTiming } from './scheduler';
import { toConfigOverrides } from './settings';

export interface LanguageServerOptions {
  /** The rules to run; the registry's by default. */
  rules?: Array<Rule<string, any>>;
  timing?: SchedulerTiming;
  version?: string;
}

/** Files whose change on disk means re-reading the project (config, file list, compiler options). */
const PROJECT_FILES = new Set([CONFIG_FILE, 'tsconfig.json', 'package.json', '.gitignore']);
const SCHEMA_EXTENSIONS = ['.sql', '.prisma'];
const WATCHED_GLOBS = [
  '**/*.{ts,tsx,mts,cts,sql,prisma}', `**/${CONFIG_FILE}`, '**/tsconfig.json', '**/package.json', '**/.gitignore',
  // The readiness checklist also reads Dockerfiles, manifests, CI files, docs and saved load-test runs.
  '**/{Dockerfile,Dockerfile.*,*.dockerfile,Containerfile,Procfile,Jenkinsfile}', '**/*.{yml,yaml,md,tf,toml}', '**/.env*', '**/.shipshape/runs/*.json',
];
const IGNORED_SEGMENT = /[\\/](node_modules|\.git)[\\/]/;

/**
 * The Shipshape language server: one FolderAnalysis per workspace folder, diagnostics for
 * every analysed file (whole-workspace problems), quick fixes answered from what the
 * analysis computed. Every handler catches, logs and carries on: a bug in one file's
 * analysis must not take the editor's diagnostics down with it.
 */
export function startLanguageServer(connection: Connection, options: LanguageServerOptions = {}): void {
  const log: ServerLog = createServerLog(connection.console);
  const documents = new TextDocuments(TextDocument);
  const folders = new Map<string, FolderAnalysis>();
  const filesPerFolder = new Map<FolderAnalysis, number>();
  // dist/server.js → <extension>/docs/rules, unless the client says where the extension is.
  let docsDir = path.join(path.dirname(__dirname), 'docs', 'rules');
  let supportsConfiguration = false;
  let supportsDynamicWatchers = false;
  let supportsShowDocument = false;
  let supportsFolderChanges = false;
  let lastDurationMs = 0;
  const rules = options.rules ?? allRules();
  const checklists = new Map<FolderAnalysis, FolderChecklistState>();
  let checklistTimer: NodeJS.Timeout | undefined;
  /** A folder's checklist changed in a round of refreshes not yet finished (another folder's is pending). */
  let checklistChanged = false;

  const guard = <T>(what: string, fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (err) {
      log.error(`${what} failed: ${errorText(err)}`);
      return fallback;
    }
  };
  const guardAsync = async <T>(what: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      log.error(`${what} failed: ${errorText(err)}`);
      return fallback;
    }
  };

  const status = (state: StatusParams['state']): StatusParams => {
    let findings = 0;
    let files = 0;
    for (const f of folders.values()) {
      findings += f.findingCount();
      files += filesPerFolder.get(f) ?? 0;
    }
    return { state, findings, files, durationMs: Math.round(lastDurationMs) };
  };

  const scheduler = new AnalysisScheduler(
    log,
    {
      onStatus: (state, durationMs) => {
        lastDurationMs = durationMs;
        if (state === 'idle') scheduleChecklist();
        void connection.sendNotification(STATUS_NOTIFICATION, status(state)).catch(() => undefined);
      },
      onFullPassDone: (folder, files) => filesPerFolder.set(folder, files),
    },
    options.timing ?? DEFAULT_TIMING,
  );

  const environment = () => ({
    log,
    docsDir,
    rules,
    publish: (file: string, diagnostics: import('vscode-languageserver').Diagnostic[]) => {
      void connection.sendDiagnostics({ uri: fileUri(file), diagnostics }).catch(() => undefined);
    },
    onConfigProblems: (folder: FolderAnalysis, problems: ConfigProblem[], configFile: string) => notifyConfigProblems(folder, problems, configFile),
  });

  const notifyConfigProblems = (folder: FolderAnalysis, problems: ConfigProblem[], configFile: string): void => {
    if (problems.length === 0) return;
    const first = problems[0].message;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    const fallback = /defaults/.test(first) ? '' : ' Shipshape ignores the file and uses its defaults until it is fixed.';
    const where = folders.size > 1 ? ` in ${folder.name}` : '';
    const open = `Open ${CONFIG_FILE}`;
    void connection.window
      .showWarningMessage(`Shipshape: ${CONFIG_FILE}${where}: ${first.replace(/^shipshape\.config\.json:\s*/, '')}${more}${fallback} The problems are listed in the Problems panel.`, { title: open })
      .then((choice) => {
        if (choice?.title === open && supportsShowDocument) return connection.window.showDocument({ uri: fileUri(configFile), takeFocus: true });
        return undefined;
      })
      .catch(() => undefined);
  };

  const checklistParams = (): ChecklistParams => ({ folders: [...checklists.values()].flatMap((c) => c.current() ?? []) });

  /**
   * Recomputes the checklists a moment after the analysis settles; notifies the client of changes.
   * A refresh reads the whole project's routes and servers (about a second on 1,500 files) on
   * the server's one thread, so after edits it waits until typing has paused for
   * CHECKLIST_QUIET_MS, and it does not start while an edit waits for analysis: squiggles first,
   * the score after.
   */
  const scheduleChecklist = (delayMs = 250): void => {
    clearTimeout(checklistTimer);
    const wait = Math.max(delayMs, CHECKLIST_QUIET_MS - scheduler.msSinceLastEdit());
    checklistTimer = setTimeout(() => {
      // An edit came in meanwhile: its analysis ends in an idle that schedules this again.
      if (!scheduler.isIdle()) return;
      for (const state of checklists.values()) {
        // The first refresh type-checks most of the workspace's calls: in slices, so an edit
        // that arrives meanwhile is analysed after the current slice, not after all of it.
        const outcome = guard('Readiness checklist', () => state.refresh(rules.map((r) => r.meta.id), CHECKLIST_SLICE_MS), false);
        if (outcome === 'pending') {
          scheduleChecklist(0);
          return;
        }
        checklistChanged = outcome || checklistChanged;
      }
      if (checklistChanged) void connection.sendNotification(CHECKLIST_CHANGED_NOTIFICATION, checklistParams()).catch(() => undefined);
      checklistChanged = false;
    }, wait);
  };

  const folderOf = (file: string): FolderAnalysis | undefined => {
    let best: FolderAnalysis | undefined;
    for (const f of folders.values()) if (f.contains(file) && (!best || f.root.length > best.root.length)) best = f;
    return best;
  };

  const addFolder = (wf: WorkspaceFolder): FolderAnalysis | undefined => {
    const root = uriToFile(wf.uri);
    if (!root || folders.has(root)) return undefined;
    const folder = new FolderAnalysis(root, wf.name || path.basename(root), environment());
    folders.set(root, folder);
    checklists.set(folder, new FolderChecklistState(folder, log));
    return folder;
  };

  /** Reads the folder's `shipshape.*` settings (per resource, as vscode-eslint does); true when they changed. */
  const readSettings = async (folder: FolderAnalysis): Promise<boolean> => {
    if (!supportsConfiguration) return false;
    const settings = (await connection.workspace.getConfiguration({ scopeUri: fileUri(folder.root), section: 'shipshape' })) as ShipshapeSettings | null;
    return folder.setOverrides(toConfigOverrides(settings));
  };

  const loadAndAnalyse = async (folder: FolderAnalysis): Promise<void> => {
    await guardAsync(`Reading settings for ${folder.name}`, () => readSettings(folder), false);
    const loaded = guard(`Loading ${folder.root}`, () => (folder.load(), true), false);
    if (loaded) scheduler.requestFullPass(folder);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (init.extensionPath) docsDir = path.join(init.extensionPath, 'docs', 'rules');
    const caps = params.capabilities;
    supportsConfiguration = caps.workspace?.configuration === true;
    supportsDynamicWatchers = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    supportsShowDocument = caps.window?.showDocument?.support === true;
    supportsFolderChanges = caps.workspace?.workspaceFolders === true;
    const workspaceFolders =
      params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(uriToFile(params.rootUri) ?? 'workspace') }] : []);
    for (const wf of workspaceFolders) guard(`Opening folder ${wf.uri}`, () => addFolder(wf), undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'shipshape', version: options.version },
    };
  });

  connection.onInitialized(async () => {
    log.info(
      `Shipshape language server ${options.version ?? ''} (Node ${process.version}, TypeScript ${ts.version}); ` +
        `rules: ${rules.map((r) => r.meta.id).join(', ') || 'none'}; folders: ${[...folders.keys()].join(', ') || 'none'}`,
    );
    if (supportsDynamicWatchers) {
      await guardAsync(
        'Registering file watchers',
        () => connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) }),
        undefined,
      );
    } else {
      log.warn('The client cannot watch files for the server: changes made outside the editor are seen on the next Scan Workspace.');
    }
    if (supportsConfiguration) {
      await guardAsync('Registering for settings changes', () => connection.client.register(DidChangeConfigurationNotification.type, { section: 'shipshape' }), undefined);
    }
    if (supportsFolderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((e) =>
        guard('Workspace folder change', () => {
          for (const removed of e.removed) {
            const root = uriToFile(removed.uri);
            const folder = root ? folders.get(root) : undefined;
            if (!folder) continue;
            scheduler.drop(folder);
            folder.dispose();
            folders.delete(folder.root);
            checklists.delete(folder);
            filesPerFolder.delete(folder);
          }
          for (const added of e.added) {
            const folder = addFolder(added);
            if (folder) void loadAndAnalyse(folder);
          }
        }, undefined),
      );
    }
    await Promise.all([...folders.values()].map((f) => loadAndAnalyse(f)));
  });

  // Open editors: their buffers win over the disk.
  documents.onDidChangeContent((e) =>
    guard('Document change', () => {
      const file = uriToFile(e.document.uri);
      const folder = file && folderOf(file);
      if (!file || !folder) return;
      const text = e.document.getText();
      // Opening a file changes nothing the analysis has not seen already.
      const unchanged = !folder.isOpen(file) && sameAsDisk(file, text);
      folder.setOverlay(file, text, e.document.version, unchanged);
      // A migration re-derives the schema from the buffer; then only the queries on changed tables are re-checked.
      if (!unchanged && (isTypeScript(file) || folder.isSchemaSource(file))) scheduler.fileEdited(folder, file);
    }, undefined),
  );

  documents.onDidClose((e) =>
    guard('Document close', () => {
      const file = uriToFile(e.document.uri);
      const folder = file && folderOf(file);
      if (!file || !folder) return;
      folder.removeOverlay(file);
      if ((isTypeScript(file) || folder.isSchemaSource(file)) && !sameAsDisk(file, e.document.getText())) scheduler.fileEdited(folder, file);
    }, undefined),
  );

  // Changes on disk, batched: a git checkout or a formatter run arrives as hundreds of events.
  let pendingEvents: FileEvent[] = [];
  let eventsTimer: NodeJS.Timeout | undefined;
  connection.onDidChangeWatchedFiles((params) => {
    pendingEvents.push(...params.changes);
    clearTimeout(eventsTimer);
    eventsTimer = setTimeout(() => {
      const events = pendingEvents;
      pendingEvents = [];
      guard('File change handling', () => handleFileEvents(events), undefined);
    }, 100);
  });

  const handleFileEvents = (events: FileEvent[]): void => {
    const reload = new Set<FolderAnalysis>();
    let checklistInputChanged = false;
    const changed = new Map<FolderAnalysis, Set<string>>();
    for (const event of events) {
      const file = uriToFile(event.uri);
      if (!file || IGNORED_SEGMENT.test(file)) continue;
      const folder = folderOf(file);
      if (!folder) continue;
      const base = path.basename(file);
      const ext = path.extname(file).toLowerCase();
      if (PROJECT_FILES.has(base)) {
        if (path.dirname(file) === folder.root || base === '.gitignore') reload.add(folder);
      } else if (SCHEMA_EXTENSIONS.includes(ext) || (folder.isSchemaSource(file) && event.type === FileChangeType.Changed)) {
        // An edited migration (SQL or TS module) or Prisma schema: the schema is re-derived and the
        // queries on changed tables re-checked (FolderAnalysis.affectedBy). A migration added or
        // removed changes the file list: re-read the project.
        if (event.type !== FileChangeType.Changed || !folder.isSchemaSource(file)) reload.add(folder);
        else if (!folder.isOpen(file)) {
          if (isTypeScript(file)) folder.invalidate(file);
          changed.set(folder, (changed.get(folder) ?? new Set()).add(file));
        }
      } else if (feedsChecklist(file)) {
        checklistInputChanged = true;
        if (event.type !== FileChangeType.Changed) checklists.get(folder)?.fileListChanged();
      } else if (TS_EXTENSIONS.includes(ext)) {
        folder.invalidate(file);
        // Added or removed: the file list changes. A declaration file: types anywhere may change.
        if (event.type !== FileChangeType.Changed || (folder.isProjectFile(file) && !folder.isWorkspaceTarget(file))) reload.add(folder);
        // Saved from an open editor: the analysis already has this text. Outside the project: nothing to do.
        else if (folder.isWorkspaceTarget(file) && !folder.isOpen(file)) changed.set(folder, (changed.get(folder) ?? new Set()).add(file));
      }
    }
    for (const folder of reload) {
      log.info(`${folder.name}: files changed on disk; re-reading the project`);
      if (guard(`Reloading ${folder.root}`, () => (folder.load(), true), false)) scheduler.requestFullPass(folder);
    }
    for (const [folder, files] of changed) if (!reload.has(folder)) for (const file of files) scheduler.fileEdited(folder, file);
    if (checklistInputChanged && reload.size === 0 && changed.size === 0) scheduleChecklist();
  };

  connection.onDidChangeConfiguration(() =>
    guardAsync(
      'Settings change',
      async () => {
        if (!supportsConfiguration) return;
        for (const folder of folders.values()) {
          if (!(await readSettings(folder))) continue;
          log.info(`${folder.name}: settings changed; re-analysing`);
          if (guard(`Reloading ${folder.root}`, () => (folder.load(), true), false)) scheduler.requestFullPass(folder);
        }
      },
      undefined,
    ),
  );

  connection.onCodeAction((params): CodeAction[] =>
    guard(
      'Code actions',
      () => {
        const only = params.context.only;
        if (only && !only.some((k) => k === '' || k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
        const file = uriToFile(params.textDocument.uri);
        const folder = file && folderOf(file);
        if (!file || !folder) return [];
        return folder.fixes.codeActions(file, params.range, params.context.diagnostics, documents.get(params.textDocument.uri)?.version);
      },
      [],
    ),
  );

  /** The table or column named at a position of an open document (SQL in a query string, a .sql file). */
  const schemaSymbolOf = (params: TextDocumentPositionParams) => {
    const file = uriToFile(params.textDocument.uri);
    const folder = file && folderOf(file);
    const doc = documents.get(params.textDocument.uri);
    if (!file || !folder || !doc) return undefined;
    const symbol = schemaSymbolAt(folder, file, doc, doc.offsetAt(params.position));
    return symbol && { folder, doc, symbol };
  };

  connection.onHover((params): Hover | null =>
    guard('Hover', () => {
      const found = schemaSymbolOf(params);
      return found ? schemaHover(found.folder, found.symbol, found.doc) : null;
    }, null),
  );

  connection.onDefinition((params): Location | null =>
    guard('Go to definition', () => {
      const found = schemaSymbolOf(params);
      return found ? schemaDefinition(found.symbol) : null;
    }, null),
  );

  connection.onRequest(SCAN_WORKSPACE_REQUEST, async (): Promise<ScanWorkspaceResult> => {
    const started = performance.now();
    await guardAsync(
      'Scan Workspace',
      async () => {
        for (const folder of folders.values()) await loadAndAnalyse(folder);
        await scheduler.whenIdle();
      },
      undefined,
    );
    const s = status('idle');
    const durationMs = Math.round(performance.now() - started);
    log.info(`Scan Workspace: ${s.findings} findings in ${s.files} files (${ms(durationMs)})`);
    return { findings: s.findings, files: s.files, durationMs };
  });

  connection.onRequest(CHECKLIST_REQUEST, async (): Promise<ChecklistParams> => {
    await scheduler.whenIdle();
    for (const state of checklists.values()) if (!state.current()) guard('Readiness checklist', () => state.refresh(rules.map((r) => r.meta.id)), false);
    return checklistParams();
  });

  // The queries of one document, for the explain CodeLens (after the pending analysis, so the
  // ranges are those of the text the editor shows).
  connection.onRequest(QUERIES_REQUEST, async (params: QueriesParams): Promise<QueriesResult> => {
    await scheduler.whenIdle();
    const file = uriToFile(params.uri);
    const inputs = file ? folderOf(file)?.checklistInputs() : undefined;
    if (!file || !inputs) return { queries: [] };
    return { queries: await guardAsync('Queries', () => documentQueries(inputs, file), []) };
  });

  // The workspace's routes, for the load-test CodeLens and scenarios (after the pending analysis,
  // so the lines are those of the text the editor shows).
  connection.onRequest(ROUTES_REQUEST, async (): Promise<RoutesResult> => {
    await scheduler.whenIdle();
    const routes = guard('Routes', () => [...folders.values()].flatMap((f) => f.routes()), []);
    return { routes: routes.map(({ file, ...r }) => ({ ...r, uri: fileUri(file) })) };
  });

  connection.onShutdown(() => {
    clearTimeout(checklistTimer);
    scheduler.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** Quiet time after the last edit before the readiness checklist is recomputed (see scheduleChecklist). */
const CHECKLIST_QUIET_MS = 3000;
/** Longest the checklist holds the server's thread at a time while it reads the code. */
const CHECKLIST_SLICE_MS = 50;

function sameAsDisk(file: string, text: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8') === text;
  } catch {
    return false;
  }
}
