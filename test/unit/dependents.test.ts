import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DependentsGraph, filesAffectedByEdit } from '../../src/core/project/dependents';
import { loadProject } from '../../src/core/project/project';
import { ProgramHost } from '../../src/core/ts/program';
import { createWorkspace, DEFAULT_TSCONFIG, removeWorkspace } from '../helpers/workspace';

/**
 * The dependents graph across workspace packages: an app imports a sibling package by its bare
 * name (`@corp/persistence`), whose package.json points at a dist/ a fresh clone does not have.
 * The program resolves it to the package's sources; an edit there must re-analyse the app.
 */
describe('dependents graph across workspace packages', () => {
  const files = {
    'package.json': JSON.stringify({ name: 'corp', private: true, workspaces: ['apps/*', 'packages/*'] }),
    'packages/persistence/package.json': JSON.stringify({ name: '@corp/persistence', main: 'dist/index.js', types: 'dist/index.d.ts' }),
    'packages/persistence/src/index.ts': `export { findUser } from './users';\n`,
    'packages/persistence/src/users.ts': `export async function findUser(id: number) {\n  return { id };\n}\n`,
    'apps/api/package.json': JSON.stringify({ name: '@corp/api', dependencies: { '@corp/persistence': 'workspace:*', express: '^5.0.0' } }),
    'apps/api/tsconfig.json': DEFAULT_TSCONFIG,
    'apps/api/src/routes.ts': `import express from 'express';\nimport { findUser } from '@corp/persistence';\nexport const router = express.Router();\nrouter.get('/u/:id', async (req, res) => res.json(await findUser(Number(req.params.id))));\n`,
    'apps/api/src/handlers.ts': `import { router } from './routes';\nexport const handlers = [router];\n`,
    'apps/api/src/unrelated.ts': `export const version = '1';\n`,
  };

  it('an edit in a sibling package reaches the files that import it by its package name, transitively', () => {
    const root = createWorkspace({ files });
    try {
      for (const folder of [root, path.join(root, 'apps', 'api')]) {
        const project = loadProject(folder);
        const host = new ProgramHost(project.files.ts, project.tsconfig.options);
        const graph = new DependentsGraph(project.tsconfig.options, folder);
        const rel = (s: Iterable<string>) => [...s].map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
        const edited = path.join(root, 'packages/persistence/src/users.ts');
        // The whole repository scanned, or the app's folder alone (the sibling package is outside it).
        const expected = ['apps/api/src/handlers.ts', 'apps/api/src/routes.ts', ...(folder === root ? ['packages/persistence/src/index.ts'] : [])];
        assert.deepEqual(rel(filesAffectedByEdit(host.getProgram(), graph, project.files.ts, [edited])), expected, folder);
        graph.update(host.getProgram(), () => true);
        assert.deepEqual(rel(graph.dependentsOf([path.join(root, 'apps/api/src/unrelated.ts')])), []);
      }
    } finally {
      removeWorkspace(root);
    }
  });
});
