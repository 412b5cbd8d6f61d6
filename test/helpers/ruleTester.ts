import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer } from '../../src/core/analyze';
import type { Finding, Fix } from '../../src/core/finding';
import { loadProject } from '../../src/core/project/project';
import { loadSqlParser } from '../../src/core/sql/parser';
import type { Rule } from '../../src/core/rules/types';
import { applyFix } from '../../src/core/fixes';
import { createWorkspace, removeWorkspace, type WorkspaceSpec } from './workspace';

export interface ValidCase extends WorkspaceSpec {
  name: string;
  /** shipshape.config.json content, if any. */
  config?: Record<string, unknown>;
}

export interface ExpectedError {
  messageId: string;
  /** Relative path; defaults to the only/first file in `files`. */
  file?: string;
  /** 1-based, as an editor shows it. */
  line: number;
  /** 1-based. */
  column?: number;
  severity?: Finding['severity'];
  /** Substrings the message must contain. */
  messageIncludes?: string[];
  /** Related locations, 'relative/file.ts:line' (1-based). */
  related?: string[];
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /**
   * Applying the fix titled `fix.title` (substring) of the first error must yield
   * these file contents (relative path → exact text); new files included.
   */
  fix?: { title: string; output: Record<string, string> };
}

/** Runs valid/invalid cases of one rule over real workspaces on disk, typescript-eslint style. */
export function runRuleTests(rule: Rule<string, any>, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  const analyse = (c: ValidCase) => {
    const files = { ...c.files };
    if (c.config) files['shipshape.config.json'] = JSON.stringify(c.config);
    const root = createWorkspace({ ...c, files });
    const project = loadProject(root);
    const result = new Analyzer(project, { rules: [rule] }).analyze();
    return { root, result };
  };
  describe(rule.meta.id, () => {
    before(loadSqlParser);
    describe('valid', () => {
      for (const c of cases.valid) {
        it(c.name, () => {
          const { root, result } = analyse(c);
          try {
            assert.deepEqual(result.ruleErrors, []);
            assert.deepEqual(result.findings.map((f) => describeFinding(root, f)), []);
          } finally {
            removeWorkspace(root);
          }
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        it(c.name, () => {
          const { root, result } = analyse(c);
          try {
            assert.deepEqual(result.ruleErrors, []);
            const defaultFile = Object.keys(c.files).find((f) => /\.(ts|tsx|sql|prisma)$/.test(f));
            const actual = result.findings.map((f) => ({
              messageId: messageIdOf(rule, f.message),
              file: path.relative(root, f.file).split(path.sep).join('/'),
              line: f.range.start.line + 1,
              column: f.range.start.character + 1,
              severity: f.severity,
            }));
            const expected = c.errors.map((e, i) => ({
              messageId: e.messageId,
              file: e.file ?? defaultFile,
              line: e.line,
              column: e.column ?? actual[i]?.column,
              severity: e.severity ?? actual[i]?.severity,
            }));
            assert.deepEqual(actual, expected, `findings: ${JSON.stringify(result.findings.map((f) => describeFinding(root, f)), null, 1)}`);
            c.errors.forEach((e, i) => {
              for (const s of e.messageIncludes ?? []) assert.ok(result.findings[i].message.includes(s), `message ${JSON.stringify(result.findings[i].message)} lacks ${JSON.stringify(s)}`);
              if (e.related) {
                assert.deepEqual(
                  result.findings[i].related.map((r) => `${path.relative(root, r.file).split(path.sep).join('/')}:${r.range.start.line + 1}`),
                  e.related,
                );
              }
            });
            if (c.fix) {
              const fix = result.findings[0].fixes.find((f: Fix) => f.title.includes(c.fix!.title));
              assert.ok(fix, `no fix titled ~${c.fix.title}; have: ${result.findings[0].fixes.map((f) => f.title).join(' | ')}`);
              const written = applyFix(fix);
              for (const [rel, text] of Object.entries(c.fix.output)) {
                const abs = path.join(root, rel);
                assert.equal(written.get(abs) ?? fs.readFileSync(abs, 'utf8'), text, `fixed ${rel}`);
              }
            }
          } finally {
            removeWorkspace(root);
          }
        });
      }
    });
  });
}

function describeFinding(root: string, f: Finding): string {
  return `${path.relative(root, f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId} ${f.message}`;
}

/** Which messageId produced this message (templates compared with placeholders as wildcards). */
export function messageIdOf(rule: Rule<string, any>, message: string): string {
  for (const [id, template] of Object.entries(rule.meta.messages)) {
    const re = new RegExp('^' + template.split(/\{\{\s*\w+\s*\}\}/).map(escapeRe).join('[\\s\\S]*?') + '$');
    if (re.test(message)) return id;
  }
  return `<unknown message: ${message}>`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
