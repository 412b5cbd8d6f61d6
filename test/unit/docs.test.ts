import * as assert from 'node:assert/strict';
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
            assert.deepEqual(result.ruleErrors, []);
            const found = result.findings.map((f) => `${path.relative(root, f.file)}:${f.range.start.line + 1} ${f.message}`);
            if (example.kind === 'incorrect') assert.ok(found.length > 0, `expected ${id} to report this Incorrect example`);
            else assert.deepEqual(found, [], `expected no ${id} finding in this Correct example`);
          } finally {
            removeWorkspace(root);
          }
        });
      }
    });
  }
});
