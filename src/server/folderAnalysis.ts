import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { Analyzer, type AnalysisResult } from '../core/analyze';
import { CONFIG_FILE, type Config, type ConfigProblem } from '../core/config';
import type { Finding } from '../core/finding';
import { TS_EXTENSIONS } from '../core/project/files';
import { matchesHealthPath } from '../core/http/routes';
import { loadProject, type ProjectModel } from '../core/project/project';
import type { Rule } from '../core/rules/types';
import { fileQueries, filesWithChangedTables, isSchemaSourceFile, schemaFor, setSchemaSourceText, type FileQueries } from '../core/sql/ruleSupport';
import type { SchemaModel } from '../core/sql/schema';
import { FixIndex } from './codeActions';
import { SchemaProblemDiagnostics } from './schemaProblems';
import { configProblemDiagnostic, toDiagnostic } from './diagnostics';
import { DependentsGraph, filesAffectedByEdit } from '../core/project/dependents';
import { ms, type ServerLog } from './log';
import { overridesKey } from './settings';

export interface FolderEnvironment {
  log: ServerLog;
  publish(file: string, diagnostics: Diagnostic[]): void;
  /** Called when the folder's config problems change (an empty list: they were fixed). */
  onConfigProblems(folder: FolderAnalysis, problems: ConfigProblem[], configFile: string): void;
  /** Directory holding docs/rules/<id>.md, for the diagnostics' code links. */
  docsDir: string;
  rules?: Array<Rule<string, any>>;
}

/** What one analysis pass over some files of a folder found. */
export interface PassOutcome {
  targets: number;
  skipped: AnalysisResult['skipped'];
  errors: AnalysisResult['errors'];
  durationMs: number;
  /** Files whose published diagnostics changed. */
  changedFiles: number;
}

/** Extensions of files the rules report on, besides TypeScript. */
const NON_TS_TARGETS = ['.sql', '.prisma'];

/**
 * One workspace folder: its project model, its long-lived Analyzer (one TypeScript
 * program, rebuilt incrementally), the open editors' buffers, and what was published.
 */
export class FolderAnalysis {
  project: ProjectModel | undefined;
  private targets = new Set<string>();
  private analyzer: Analyzer | undefined;
  private dependents: DependentsGraph | undefined;
  private overrides: Partial<Config> = {};
  private compilerOptionsKey = '';
  private readonly overlays = new Map<string, { text: string; version: number }>();
  private readonly findingsByFile = new Map<string, Finding[]>();
  private readonly publishedKeys = new Map<string, string>();
  private configProblemsKey = '[]';
  private configDiagnosticsFile: string | undefined;
  /** Skip reasons already logged, so typing in a broken file does not flood the output. */
  private readonly loggedSkips = new Map<string, string>();
  readonly fixes = new FixIndex();
  private readonly schemaProblems = new SchemaProblemDiagnostics();

  constructor(
    readonly root: string,
    readonly name: string,
    private readonly env: FolderEnvironment,
  ) {}

  /** Returns true when the overrides differ from the current ones (a reload is then due). */
  setOverrides(overrides: Partial<Config>): boolean {
    const changed = overridesKey(overrides) !== overridesKey(this.overrides);
    this.overrides = overrides;
    return changed;
  }

  /** (Re)reads config, file list, package.json and tsconfig; keeps the program cache unless compiler options changed. */
  load(): void {
    const started = performance.now();
    const project = loadProject(this.root, { configOverrides: this.overrides });
    const optionsKey = JSON.stringify(project.tsconfig.options);
    if (!this.analyzer || optionsKey !== this.compilerOptionsKey) {
      this.analyzer = new Analyzer(project, { rules: this.env.rules });
      for (const [file, o] of this.overlays) if (isTypeScript(file)) this.analyzer.host.setOverlay(file, o.text, o.version);
      this.compilerOptionsKey = optionsKey;
    } else {
      this.analyzer.updateProject(project);
    }
    // A reloaded project reads its schema files afresh: the editors' unsaved migrations still win.
    for (const [file, o] of this.overlays) if (isSchemaSourceFile(project, file)) setSchemaSourceText(project, file, o.text);
    this.project = project;
    this.dependents = new DependentsGraph(project.tsconfig.options, this.root);
    const targets = (this.targets = new Set(this.workspaceTargets()));
    for (const file of [...this.findingsByFile.keys()]) if (!targets.has(file)) this.setFindings(file, [], new Map());
    for (const file of [...this.loggedSkips.keys()]) if (!targets.has(file)) this.loggedSkips.delete(file);
    this.publishConfigProblems(project);
    const { files } = project;
    const sql = files.sql.length;
    const log = this.env.log;
    log.info(
      `${this.name}: loaded ${this.root} in ${ms(performance.now() - started)}: ${files.ts.length} TypeScript, ${sql} SQL files; ` +
        `frameworks: ${[...project.frameworks].join(', ') || 'none in package.json'}; ` +
        `database libraries: ${[...project.dbLibraries].join(', ') || 'none in package.json'}; ` +
        `config: ${project.configFile ? path.basename(project.configFile) : 'defaults'}` +
        (Object.keys(this.overrides).length ? `; editor settings: ${JSON.stringify(this.overrides)}` : ''),
    );
    for (const p of [...project.tsconfig.problems, ...project.warnings]) log.warn(`${this.name}: ${p}`);
  }

  isLoaded(): boolean {
    return this.analyzer !== undefined;
  }

  contains(file: string): boolean {
    return file === this.root || file.startsWith(this.root.endsWith(path.sep) ? this.root : this.root + path.sep);
  }

  /** Every file a whole-workspace pass reports on: TypeScript sources, SQL files, Prisma schemas. */
  workspaceTargets(): string[] {
    if (!this.project) return [];
    const { ts, sql, other } = this.project.files;
    return [...ts.filter((f) => !f.endsWith('.d.ts')), ...sql, ...other.filter((f) => NON_TS_TARGETS.includes(path.extname(f)))];
  }

  /** Builds (or incrementally updates) the TypeScript program, so that analysing afterwards measures the rules alone. */
  prepareProgram(): void {
    this.analyzer?.host.getProgram();
  }

  /**
   * The files whose findings an edit to `edited` can change, besides `edited` itself: files
   * that import them (directly or not: an N+1 through a function that now queries), and
   * files that start a server (shutdown and health findings depend on every file). An edited
   * migration or Prisma schema (SQL or a TypeORM/Knex module) changes the schema: the files
   * whose queries read a table that changed, and the other schema files (their foreign keys may
   * have gained or lost an index) — not the whole workspace.
   */
  affectedBy(edited: readonly string[]): string[] {
    if (!this.analyzer || !this.project) return [];
    const seeds = new Set(edited);
    const out = new Set<string>();
    const schemaEdits = edited.filter((f) => this.isSchemaSource(f) || NON_TS_TARGETS.includes(path.extname(f).toLowerCase()));
    if (schemaEdits.length > 0) for (const f of this.affectedBySchemaEdit()) out.add(f);
    const code = edited.filter((f) => !schemaEdits.includes(f) && isTypeScript(f));
    if (code.length > 0 && this.dependents) for (const f of filesAffectedByEdit(this.analyzer.host.getProgram(), this.dependents, this.project.files.ts, code)) out.add(f);
    return [...out].filter((f) => !seeds.has(f));
  }

  private affectedBySchemaEdit(): string[] {
    const state = this.sqlState();
    // No query recorded yet (the rule is off, or the schema had no table so far): everything.
    if (!state || state.queries.size === 0) return this.workspaceTargets();
    const files = filesWithChangedTables(state.queries, state.schema);
    const schemaFiles = this.workspaceTargets().filter((f) => this.isSchemaSource(f));
    this.env.log.info(`${this.name}: schema changed: re-checking ${files.length} of ${[...state.queries.values()].filter((q) => q.spans.length > 0).length} files with queries, and ${schemaFiles.length} schema files`);
    return [...files.filter((f) => this.targets.has(f)), ...schemaFiles];
  }

  isWorkspaceTarget(file: string): boolean {
    return this.targets.has(file);
  }

  /** A TypeScript file of the project, declaration files included. */
  isProjectFile(file: string): boolean {
    return this.targets.has(file) || (file.endsWith('.d.ts') && (this.project?.files.ts.includes(file) ?? false));
  }

  /**
   * An open editor's buffer. `sameAsAnalysed`: it holds exactly what the last analysis read
   * from disk. Only TypeScript buffers reach the program; migrations and Prisma schemas are
   * read from disk, so for them only the version is kept (fixes are offered for the text
   * that was analysed).
   */
  setOverlay(file: string, text: string, version: number, sameAsAnalysed = false): void {
    this.overlays.set(file, { text, version });
    if (isTypeScript(file)) this.analyzer?.host.setOverlay(file, text, version);
    // A migration being edited: the schema is re-derived from the editor's text, not the disk's.
    if (!sameAsAnalysed && this.project && this.isSchemaSource(file)) setSchemaSourceText(this.project, file, text);
    if (sameAsAnalysed) this.fixes.adoptVersion(file, version);
  }

  removeOverlay(file: string): void {
    this.overlays.delete(file);
    this.analyzer?.host.removeOverlay(file);
    if (this.project) setSchemaSourceText(this.project, file, undefined);
    this.fixes.adoptVersion(file, undefined);
  }

  isOpen(file: string): boolean {
    return this.overlays.has(file);
  }

  /** A file changed on disk. */
  invalidate(file: string): void {
    this.analyzer?.host.invalidate(file);
  }

  /** Analyses the project, keeping (and publishing) findings for `targets` only. */
  analyse(targets: readonly string[]): PassOutcome {
    if (!this.analyzer) throw new Error(`${this.name} is not loaded`);
    const versions = new Map([...this.overlays].map(([file, o]) => [file, o.version]));
    const result = this.analyzer.analyze(targets);
    // Malformed migration statements: on their lines, next to the findings of those files.
    const problemFiles = this.schemaProblems.update((this.sqlState()?.schema.problems ?? []).filter((p) => this.contains(p.file)));
    // A file left out (it does not parse, or nests too deeply to analyse) keeps its last findings.
    const skipped = new Set([...result.skipped.map((s) => s.file), ...result.errors.flatMap((e) => (e.file !== undefined && e.ruleId === undefined ? [e.file] : []))]);
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      const list = byFile.get(f.file) ?? [];
      list.push(f);
      byFile.set(f.file, list);
    }
    let changedFiles = 0;
    for (const file of targets) {
      // Its findings come back anyway once the file is fixed, and clearing them while someone
      // types would only flicker.
      if (skipped.has(file)) continue;
      if (this.setFindings(file, byFile.get(file) ?? [], versions)) changedFiles++;
      this.loggedSkips.delete(file);
    }
    for (const file of problemFiles) if (!targets.includes(file)) this.setFindings(file, this.findingsByFile.get(file) ?? [], versions);
    // Every run says so, whoever asked for it: the log is how to tell what triggered analysis
    // (and the language-server tests count these lines to prove a lightbulb never analyses).
    const named = targets.length <= 3 ? targets.map((f) => path.relative(this.root, f)).join(', ') : `${targets.length} files`;
    this.env.log.info(`${this.name}: analysis run: ${named} in ${ms(result.durationMs)}`);
    return { targets: targets.length, skipped: result.skipped, errors: result.errors, durationMs: result.durationMs, changedFiles };
  }

  /** Logs skipped files once per reason. */
  logSkipped(skipped: AnalysisResult['skipped'], all = false): void {
    for (const s of skipped) {
      if (!all && this.loggedSkips.get(s.file) === s.reason) continue;
      this.loggedSkips.set(s.file, s.reason);
      this.env.log.warn(`${this.name}: skipped ${path.relative(this.root, s.file)}: ${s.reason}`);
    }
  }

  /**
   * The project's schema and the per-file queries of the last analysis (src/core/sql/ruleSupport),
   * for hovers, go-to-definition and migration edits; the queries are what the unindexed-filter
   * rule recorded (none when it is off).
   */
  sqlState(): { schema: SchemaModel; queries: ReadonlyMap<string, FileQueries> } | undefined {
    if (!this.analyzer || !this.project) return undefined;
    const found = schemaFor(this.project);
    const cache = this.analyzer.ruleCache('unindexed-filter');
    return found && { schema: found.schema, queries: cache ? fileQueries(cache) : new Map() };
  }

  /** A migration or schema.prisma: its text builds the schema every query is checked against. */
  isSchemaSource(file: string): boolean {
    return this.project !== undefined && isSchemaSourceFile(this.project, file);
  }

  /** What the readiness checklist reads from this folder: the project, the program, every published finding. */
  /** The project's routes on the current program (see Analyzer.routes), with the lines each covers. */
  routes(): Array<{ method: string; path: string; file: string; line: number; endLine: number; health: boolean }> {
    if (!this.analyzer || !this.project) return [];
    const healthPaths = this.project.config.healthPaths;
    return this.analyzer.routes().map((r) => {
      const sf = r.node.getSourceFile();
      return {
        method: r.method,
        path: r.path,
        file: sf.fileName,
        line: sf.getLineAndCharacterOfPosition(r.node.getStart()).line,
        endLine: sf.getLineAndCharacterOfPosition(r.handler.getEnd()).line,
        health: matchesHealthPath(r.path, healthPaths) !== undefined,
      };
    });
  }

  checklistInputs(): { project: ProjectModel; program: import('typescript').Program; findings: Finding[] } | undefined {
    if (!this.analyzer || !this.project) return undefined;
    return { project: this.project, program: this.analyzer.host.getProgram(), findings: [...this.findingsByFile.values()].flat() };
  }

  findingCount(): number {
    let n = 0;
    for (const list of this.findingsByFile.values()) n += list.length;
    return n;
  }

  /** Clears everything this folder published (folder removed, server shutting down). */
  dispose(): void {
    for (const file of this.schemaProblems.update([])) if (!this.findingsByFile.has(file)) this.setFindings(file, [], new Map());
    for (const file of [...this.findingsByFile.keys()]) this.setFindings(file, [], new Map());
    if (this.configDiagnosticsFile) this.env.publish(this.configDiagnosticsFile, []);
  }

  private setFindings(file: string, findings: Finding[], versions: ReadonlyMap<string, number>): boolean {
    if (findings.length === 0) this.findingsByFile.delete(file);
    else this.findingsByFile.set(file, findings);
    this.fixes.set(file, findings, versions);
    const diagnostics = [...findings.map((f) => toDiagnostic(f, this.env.docsDir)), ...this.schemaProblems.diagnosticsFor(file)];
    const key = JSON.stringify(diagnostics);
    if ((this.publishedKeys.get(file) ?? '[]') === key) return false;
    if (diagnostics.length === 0) this.publishedKeys.delete(file);
    else this.publishedKeys.set(file, key);
    this.env.publish(file, diagnostics);
    return true;
  }

  private publishConfigProblems(project: ProjectModel): void {
    const configFile = path.join(this.root, CONFIG_FILE);
    const key = JSON.stringify(project.configProblems);
    if (key === this.configProblemsKey) return;
    this.configProblemsKey = key;
    let text: string | undefined;
    try {
      text = fs.readFileSync(configFile, 'utf8');
    } catch {
      text = undefined;
    }
    const diagnostics = project.configProblems.map((p) => configProblemDiagnostic(p, text));
    this.env.publish(configFile, diagnostics);
    this.configDiagnosticsFile = diagnostics.length ? configFile : undefined;
    for (const p of project.configProblems) this.env.log.warn(`${this.name}: ${p.message}`);
    this.env.onConfigProblems(this, project.configProblems, configFile);
  }
}

export function isTypeScript(file: string): boolean {
  return TS_EXTENSIONS.includes(path.extname(file).toLowerCase());
}
