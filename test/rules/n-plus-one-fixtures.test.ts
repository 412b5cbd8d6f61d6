import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer } from '../../src/core/analyze';
import { loadProject } from '../../src/core/project/project';
import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { messageIdOf } from '../helpers/ruleTester';
import { copyFixture, removeWorkspace, REPO_ROOT } from '../helpers/workspace';

/**
 * One workspace per library under test/fixtures/n-plus-one-<lib>/, written like real APIs
 * (routes, services, repositories). Each is analysed twice: with the real published type
 * declarations (the repository's node_modules linked in) and without any (a fresh clone before
 * `npm install`), where only import provenance can recognise the database calls. Hand-written
 * ambient declarations that stand in for generated code (Prisma's client) live in `typings/` and
 * are removed for the run without types.
 *
 * Expected findings are written next to the code they concern:
 *   // expect: queryInLoop "pool.query"
 *   // expect: indirectQueryInLoop "loadAuthor" -> src/db/authors.ts:12
 *   // expect(types): …      only when declarations are installed
 *   // expect(no-types): …   only when they are not
 * The quoted text is where the finding starts on that line; `->` gives the related query location.
 * Every finding must be expected and every expectation found, in both runs.
 */

interface Expected {
  messageId: string;
  file: string;
  line: number;
  column: number;
  related?: string;
}

const FIXTURES = fs
  .readdirSync(path.join(REPO_ROOT, 'test', 'fixtures'))
  .filter((d) => d.startsWith('n-plus-one-'))
  .sort();

function tsFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...tsFiles(root, rel));
    } else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function expectations(root: string, withTypes: boolean): Expected[] {
  const out: Expected[] = [];
  for (const rel of tsFiles(root)) {
    const lines = fs.readFileSync(path.join(root, rel), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const m = /\/\/ expect(\((types|no-types)\))?: (.*)$/.exec(text);
      if (!m) return;
      if (m[2] === 'types' && !withTypes) return;
      if (m[2] === 'no-types' && withTypes) return;
      for (const part of m[3].split(';')) {
        const e = /^\s*(queryInLoop|indirectQueryInLoop) "([^"]+)"(?:\s*->\s*(\S+))?/.exec(part);
        if (!e) continue;
        const column = text.indexOf(e[2]);
        assert.ok(column >= 0, `${rel}:${i + 1}: "${e[2]}" is not on the line`);
        out.push({ messageId: e[1], file: rel, line: i + 1, column: column + 1, ...(e[3] ? { related: e[3] } : {}) });
      }
    });
  }
  return sortExpected(out);
}

function sortExpected(list: Expected[]): Expected[] {
  return list.sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line || a.column - b.column));
}

describe('n-plus-one on fixture workspaces', () => {
  for (const fixture of FIXTURES) {
    describe(fixture, () => {
      for (const withTypes of [true, false]) {
        it(withTypes ? 'with the published type declarations' : 'without type declarations (provenance only)', () => {
          const root = copyFixture(fixture, { withTypes });
          try {
            if (!withTypes) fs.rmSync(path.join(root, 'typings'), { recursive: true, force: true });
            const result = new Analyzer(loadProject(root), { rules: [nPlusOne] }).analyze();
            assert.deepEqual(result.errors, []);
            assert.deepEqual(result.skipped, []);
            const actual = sortExpected(
              result.findings.map((f) => ({
                messageId: messageIdOf(nPlusOne, f.message),
                file: path.relative(root, f.file).split(path.sep).join('/'),
                line: f.range.start.line + 1,
                column: f.range.start.character + 1,
                ...(f.related.length ? { related: f.related.map((r) => `${path.relative(root, r.file).split(path.sep).join('/')}:${r.range.start.line + 1}`).join(',') } : {}),
              })),
            );
            assert.deepEqual(actual, expectations(root, withTypes), result.findings.map((f) => `${path.relative(root, f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`).join('\n'));
          } finally {
            removeWorkspace(root);
          }
        });
      }
    });
  }
});
