import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { describeAnalysisError } from '../analyze';
import type { Finding, Severity } from '../finding';
import { allRules } from '../rules';
import type { Rule } from '../rules/types';
import { displayPath, ruleDoc, TOOL, type ScanReport } from './common';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it:
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 * (rules with descriptions and help, relative URIs against %SRCROOT%, partialFingerprints).
 */
export function toSarif({ root, result }: ScanReport, rules: Array<Rule<string, any>> = allRules()) {
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const lineCache = new Map<string, string[]>();
  const occurrences = new Map<string, number>();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            informationUri: 'https://www.npmjs.com/package/shipshape',
            rules: rules.map((r) => sarifRule(r)),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: toFileUri(root) } },
        columnKind: 'utf16CodeUnits' as const,
        results: result.findings.map((f) => {
          const file = displayPath(root, f.file);
          const lineText = lineOf(lineCache, f.file, f.range.start.line);
          const base = `${f.ruleId}\u0000${file}\u0000${lineText.trim()}`;
          const n = occurrences.get(base) ?? 0;
          occurrences.set(base, n + 1);
          return {
            ruleId: f.ruleId,
            ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
            level: LEVEL[f.severity],
            message: { text: f.message },
            locations: [location(root, f.file, f.range)],
            ...(f.related.length
              ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(root, r.file, r.range), message: { text: r.message } })) }
              : {}),
            // Stable across line moves: the rule, the file and the text of the line, plus which occurrence it is.
            partialFingerprints: { 'shipshape/v1': `${createHash('sha256').update(base).digest('hex').slice(0, 32)}:${n + 1}` },
          };
        }),
        invocations: [
          {
            // Incomplete is not successful: GitHub then shows the run's notifications instead of a clean bill.
            executionSuccessful: result.errors.length === 0,
            toolExecutionNotifications: [
              ...result.skipped.map((s) => ({
                level: 'warning' as const,
                message: { text: `Skipped ${displayPath(root, s.file)}${s.line !== undefined ? `:${s.line + 1}` : ''}: ${s.reason}` },
                locations: [fileLocation(root, s.file)],
              })),
              ...result.errors.map((e) => ({
                level: 'error' as const,
                message: { text: describeAnalysisError(e, (file) => displayPath(root, file)) },
                ...(e.ruleId !== undefined ? { associatedRule: { id: e.ruleId, ...(ruleIndex.has(e.ruleId) ? { index: ruleIndex.get(e.ruleId) } : {}) } } : {}),
                ...(e.file !== undefined ? { locations: [fileLocation(root, e.file)] } : {}),
              })),
            ],
          },
        ],
      },
    ],
  };
}

export function renderSarif(report: ScanReport): string {
  return JSON.stringify(toSarif(report), null, 2) + '\n';
}

function sarifRule(rule: Rule<string, any>) {
  const doc = ruleDoc(rule.meta.id);
  const name = rule.meta.id.replace(/(^|-)(\w)/g, (_, _d, ch: string) => ch.toUpperCase());
  return {
    id: rule.meta.id,
    name,
    shortDescription: { text: rule.meta.description },
    fullDescription: { text: firstParagraph(doc) ?? rule.meta.description },
    help: { text: doc ?? rule.meta.description, markdown: doc ?? rule.meta.description },
    defaultConfiguration: { level: LEVEL[rule.meta.defaultSeverity] },
    properties: { tags: ['reliability', 'performance', 'production-readiness'], precision: 'high', 'problem.severity': rule.meta.defaultSeverity === 'info' ? 'recommendation' : rule.meta.defaultSeverity },
  };
}

function location(root: string, file: string, range: Finding['range']) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(displayPath(root, file)), uriBaseId: '%SRCROOT%' },
      region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
    },
  };
}

function fileLocation(root: string, file: string) {
  return { physicalLocation: { artifactLocation: { uri: encodeURI(displayPath(root, file)), uriBaseId: '%SRCROOT%' } } };
}

function firstParagraph(doc: string | undefined): string | undefined {
  if (!doc) return undefined;
  const para = doc
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p && !p.startsWith('#'));
  return para?.replace(/\s+/g, ' ');
}

function lineOf(cache: Map<string, string[]>, file: string, line: number): string {
  let lines = cache.get(file);
  if (!lines) {
    try {
      lines = fs.readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    cache.set(file, lines);
  }
  return lines[line] ?? '';
}

function toFileUri(dir: string): string {
  const withSlash = dir.endsWith('/') ? dir : dir + '/';
  return 'file://' + encodeURI(withSlash.split('\\').join('/'));
}
