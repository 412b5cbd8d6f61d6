import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DB_LIBRARIES, DB_LIBRARY_IDS, dbLibrariesDeclaredIn, dbLibraryImportedBy, dbLibraryOf, type DbLibraryDescriptor } from '../../src/core/db/libraries';
import { FRAMEWORK_IDS, FRAMEWORKS, frameworksDeclaredIn, type FrameworkDescriptor } from '../../src/core/http/frameworks';
import { LIFECYCLE_LIBRARIES, lifecycleLibraryOf } from '../../src/core/http/lifecycle';
import { candidatesOf } from '../../src/core/http/fileIndex';
import ts from 'typescript';
import { findDbClients } from '../../src/core/http/dbclients';
import { loadProject } from '../../src/core/project/project';
import { ProgramHost } from '../../src/core/ts/program';
import { ProvenanceResolver } from '../../src/core/ts/provenance';
import { createWorkspace, removeWorkspace, REPO_ROOT } from '../helpers/workspace';

describe('database library registry', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', 'n-plus-one.md'), 'utf8');
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  it('registers every descriptor file under its own id, and every registered library has a file', () => {
    const dir = path.join(REPO_ROOT, 'src', 'core', 'db', 'libraries');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts', 'callShapes.ts'].includes(f)).map((f) => f.replace(/\.ts$/, ''));
    assert.deepEqual(files.sort(), [...DB_LIBRARY_IDS].sort());
    for (const [key, d] of Object.entries(DB_LIBRARIES)) assert.equal(d.id, key);
  });

  for (const id of DB_LIBRARY_IDS) {
    describe(id, () => {
      const d: DbLibraryDescriptor = DB_LIBRARIES[id];
      it('has an N+1 fixture workspace', () => {
        assert.ok(fs.existsSync(path.join(REPO_ROOT, 'test', 'fixtures', `n-plus-one-${id}`, 'src')), `test/fixtures/n-plus-one-${id}/src is missing`);
      });
      it('is named in docs/rules/n-plus-one.md and the README', () => {
        assert.ok(doc.includes(d.displayName), `docs/rules/n-plus-one.md does not name ${d.displayName}`);
        assert.ok(readme.includes(d.displayName), `README.md does not name ${d.displayName}`);
      });
      it('owns its packages, and no other library claims them', () => {
        for (const pkg of d.packages) assert.equal(dbLibraryOf(pkg), id, pkg);
        for (const pkg of d.presencePackages ?? []) assert.equal(dbLibraryImportedBy(pkg), id, pkg);
      });
      it('gives batching advice for reads and writes', () => {
        assert.ok(d.batching.read.length >= 40 && d.batching.write.length >= 40);
      });
    });
  }

  it('knows renamed and wrapper packages wherever a package is looked up', () => {
    assert.equal(dbLibraryOf('@sequelize/core'), 'sequelize');
    assert.equal(dbLibraryOf('@mikro-orm/postgresql'), 'mikro-orm');
    assert.equal(dbLibraryOf('@silverhand/slonik'), 'slonik');
    assert.equal(dbLibraryImportedBy('@fastify/postgres'), 'pg');
    assert.equal(dbLibraryImportedBy('./generated/prisma/client'), 'prisma');
    // package.json dependencies go through the same table: `@sequelize/core` was missing from the project model's copy.
    assert.deepEqual([...dbLibrariesDeclaredIn(['@sequelize/core', 'express', 'slonik', '@mikro-orm/core'])].sort(), ['mikro-orm', 'sequelize', 'slonik']);
  });
});

describe('database clients from the descriptors', () => {
  it('pings and closes a Slonik pool and a Sequelize instance imported from @sequelize/core', () => {
    const root = createWorkspace({
      files: {
        'src/db.ts': "import { createPool } from 'slonik';\nexport const pool = await createPool(process.env.DATABASE_URL!);\n",
        'src/orm.ts': "import { Sequelize } from '@sequelize/core';\nexport const sequelize = new Sequelize();\n",
      },
    });
    try {
      const project = loadProject(root);
      const program = new ProgramHost(project.files.ts, project.tsconfig.options).getProgram();
      const files = project.files.ts.map((f) => program.getSourceFile(f)!);
      const clients = findDbClients(new ProvenanceResolver(program.getTypeChecker()), files, root).map((c) => ({ library: c.library, name: c.name, ping: c.ping, close: c.close, imports: c.imports }));
      assert.deepEqual(clients, [
        { library: 'slonik', name: 'pool', ping: 'pool.query(sql.unsafe`SELECT 1`)', close: 'pool.end()', imports: [{ name: 'sql', from: 'slonik' }] },
        { library: 'sequelize', name: 'sequelize', ping: 'sequelize.authenticate()', close: 'sequelize.close()', imports: undefined },
      ]);
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('HTTP framework registry', () => {
  it("the syntactic pre-filter keeps every call named by a descriptor's route or mount methods (no list to edit besides the descriptor)", () => {
    for (const id of FRAMEWORK_IDS) {
      const r = (FRAMEWORKS[id] as FrameworkDescriptor).routes;
      const names = [...(r.methods ?? []), r.mount, r.routeChain?.method, r.routeObject?.method, r.methodList, r.childMount, r.plugins?.method, r.ownPrefix?.method].filter((m): m is string => !!m);
      const sf = ts.createSourceFile(`${id}.ts`, names.map((m) => `app.${m}('/p', h);`).join('\n'), ts.ScriptTarget.ES2022, true);
      const kept = candidatesOf(sf).methodCalls.map((c) => (c.expression as ts.PropertyAccessExpression).name.text);
      assert.deepEqual(kept, names, id);
    }
  });

  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  const lifecycleDocs = ['missing-health-endpoint', 'missing-graceful-shutdown'].map((r) => [r, fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${r}.md`), 'utf8')] as const);

  it('registers every descriptor file under its own id, and every framework is named in the README', () => {
    const dir = path.join(REPO_ROOT, 'src', 'core', 'http', 'frameworks');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts', 'registry.ts', 'classify.ts', 'templates.ts'].includes(f)).map((f) => f.replace(/\.ts$/, ''));
    assert.deepEqual(files.sort(), [...FRAMEWORK_IDS].sort());
    for (const [key, d] of Object.entries(FRAMEWORKS)) {
      assert.equal(d.id, key);
      assert.ok(readme.includes(d.displayName), `README.md does not name ${d.displayName}`);
    }
  });

  // What each rule does for a framework (where its routes are looked for, what the fix closes) is
  // the user's documentation: a framework the rule docs leave out reads as unsupported.
  it('every framework is named in the health and shutdown rule docs', () => {
    for (const d of Object.values(FRAMEWORKS) as FrameworkDescriptor[]) {
      for (const [rule, doc] of lifecycleDocs) assert.ok(doc.includes(d.displayName.replace(/`/g, '')), `docs/rules/${rule}.md does not name ${d.displayName}`);
    }
  });

  it('every framework has a fixture workspace, route shapes and the quick-fix templates', () => {
    for (const id of FRAMEWORK_IDS) {
      const d: FrameworkDescriptor = FRAMEWORKS[id];
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'test', 'fixtures', `http-${id}`, 'package.json')), `test/fixtures/http-${id}/ is missing`);
      assert.ok(d.routes, `${id} has no route shapes`);
      assert.ok(['routes', 'controller', 'handler-branch'].includes(d.fixes.health.kind), `${id} has no health-route fix`);
      if (d.fixes.health.kind === 'routes') assert.ok(d.fixes.health.template('app', '/livez', '/readyz', { expr: 'pool.query(1)', notes: [] }).some((l) => l.includes('/livez')), `${id}'s template does not write the liveness path`);
      assert.ok(['server-close', 'app-close', 'shutdown-hooks'].includes(d.fixes.shutdown), `${id} has no shutdown fix`);
    }
  });

  it('reads the frameworks of a package.json from the descriptors', () => {
    assert.deepEqual([...frameworksDeclaredIn(['@koa/router', 'hono', 'pg', '@nestjs/core'])].sort(), ['hono', 'koa', 'nestjs']);
  });
});

describe('probe and shutdown library registry', () => {
  const docs = ['missing-health-endpoint', 'missing-graceful-shutdown'].map((r) => fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${r}.md`), 'utf8')).join('\n');

  it('registers each library under its id; its packages resolve to it; it says what it does; the rule docs name it', () => {
    for (const [key, d] of Object.entries(LIFECYCLE_LIBRARIES)) {
      assert.equal(d.id, key);
      assert.ok('probes' in d || 'shutdown' in d, `${key} neither serves probes nor handles shutdown`);
      for (const p of d.packages) assert.equal(lifecycleLibraryOf(p), d, `${p} does not resolve to ${key}`);
      assert.ok(d.packages.some((p) => docs.includes(p)) || docs.includes(d.displayName), `docs/rules/missing-*.md do not name ${d.displayName}`);
    }
  });
});
