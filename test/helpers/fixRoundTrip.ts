import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { Analyzer } from '../../src/core/analyze';
import type { Finding } from '../../src/core/finding';
import { applyFix } from '../../src/core/fixes';
import { loadProject } from '../../src/core/project/project';
import type { Rule } from '../../src/core/rules/types';
import { createWorkspace, removeWorkspace, type WorkspaceSpec } from './workspace';

export interface RoundTripCase extends WorkspaceSpec {
  name: string;
  config?: Record<string, unknown>;
  /** Substring of the fix title to apply (to the first finding). */
  fixTitle: string;
  /** With `withTypes`, also require the fixed files to type-check (no TypeScript errors in the project's files). */
  typecheck?: boolean;
}

/**
 * Applies a rule's fix to a real workspace on disk, then analyses it again: the
 * finding must be gone. With `typecheck`, the fixed project must also compile
 * against the installed declarations, so the inserted code is real TypeScript.
 */
export function runFixRoundTrips(rule: Rule<string, any>, cases: RoundTripCase[]): void {
  describe(`${rule.meta.id} fixes remove the finding`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const files = { ...c.files };
        if (c.config) files['shipshape.config.json'] = JSON.stringify(c.config);
        const root = createWorkspace({ ...c, files });
        try {
          const before = analyse(rule, root);
          assert.ok(before.length > 0, 'expected a finding before the fix');
          const fix = before[0].fixes.find((f) => f.title.includes(c.fixTitle));
          assert.ok(fix, `no fix titled ~${c.fixTitle}; have: ${before[0].fixes.map((f) => f.title).join(' | ')}`);
          for (const [file, text] of applyFix(fix)) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
          }
          const after = analyse(rule, root);
          assert.deepEqual(after.map((f) => `${path.relative(root, f.file)}:${f.range.start.line + 1} ${f.message}`), []);
          if (c.typecheck) assert.deepEqual(typeErrors(root), []);
        } finally {
          removeWorkspace(root);
        }
      });
    }
  });
}

function analyse(rule: Rule<string, any>, root: string): Finding[] {
  const result = new Analyzer(loadProject(root), { rules: [rule] }).analyze();
  assert.deepEqual(result.errors, []);
  return result.findings;
}

/** TypeScript errors in the workspace's own files, compiled with its tsconfig. */
export function typeErrors(root: string): string[] {
  const project = loadProject(root);
  const program = ts.createProgram(project.files.ts, { ...project.tsconfig.options, noEmit: true, types: ['node'] });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && !d.file.fileName.includes('/node_modules/'))
    .map((d) => `${path.relative(root, d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/**
 * The cases that run with the packages' declarations installed must compile against them:
 * proof that the declarations really resolve (no "cannot find module"), so those cases
 * exercise the typed path, not the untyped one.
 */
export function runTypedFixtureChecks(title: string, cases: Array<WorkspaceSpec & { name: string }>): void {
  describe(title, () => {
    for (const c of cases.filter((x) => x.withTypes)) {
      it(c.name, () => {
        const root = createWorkspace(c);
        try {
          assert.deepEqual(typeErrors(root), []);
        } finally {
          removeWorkspace(root);
        }
      });
    }
  });
}
