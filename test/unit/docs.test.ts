import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer } from '../../src/core/analyze';
import { loadProject } from '../../src/core/project/project';
import { allRules } from '../../src/core/rules';
import { loadSqlParser } from '../../src/core/sql/parser';
import { docExamples, readDoc } from '../helpers/docs';
import { createWorkspace, removeWorkspace } from '../helpers/workspace';

// Every example in docs/rules/<id>.md runs: "Incorrect" must report the rule, "Correct" must not.
describe('rule docs examples', () => {
  before(loadSqlParser);
  for (const rule of allRules()) {
    const id = rule.meta.id;
    const doc = readDoc(id);
    if (!doc) continue; // the registry test fails for a missing doc
    describe(id, () => {
      for (const example of docExamples(doc)) {
        it(`${example.kind} example at docs/rules/${id}.md:${example.line}`, () => {
          const root = createWorkspace({ files: example.files });
          try {
            const result = new Analyzer(loadProject(root), { rules: [rule] }).analyze();
            assert.deepEqual(result.skipped, [], 'the example parses');
            assert.deepEqual(result.errors, []);
            const found = result.findings.map((f) => `${path.relative(root, f.file)}:${f.range.start.line + 1} ${f.message}`);
            if (example.kind === 'incorrect') {
              // The example marks where the reader should expect the finding (`// ← reported`):
              // a rule reporting on another node fails here, not just a rule reporting nothing.
              const lines = [...new Set(result.findings.map((f) => `${path.relative(root, f.file).split(path.sep).join('/')}:${f.range.start.line + 1}`))].sort();
              assert.ok(lines.length > 0, `expected ${id} to report this Incorrect example`);
              assert.deepEqual(lines, [...example.marked].sort(), `mark the reported lines with \`// ← reported\` (\`-- ← reported\` in SQL); findings: ${found.join(' | ')}`);
            } else assert.deepEqual(found, [], `expected no ${id} finding in this Correct example`);
          } finally {
            removeWorkspace(root);
          }
        });
      }
    });
  }
});

// A path of Shipshape's own the docs send a reader to must exist: the rule docs told whoever adds a
// framework to edit `src/core/http/frameworks.ts` and `src/core/http/routes.ts` long after both had
// become folders. (Paths in a user's workspace — `src/index.ts` in an example — are not checked.)
describe('paths named in the docs', () => {
  const REPO_ROOT = path.resolve(__dirname, '..', '..');
  const docs = ['README.md', ...fs.readdirSync(path.join(REPO_ROOT, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => `docs/rules/${f}`)];
  for (const doc of docs) {
    it(`every path into Shipshape's sources and tests in ${doc} exists`, () => {
      const text = fs.readFileSync(path.join(REPO_ROOT, doc), 'utf8');
      const missing: string[] = [];
      for (const m of text.matchAll(/`((?:src\/(?:core|server|cli|extension|webview)|test|bench)\/[^`\s]*)`/g)) {
        // `test/fixtures/http-<id>/`: a placeholder; the folder it would be in must exist.
        const named = m[1].includes('<') ? path.dirname(m[1].slice(0, m[1].indexOf('<')) + 'x') : m[1];
        if (!fs.existsSync(path.join(REPO_ROOT, named))) missing.push(m[1]);
      }
      assert.deepEqual(missing, []);
    });
  }
});
