import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverFiles } from '../../src/core/project/files';
import { createWorkspace, removeWorkspace } from '../helpers/workspace';

describe('file discovery', () => {
  let root: string;
  before(() => {
    root = createWorkspace({
      files: {
        '.gitignore': 'dist/\n*.generated.ts\n',
        'src/server.ts': '',
        'src/api.generated.ts': '',
        'src/legacy/.gitignore': 'old.ts\n',
        'src/legacy/old.ts': '',
        'src/legacy/kept.ts': '',
        'dist/server.ts': '',
        'node_modules/pg/index.d.ts': '',
        'migrations/001_init.sql': '',
        'vendor/lib.ts': '',
        'Dockerfile': '',
      },
    });
  });
  after(() => removeWorkspace(root));

  const rel = (files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

  it('honours .gitignore files at every level and skips node_modules', () => {
    const found = discoverFiles(root);
    assert.deepEqual(rel(found.ts), ['src/legacy/kept.ts', 'src/server.ts', 'vendor/lib.ts']);
    assert.deepEqual(rel(found.sql), ['migrations/001_init.sql']);
    assert.ok(rel(found.other).includes('Dockerfile'));
  });

  it('applies the user excludes and includes', () => {
    const found = discoverFiles(root, { exclude: ['vendor/**'] });
    assert.deepEqual(rel(found.ts), ['src/legacy/kept.ts', 'src/server.ts']);
    const only = discoverFiles(root, { include: ['src/**'] });
    assert.deepEqual(rel(only.ts), ['src/legacy/kept.ts', 'src/server.ts']);
    assert.deepEqual(only.sql, []);
  });
});
