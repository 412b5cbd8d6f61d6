import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import schema from '../../schemas/shipshape.config.schema.json';
import { allRules, rules } from '../../src/core/rules';
import { docExamples, readDoc } from '../helpers/docs';
import { REPO_ROOT } from '../helpers/workspace';

describe('rule registry', () => {
  const ids = Object.keys(rules);

  it('registers rules under their own id, in kebab-case', () => {
    for (const [key, rule] of Object.entries(rules)) {
      assert.equal((rule as { meta: { id: string } }).meta.id, key);
      assert.match(key, /^[a-z]+(-[a-z]+)*$/);
    }
  });

  it('has a rule file for every registered rule and registers every rule file', () => {
    const dir = path.join(REPO_ROOT, 'src', 'core', 'rules');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts'].includes(f)).map((f) => f.replace(/\.ts$/, ''));
    assert.deepEqual(files.sort(), [...ids].sort());
  });

  for (const rule of allRules()) {
    const id = rule.meta.id;
    describe(id, () => {
      it('has a test file', () => {
        assert.ok(fs.existsSync(path.join(REPO_ROOT, 'test', 'rules', `${id}.test.ts`)), `test/rules/${id}.test.ts is missing`);
      });
      it('has a doc page with the required sections and examples', () => {
        const doc = readDoc(id);
        assert.ok(doc, `docs/rules/${id}.md is missing`);
        assert.ok(doc.startsWith(`# ${id}\n`), 'the doc starts with "# <id>"');
        for (const section of ['## Why it matters in production', '## How to fix', '## Options', '## Examples']) assert.ok(doc.includes(section), `docs/rules/${id}.md lacks "${section}"`);
        const examples = docExamples(doc);
        assert.ok(examples.some((e) => e.kind === 'incorrect'), 'an Incorrect example');
        assert.ok(examples.some((e) => e.kind === 'correct'), 'a Correct example');
      });
      it('is configurable in shipshape.config.json', () => {
        assert.ok((schema.properties.rules.propertyNames.enum as string[]).includes(id));
      });
      it('has messages that say what to do', () => {
        for (const [messageId, text] of Object.entries(rule.meta.messages)) {
          assert.ok((text as string).length >= 60, `${id}.${messageId} is too short to say what, why and what to do: ${text}`);
        }
      });
    });
  }
});
