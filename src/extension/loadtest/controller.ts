import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareRuns } from '../../core/loadtest/compare';
import { exportScenario } from '../../core/loadtest/export';
import { RunHistory } from '../../core/loadtest/history';
import { LoadTestError, startLoadTest, type LoadTestRun } from '../../core/loadtest/run';
import { checkUrl, maxDurationOf, PRESETS, resolveScenario, scenarioFromUrl, type ScenarioProblem } from '../../core/loadtest/scenario';
import type { ExportFormat, LoadTestEvent, LoadTestResult, PresetName, RunRecord, Scenario, ScenarioConfig } from '../../core/loadtest/types';
import type { PanelToExtension } from '../../webview/loadtest/protocol';
import { appendScenario, CONFIG_FILE, offsetOfKey, readConfigScenarios, uniqueScenarioName, type ConfigScenarios } from './configScenarios';
import { LoadTestResultsPanel } from './resultsPanel';
import { RouteIndex, type RouteSource } from './routeIndex';
import { concretePath, QUICK_TEST_NAME, routeScenarioName } from './routePath';
import { requestName, scenarioRequestsFrom } from './routeModel';
import { confirmTarget, refuseUntrusted } from './safety';
import { lastResultText } from './treeModel';
import { emptyTotals, failedState, finishedState, plannedSeconds, recordState, runningState, tickMessage, type RouteFinding } from './viewModel';

/** What "Re-run Last Load Test" repeats. */
type RunRequest =
  | { kind: 'config'; name: string }
  | { kind: 'url'; url: string }
  | { kind: 'route'; method: string; path: string; baseUrl: string };

const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

/**
 * Load tests in the editor: runs (one at a time) with progress, the status bar and the results
 * panel; the history of saved runs; scenarios in shipshape.config.json. The engine runs in a
 * worker thread (startLoadTest), never on the extension host's thread.
 */
export class LoadTestController implements vscode.Disposable {
  readonly panel: LoadTestResultsPanel;
  readonly routes: RouteIndex;
  private active: { run: LoadTestRun; request: RunRequest } | undefined;
  private last: RunRequest | undefined;
  private readonly status = vscode.window.createStatusBarItem('shipshape.loadtest', vscode.StatusBarAlignment.Left, 49);
  private readonly historyChanged = new vscode.EventEmitter<void>();
  /** Fires when runs are saved, pinned or deleted, or the config's scenarios change. */
  readonly onDidChange = this.historyChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.status, this.historyChanged];

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly folder: vscode.WorkspaceFolder,
    private readonly output: vscode.LogOutputChannel,
    routeSource: RouteSource,
  ) {
    this.panel = new LoadTestResultsPanel(context.extensionUri, (msg) => void this.onPanelMessage(msg));
    this.routes = new RouteIndex(folder, routeSource);
    this.status.name = 'Shipshape Load Test';
    const configWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, CONFIG_FILE));
    const runsWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.shipshape/runs/*.json'));
    const fire = () => this.historyChanged.fire();
    this.disposables.push(
      this.panel, this.routes, configWatcher, runsWatcher,
      configWatcher.onDidChange(fire), configWatcher.onDidCreate(fire), configWatcher.onDidDelete(fire),
      runsWatcher.onDidCreate(fire), runsWatcher.onDidDelete(fire),
      vscode.workspace.onDidSaveTextDocument((d) => { if (d.uri.fsPath === this.configUri.fsPath) fire(); }),
      vscode.workspace.onDidGrantWorkspaceTrust(fire),
    );
  }

  get history(): RunHistory {
    return new RunHistory(this.folder.uri.fsPath);
  }

  get configUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder.uri, CONFIG_FILE);
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  /** The config's scenarios from the editor's buffer when it is open (unsaved edits count), else the file. */
  async readConfig(): Promise<{ text: string; scenarios: ConfigScenarios } | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === this.configUri.fsPath);
    let text: string;
    if (open) text = open.getText();
    else {
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(this.configUri));
      } catch {
        return undefined;
      }
    }
    return { text, scenarios: readConfigScenarios(text) };
  }

  // ───────────── commands ─────────────

  /** Run Load Test…: the config's scenarios with their last result, and a quick URL test. */
  async pickAndRun(): Promise<void> {
    if (await refuseUntrusted()) return;
    const config = await this.readConfig();
    const runs = this.safeList();
    type Item = vscode.QuickPickItem & { run?: () => Promise<void> };
    const items: Item[] = (config?.scenarios.entries ?? []).map((e) => ({
      label: `$(play) ${e.name}`,
      description: lastResultText(runs, e.name),
      run: () => this.runConfigScenario(e.name),
    }));
    if (items.length) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(globe) Quick test a URL…', description: '10 connections for 10 s, GET', run: () => this.quickTestUrl() });
    items.push({ label: '$(add) Create Load Test Scenario', description: `from the routes Shipshape found, into ${CONFIG_FILE}`, run: () => this.createScenario() });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Shipshape: Run Load Test',
      placeHolder: config?.scenarios.entries.length ? 'Pick a scenario to run' : `No scenarios in ${CONFIG_FILE} yet: test a URL or create one`,
    });
    await picked?.run?.();
  }

  async rerunLast(): Promise<void> {
    if (await refuseUntrusted()) return;
    if (!this.last) {
      void vscode.window.showInformationMessage('Shipshape: no load test has run in this window yet.', 'Run Load Test…').then((c) => c && this.pickAndRun());
      return;
    }
    await this.start(this.last);
  }

  stop(): void {
    if (!this.active) {
      void vscode.window.showInformationMessage('Shipshape: no load test is running.');
      return;
    }
    this.active.run.cancel();
  }

  async runConfigScenario(name: string): Promise<void> {
    if (await refuseUntrusted()) return;
    await this.start({ kind: 'config', name });
  }

  async runRoute(method: string, routePath: string): Promise<void> {
    if (await refuseUntrusted()) return;
    const config = await this.readConfig();
    const baseUrl = config?.scenarios.loadtest?.baseUrl ?? config?.scenarios.entries.find((e) => e.raw.baseUrl)?.raw.baseUrl ?? DEFAULT_BASE_URL;
    await this.start({ kind: 'route', method, path: routePath, baseUrl });
  }

  async quickTestUrl(initial?: string): Promise<void> {
    if (await refuseUntrusted()) return;
    const url = await vscode.window.showInputBox({
      title: 'Shipshape: Quick test a URL',
      prompt: 'GET this URL with 10 connections for 10 seconds (a target other than this machine asks first)',
      value: initial ?? this.context.workspaceState.get<string>('shipshape.loadtest.lastUrl') ?? `${DEFAULT_BASE_URL}/`,
      validateInput: (v) => {
        const checked = checkUrl(v.trim());
        return typeof checked === 'string' ? checked : undefined;
      },
    });
    if (!url) return;
    await this.context.workspaceState.update('shipshape.loadtest.lastUrl', url.trim());
    await this.start({ kind: 'url', url: url.trim() });
  }

  // ───────────── a run ─────────────

  private async resolve(request: RunRequest): Promise<{ scenario: Scenario; maxDurationSec?: number } | undefined> {
    if (request.kind === 'url') {
      const { scenario, problems } = scenarioFromUrl(request.url, { name: QUICK_TEST_NAME, duration: '10s', connections: 10 });
      if (!scenario) return void this.reportProblems(problems, undefined, request.url);
      return { scenario };
    }
    const config = await this.readConfig();
    if (request.kind === 'route') {
      const raw: ScenarioConfig = { name: routeScenarioName(request.method, request.path), baseUrl: request.baseUrl, requests: [{ name: requestName(request.path), method: request.method as 'GET', path: concretePath(request.path) }], duration: '10s', connections: 10 };
      const { scenario, problems } = resolveScenario(raw, { config: config?.scenarios.loadtest, keyPrefix: 'route' });
      if (!scenario) return void this.reportProblems(problems, undefined, request.baseUrl);
      return { scenario, maxDurationSec: maxDurationOf(config?.scenarios.loadtest).seconds };
    }
    if (!config) {
      const create = 'Create Load Test Scenario';
      void vscode.window.showErrorMessage(`Shipshape: there is no ${CONFIG_FILE} in ${this.folder.name}, so there are no scenarios to run.`, create).then((c) => c && this.createScenario());
      return undefined;
    }
    if (config.scenarios.syntaxError) {
      void this.reportProblems([{ key: '', message: `${CONFIG_FILE} does not parse (${config.scenarios.syntaxError.message}); fix it and run again.` }], config.text);
      return undefined;
    }
    const entry = config.scenarios.entries.find((e) => e.name === request.name);
    if (!entry) {
      void vscode.window.showErrorMessage(`Shipshape: no scenario named "${request.name}" in ${CONFIG_FILE}.`, 'Open Config').then((c) => c && this.openConfigAt(config.text, 'loadtest.scenarios'));
      return undefined;
    }
    const { scenario, problems } = resolveScenario(entry.raw, { config: config.scenarios.loadtest, keyPrefix: `loadtest.scenarios[${entry.index}]` });
    const max = maxDurationOf(config.scenarios.loadtest);
    if (max.problem) problems.push(max.problem);
    if (!scenario || max.problem) return void this.reportProblems(problems, config.text);
    return { scenario, maxDurationSec: max.seconds };
  }

  /** A scenario mistake: the first problem, with a button to the key in the config (or to edit the URL). */
  private async reportProblems(problems: ScenarioProblem[], configText: string | undefined, url?: string): Promise<void> {
    const first = problems[0] ?? { key: '', message: 'the scenario is not valid.' };
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    const where = first.key && configText !== undefined ? `${first.key}: ` : '';
    const action = configText !== undefined ? 'Open Config' : url !== undefined ? 'Edit URL' : undefined;
    const choice = await vscode.window.showErrorMessage(`Shipshape: ${where}${first.message}${more}`, ...(action ? [action] : []));
    if (choice === 'Open Config' && configText !== undefined) await this.openConfigAt(configText, first.key);
    if (choice === 'Edit URL') await this.quickTestUrl(url);
  }

  async openConfigAt(text: string, key: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.configUri);
    const offset = key ? offsetOfKey(text, key) ?? 0 : 0;
    const pos = doc.positionAt(offset);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: editorColumnFor(doc.uri) });
  }

  private async start(request: RunRequest): Promise<void> {
    if (this.active) {
      const stop = 'Stop It';
      const choice = await vscode.window.showWarningMessage('Shipshape: a load test is already running; one runs at a time.', stop);
      if (choice === stop) this.active?.run.cancel();
      return;
    }
    const resolved = await this.resolve(request);
    if (!resolved) return;
    const { scenario } = resolved;
    const target = await confirmTarget(scenario.baseUrl);
    if (!target.proceed) return;
    this.last = request;
    const findings = await this.routes.findings().catch(() => [] as RouteFinding[]);
    let run: LoadTestRun;
    try {
      run = startLoadTest(scenario, { allowRemote: target.allowRemote, maxDurationSec: resolved.maxDurationSec });
    } catch (err) {
      this.failed(err, request, scenario);
      return;
    }
    this.active = { run, request };
    void vscode.commands.executeCommand('setContext', 'shipshape.loadtest.running', true);
    const totals = emptyTotals();
    let progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    let planned = 0;
    let reported = 0;
    const onEvent = (e: LoadTestEvent) => {
      if (e.type === 'start') {
        planned = e.plannedDurationSec;
        this.panel.setState(runningState(e, findings.map(({ ruleId, message, file, line }) => ({ ruleId, message, file, line }))));
        this.panel.show();
        this.showStatus(`$(pulse) Load test: starting ${e.scenario.name}…`);
        this.output.info(`Load test ${e.runId}: ${e.scenario.name} against ${e.target} (${e.engine}, ${e.plannedDurationSec} s)`);
      } else if (e.type === 'tick') {
        this.panel.post(tickMessage(e, totals));
        const text = `${Math.round(e.window.perSecond).toLocaleString('en-US')} req/s · p95 ${fmt(e.totals.p95Ms)} · ${e.totals.errors} errors · ${Math.ceil(e.remainingSec)} s left`;
        this.showStatus(`$(pulse) ${text}`);
        if (progress && planned > 0) {
          const done = Math.min(100, (e.elapsedSec / planned) * 100);
          progress.report({ message: text, increment: done - reported });
          reported = done;
        }
      }
    };
    run.on(onEvent);
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Load test ${scenario.name}`, cancellable: true },
        async (p, token) => {
          progress = p;
          token.onCancellationRequested(() => run.cancel());
          const result = await run.result;
          // Read again at the end: right after a window opens, the language server may still be
          // analysing when the run starts, and a slow endpoint's finding belongs beside it.
          await this.finished(scenario, result, await this.routes.findings().catch(() => findings));
        },
      );
    } catch (err) {
      this.failed(err, request, scenario);
    } finally {
      this.active = undefined;
      this.status.hide();
      void vscode.commands.executeCommand('setContext', 'shipshape.loadtest.running', false);
    }
  }

  private showStatus(text: string): void {
    this.status.text = text;
    this.status.tooltip = 'Shipshape load test running. Click to stop it.';
    this.status.command = 'shipshape.loadtest.stop';
    this.status.show();
  }

  private async finished(scenario: Scenario, result: LoadTestResult, findings: RouteFinding[]): Promise<void> {
    let record: RunRecord | undefined;
    const history = this.history;
    try {
      record = history.save(scenario, result);
    } catch (err) {
      this.output.warn(`Load test ${result.runId}: not saved to ${history.dir}: ${message(err)}`);
    }
    const baselineId = history.baselineId(scenario.name);
    const baseline = baselineId && baselineId !== result.runId ? history.load(baselineId, scenario.name) : undefined;
    let comparison;
    if (baseline) {
      try {
        comparison = { comparison: compareRuns(baseline.result, result), startedAt: baseline.result.startedAt };
      } catch (err) {
        this.output.warn(`Load test ${result.runId}: comparison with ${baseline.id} failed: ${message(err)}`);
      }
    }
    this.panel.setState(finishedState(result, { findings, baseline: comparison, plannedSec: plannedSeconds(scenario.model) }));
    this.panel.show();
    this.historyChanged.fire();
    const s = result.summary;
    const numbers = `${Math.round(s.requests.perSecond).toLocaleString('en-US')} req/s, p95 ${fmt(s.latencyMs.p95)}, ${(s.failedRate * 100).toFixed(1)} % failed`;
    const failedThresholds = result.thresholds.filter((t) => !t.ok).map((t) => t.expression);
    const verdict = result.ended === 'cancelled' ? 'stopped' : result.passed ? 'passed' : `failed (${failedThresholds.join(', ')})`;
    this.output.info(`Load test ${result.runId}: ${verdict}: ${numbers}${record ? `; saved as ${record.id}` : ''}`);
    if (!this.panel.visible) {
      const show = 'Show Results';
      const notify = result.passed || result.ended === 'cancelled' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void notify(`Shipshape: load test ${scenario.name} ${verdict}: ${numbers}.`, show).then((c) => c && this.panel.show());
    }
  }

  private failed(err: unknown, request: RunRequest, scenario: Scenario): void {
    const text = message(err);
    this.output.warn(`Load test ${scenario.name} did not run: ${text}`);
    this.panel.setState(failedState(text, { scenario: scenario.name, target: scenario.baseUrl, engine: scenario.engine, startedAt: new Date().toISOString(), plannedSec: plannedSeconds(scenario.model), load: '' }));
    const actions: string[] = [];
    const code = err instanceof LoadTestError ? err.code : undefined;
    if (request.kind === 'url') actions.push('Edit URL');
    else if (request.kind === 'config') actions.push('Open Config');
    else actions.push('Quick Test a URL…');
    const unreachable = code === 'refused' || code === 'dns' || code === 'unreachable';
    void vscode.window.showErrorMessage(`Shipshape: ${unreachable ? 'the target is not reachable: ' : ''}${text}`, ...actions).then(async (c) => {
      if (c === 'Edit URL' && request.kind === 'url') await this.quickTestUrl(request.url);
      if (c === 'Quick Test a URL…') await this.quickTestUrl();
      if (c === 'Open Config' && request.kind === 'config') {
        const config = await this.readConfig();
        const entry = config?.scenarios.entries.find((e) => e.name === request.name);
        if (config) await this.openConfigAt(config.text, entry ? `loadtest.scenarios[${entry.index}]${unreachable || code === 'bad-url' ? '.baseUrl' : ''}` : 'loadtest');
      }
    });
  }

  // ───────────── history ─────────────

  safeList(scenario?: string) {
    try {
      return this.history.list(scenario);
    } catch (err) {
      this.output.warn(`Load-test history could not be read: ${message(err)}`);
      return [];
    }
  }

  /** Opens a saved run in the panel, compared with its scenario's baseline when there is one. */
  async openRun(id: string, compareWith?: string): Promise<void> {
    const history = this.history;
    const record = history.load(id);
    if (!record) {
      void vscode.window.showErrorMessage(`Shipshape: the run ${id} could not be read${history.problems.length ? `: ${history.problems[0]}` : ''}.`);
      return;
    }
    const baseId = compareWith ?? history.baselineId(record.result.scenario);
    const base = baseId && baseId !== id ? history.load(baseId) : undefined;
    const findings = await this.routes.findings().catch(() => [] as RouteFinding[]);
    let baseline;
    if (base) {
      try {
        baseline = { comparison: compareRuns(base.result, record.result), startedAt: base.result.startedAt };
      } catch (err) {
        this.output.warn(`Comparison of ${id} with ${base.id} failed: ${message(err)}`);
      }
    }
    this.panel.setState(recordState(record, { findings, baseline }));
    this.panel.show();
  }

  async pickRun(title: string, exclude?: string): Promise<string | undefined> {
    const runs = this.safeList().filter((r) => r.id !== exclude);
    if (!runs.length) {
      void vscode.window.showInformationMessage('Shipshape: no saved load-test runs yet. Run one first.', 'Run Load Test…').then((c) => c && this.pickAndRun());
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(runs.map((r) => ({
      label: `${r.passed ? '$(pass)' : '$(error)'} ${r.scenario}${r.baseline ? ' $(star-full) baseline' : ''}`,
      description: `${new Date(r.startedAt).toLocaleString()} · p95 ${fmt(r.p95Ms)} · ${Math.round(r.perSecond).toLocaleString('en-US')} req/s`,
      id: r.id,
    })), { title, matchOnDescription: true });
    return picked?.id;
  }

  async compare(currentId?: string, baselineId?: string): Promise<void> {
    const current = currentId ?? (await this.pickRun('Shipshape: Compare Load Test Runs — pick the run to look at'));
    if (!current) return;
    const base = baselineId ?? (await this.pickRun('Shipshape: Compare Load Test Runs — pick the run to compare it with (the baseline)', current));
    if (!base) return;
    await this.openRun(current, base);
  }

  async pinBaseline(id?: string): Promise<void> {
    const runId = id ?? this.panel.current().header?.runId ?? (await this.pickRun('Shipshape: Pin Run as Baseline'));
    if (!runId) return;
    try {
      this.history.pinBaseline(runId);
    } catch (err) {
      void vscode.window.showErrorMessage(`Shipshape: could not pin ${runId} as the baseline: ${message(err)}`);
      return;
    }
    this.historyChanged.fire();
    vscode.window.setStatusBarMessage(`Shipshape: run ${runId} is the baseline of its scenario`, 5000);
  }

  /**
   * Deletes a saved run's file after a modal confirmation. RunHistory has no delete; a run is
   * one file named by its id under `.shipshape/runs/`.
   */
  async deleteRun(id: string): Promise<void> {
    const file = path.join(this.history.dir, `${id}.json`);
    const ok = await vscode.window.showWarningMessage(`Delete the load-test run ${id}?`, { modal: true, detail: `${vscode.workspace.asRelativePath(file)} is removed.` }, 'Delete');
    if (ok !== 'Delete') return;
    await fs.promises.rm(file, { force: true });
    this.historyChanged.fire();
  }

  // ───────────── scenarios ─────────────

  /** Writes a scenario built from the routes Shipshape found into the config, then opens it at the new key. */
  async createScenario(): Promise<void> {
    const routes = await this.routes.all();
    const requests = scenarioRequestsFrom(routes);
    const presetItems = (['smoke', 'load', 'stress'] as PresetName[]).map((p) => ({ label: p, description: describePreset(p), preset: p }));
    const picked = await vscode.window.showQuickPick(presetItems, {
      title: 'Shipshape: Create Load Test Scenario — start from a preset',
      placeHolder: requests.length ? `Requests: ${requests.map((r) => r.path).join(', ')}` : 'No list or health routes found: the scenario will GET /',
    });
    if (!picked) return;
    const config = await this.readConfig();
    const existing = config?.scenarios.entries.map((e) => e.name) ?? [];
    const scenario: ScenarioConfig = {
      name: uniqueScenarioName(existing, picked.preset),
      preset: picked.preset,
      baseUrl: config?.scenarios.loadtest?.baseUrl ? undefined : DEFAULT_BASE_URL,
      requests: requests.length ? requests : [{ name: 'root', method: 'GET', path: '/', weight: 1 }],
    };
    if (!scenario.baseUrl) delete scenario.baseUrl;
    const doc = config ? await vscode.workspace.openTextDocument(this.configUri) : undefined;
    const editorOptions = vscode.window.visibleTextEditors.find((e) => e.document === doc)?.options;
    let out: { text: string; nameOffset: number };
    try {
      out = appendScenario(doc?.getText() ?? '', scenario, editorOptions?.insertSpaces !== false, typeof editorOptions?.tabSize === 'number' ? editorOptions.tabSize : 2);
    } catch (err) {
      void vscode.window.showErrorMessage(`Shipshape: ${message(err)}`, 'Open Config').then((c) => c && this.openConfigAt(doc?.getText() ?? '', ''));
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    if (doc) edit.replace(this.configUri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), out.text);
    else {
      edit.createFile(this.configUri, { ignoreIfExists: true });
      edit.insert(this.configUri, new vscode.Position(0, 0), out.text);
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Shipshape: ${CONFIG_FILE} could not be edited.`);
      return;
    }
    const written = await vscode.workspace.openTextDocument(this.configUri);
    await written.save();
    const pos = written.positionAt(out.nameOffset);
    await vscode.window.showTextDocument(written, { selection: new vscode.Range(pos, pos.translate(0, JSON.stringify(scenario.name).length)), viewColumn: editorColumnFor(written.uri) });
    this.historyChanged.fire();
  }

  async exportScenario(name?: string): Promise<void> {
    const config = await this.readConfig();
    const entries = config?.scenarios.entries ?? [];
    if (!config || !entries.length) {
      void vscode.window.showInformationMessage(`Shipshape: there are no scenarios in ${CONFIG_FILE} to export.`, 'Create Load Test Scenario').then((c) => c && this.createScenario());
      return;
    }
    const entry = name ? entries.find((e) => e.name === name) : entries.length === 1 ? entries[0] : (await vscode.window.showQuickPick(entries.map((e) => ({ label: e.name, entry: e })), { title: 'Shipshape: Export Scenario — which scenario?' }))?.entry;
    if (!entry) return;
    const formats: Array<{ label: string; description: string; format: ExportFormat; language: string }> = [
      { label: 'k6 script', description: 'JavaScript for `k6 run`, thresholds included', format: 'k6', language: 'javascript' },
      { label: 'Artillery', description: 'YAML for `artillery run`', format: 'artillery', language: 'yaml' },
      { label: 'k6-operator TestRun', description: 'Kubernetes manifest: the k6 script split over pods', format: 'k6-operator', language: 'yaml' },
    ];
    const format = await vscode.window.showQuickPick(formats, { title: `Shipshape: Export ${entry.name} as…` });
    if (!format) return;
    const { scenario, problems } = resolveScenario(entry.raw, { config: config.scenarios.loadtest, keyPrefix: `loadtest.scenarios[${entry.index}]` });
    if (!scenario) return this.reportProblems(problems, config.text);
    let text: string;
    try {
      text = exportScenario(scenario, format.format);
    } catch (err) {
      void vscode.window.showErrorMessage(`Shipshape: ${message(err)}`);
      return;
    }
    // An untitled document: the user decides where (and whether) to save it.
    const doc = await vscode.workspace.openTextDocument({ language: format.language, content: text });
    await vscode.window.showTextDocument(doc);
  }

  // ───────────── panel ─────────────

  private async onPanelMessage(msg: PanelToExtension): Promise<void> {
    switch (msg.type) {
      case 'rerun':
        return this.rerunLast();
      case 'stop':
        return this.stop();
      case 'pinBaseline':
        return this.pinBaseline(msg.runId);
      case 'compare':
        return this.compare(msg.runId);
      case 'openFinding': {
        const uri = vscode.Uri.joinPath(this.folder.uri, ...msg.file.split('/'));
        if (!uri.fsPath.startsWith(this.folder.uri.fsPath)) return;
        const line = Math.max(0, msg.line - 1);
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
        return;
      }
      case 'ready':
        return;
      case 'cspViolation':
        this.output.warn(`Load-test results panel: the Content-Security-Policy refused ${String(msg.blocked || 'something').slice(0, 200)} (${String(msg.directive).slice(0, 60)})`);
        return;
    }
  }

  dispose(): void {
    // The window is closing (or the extension stops): no run outlives it.
    this.active?.run.cancel();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Where the config opens: where it already shows, else the first column (the results panel sits beside). */
function editorColumnFor(uri: vscode.Uri): vscode.ViewColumn {
  return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
}

function describePreset(p: PresetName): string {
  const cfg = PRESETS[p];
  if (p === 'smoke') return `${cfg.connections} users for ${cfg.duration}: does the scenario work at all`;
  if (p === 'load') return `${cfg.connections} connections for ${cfg.duration}: the expected peak, held`;
  return 'an arrival rate ramping to 2,000 req/s until it breaks (aborts at 10 % errors)';
}


function fmt(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : `${Number(ms.toFixed(1))} ms`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
