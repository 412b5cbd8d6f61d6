import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { parseWithinLimits } from '../../src/core/limits/parseWithinLimits';
import { digestOf, type FileDigest } from '../../src/core/ts/fileDigest';
import { REPO_ROOT } from '../helpers/workspace';

/**
 * A file's digest (the calls, module references, decorated classes, equalities and switches the
 * rules start from) is taken by the program's parse, in the depth guard's walk, which visits the
 * nodes last child first. It must be what a walk of the file in source order collects.
 */

const SOURCE = `import { Pool } from 'pg';
import type { Request } from 'express';
export * from './shared';
import legacy = require('./legacy');
const pool = new Pool();
@Controller('orders')
export class Orders {
  async list(ids: string[]) {
    const lazy = await import('./lazy');
    const cfg = require('./config');
    a(b(c()))(d);
    sql\`SELECT \${e()}\`;
    for (const id of ids) {
      if (id === 'x' || id == null) continue;
      switch (kind(id)) { case 'a': await pool.query('SELECT 1', [f(id)]); }
    }
    return [lazy, cfg, legacy].map((m) => m.g(h()));
  }
}
class Plain { m() { return 1 === 2; } }
`;

const at = (sf: ts.SourceFile) => (n: ts.Node) => n.getText(sf);
const shape = (sf: ts.SourceFile, d: FileDigest) => ({
  calls: d.calls.map(at(sf)),
  moduleReferences: d.moduleReferences.map(at(sf)),
  decoratedClasses: d.decoratedClasses.map((c) => c.name?.text),
  equalities: d.equalities.map(at(sf)),
  switches: d.switches.map((s) => s.expression.getText(sf)),
});

describe('file digest', () => {
  it('taken in the parse walk: every kind of node, calls in source order with a call before the calls inside it', () => {
    const { sourceFile, problem } = parseWithinLimits('/ws/src/orders.ts', SOURCE, ts.ScriptTarget.ES2022);
    assert.equal(problem, undefined);
    assert.deepEqual(shape(sourceFile, digestOf(sourceFile)), {
      calls: [
        "Controller('orders')",
        "import('./lazy')",
        "require('./config')",
        'a(b(c()))(d)',
        'a(b(c()))',
        'b(c())',
        'c()',
        'sql`SELECT ${e()}`',
        'e()',
        'kind(id)',
        "pool.query('SELECT 1', [f(id)])",
        'f(id)',
        '[lazy, cfg, legacy].map((m) => m.g(h()))',
        'm.g(h())',
        'h()',
      ],
      moduleReferences: ["'pg'", "'express'", "'./shared'", "'./legacy'", "'./lazy'", "'./config'"],
      decoratedClasses: ['Orders'],
      equalities: ["id === 'x'", 'id == null', '1 === 2'],
      switches: ['kind(id)'],
    });
  });

  it('is the same as a walk of the file in source order, on the repository\'s own sources', () => {
    const dir = path.join(REPO_ROOT, 'src', 'core');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).slice(0, 80);
    assert.ok(files.length >= 40);
    for (const rel of files) {
      const file = path.join(dir, rel);
      const text = fs.readFileSync(file, 'utf8');
      const parsed = parseWithinLimits(file, text, ts.ScriptTarget.ES2022).sourceFile;
      // A source file parsed without the guard: digestOf walks it on first use.
      const walked = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      assert.deepEqual(shape(parsed, digestOf(parsed)), shape(walked, digestOf(walked)), rel);
    }
  });

  it('leaves declaration files alone until asked', () => {
    const { sourceFile } = parseWithinLimits('/ws/types/pg.d.ts', "declare module 'pg' { export function query(): void; }\nimport('x');\n", ts.ScriptTarget.ES2022);
    assert.deepEqual(shape(sourceFile, digestOf(sourceFile)).moduleReferences, ["'x'"]);
  });
});
