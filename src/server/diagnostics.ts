import * as path from 'node:path';
import ts from 'typescript';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { ConfigProblem } from '../core/config';
import type { Finding, Range, Severity } from '../core/finding';

export const DIAGNOSTIC_SOURCE = 'shipshape';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function fileUri(file: string): string {
  return URI.file(file).toString();
}

export function uriToFile(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? path.resolve(parsed.fsPath) : undefined;
}

/** Finding (0-based, absolute paths) → LSP Diagnostic. Positions are the same shape: LSP is 0-based too. */
export function toDiagnostic(finding: Finding, docsDir: string): Diagnostic {
  return {
    range: copyRange(finding.range),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    // The client turns this into `code: { value, target }`: the rule id links to its doc page.
    codeDescription: { href: fileUri(path.join(docsDir, `${finding.ruleId}.md`)) },
    message: finding.message,
    relatedInformation: finding.related.length
      ? finding.related.map((r) => ({ location: { uri: fileUri(r.file), range: copyRange(r.range) }, message: r.message }))
      : undefined,
  };
}

/** A problem in shipshape.config.json, pointed at the offending key when it can be found. */
export function configProblemDiagnostic(problem: ConfigProblem, text: string | undefined): Diagnostic {
  return {
    range: text === undefined ? zeroRange() : locateConfigProblem(problem, text),
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code: 'config',
    message: problem.message,
  };
}

/** Where in the config text a problem is: the key's property name, the syntax error, or the start. */
export function locateConfigProblem(problem: ConfigProblem, text: string): Range {
  const sf = ts.parseJsonText('shipshape.config.json', text);
  const lineCol = /at line (\d+), column (\d+)/.exec(problem.message);
  if (!problem.key && lineCol) {
    const at = { line: Number(lineCol[1]) - 1, character: Number(lineCol[2]) - 1 };
    return { start: at, end: { line: at.line, character: at.character + 1 } };
  }
  const root = sf.statements[0]?.expression;
  if (!root) return zeroRange();
  let node: ts.Node = root;
  let best: ts.Node | undefined;
  for (const segment of problem.key ? problem.key.split('.') : []) {
    const next = childAt(node, segment);
    if (!next) break;
    best = ts.isPropertyAssignment(next) ? next.name : next;
    node = ts.isPropertyAssignment(next) ? next.initializer : next;
  }
  if (!best) return rangeOf(sf, root.getStart(sf), root.getStart(sf) + 1);
  return rangeOf(sf, best.getStart(sf), best.getEnd());
}

function childAt(node: ts.Node, segment: string): ts.Node | undefined {
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.find((p) => p.name !== undefined && (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name)) && p.name.text === segment);
  }
  if (ts.isArrayLiteralExpression(node) && /^\d+$/.test(segment)) return node.elements[Number(segment)];
  return undefined;
}

function rangeOf(sf: ts.SourceFile, start: number, end: number): Range {
  return { start: sf.getLineAndCharacterOfPosition(start), end: sf.getLineAndCharacterOfPosition(end) };
}

function copyRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function zeroRange(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
