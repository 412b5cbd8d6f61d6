import * as assert from 'node:assert/strict';
import { applyEdits } from '../../src/core/fixes';
import { isSuppressed, parseSuppressions, suppressionFix } from '../../src/core/suppression';

const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 1 } });

describe('suppression comments', () => {
  const text = [
    'const a = 1;',
    '// shipshape-disable-next-line n-plus-one, unindexed-filter -- batched upstream',
    'for (const x of xs) await q(x);',
    'app.listen(3000); // shipshape-disable-line missing-health-endpoint -- health served by the sidecar',
    '// shipshape-disable-next-line',
    'app2.listen(3000);',
    '-- shipshape-disable-next-line unindexed-filter',
    'SELECT 1;',
  ].join('\n');
  const map = parseSuppressions(text);

  it('suppresses the listed rules on the next line only', () => {
    assert.equal(isSuppressed(map, 'n-plus-one', at(2)), true);
    assert.equal(isSuppressed(map, 'unindexed-filter', at(2)), true);
    assert.equal(isSuppressed(map, 'missing-health-endpoint', at(2)), false);
    assert.equal(isSuppressed(map, 'n-plus-one', at(0)), false);
  });

  it('reads disable-line, the reason after --, a bare directive and SQL comments', () => {
    assert.equal(isSuppressed(map, 'missing-health-endpoint', at(3)), true);
    assert.equal(isSuppressed(map, 'missing-graceful-shutdown', at(3)), false);
    assert.equal(isSuppressed(map, 'anything', at(5)), true);
    assert.equal(isSuppressed(map, 'unindexed-filter', at(7)), true);
  });

  it('offers a fix that inserts the comment above the line with its indentation', () => {
    const src = 'function f() {\n    for (const x of xs) await q(x);\n}\n';
    const fix = suppressionFix({ ruleId: 'n-plus-one', file: '/p/a.ts', range: { start: { line: 1, character: 24 }, end: { line: 1, character: 28 } } }, src);
    assert.equal(fix.title, 'Disable n-plus-one for this line');
    const out = applyEdits(src, fix.edits);
    assert.equal(out, 'function f() {\n    // shipshape-disable-next-line n-plus-one -- TODO: explain why this is safe\n    for (const x of xs) await q(x);\n}\n');
    assert.equal(isSuppressed(parseSuppressions(out), 'n-plus-one', at(2)), true);
  });

  it('adds a second rule to the directive already above the line instead of stacking comments', () => {
    // Both listen-call findings sit on one line; applying both "Disable …" actions must suppress both.
    const src = 'const server = app.listen(3000);\n';
    const listen = (line: number) => ({ start: { line, character: 15 }, end: { line, character: 31 } });
    const first = applyEdits(src, suppressionFix({ ruleId: 'missing-health-endpoint', file: '/p/a.ts', range: listen(0) }, src).edits);
    // The editor re-analyses after the first edit: the remaining finding is now one line down.
    const both = applyEdits(first, suppressionFix({ ruleId: 'missing-graceful-shutdown', file: '/p/a.ts', range: listen(1) }, first).edits);
    assert.equal(both, '// shipshape-disable-next-line missing-health-endpoint, missing-graceful-shutdown -- TODO: explain why this is safe\nconst server = app.listen(3000);\n');
    const map = parseSuppressions(both);
    assert.equal(isSuppressed(map, 'missing-health-endpoint', listen(1)), true);
    assert.equal(isSuppressed(map, 'missing-graceful-shutdown', listen(1)), true);
  });

  it('appends to a directive without a reason, and to a SQL directive', () => {
    const ts = '  // shipshape-disable-next-line n-plus-one\n  await q(x);\n';
    assert.equal(applyEdits(ts, suppressionFix({ ruleId: 'unindexed-filter', file: '/p/a.ts', range: at(1) }, ts).edits), '  // shipshape-disable-next-line n-plus-one, unindexed-filter\n  await q(x);\n');
    const sql = '-- shipshape-disable-next-line unindexed-filter -- small table\nSELECT * FROM t WHERE a = 1;\n';
    assert.equal(applyEdits(sql, suppressionFix({ ruleId: 'seq-scan', file: '/p/a.sql', range: at(1) }, sql, 'sql').edits), '-- shipshape-disable-next-line unindexed-filter, seq-scan -- small table\nSELECT * FROM t WHERE a = 1;\n');
  });
});
