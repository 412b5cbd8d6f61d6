import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { Analyzer } from '../../src/core/analyze';
import { MAX_SYNTAX_DEPTH, syntaxDepth } from '../../src/core/limits/syntaxDepth';
import { parseWithinLimits } from '../../src/core/limits/parseWithinLimits';
import { discoverFiles } from '../../src/core/project/files';
import { loadProject } from '../../src/core/project/project';
import { quotePath } from '../../src/core/report/quotePath';
import { defineRule } from '../../src/core/rules/types';
import { readTsConfig } from '../../src/core/ts/program';
import { createWorkspace, removeWorkspace } from '../helpers/workspace';

/**
 * Issue 9: nothing a workspace contains stops the analysis or silently loses findings.
 * Each shape below took the whole scan down (stack overflow in the parser, the binder or a rule).
 */
const N = 800;
export const DEEP_SHAPES: Record<string, { file: string; text: string }> = {
  parens: { file: 'deep.ts', text: `export const x = ${'('.repeat(N)}1${')'.repeat(N)};\n` },
  arrows: { file: 'deep.ts', text: `export const f = ${'() => '.repeat(2 * N)}1;\n` },
  arrays: { file: 'deep.ts', text: `export const a = ${'['.repeat(N)}${']'.repeat(N)};\n` },
  objects: { file: 'deep.ts', text: `export const o = ${'{a:'.repeat(N)}1${'}'.repeat(N)};\n` },
  ifs: { file: 'deep.ts', text: `export function f(x: number) {\n${'if (x) {'.repeat(N)}x++;${'}'.repeat(N)}\n}\n` },
  templates: { file: 'deep.ts', text: `export const t = ${'`${'.repeat(N)}1${'}`'.repeat(N)};\n` },
  generics: { file: 'deep.ts', text: `export type T = ${'Array<'.repeat(N)}number${'>'.repeat(N)};\n` },
  ternaries: { file: 'deep.ts', text: `export const c = (x: number) => ${'x ? 1 : '.repeat(3 * N)}0;\n` },
  thens: { file: 'deep.ts', text: `export const p = Promise.resolve(1)${'.then((v) => v)'.repeat(N)};\n` },
  jsx: { file: 'deep.tsx', text: `export const j = ${'<div>'.repeat(2 * N)}${'</div>'.repeat(2 * N)};\n` },
  calls: { file: 'deep.ts', text: `export const c = ${'f('.repeat(N)}1${')'.repeat(N)};\nfunction f(x: any) { return x; }\n` },
  'flat 4,000-term sum': { file: 'deep.ts', text: `declare const a: number;\nexport const s = ${Array(4000).fill('a').join(' + ')};\n` },
  '1 MB line of (': { file: 'deep.ts', text: `export const x = ${'('.repeat(1024 * 1024)};\n` },
};

/** A real project with something to report in a file that stays untouched. */
const HEALTHY = {
  'src/server.ts': "import express from 'express';\nconst app = express();\napp.get('/', (_req, res) => res.send('ok'));\napp.listen(3000);\n",
};

function ruleFindings(root: string, result: ReturnType<Analyzer['analyze']>): string[] {
  return result.findings.map((f) => `${f.ruleId} ${path.relative(root, f.file)}:${f.range.start.line + 1}`);
}

describe('robustness: deep input is left out with its name, the rest is analysed', () => {
  let root: string;
  let baseline: string[];
  before(() => {
    root = createWorkspace({ files: HEALTHY, dependencies: { express: '5.0.0' } });
    baseline = ruleFindings(root, new Analyzer(loadProject(root)).analyze());
    assert.deepEqual(baseline, ['missing-graceful-shutdown src/server.ts:4', 'missing-health-endpoint src/server.ts:4']);
  });
  after(() => removeWorkspace(root));

  for (const [shape, { file, text }] of Object.entries(DEEP_SHAPES)) {
    it(`${shape}: names src/${file}, keeps every finding of the other files`, () => {
      const deep = path.join(root, 'src', file);
      fs.writeFileSync(deep, text);
      try {
        const result = new Analyzer(loadProject(root)).analyze();
        assert.deepEqual(ruleFindings(root, result), baseline);
        assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
        const [error] = result.errors;
        assert.equal(error.file, deep);
        assert.equal(error.ruleId, undefined);
        assert.match(error.message, /^(its syntax nests more than 500 levels deep, more than Shipshape analyses safely|it nests too deeply for the TypeScript parser); the file is left out of the analysis and the rest is analysed\. If it is generated, add it to "exclude" in shipshape\.config\.json\.$/);
      } finally {
        fs.rmSync(deep);
      }
    });
  }

  it('analyses a file at the depth limit with every rule, without errors', () => {
    // 495 parentheses: the deepest expression the limit still lets through (root, statement, declaration list, … ≈ 500 levels).
    const file = path.join(root, 'src', 'edge.ts');
    fs.writeFileSync(file, `export const x = ${'('.repeat(495)}1${')'.repeat(495)};\nexport const s = ${Array(490).fill('x').join(' + ')};\n`);
    try {
      const result = new Analyzer(loadProject(root)).analyze();
      assert.deepEqual(result.errors, []);
      assert.deepEqual(ruleFindings(root, result), baseline);
    } finally {
      fs.rmSync(file);
    }
  });

  it('measures depth without recursion, also where recursion would overflow', () => {
    const sf = ts.createSourceFile('flat.ts', `const s = ${Array(20_000).fill('a').join(' + ')};`, ts.ScriptTarget.Latest, true);
    assert.equal(syntaxDepth(sf, Number.MAX_SAFE_INTEGER), 20_004);
    assert.equal(syntaxDepth(sf), MAX_SYNTAX_DEPTH + 1, 'stops counting past the limit');
    assert.equal(syntaxDepth(ts.createSourceFile('x.ts', 'const a = 1;', ts.ScriptTarget.Latest, true)), 5);
  });

  it('a parsed file has every node linked to its parent before any binding (the depth walk links them)', () => {
    const { sourceFile, problem } = parseWithinLimits('p.ts', 'export async function f(ids: string[]) {\n  for (const id of ids) await load(id, { deep: [1, (2)] });\n}\n', ts.ScriptTarget.Latest);
    assert.equal(problem, undefined);
    let nodes = 0;
    const visit = (n: ts.Node, parent: ts.Node): void => {
      nodes++;
      assert.equal(n.parent, parent, `${ts.SyntaxKind[n.kind]} at ${n.pos} is linked to its parent`);
      ts.forEachChild(n, (c) => visit(c, n));
    };
    ts.forEachChild(sourceFile, (c) => visit(c, sourceFile));
    assert.ok(nodes > 20, `walked ${nodes} nodes`);
    // What the rules do with any node: find its file and where it starts, through the parents.
    let two: ts.Node | undefined;
    const find = (n: ts.Node): void => {
      if (ts.isNumericLiteral(n) && n.text === '2') two = n;
      ts.forEachChild(n, find);
    };
    find(sourceFile);
    assert.equal(two?.getSourceFile(), sourceFile);
    assert.equal(two?.getStart(), sourceFile.text.indexOf('2)'));
  });

  it('an edit that makes a buffer too deep leaves that file out, and fixing it brings it back', () => {
    const analyzer = new Analyzer(loadProject(root));
    const server = path.join(root, 'src', 'server.ts');
    analyzer.host.setOverlay(server, DEEP_SHAPES.parens.text + HEALTHY['src/server.ts'], 2);
    const broken = analyzer.analyze([server]);
    assert.deepEqual(broken.findings, []);
    assert.deepEqual(broken.errors.map((e) => e.file), [server]);
    analyzer.host.setOverlay(server, HEALTHY['src/server.ts'], 3);
    const fixed = analyzer.analyze([server]);
    assert.deepEqual(fixed.errors, []);
    assert.deepEqual(ruleFindings(root, fixed), baseline);
  });
});

describe('robustness: a file deleted between the listing and the analysis', () => {
  it('is no file: the rest is analysed, nothing is reported missing; written again and invalidated, it is read again', () => {
    const root = createWorkspace({ files: { ...HEALTHY, 'src/extra.ts': 'export const x = 1;\n' }, dependencies: { express: '5.0.0' } });
    try {
      const project = loadProject(root);
      const extra = path.join(root, 'src', 'extra.ts');
      fs.rmSync(extra);
      const analyzer = new Analyzer(project);
      const result = analyzer.analyze();
      assert.deepEqual(ruleFindings(root, result), ['missing-graceful-shutdown src/server.ts:4', 'missing-health-endpoint src/server.ts:4']);
      assert.deepEqual(result.errors, []);
      assert.equal(analyzer.host.getProgram().getSourceFile(extra), undefined);
      // Back on disk (a watcher event): read again, not remembered as missing.
      fs.writeFileSync(extra, "import express from 'express';\nexport const other = express();\nother.listen(4000);\n");
      analyzer.host.invalidate(extra);
      const again = analyzer.analyze();
      assert.ok(ruleFindings(root, again).includes('missing-graceful-shutdown src/extra.ts:3'), ruleFindings(root, again).join(', '));
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('robustness: a rule that fails on one file loses that file only', () => {
  let root: string;
  before(() => {
    root = createWorkspace({
      files: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`src/f${i}.ts`, `declare function danger(): void;\ndanger();\n${i === 6 ? '// poison\n' : ''}`])),
    });
  });
  after(() => removeWorkspace(root));

  /** A real rule with a bug that only one file's content triggers (as a deep file did with the real walks). */
  const fragileRule = defineRule({
    meta: { id: 'fragile', description: 'Reports danger() calls; throws on a poisoned file.', defaultSeverity: 'warning', messages: { call: 'danger() here' } },
    defaultOptions: {},
    run(ctx) {
      for (const sf of ctx.targetSourceFiles) {
        if (sf.text.includes('// poison')) throw new RangeError('Maximum call stack size exceeded');
        for (const statement of sf.statements) if (ts.isExpressionStatement(statement)) ctx.report({ at: statement, messageId: 'call' });
      }
    },
  });

  it('keeps the findings of the 8 other files and names the file the rule failed on', () => {
    const result = new Analyzer(loadProject(root), { rules: [fragileRule] }).analyze();
    assert.deepEqual(
      result.findings.map((f) => path.relative(root, f.file)),
      ['src/f0.ts', 'src/f1.ts', 'src/f2.ts', 'src/f3.ts', 'src/f4.ts', 'src/f5.ts', 'src/f7.ts', 'src/f8.ts'],
    );
    assert.deepEqual(result.errors.map((e) => [e.ruleId, path.relative(root, e.file ?? ''), e.message]), [['fragile', 'src/f6.ts', 'RangeError: Maximum call stack size exceeded']]);
  });
});

describe('robustness: files that describe the project', () => {
  let root: string;
  afterEach(() => removeWorkspace(root));

  it('skips a 40,000-character .gitignore line with a message naming the file and line, and applies the others', () => {
    root = createWorkspace({ files: { '.gitignore': `dist/\n${'a'.repeat(40_000)}*\n${'b/'.repeat(300)}\ngen.ts\n`, 'src/a.ts': '', 'src/gen.ts': '', 'dist/x.ts': '' } });
    const found = discoverFiles(root);
    assert.deepEqual(found.ts.map((f) => path.relative(root, f)), ['src/a.ts']);
    assert.deepEqual(found.problems, ['.gitignore:2: a pattern of 40001 characters (over 1000) is not applied; shorten it.']);
  });

  it('does not follow symlink loops, FIFOs or unreadable entries', () => {
    root = createWorkspace({ files: { 'src/a.ts': '' } });
    fs.symlinkSync(root, path.join(root, 'src', 'loop'), 'dir');
    execFileSync('mkfifo', [path.join(root, 'src', 'pipe.ts')]);
    fs.symlinkSync('/dev/zero', path.join(root, 'src', 'zero.ts'));
    assert.deepEqual(discoverFiles(root).ts.map((f) => path.relative(root, f)), ['src/a.ts']);
  });

  it('skips unusable globs from editor settings (they bypass the config schema) and says which', () => {
    root = createWorkspace({ files: { 'src/a.ts': '', 'gen/b.ts': '' } });
    const found = discoverFiles(root, { exclude: ['', 'gen/**', 'x'.repeat(2000)] });
    assert.deepEqual(found.ts.map((f) => path.relative(root, f)), ['src/a.ts']);
    assert.deepEqual(found.problems, ['exclude: a pattern of 2000 characters (over 1000) is not applied; shorten it.']);
  });

  it('names a package.json that holds null, and analyses on', () => {
    root = createWorkspace({ files: { 'package.json': 'null', 'src/a.ts': 'export const a = 1;\n' } });
    const project = loadProject(root);
    assert.deepEqual(project.warnings, [`${path.join(root, 'package.json')} holds null, not an object; its dependencies are not used to recognise frameworks and database libraries.`]);
    assert.deepEqual(new Analyzer(project).analyze().errors, []);
  });

  it('names a package.json that is not JSON', () => {
    root = createWorkspace({ files: { 'package.json': '{"name": ', 'src/a.ts': '' } });
    assert.match(loadProject(root).warnings[0], /package\.json is not valid JSON \(.+\); its dependencies are not used/);
  });

  it('names a 100,000-deep tsconfig.json and falls back to default compiler options', () => {
    root = createWorkspace({ files: { 'tsconfig.json': `{"compilerOptions": {"x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`, 'src/a.ts': '' } });
    const info = readTsConfig(root);
    assert.deepEqual(info.problems, [`${path.join(root, 'tsconfig.json')}: nests deeper than 64 levels; flatten it; using default compiler options`]);
    assert.equal(info.options.strict, true);
  });

  it('refuses a tsconfig.json symlinked to /dev/zero', () => {
    root = createWorkspace({ files: { 'src/a.ts': '' } });
    fs.rmSync(path.join(root, 'tsconfig.json'));
    fs.symlinkSync('/dev/zero', path.join(root, 'tsconfig.json'));
    assert.deepEqual(readTsConfig(root).problems, [`${path.join(root, 'tsconfig.json')}: is not a regular file (a device); replace it with a plain file; using default compiler options`]);
  });
});

describe('robustness: names in one-line messages', () => {
  it('quotes a file name that holds a newline, a tab, a quote or a bidi control; leaves plain ones alone', () => {
    assert.equal(quotePath('src/routes/orders.ts'), 'src/routes/orders.ts');
    assert.equal(quotePath('src/my file.ts'), 'src/my file.ts');
    assert.equal(quotePath('src/a\nb.ts'), '"src/a\\nb.ts"');
    assert.equal(quotePath('src/a\tb.ts'), '"src/a\\tb.ts"');
    assert.equal(quotePath('src/"x".ts'), '"src/\\"x\\".ts"');
    assert.equal(quotePath('src/evil\u202e真.ts'), '"src/evil\\u202e真.ts"');
  });
});
