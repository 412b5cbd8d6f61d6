import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { loadProject } from '../../src/core/project/project';
import { ProgramHost } from '../../src/core/ts/program';
import { packageFromPath, packageName, programModuleResolver, ProvenanceResolver } from '../../src/core/ts/provenance';
import { createWorkspace, removeWorkspace } from '../helpers/workspace';

/** Provenance of the expression whose source text is `marker` in `file`, rendered as `module:path`. */
function provenanceIn(root: string, file: string, marker: string): string | undefined {
  const project = loadProject(root);
  const program = new ProgramHost(project.files.ts, project.tsconfig.options).getProgram();
  const sf = program.getSourceFile(path.join(root, file))!;
  const resolver = new ProvenanceResolver(program.getTypeChecker(), { resolveModule: programModuleResolver(program) });
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (!found && ts.isExpression(n) && n.getText(sf) === marker) found = n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  assert.ok(found, `marker ${marker} not found`);
  const p = resolver.of(found);
  return p && `${p.module}:${p.path.join('.')}`;
}

describe('import provenance (no node_modules installed)', () => {
  let root: string;
  before(() => {
    root = createWorkspace({
      files: {
        'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\nexport function makeClient() {\n  return new Pool();\n}\n",
        'src/index.ts': "export { pool as db } from './db';\nexport * from 'pg';\n",
        'src/legacy.ts': [
          "const { pool: required } = require('./db');",
          "const dbModule = require('./db');",
          "import dbx = require('./db');",
          "required.query('a');",
          "dbModule.pool.query('b');",
          "require('./db').pool.query('c');",
          "dbx.pool.query('d');",
          "const { pool: missing } = require('./nowhere');",
          "missing.query('e');",
        ].join('\n'),
        'src/app.ts': [
          "import express from 'express';",
          "import * as http from 'node:http';",
          "import { db } from './index';",
          "import { makeClient, pool } from './db';",
          "import { Client } from './index';",
          "const { Router } = require('express');",
          'const app = express();',
          'const router = Router();',
          'const server = http.createServer(app);',
          'const c = makeClient();',
          'const viaStar = new Client();',
          'class Repo {',
          '  constructor(private readonly p: import("pg").Pool, private readonly q: typeof pool) {}',
          '  run() { return this.q.query("SELECT 1"); }',
          '}',
          'app.listen(3000);',
          'server.listen(3001);',
          'db.query("SELECT 1");',
          'c.query("x");',
          'router.get("/h", () => 1);',
          'viaStar.connect();',
          'const app2 = { listen() {} };',
          'app2.listen();',
        ].join('\n'),
      },
    });
  });
  after(() => removeWorkspace(root));

  const cases: Array<[string, string | undefined]> = [
    ['app.listen', 'express:default.().listen'],
    ['server.listen', 'http:createServer.().listen'],
    ['db.query', 'pg:Pool.().query'],
    ['c.query', 'pg:Pool.().query'],
    ['router.get', 'express:Router.().get'],
    ['viaStar.connect', 'pg:Client.().connect'],
    ['this.q.query', 'pg:Pool.().query'],
    ['app2.listen', undefined],
  ];
  for (const [marker, expected] of cases) {
    it(`${marker} → ${expected ?? 'not from a package'}`, () => {
      assert.equal(provenanceIn(root, 'src/app.ts', marker), expected);
    });
  }

  it('follows require() of a project module to its exports', () => {
    assert.equal(provenanceIn(root, 'src/legacy.ts', 'required.query'), 'pg:Pool.().query');
    assert.equal(provenanceIn(root, 'src/legacy.ts', 'dbModule.pool.query'), 'pg:Pool.().query');
    assert.equal(provenanceIn(root, 'src/legacy.ts', "require('./db').pool.query"), 'pg:Pool.().query');
    assert.equal(provenanceIn(root, 'src/legacy.ts', 'dbx.pool.query'), 'pg:Pool.().query');
    assert.equal(provenanceIn(root, 'src/legacy.ts', 'missing.query'), undefined);
  });
});

describe('package names', () => {
  it('strips subpaths and the node: scheme', () => {
    assert.equal(packageName('pg/lib/client'), 'pg');
    assert.equal(packageName('@nestjs/common/decorators'), '@nestjs/common');
    assert.equal(packageName('node:http'), 'http');
  });
  it('maps declaration file paths to packages, @types included', () => {
    assert.equal(packageFromPath('/p/node_modules/@types/pg/index.d.ts'), 'pg');
    assert.equal(packageFromPath('/p/node_modules/@types/koa__router/index.d.ts'), '@koa/router');
    assert.equal(packageFromPath('/p/node_modules/@prisma/client/index.d.ts'), '@prisma/client');
    assert.equal(packageFromPath('/p/src/db.ts'), undefined);
  });
});

describe('tsconfig discovery', () => {
  it('follows `paths` from tsconfig.base.json when the root has no tsconfig.json (Nx-style monorepo)', () => {
    const root = createWorkspace({
      files: {
        'tsconfig.json': '',
        'tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@acme/db': ['libs/db/src/index.ts'] } } }),
        'libs/db/src/index.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
        'apps/api/src/main.ts': "import { pool } from '@acme/db';\npool.query('SELECT 1');\n",
      },
    });
    try {
      fs.rmSync(path.join(root, 'tsconfig.json'));
      assert.equal(loadProject(root).tsconfig.file, path.join(root, 'tsconfig.base.json'));
      assert.equal(provenanceIn(root, 'apps/api/src/main.ts', 'pool.query'), 'pg:Pool.().query');
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('provenance of members, asked once per value and name', () => {
  let root: string;
  before(() => {
    root = createWorkspace({
      files: {
        'src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
        'src/store.ts': [
          "import { Pool } from 'pg';",
          "import Redis from 'ioredis';",
          'export const store = { cache: new Redis(), sql: new Pool() };',
          'export const helpers = { query: (s: string) => s.length };',
        ].join('\n'),
        'src/a.ts': [
          "import { pool } from './db';",
          "import { store, helpers } from './store';",
          "export const one = () => pool.query('a');",
          "export const two = () => store.cache.get('k');",
          "export const three = () => helpers.query('x');",
        ].join('\n'),
        'src/b.ts': [
          "import { pool } from './db';",
          "import { store, helpers } from './store';",
          "export const again = () => pool.query('b');",
          "export const sql = () => store.sql.query('c');",
          "export const local = () => helpers.query('y');",
        ].join('\n'),
      },
    });
  });
  after(() => removeWorkspace(root));

  it('the same member of the same value, read in two files, in one resolver', () => {
    const project = loadProject(root);
    const program = new ProgramHost(project.files.ts, project.tsconfig.options).getProgram();
    const resolver = new ProvenanceResolver(program.getTypeChecker(), { resolveModule: programModuleResolver(program) });
    const at = (file: string, marker: string): string | undefined => {
      const sf = program.getSourceFile(path.join(root, file))!;
      let found: ts.Node | undefined;
      const visit = (n: ts.Node): void => {
        if (!found && ts.isExpression(n) && n.getText(sf) === marker) found = n;
        ts.forEachChild(n, visit);
      };
      visit(sf);
      assert.ok(found, `marker ${marker} not found in ${file}`);
      const p = resolver.of(found);
      return p && `${p.module}:${p.path.join('.')}`;
    };
    assert.equal(at('src/a.ts', 'pool.query'), 'pg:Pool.().query');
    assert.equal(at('src/b.ts', 'pool.query'), 'pg:Pool.().query');
    // Members declared in the project (object literal properties) are followed to their values, each by its own name.
    assert.equal(at('src/a.ts', 'store.cache.get'), 'ioredis:default.().get');
    assert.equal(at('src/b.ts', 'store.sql.query'), 'pg:Pool.().query');
    // A project function under a name a package also uses is not a package's.
    assert.equal(at('src/a.ts', 'helpers.query'), undefined);
    assert.equal(at('src/b.ts', 'helpers.query'), undefined);
  });
});
