import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';
import { Analyzer } from '../../src/core/analyze';
import { loadProject } from '../../src/core/project/project';
import { readTsConfig } from '../../src/core/ts/program';
import { defineRule } from '../../src/core/rules/types';
import { unindexedFilter } from '../../src/core/rules/unindexed-filter';
import { loadSqlParser } from '../../src/core/sql/parser';
import { createWorkspace, removeWorkspace } from '../helpers/workspace';

/** A small real rule for exercising the analyzer: reports every call to a function named `danger`. */
const dangerRule = defineRule({
  meta: {
    id: 'no-danger',
    description: 'Calls to danger().',
    defaultSeverity: 'warning',
    messages: { call: 'Call to {{name}}() on purpose, to test the analyzer.' },
  },
  defaultOptions: {},
  run(ctx) {
    for (const sf of ctx.projectFiles) {
      const visit = (n: ts.Node): void => {
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'danger') ctx.report({ at: n, messageId: 'call', data: { name: 'danger' } });
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
  },
});

const throwingRule = defineRule({
  meta: { id: 'broken-rule', description: 'Always throws.', defaultSeverity: 'error', messages: { x: 'x' } },
  defaultOptions: {},
  run() {
    throw new Error('boom');
  },
});

describe('Analyzer', () => {
  let root: string;
  beforeEach(() => {
    root = createWorkspace({
      files: {
        'src/a.ts': 'declare function danger(): void;\ndanger();\n// shipshape-disable-next-line no-danger -- fine here\ndanger();\n',
        'src/b.ts': 'declare function danger(): void;\nexport function f() {\n  danger();\n}\n',
        'src/broken.ts': 'export const x = (;\n',
      },
    });
  });
  afterEach(() => removeWorkspace(root));

  it('reports with 0-based ranges, honours suppressions and adds the suppression fix', () => {
    const result = new Analyzer(loadProject(root), { rules: [dangerRule] }).analyze();
    const got = result.findings.map((f) => `${path.relative(root, f.file)}:${f.range.start.line}:${f.range.start.character}-${f.range.end.character} ${f.message}`);
    assert.deepEqual(got, ['src/a.ts:1:0-8 Call to danger() on purpose, to test the analyzer.', 'src/b.ts:2:2-10 Call to danger() on purpose, to test the analyzer.']);
    assert.deepEqual(result.findings[0].fixes.map((f) => f.title), ['Disable no-danger for this line']);
  });

  it('skips a file that does not parse, names it and why, and analyses the rest', () => {
    const result = new Analyzer(loadProject(root), { rules: [dangerRule] }).analyze();
    assert.deepEqual(result.skipped.map((s) => [path.relative(root, s.file), s.reason]), [
      ['src/broken.ts', "does not parse at line 1, column 19: Expression expected. Fix the syntax error; the file is skipped until then."],
    ]);
    assert.equal(result.files, 3);
    assert.equal(result.findings.length, 2);
  });

  it('keeps findings only for the target files', () => {
    const result = new Analyzer(loadProject(root), { rules: [dangerRule] }).analyze([path.join(root, 'src', 'b.ts')]);
    assert.deepEqual(result.findings.map((f) => path.relative(root, f.file)), ['src/b.ts']);
  });

  it('applies severities from the config, including off', () => {
    const project = loadProject(root);
    project.config.rules['no-danger'] = { severity: 'error', options: {} };
    assert.deepEqual(new Analyzer(project, { rules: [dangerRule] }).analyze().findings.map((f) => f.severity), ['error', 'error']);
    project.config.rules['no-danger'] = { severity: 'off', options: {} };
    assert.equal(new Analyzer(project, { rules: [dangerRule] }).analyze().findings.length, 0);
  });

  it('isolates a rule that throws: the error is recorded per file and the other rules still report', () => {
    const result = new Analyzer(loadProject(root), { rules: [throwingRule, dangerRule] }).analyze();
    assert.deepEqual(result.errors.map((e) => [e.ruleId, path.relative(root, e.file ?? ''), e.message]), [
      ['broken-rule', 'src/a.ts', 'Error: boom'],
      ['broken-rule', 'src/b.ts', 'Error: boom'],
    ]);
    assert.equal(result.findings.length, 2);
  });

  it('re-analyses an editor overlay without touching the disk', () => {
    const analyzer = new Analyzer(loadProject(root), { rules: [dangerRule] });
    analyzer.analyze();
    const b = path.join(root, 'src', 'b.ts');
    analyzer.host.setOverlay(b, 'export function f() {}\n', 2);
    assert.deepEqual(analyzer.analyze([b]).findings, []);
    analyzer.host.setOverlay(b, 'declare function danger(): void;\n\n\ndanger();\n', 3);
    assert.deepEqual(analyzer.analyze([b]).findings.map((f) => f.range.start.line), [3]);
    analyzer.host.removeOverlay(b);
    assert.deepEqual(analyzer.analyze([b]).findings.map((f) => f.range.start.line), [2]);
  });

  // Each file's status (parses, left out) is kept per version of the file between runs.
  it('an edit that breaks a file skips it, and the fix brings its findings back', () => {
    const analyzer = new Analyzer(loadProject(root), { rules: [dangerRule] });
    const b = path.join(root, 'src', 'b.ts');
    assert.deepEqual(analyzer.analyze([b]).findings.map((f) => f.range.start.line), [2]);
    analyzer.host.setOverlay(b, 'declare function danger(): void;\nexport function f() {\n  danger(;\n}\n', 2);
    const broken = analyzer.analyze([b]);
    assert.deepEqual(broken.findings, []);
    assert.deepEqual(broken.skipped.map((s) => path.relative(root, s.file)), ['src/b.ts', 'src/broken.ts']);
    analyzer.host.setOverlay(b, 'declare function danger(): void;\n\nexport function f() {\n  danger();\n}\n', 3);
    const fixed = analyzer.analyze([b]);
    assert.deepEqual(fixed.findings.map((f) => f.range.start.line), [3]);
    assert.deepEqual(fixed.skipped.map((s) => path.relative(root, s.file)), ['src/broken.ts']);
    // The broken file on disk, fixed in an editor: analysed from the next run on.
    const brokenFile = path.join(root, 'src', 'broken.ts');
    analyzer.host.setOverlay(brokenFile, 'declare function danger(): void;\ndanger();\n', 4);
    const all = analyzer.analyze();
    assert.deepEqual(all.skipped, []);
    assert.deepEqual(all.findings.map((f) => path.relative(root, f.file)), ['src/a.ts', 'src/b.ts', 'src/broken.ts']);
  });

  // Runs on the same program (the slices of one language-server pass) share the sorting of its files.
  it('runs on one program over different targets each report on their own targets', () => {
    const analyzer = new Analyzer(loadProject(root), { rules: [dangerRule] });
    const a = path.join(root, 'src', 'a.ts');
    const b = path.join(root, 'src', 'b.ts');
    assert.deepEqual(analyzer.analyze([a]).findings.map((f) => path.relative(root, f.file)), ['src/a.ts']);
    assert.deepEqual(analyzer.analyze([b]).findings.map((f) => path.relative(root, f.file)), ['src/b.ts']);
    assert.equal(analyzer.analyze([a, b]).findings.length, 2);
  });
});

describe('ProgramHost', () => {
  let root: string;
  afterEach(() => removeWorkspace(root));

  // package.json files are read once for many programs (ProgramHost.packageJsonCache).
  it('a package.json changed on disk is read again: an import resolves to the declarations it now names', () => {
    root = createWorkspace({
      files: {
        'src/app.ts': "import { connect } from 'dblib';\nexport const c = connect();\n",
        'node_modules/dblib/package.json': JSON.stringify({ name: 'dblib', version: '1.0.0', types: 'old.d.ts' }),
        'node_modules/dblib/old.d.ts': 'export declare function connect(): number;\n',
        'node_modules/dblib/new.d.ts': 'export declare function connect(): string;\n',
      },
    });
    const analyzer = new Analyzer(loadProject(root), { rules: [] });
    const resolvedTo = () => {
      const program = analyzer.host.getProgram();
      return program.getSourceFiles().map((sf) => path.basename(sf.fileName)).filter((f) => f === 'old.d.ts' || f === 'new.d.ts');
    };
    assert.deepEqual(resolvedTo(), ['old.d.ts']);
    const pkg = path.join(root, 'node_modules', 'dblib', 'package.json');
    fs.writeFileSync(pkg, JSON.stringify({ name: 'dblib', version: '1.0.1', types: 'new.d.ts' }));
    analyzer.host.invalidate(pkg);
    // An edit elsewhere rebuilds the program; the import's file is re-resolved with it.
    const app = path.join(root, 'src', 'app.ts');
    analyzer.host.setOverlay(app, "import { connect } from 'dblib';\nexport const c = connect(); // edited\n", 2);
    assert.deepEqual(resolvedTo(), ['new.d.ts']);
  });

  // Folders are looked up once per program (ProgramHost.directoryExists), not once per host.
  it('a package installed after a program was built is found by the next program', () => {
    root = createWorkspace({ files: { 'src/app.ts': "import { connect } from 'dblib';\nexport const c = connect();\n" } });
    const analyzer = new Analyzer(loadProject(root), { rules: [] });
    const app = path.join(root, 'src', 'app.ts');
    const connectType = () => {
      const program = analyzer.host.getProgram();
      const sf = program.getSourceFile(app)!;
      const decl = (sf.statements[1] as ts.VariableStatement).declarationList.declarations[0];
      return program.getTypeChecker().typeToString(program.getTypeChecker().getTypeAtLocation(decl.name));
    };
    assert.equal(connectType(), 'any');
    fs.mkdirSync(path.join(root, 'node_modules', 'dblib'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'dblib', 'package.json'), JSON.stringify({ name: 'dblib', version: '1.0.0', types: 'index.d.ts' }));
    fs.writeFileSync(path.join(root, 'node_modules', 'dblib', 'index.d.ts'), 'export declare function connect(): number;\n');
    analyzer.host.setOverlay(app, "import { connect } from 'dblib';\nexport const c = connect(); // edited\n", 2);
    assert.equal(connectType(), 'number');
  });
});

// The migrations are matched once per project model (sql/ruleSupport.ts); their content is checked on every run.
describe('Analyzer: the schema across runs', () => {
  let root: string;
  before(loadSqlParser);
  afterEach(() => removeWorkspace(root));

  it('a migration edited on disk, and one added with a reload, change the unindexed-filter finding', () => {
    root = createWorkspace({
      files: {
        'package.json': JSON.stringify({ name: 'api', dependencies: { pg: '8.0.0' } }),
        'migrations/001_init.sql': 'CREATE TABLE orders (id bigserial PRIMARY KEY, status text NOT NULL, region text);\n',
        'src/q.ts': "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const byRegion = (r: string) => pool.query('SELECT id FROM orders WHERE region = $1', [r]);\n",
      },
    });
    const analyzer = new Analyzer(loadProject(root), { rules: [unindexedFilter] });
    const ids = () => analyzer.analyze().findings.map((f) => `${f.ruleId} ${path.relative(root, f.file)}:${f.range.start.line}`);
    assert.deepEqual(ids(), ['unindexed-filter src/q.ts:2']);
    // Same file list, new content: the index serves the filter.
    const init = path.join(root, 'migrations', '001_init.sql');
    fs.writeFileSync(init, 'CREATE TABLE orders (id bigserial PRIMARY KEY, status text NOT NULL, region text);\nCREATE INDEX orders_region_idx ON orders (region);\n');
    assert.deepEqual(ids(), []);
    // A new migration drops it: seen once the project is reloaded (the language server does on a new file).
    fs.writeFileSync(path.join(root, 'migrations', '002_drop.sql'), 'DROP INDEX orders_region_idx;\n');
    assert.deepEqual(ids(), []);
    analyzer.updateProject(loadProject(root));
    assert.deepEqual(ids(), ['unindexed-filter src/q.ts:2']);
  });
});

describe('readTsConfig', () => {
  let root: string;
  afterEach(() => removeWorkspace(root));

  // The root files come from the project model: the tsconfig's `include` is not expanded again.
  it('reads the options without listing the project\'s folders', () => {
    root = createWorkspace({
      files: {
        'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { strict: false }, include: ['src/**/*'] }),
        'tsconfig.base.json': JSON.stringify({ compilerOptions: { target: 'ES2021', strict: true, baseUrl: '.', paths: { '@app/*': ['src/*'] } } }),
        'src/a.ts': 'export const a = 1;\n',
        'src/deep/b.ts': 'export const b = 2;\n',
      },
    });
    // TypeScript's `sys` lists folders through the `fs` module object (the one `require` returns).
    const nodeFs = createRequire(__filename)('node:fs') as { readdirSync: (...a: unknown[]) => unknown };
    const listed: string[] = [];
    const readdirSync = nodeFs.readdirSync;
    nodeFs.readdirSync = (dir: unknown, ...rest: unknown[]) => {
      listed.push(String(dir));
      return readdirSync(dir, ...rest);
    };
    let info: ReturnType<typeof readTsConfig>;
    try {
      info = readTsConfig(root);
    } finally {
      nodeFs.readdirSync = readdirSync;
    }
    assert.deepEqual(info.problems, []);
    assert.equal(info.options.target, ts.ScriptTarget.ES2021);
    assert.equal(info.options.strict, false);
    assert.deepEqual(info.options.paths, { '@app/*': ['src/*'] });
    assert.deepEqual(listed.filter((d) => d.startsWith(root)), []);
  });
});
