import type ts from 'typescript';
import type { Fix, Range, RelatedLocation, Severity } from '../finding';
import type { ProjectModel } from '../project/project';
import type { ProvenanceResolver } from '../ts/provenance';

export interface RuleMeta<MessageId extends string> {
  id: string;
  /** One line: what the rule reports (SARIF shortDescription, docs header). */
  description: string;
  defaultSeverity: Severity;
  /** Message templates by messageId; `{{name}}` placeholders are filled from `data`. */
  messages: Record<MessageId, string>;
  /** JSON schema of the rule's options (besides `severity`). */
  optionsSchema?: Record<string, unknown>;
}

/** A location to report: a node (its file and range are taken from it) or an explicit range. */
export type ReportTarget = ts.Node | { file: string; range: Range };

export interface ReportDescriptor<MessageId extends string> {
  at: ReportTarget;
  messageId: MessageId;
  data?: Record<string, string | number>;
  related?: RelatedLocation[];
  /** Fixes computed now; the editor answers code actions from them. */
  fixes?: Fix[];
  /** Override the configured severity for this finding (e.g. `info` for a partly served query). */
  severity?: Severity;
}

export interface RuleContext<MessageId extends string = string, Options = Record<string, unknown>> {
  readonly project: ProjectModel;
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly provenance: ProvenanceResolver;
  /** The rule's options: its defaults overlaid with the user's. */
  readonly options: Options;
  /** Project source files (parsed without syntax errors); no declaration files from node_modules. */
  readonly projectFiles: readonly ts.SourceFile[];
  /** Files findings are wanted for (all projectFiles on a whole-workspace scan). */
  readonly targetFiles: ReadonlySet<string>;
  /** The parsed project files among `targetFiles` (one file after an edit): where a rule looks for what it reports. */
  readonly targetSourceFiles: readonly ts.SourceFile[];
  /**
   * State the rule may keep between runs in a long-lived process (the language
   * server), e.g. per-function summaries keyed by file version. Empty in a CLI run.
   */
  readonly cache: Map<string, unknown>;
  report(descriptor: ReportDescriptor<MessageId>): void;
  /** 0-based range of a node in its file. */
  rangeOf(node: ts.Node): Range;
}

export interface Rule<MessageId extends string = string, Options = Record<string, unknown>> {
  meta: RuleMeta<MessageId>;
  defaultOptions: Options;
  run(context: RuleContext<MessageId, Options>): void;
}

/** Declares a rule with its message ids and options checked. */
export function defineRule<MessageId extends string, Options>(rule: Rule<MessageId, Options>): Rule<MessageId, Options> {
  return rule;
}
