import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import type { AnalysisResult } from '../../src/core/analyze';
import type { Finding } from '../../src/core/finding';
import { toJsonReport } from '../../src/core/report/json';
import { renderJUnit } from '../../src/core/report/junit';
import { toSarif } from '../../src/core/report/sarif';
import { renderText } from '../../src/core/report/text';
import type { Rule } from '../../src/core/rules/types';
import { createWorkspace, removeWorkspace, REPO_ROOT } from '../helpers/workspace';

const SARIF_SCHEMA = path.join(REPO_ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

/** A real rule definition used only to give the SARIF reporter a rule table. */
const demoRule: Rule = {
  meta: { id: 'missing-health-endpoint', description: 'A started server with no liveness/readiness route.', defaultSeverity: 'warning', messages: { m: 'x' } },
  defaultOptions: {},
  run: () => undefined,
};

describe('reporters', () => {
  let root: string;
  let result: AnalysisResult;
  before(() => {
    root = createWorkspace({ files: { 'src/server.ts': 'import express from "express";\nconst app = express();\napp.listen(3000);\napp.listen(3001);\n', 'src/db.ts': 'export const q = 1;\n' } });
    const f = (line: number, extra: Partial<Finding> = {}): Finding => ({
      ruleId: 'missing-health-endpoint',
      severity: 'warning',
      message: 'Server started with no health route.',
      file: path.join(root, 'src', 'server.ts'),
      range: { start: { line, character: 0 }, end: { line, character: 16 } },
      related: [],
      fixes: [],
      ...extra,
    });
    result = {
      findings: [f(2, { related: [{ message: 'pool created here', file: path.join(root, 'src', 'db.ts'), range: { start: { line: 0, character: 13 }, end: { line: 0, character: 14 } } }] }), f(3, { severity: 'info' })],
      skipped: [{ file: path.join(root, 'src', 'broken.ts'), reason: 'does not parse at line 1, column 5' }],
      errors: [],
      files: 3,
      durationMs: 12.4,
    };
  });
  after(() => removeWorkspace(root));

  it('json: matches the SPEC shape with 1-based positions and root-relative paths', () => {
    const json = toJsonReport({ root, result });
    assert.equal(json.version, 1);
    assert.deepEqual(json.tool, { name: 'shipshape', version: '0.1.0' });
    assert.deepEqual(json.findings[0], {
      ruleId: 'missing-health-endpoint',
      severity: 'warning',
      message: 'Server started with no health route.',
      file: 'src/server.ts',
      range: { start: { line: 3, column: 1 }, end: { line: 3, column: 17 } },
      related: [{ message: 'pool created here', file: 'src/db.ts', range: { start: { line: 1, column: 14 }, end: { line: 1, column: 15 } } }],
    });
    assert.deepEqual(json.stats, { files: 3, durationMs: 12, errors: 0 });
    assert.deepEqual(json.errors, []);
    assert.deepEqual(json.skipped, [{ file: 'src/broken.ts', reason: 'does not parse at line 1, column 5' }]);
  });

  it('sarif: validates against the SARIF 2.1.0 schema', () => {
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')));
    const log = toSarif({ root, result }, [demoRule]);
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 1));
  });

  it('sarif: meets GitHub code scanning requirements (rules with help, relative URIs, fingerprints)', () => {
    const log = toSarif({ root, result }, [demoRule]);
    const run = log.runs[0];
    const rule = run.tool.driver.rules[0];
    assert.equal(rule.id, 'missing-health-endpoint');
    assert.equal(rule.name, 'MissingHealthEndpoint');
    assert.ok(rule.shortDescription.text.length > 0);
    assert.ok(rule.fullDescription.text.length > 0);
    assert.ok(rule.help.text.length > 0 && rule.help.markdown.length > 0);
    assert.equal(rule.defaultConfiguration.level, 'warning');
    const [first, second] = run.results;
    assert.equal(first.ruleIndex, 0);
    assert.equal(first.level, 'warning');
    assert.equal(second.level, 'note');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'src/server.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 17 },
    });
    assert.equal(first.relatedLocations?.[0].physicalLocation.artifactLocation.uri, 'src/db.ts');
    assert.match(first.partialFingerprints['shipshape/v1'], /^[0-9a-f]{32}:1$/);
    // Different lines of code give different fingerprints.
    assert.notEqual(first.partialFingerprints['shipshape/v1'], second.partialFingerprints['shipshape/v1']);
    assert.equal(run.invocations[0].toolExecutionNotifications[0].message.text, 'Skipped src/broken.ts: does not parse at line 1, column 5');
  });

  it('sarif: a fingerprint survives the finding moving to another line', () => {
    const before = toSarif({ root, result: { ...result, findings: [result.findings[0]] } }, [demoRule]).runs[0].results[0].partialFingerprints;
    fs.writeFileSync(path.join(root, 'src', 'server.ts'), '// a new comment\nimport express from "express";\nconst app = express();\napp.listen(3000);\n');
    const moved = { ...result.findings[0], range: { start: { line: 3, character: 0 }, end: { line: 3, character: 16 } } };
    const after = toSarif({ root, result: { ...result, findings: [moved] } }, [demoRule]).runs[0].results[0].partialFingerprints;
    assert.deepEqual(after, before);
  });

  it('text: groups by file with line:column, severity, message and rule', () => {
    const text = renderText({ root, result });
    const lines = text.split('\n');
    assert.equal(lines[0], 'src/server.ts');
    assert.match(lines[1], /^ {2}3:1 +warning +Server started with no health route\. {2}missing-health-endpoint$/);
    assert.match(lines[2], /↳ pool created here \(src\/db\.ts:1:14\)/);
    assert.match(lines[3], /^ {2}4:1 +info +Server started/);
    assert.ok(text.includes('skipped src/broken.ts: does not parse at line 1, column 5'));
    assert.ok(text.trimEnd().endsWith('✖ 2 problems (0 errors, 1 warning, 1 info) in 3 files (12 ms)'));
  });

  it('junit: escapes XML and counts failures', () => {
    const xml = renderJUnit([{ name: 'thresholds', cases: [{ name: 'p(95)<200', classname: 'http_req_duration', failures: [{ message: 'p95 was 250 ms > 200 & "slow"', type: 'threshold', body: 'actual <250>' }] }, { name: 'rate<0.01', classname: 'http_req_failed', failures: [] }] }]);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="shipshape" tests="2" failures="1" errors="0">'));
    assert.ok(xml.includes('<failure message="p95 was 250 ms &gt; 200 &amp; &quot;slow&quot;" type="threshold">actual &lt;250&gt;</failure>'));
    assert.ok(xml.includes('<testcase name="rate&lt;0.01" classname="http_req_failed"/>'));
  });
});
