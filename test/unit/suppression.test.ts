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
});
