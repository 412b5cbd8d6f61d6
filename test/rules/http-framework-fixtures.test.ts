import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer } from '../../src/core/analyze';
import { FRAMEWORK_IDS, FRAMEWORKS } from '../../src/core/http/frameworks';
import { loadProject } from '../../src/core/project/project';
import { missingGracefulShutdown } from '../../src/core/rules/missing-graceful-shutdown';
import { missingHealthEndpoint } from '../../src/core/rules/missing-health-endpoint';
import { copyFixture, removeWorkspace, REPO_ROOT } from '../helpers/workspace';

/**
 * One workspace per HTTP framework under test/fixtures/http-<id>/: a small orders API that
 * starts a server with neither a health route nor a shutdown path, written the way the
 * framework's docs write one. Both lifecycle rules must report it where the file says
 * (`// expect: <rule> "<text where the finding starts>"`), each with a quick fix built from the
 * framework descriptor's templates. Adding a framework means adding its fixture here; the
 * registry test fails without one.
 */

interface Expected {
  rule: string;
  file: string;
  line: number;
  column: number;
}

function expectations(root: string): Expected[] {
  const out: Expected[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (rel.endsWith('.ts')) {
        fs.readFileSync(path.join(root, rel), 'utf8').split('\n').forEach((text, i) => {
          const m = /\/\/ expect: (.*)$/.exec(text);
          for (const part of m ? m[1].split(';') : []) {
            const e = /^\s*([a-z-]+) "([^"]+)"/.exec(part);
            if (e) out.push({ rule: e[1], file: rel, line: i + 1, column: text.indexOf(e[2]) + 1 });
          }
        });
      }
    }
  };
  walk('src');
  return sorted(out);
}

function sorted(list: Expected[]): Expected[] {
  return list.sort((a, b) => a.rule.localeCompare(b.rule) || a.file.localeCompare(b.file) || a.line - b.line);
}

describe('health and shutdown rules on one fixture workspace per framework', () => {
  // Without node_modules (a fresh clone), and with the repository's declarations linked in: the
  // framework's own where they are installed (restify's are not: its values stay recognised by
  // import provenance), @types/node and @types/pg always.
  for (const { id, withTypes } of FRAMEWORK_IDS.flatMap((id) => [{ id, withTypes: false }, { id, withTypes: true }])) {
    it(`${id}${withTypes ? ' (with types)' : ''}: both rules report the server start, each with the framework's quick fix`, () => {
      const root = copyFixture(`http-${id}`, { withTypes });
      try {
        const result = new Analyzer(loadProject(root), { rules: [missingHealthEndpoint, missingGracefulShutdown] }).analyze();
        assert.deepEqual(result.errors, []);
        const actual = sorted(
          result.findings.map((f) => ({ rule: f.ruleId, file: path.relative(root, f.file).split(path.sep).join('/'), line: f.range.start.line + 1, column: f.range.start.character + 1 })),
        );
        assert.deepEqual(actual, expectations(root), result.findings.map((f) => `${f.ruleId} ${path.relative(root, f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`).join('\n'));
        assert.ok(actual.length > 0, `test/fixtures/http-${id} expects no finding`);
        for (const f of result.findings) assert.ok(f.fixes.length > 0, `${f.ruleId} on ${FRAMEWORKS[id].displayName} has no quick fix`);
      } finally {
        removeWorkspace(root);
      }
    });
  }
});

describe('HTTP framework fixtures', () => {
  it('every registered framework has test/fixtures/http-<id>/ and every such folder a framework', () => {
    const folders = fs.readdirSync(path.join(REPO_ROOT, 'test', 'fixtures')).filter((d) => d.startsWith('http-')).map((d) => d.slice('http-'.length));
    assert.deepEqual(folders.sort(), [...FRAMEWORK_IDS].sort());
  });
});
