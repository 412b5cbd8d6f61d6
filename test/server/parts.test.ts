import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Finding } from '../../src/core/finding';
import { loadProject } from '../../src/core/project/project';
import { ProgramHost } from '../../src/core/ts/program';
import { FixIndex, toWorkspaceEdit } from '../../src/server/codeActions';
import { locateConfigProblem, toDiagnostic } from '../../src/server/diagnostics';
import { DependentsGraph } from '../../src/core/project/dependents';
import { toConfigOverrides } from '../../src/server/settings';
import { createWorkspace, removeWorkspace } from '../helpers/workspace';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

function finding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'n-plus-one',
    severity: 'info',
    message: 'A query per element.',
    file: '/ws/src/a.ts',
    range: range(3, 4, 20),
    related: [{ message: 'the query', file: '/ws/src/b.ts', range: range(1, 2, 9) }],
    fixes: [
      { title: 'Disable n-plus-one for this line', edits: [{ file: '/ws/src/a.ts', range: range(3, 0, 0), newText: '// x\n' }] },
      {
        title: 'Create index migration',
        isPreferred: true,
        edits: [{ file: '/ws/src/c.ts', range: range(0, 0, 0), newText: 'y' }],
        createFiles: [{ file: '/ws/migrations/002_idx.sql', content: 'CREATE INDEX …;\n' }],
      },
    ],
    ...over,
  };
}

describe('language server parts', () => {
  describe('settings → config overrides', () => {
    it('keeps valid rule severities and non-empty lists, drops the rest', () => {
      assert.deepEqual(
        toConfigOverrides({ rules: { 'n-plus-one': 'off', 'unindexed-filter': 'loud' as never }, healthPaths: [], migrations: ['db/**/*.sql', 3 as never], exclude: undefined }),
        { rules: { 'n-plus-one': { severity: 'off', options: {} } }, migrations: ['db/**/*.sql'] },
      );
      assert.deepEqual(toConfigOverrides(null), {});
      assert.deepEqual(toConfigOverrides({}), {});
    });
  });

  describe('Finding → Diagnostic', () => {
    it('maps severity, code, doc link and related information', () => {
      const d = toDiagnostic(finding(), '/ext/docs/rules');
      assert.equal(d.severity, 3, 'info → Information');
      assert.equal(d.source, 'shipshape');
      assert.equal(d.code, 'n-plus-one');
      assert.equal(d.codeDescription?.href, URI.file('/ext/docs/rules/n-plus-one.md').toString());
      assert.deepEqual(d.range, range(3, 4, 20));
      assert.deepEqual(d.relatedInformation, [{ location: { uri: URI.file('/ws/src/b.ts').toString(), range: range(1, 2, 9) }, message: 'the query' }]);
      assert.equal(toDiagnostic(finding({ severity: 'error', related: [] }), '/d').severity, 1);
      assert.equal(toDiagnostic(finding({ severity: 'warning', related: [] }), '/d').relatedInformation, undefined);
    });
  });

  describe('config problem locations', () => {
    const text = '{\n  "rules": {\n    "n-plus-one": "loud"\n  },\n  "healthPaths": ["/ok", "nope"]\n}\n';
    it('points at the key of the problem', () => {
      assert.deepEqual(locateConfigProblem({ file: 'x', key: 'rules.n-plus-one', message: '' }, text), range(2, 4, 16));
      assert.deepEqual(locateConfigProblem({ file: 'x', key: 'healthPaths.1', message: '' }, text), range(4, 25, 31));
    });
    it('falls back to the nearest key found, or the syntax error position from the message', () => {
      assert.deepEqual(locateConfigProblem({ file: 'x', key: 'rules.nope', message: '' }, text), range(1, 2, 9));
      assert.deepEqual(locateConfigProblem({ file: 'x', key: '', message: 'not valid JSON at line 3, column 7: …' }, '{'), range(2, 6, 7));
    });
  });

  describe('fixes → code actions', () => {
    it('turns a fix into documentChanges: file creations first, never overwriting, then edits per file', () => {
      const edit = toWorkspaceEdit(finding().fixes[1], new Map([['/ws/src/c.ts', 7]]));
      assert.deepEqual(edit.documentChanges, [
        { kind: 'create', uri: URI.file('/ws/migrations/002_idx.sql').toString(), options: { overwrite: false, ignoreIfExists: false } },
        { textDocument: { uri: URI.file('/ws/migrations/002_idx.sql').toString(), version: null }, edits: [{ range: range(0, 0, 0), newText: 'CREATE INDEX …;\n' }] },
        { textDocument: { uri: URI.file('/ws/src/c.ts').toString(), version: 7 }, edits: [{ range: range(0, 0, 0), newText: 'y' }] },
      ]);
    });

    it('answers from the index for the diagnostic sent, preferred first, and not for a buffer that changed since', () => {
      const index = new FixIndex();
      const f = finding();
      index.set(f.file, [f], new Map([[f.file, 4]]));
      const diagnostic = toDiagnostic(f, '/d');
      const actions = index.codeActions(f.file, f.range, [diagnostic], 4);
      assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [
        ['Create index migration', 'quickfix', true],
        ['Disable n-plus-one for this line', 'quickfix', undefined],
      ]);
      assert.deepEqual(actions[0].diagnostics, [diagnostic]);
      assert.deepEqual(index.codeActions(f.file, f.range, [diagnostic], 5), [], 'version 5 was never analysed');
      assert.deepEqual(index.codeActions(f.file, f.range, [{ ...diagnostic, range: range(9, 0, 1) }], 4), []);
      assert.equal(index.codeActions(f.file, range(3, 10, 10), [], 4).length, 2, 'no diagnostics sent: findings under the cursor');
      index.adoptVersion(f.file, 5);
      assert.equal(index.codeActions(f.file, f.range, [diagnostic], 5).length, 2);
    });
  });

  describe('dependents graph', () => {
    it('finds the files that import an edited file, transitively, through relative and aliased paths', () => {
      const root = createWorkspace({
        files: {
          'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@app/*': ['src/*'] }, module: 'commonjs', moduleResolution: 'node' } }),
          'src/db.ts': 'export const db = 1;\n',
          'src/repo.ts': "import { db } from './db';\nexport const find = () => db;\n",
          'src/service.ts': "import { find } from '@app/repo';\nexport const run = () => find();\n",
          'src/lazy.ts': "export async function later() { return (await import('./service')).run(); }\n",
          'src/legacy.ts': "const r = require('./repo');\nexport = r;\n",
          'src/other.ts': "import * as fs from 'node:fs';\nexport const x = fs;\n",
        },
      });
      try {
        const project = loadProject(root);
        const host = new ProgramHost(project.files.ts, project.tsconfig.options);
        const graph = new DependentsGraph(project.tsconfig.options, root);
        const dependentsOf = (file: string) => {
          graph.update(host.getProgram(), (f) => files.has(f));
          return graph.dependentsOf([file]);
        };
        const rel = (s: Set<string>) => [...s].map((f) => path.relative(root, f)).sort();
        const files = new Set(project.files.ts);
        assert.deepEqual(rel(dependentsOf(path.join(root, 'src/db.ts'))), ['src/lazy.ts', 'src/legacy.ts', 'src/repo.ts', 'src/service.ts']);
        assert.deepEqual(rel(dependentsOf(path.join(root, 'src/other.ts'))), []);
        // An edit that drops an import is seen on the next program.
        host.setOverlay(path.join(root, 'src/service.ts'), 'export const run = () => 1;\n', 2);
        assert.deepEqual(rel(dependentsOf(path.join(root, 'src/db.ts'))), ['src/legacy.ts', 'src/repo.ts']);
      } finally {
        removeWorkspace(root);
      }
    });
  });
});

