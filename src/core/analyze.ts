import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { compareFindings, type Finding, type Range, type Severity } from './finding';
import type { ProjectModel } from './project/project';
import { allRules } from './rules';
import type { ReportDescriptor, Rule, RuleContext } from './rules/types';
import { isSuppressed, parseSuppressions, suppressionFix, type SuppressionMap } from './suppression';
import { ProgramHost } from './ts/program';
import { programModuleResolver, ProvenanceResolver } from './ts/provenance';

/** A file left out of the analysis, and why, in words a user can act on. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface AnalysisResult {
  findings: Finding[];
  skipped: SkippedFile[];
  /** Internal failures of a rule (a bug in Shipshape, not in the user's code); the other rules still ran. */
  ruleErrors: Array<{ ruleId: string; message: string }>;
  /** Number of source files analysed. */
  files: number;
  durationMs: number;
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

  /** Analyses the project; findings are kept only for `targets` (absolute paths) when given. */
  analyze(targets?: readonly string[]): AnalysisResult {
    const started = performance.now();
    const program = this.host.getProgram();
    const checker = program.getTypeChecker();
    const roots = new Set(this.host.getRootNames().map((f) => path.resolve(f)));
    const skipped: SkippedFile[] = [];
    const projectFiles: ts.SourceFile[] = [];
    for (const sf of program.getSourceFiles()) {
      const abs = path.resolve(sf.fileName);
      if (!roots.has(abs) || sf.isDeclarationFile) continue;
      const syntax = program.getSyntacticDiagnostics(sf);
      if (syntax.length > 0) {
        skipped.push({ file: abs, reason: describeSyntaxError(sf, syntax[0]) });
        continue;
      }
      projectFiles.push(sf);
    }
    // A whole-workspace scan also reports on migrations (.sql, and .js modules outside the program).
    const targetSet = new Set((targets ?? [...projectFiles.map((f) => f.fileName), ...this.project.files.sql, ...this.project.files.other]).map((f) => path.resolve(f)));
    const byFile = new Map(projectFiles.map((sf) => [path.resolve(sf.fileName), sf]));
    const targetSourceFiles = targets ? [...targetSet].flatMap((f) => byFile.get(f) ?? []) : projectFiles;
    const provenance = new ProvenanceResolver(checker, { resolveModule: programModuleResolver(program) });
    const findings: Finding[] = [];
    const ruleErrors: AnalysisResult['ruleErrors'] = [];

    for (const rule of this.rules) {
      const setting = this.project.config.rules[rule.meta.id];
      const severity = setting?.severity ?? rule.meta.defaultSeverity;
      if (severity === 'off') continue;
      let cache = this.ruleCaches.get(rule.meta.id);
      if (!cache) this.ruleCaches.set(rule.meta.id, (cache = new Map()));
      const context: RuleContext<string, any> = {
        project: this.project,
        program,
        checker,
        provenance,
        options: { ...rule.defaultOptions, ...(setting?.options ?? {}) },
        projectFiles,
        targetFiles: targetSet,
        targetSourceFiles,
        cache,
        rangeOf: nodeRange,
        report: (d: ReportDescriptor<string>) => {
          const finding = this.toFinding(rule, severity, d);
          if (!targetSet.has(finding.file)) return;
          const sf = byFile.get(finding.file);
          if (sf && isSuppressed(this.suppressionsOf(sf), finding.ruleId, finding.range)) return;
          if (sf) finding.fixes.push(suppressionFix(finding, sf.text));
          else if (!this.suppressOutsideProgram(finding)) return;
          findings.push(finding);
        },
      };
      try {
        rule.run(context);
      } catch (err) {
        ruleErrors.push({ ruleId: rule.meta.id, message: (err as Error).stack ?? String(err) });
      }
    }
    findings.sort(compareFindings);
    return { findings: dedupe(findings), skipped, ruleErrors, files: projectFiles.length + skipped.length, durationMs: performance.now() - started };
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
      file = path.resolve(node.getSourceFile().fileName);
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
