import * as assert from 'node:assert/strict';
import { Analyzer } from '../../../src/core/analyze';
import { evaluateChecklist } from '../../../src/core/checklist/evaluate';
import { ChecklistFactsCollector } from '../../../src/core/checklist/gather';
import { loadProject } from '../../../src/core/project/project';
import { toChecklistJson } from '../../../src/core/report/checklist';
import { allRules } from '../../../src/core/rules';
import { createWorkspace, removeWorkspace } from '../../helpers/workspace';
import { EXPRESS_SERVER } from './helpers';

// The language server reads the code facts of a large workspace in slices (readCode with a
// deadline) so an edit is not held up by the first checklist; the result must be the one-go one.
describe('checklist facts read in slices', () => {
  const files: Record<string, string> = {
    'src/server.ts': EXPRESS_SERVER,
    'src/pool.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
    'src/rates.ts': "export async function rates() { return (await fetch('https://rates.example/api')).json(); }\n",
    'src/move.ts': "import { pool } from './pool';\nexport async function move() {\n  const client = await pool.connect();\n  await client.query('BEGIN');\n  await client.query('COMMIT');\n}\n",
    'test/app.test.ts': "import { rates } from '../src/rates';\nexport async function t() { return rates(); }\n",
  };
  let root: string;
  before(() => {
    root = createWorkspace({ files, dependencies: { express: '5.0.0', pg: '8.11.0' } });
  });
  after(() => removeWorkspace(root));

  function checklist(collector: ChecklistFactsCollector, analyzer: Analyzer) {
    const project = analyzer.project;
    const rules = allRules();
    const analysis = analyzer.analyze();
    const facts = collector.gather({
      project,
      program: analyzer.host.getProgram(),
      findings: analysis.findings,
      registeredRules: rules.map((r) => r.meta.id),
      ranRules: rules.map((r) => r.meta.id),
    });
    const json = toChecklistJson(evaluateChecklist(facts, { config: project.config, configFile: project.configFile, durationMs: 0 }));
    return JSON.stringify(json.categories);
  }

  it('stops at a past deadline without reading, resumes, and ends with the one-go checklist', () => {
    const project = loadProject(root);
    const analyzer = new Analyzer(project, { rules: allRules() });
    analyzer.analyze();
    const program = analyzer.host.getProgram();

    const sliced = new ChecklistFactsCollector();
    // A deadline already past: not one file is read, and the caller is told to come back.
    assert.equal(sliced.readCode(project, program, performance.now() - 1), false);
    // No deadline: the rest is read in one call; a second call has nothing left to read.
    assert.equal(sliced.readCode(project, program), true);
    assert.equal(sliced.readCode(project, program, performance.now() - 1), true);

    const oneGo = checklist(new ChecklistFactsCollector(), analyzer);
    const fromSlices = checklist(sliced, analyzer);
    assert.equal(fromSlices, oneGo);
    // The facts read in slices are the real ones: the fetch without a timeout and the transaction
    // without a release are both found.
    assert.match(fromSlices, /rates\.ts/);
    assert.match(fromSlices, /move\.ts/);
  });
});
