import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { prismaClientPackageOf } from './db/libraries';
import { compareFindings, type Finding, type Range, type Severity } from './finding';
import { findRoutes, type ProjectRoute } from './http/routes';
import type { ProjectModel } from './project/project';
import { allRules } from './rules';
import type { ReportDescriptor, Rule, RuleContext } from './rules/types';
import { isSuppressed, parseSuppressions, suppressionFix, type SuppressionMap } from './suppression';
import { absolutePath } from './project/absolutePath';
import { ProgramHost } from './ts/program';
import { programModuleResolver, ProvenanceResolver } from './ts/provenance';

/** A file left out of the analysis, and why, in words a user can act on. */
export interface SkippedFile {
  file: string;
  reason: string;
  /** 0-based line, when only a part of the file was skipped (a migration statement PostgreSQL rejects). */
  line?: number;
}

/**
 * Something Shipshape failed to analyse (its limitation or bug, not a mistake in the user's code):
 * findings may be missing, so a CI run must not pass on it as if the scan were complete.
 */
export interface AnalysisError {
  /** The file left out, or the one a rule failed on; absent when a rule failed on the project as a whole. */
  file?: string;
  /** The rule that threw; absent when the file was left out before any rule ran. */
  ruleId?: string;
  message: string;
}

export interface AnalysisResult {
  findings: Finding[];
  skipped: SkippedFile[];
  /** Files left out and rule failures; every other file and rule still ran. */
  errors: AnalysisError[];
  /** Number of source files analysed. */
  files: number;
  durationMs: number;
}

/** A version of a file, as the analysis sees it: its absolute path, and why it is left out, if it is. */
interface FileStatus {
  file: string;
  /** Does not parse: skipped until fixed. */
  skipped?: string;
  /** Stands in empty for content that would take the analysis down (see ProgramHost.unanalysableReason). */
  unanalysable?: string;
}

interface SortedFiles {
  roots: ReadonlySet<string>;
  projectFiles: ts.SourceFile[];
  byFile: Map<string, ts.SourceFile>;
  skipped: SkippedFile[];
  errors: AnalysisError[];
}

export interface AnalyzerOptions {
  rules?: Array<Rule<string, any>>;
}

/** Runs the rules over a project. One instance lives as long as the project is open (the server keeps one). */
export class Analyzer {
  readonly host: ProgramHost;
  private readonly rules: Array<Rule<string, any>>;
  private readonly ruleCaches = new Map<string, Map<string, unknown>>();
  private readonly suppressionCache = new WeakMap<ts.SourceFile, SuppressionMap>();
  /** What a version of a file is to the analysis (see `fileStatus`): unchanged files keep their SourceFile, so this survives edits. */
  private readonly fileStatuses = new WeakMap<ts.SourceFile, FileStatus>();
  /** The sorting of the last program's files, reused while the program and its roots stay the same (the slices of one pass). */
  private sorted: { program: ts.Program; rootNames: readonly string[]; files: SortedFiles } | undefined;

  constructor(public project: ProjectModel, opts: AnalyzerOptions = {}) {
    this.rules = opts.rules ?? allRules();
    this.host = new ProgramHost(project.files.ts, project.tsconfig.options);
  }

  /** Swap in a reloaded project model (config or file list changed) keeping the program's cache. */
  updateProject(project: ProjectModel): void {
    this.project = project;
    this.host.setRootNames(project.files.ts);
    this.ruleCaches.clear();
  }

  /** What a rule keeps between runs (its `ctx.cache`), for the language server to read (the SQL rules' schema and queries). */
  ruleCache(ruleId: string): Map<string, unknown> | undefined {
    return this.ruleCaches.get(ruleId);
  }

  /**
   * The project's HTTP routes by method and full path, on the current program (the load-test
   * CodeLens and the scenarios Shipshape writes): the walk the health rule does (http/routes).
   */
  routes(): ProjectRoute[] {
    const program = this.host.getProgram();
    const { projectFiles } = this.sortFiles(program);
    const checker = program.getTypeChecker();
    return findRoutes({ checker, provenance: analysisProvenance(program, checker), root: this.project.root }, projectFiles);
  }

  /** Analyses the project; findings are kept only for `targets` (absolute paths) when given. */
  analyze(targets?: readonly string[]): AnalysisResult {
    const started = performance.now();
    const program = this.host.getProgram();
    // Before the checker: the sorting of the previous program's files lets go of that program
    // (and its checker's types) here, not after the new checker is built beside it.
    const sorted = this.sortFiles(program);
    const checker = program.getTypeChecker();
    const { projectFiles, byFile } = sorted;
    const skipped = [...sorted.skipped];
    const errors = [...sorted.errors];
    // A whole-workspace scan also reports on migrations (.sql, and .js modules outside the program).
    const targetSet = new Set((targets ?? [...projectFiles.map((f) => f.fileName), ...this.project.files.sql, ...this.project.files.other]).map((f) => absolutePath(f)));
    const targetSourceFiles = targets ? [...targetSet].flatMap((f) => byFile.get(f) ?? []) : projectFiles;
    // One resolver for every rule and the N+1 call graph (which takes it from the rule context),
    // so a value has one provenance whoever asks (see analysisProvenance).
    const provenance = analysisProvenance(program, checker);
    const findings: Finding[] = [];

    for (const rule of this.rules) {
      const setting = this.project.config.rules[rule.meta.id];
      const severity = setting?.severity ?? rule.meta.defaultSeverity;
      if (severity === 'off') continue;
      let cache = this.ruleCaches.get(rule.meta.id);
      if (!cache) this.ruleCaches.set(rule.meta.id, (cache = new Map()));
      const ruleCache = cache;
      const options = { ...rule.defaultOptions, ...(setting?.options ?? {}) };
      /** One run of the rule for some target files; its findings count only if the whole run succeeds. */
      const run = (targetFiles: ReadonlySet<string>, sources: readonly ts.SourceFile[]): Finding[] => {
        const reported: Finding[] = [];
        const context: RuleContext<string, any> = {
          project: this.project,
          program,
          checker,
          provenance,
          options,
          projectFiles,
          targetFiles,
          targetSourceFiles: sources,
          cache: ruleCache,
          rangeOf: nodeRange,
          report: (d: ReportDescriptor<string>) => {
            const finding = this.toFinding(rule, severity, d);
            if (!targetFiles.has(finding.file)) return;
            const sf = byFile.get(finding.file);
            if (sf && isSuppressed(this.suppressionsOf(sf), finding.ruleId, finding.range)) return;
            if (sf) finding.fixes.push(suppressionFix(finding, sf.text));
            else if (!this.suppressOutsideProgram(finding)) return;
            reported.push(finding);
          },
        };
        rule.run(context);
        return reported;
      };
      try {
        findings.push(...run(targetSet, targetSourceFiles));
      } catch (err) {
        const isolated = isolateFailure(rule.meta.id, targetSourceFiles, err, (subset) => run(new Set(subset.map((sf) => path.resolve(sf.fileName))), subset));
        findings.push(...isolated.findings);
        errors.push(...isolated.errors);
      }
    }
    findings.sort(compareFindings);
    return { findings: dedupe(findings), skipped, errors, files: projectFiles.length + skipped.length + errors.filter((e) => e.ruleId === undefined).length, durationMs: performance.now() - started };
  }

  /**
   * The program's files the rules run on (the project's sources that parse), and those left out
   * and why. Asked on every run — once per keystroke in the language server — so it costs a
   * lookup per unchanged file: each file's status is kept per SourceFile object.
   */
  private sortFiles(program: ts.Program): SortedFiles {
    const rootNames = this.host.getRootNames();
    if (this.sorted && this.sorted.program === program && this.sorted.rootNames === rootNames) return this.sorted.files;
    const roots = this.sorted?.rootNames === rootNames ? this.sorted.files.roots : new Set(rootNames.map((f) => absolutePath(f)));
    const files: SortedFiles = { roots, projectFiles: [], byFile: new Map(), skipped: [], errors: [] };
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile) continue;
      let status = this.fileStatuses.get(sf);
      if (!status) this.fileStatuses.set(sf, (status = this.fileStatus(program, sf)));
      if (!roots.has(status.file)) continue;
      if (status.skipped !== undefined) files.skipped.push({ file: status.file, reason: status.skipped });
      else if (status.unanalysable !== undefined) files.errors.push({ file: status.file, message: status.unanalysable });
      else {
        files.projectFiles.push(sf);
        files.byFile.set(status.file, sf);
      }
    }
    this.sorted = { program, rootNames, files };
    return files;
  }

  private fileStatus(program: ts.Program, sf: ts.SourceFile): FileStatus {
    const file = absolutePath(sf.fileName);
    const unanalysable = this.host.unanalysableReason(file);
    if (unanalysable !== undefined) return { file, unanalysable };
    const syntax = program.getSyntacticDiagnostics(sf);
    return syntax.length > 0 ? { file, skipped: describeSyntaxError(sf, syntax[0]) } : { file };
  }

  /**
   * A finding in a file outside the TypeScript program (a .sql migration, a .js Knex migration):
   * its suppression comments are read from disk (`-- shipshape-disable-next-line` in SQL). False
   * when suppressed; otherwise the suppression fix is added.
   */
  private suppressOutsideProgram(finding: Finding): boolean {
    let text: string;
    try {
      text = fs.readFileSync(finding.file, 'utf8');
    } catch {
      return true;
    }
    if (isSuppressed(parseSuppressions(text), finding.ruleId, finding.range)) return false;
    finding.fixes.push(suppressionFix(finding, text, finding.file.endsWith('.sql') ? 'sql' : 'ts'));
    return true;
  }

  private suppressionsOf(sf: ts.SourceFile): SuppressionMap {
    let map = this.suppressionCache.get(sf);
    if (!map) this.suppressionCache.set(sf, (map = parseSuppressions(sf.text)));
    return map;
  }

  private toFinding(rule: Rule<string, any>, severity: Severity, d: ReportDescriptor<string>): Finding {
    let file: string;
    let range: Range;
    if ('kind' in d.at && typeof (d.at as ts.Node).getSourceFile === 'function') {
      const node = d.at as ts.Node;
      file = absolutePath(node.getSourceFile().fileName);
      range = nodeRange(node);
    } else {
      const at = d.at as { file: string; range: Range };
      file = path.resolve(at.file);
      range = at.range;
    }
    const template = rule.meta.messages[d.messageId];
    if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown messageId ${d.messageId}`);
    return {
      ruleId: rule.meta.id,
      severity: d.severity ?? severity,
      message: formatMessage(template, d.data),
      file,
      range,
      related: d.related ?? [],
      fixes: [...(d.fixes ?? [])],
    };
  }
}

/** One line for stderr or the output channel; `show` turns an absolute path into the one to print. */
export function describeAnalysisError(e: AnalysisError, show: (file: string) => string): string {
  const file = e.file !== undefined ? show(e.file) : undefined;
  if (e.ruleId === undefined) return `not analysed ${file ?? 'a file'}: ${e.message}`;
  const scope = file !== undefined ? ` on ${file}` : '';
  const rest = file !== undefined ? 'other files and rules were analysed' : 'the other rules ran';
  return `internal error: rule ${e.ruleId} failed${scope} (${rest}; please report it): ${e.message}`;
}

/** Retries of a failed rule run, looking for the files it fails on; bounds the cost when it fails on everything. */
const MAX_ISOLATION_RUNS = 32;

/**
 * A rule threw while analysing several files. Find the files it fails on by splitting the set in
 * halves (a file-specific failure costs about 2·log2(n) re-runs), keep the findings of every part
 * that succeeds, and name each file the rule failed on: one pathological file loses that file's
 * findings for that rule, not the workspace's.
 */
function isolateFailure(
  ruleId: string,
  files: readonly ts.SourceFile[],
  firstError: unknown,
  run: (subset: readonly ts.SourceFile[]) => Finding[],
): { findings: Finding[]; errors: AnalysisError[] } {
  const findings: Finding[] = [];
  const errors: AnalysisError[] = [];
  const failed = (subset: readonly ts.SourceFile[], err: unknown) => {
    if (subset.length === 0) errors.push({ ruleId, message: errorLine(err) });
    for (const sf of subset) errors.push({ ruleId, file: path.resolve(sf.fileName), message: errorLine(err) });
  };
  const pending: Array<{ files: readonly ts.SourceFile[]; err: unknown }> = [{ files, err: firstError }];
  let runs = 0;
  while (pending.length > 0) {
    const { files: failing, err } = pending.shift()!;
    if (failing.length <= 1 || runs >= MAX_ISOLATION_RUNS) {
      failed(failing, err);
      continue;
    }
    const half = Math.ceil(failing.length / 2);
    for (const part of [failing.slice(0, half), failing.slice(half)]) {
      runs++;
      try {
        findings.push(...run(part));
      } catch (partErr) {
        pending.push({ files: part, err: partErr });
      }
    }
  }
  return { findings, errors };
}

/** The first line of an error: what went wrong, without a stack trace. */
function errorLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0];
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/** 0-based range of a node, excluding leading trivia. */
export function nodeRange(node: ts.Node): Range {
  const sf = node.getSourceFile();
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { start, end };
}

function describeSyntaxError(sf: ts.SourceFile, d: ts.Diagnostic): string {
  const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : undefined;
  const where = pos ? ` at line ${pos.line + 1}, column ${pos.character + 1}` : '';
  return `does not parse${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\.$/, '')}. Fix the syntax error; the file is skipped until then.`;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}|${f.file}|${f.range.start.line}:${f.range.start.character}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The provenance resolver every analysis of `program` uses: callback parameters traced
 * (`prisma.$transaction(async (tx) => …)`, `pool.connect((err, client) => …)`; the HTTP
 * classifiers only accept the framework shapes they list, which never end in a `cb(…)` step), and
 * generated Prisma clients (`./generated/prisma`) counted as `@prisma/client`.
 */
export function analysisProvenance(program: ts.Program, checker: ts.TypeChecker): ProvenanceResolver {
  return new ProvenanceResolver(checker, { callbackParameters: true, packageOf: prismaClientPackageOf, resolveModule: programModuleResolver(program) });
}
