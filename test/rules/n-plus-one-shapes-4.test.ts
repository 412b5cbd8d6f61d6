import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, fourth pass: logto with Slonik, outline with
 * Sequelize), each written from its shape, not copied. No node_modules: the packages are known
 * from their imports only, as in a fresh clone.
 */

const DB = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;

/** A renderer whose lookup runs only when the caller asks for signed links (`options?.signedUrls && options?.teamId`). */
const RENDERER = `import { pool } from './db';
export class Renderer {
  static async render(body: string, options?: { withTitle?: boolean; signedUrls?: number; teamId?: string }) {
    let text = body;
    if (text && options?.signedUrls && options?.teamId) {
      const { rows } = await pool.query('SELECT id, key FROM files WHERE team_id = $1', [options.teamId]);
      text = text + rows.length;
    }
    return options?.withTitle ? '# ' + text : text;
  }
}
`;

/** A presenter that asks for signed links only under its own `isPublic` option. */
const PRESENTER = `import { Renderer } from './renderer';
type Options = { isPublic?: boolean; shareId?: string; withBody?: boolean };
export async function presentBoard(board: { id: string; body: string; teamId: string }, options: Options = {}) {
  return {
    id: board.id,
    body: options.withBody === false ? undefined : await Renderer.render(board.body, options.isPublic ? { signedUrls: 3600, teamId: board.teamId } : undefined),
  };
}
`;

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'a query under `options?.a && options?.b` several calls deep, reached from loops whose calls never pass the option',
      files: {
        'src/db.ts': DB,
        'src/renderer.ts': RENDERER,
        'src/presenter.ts': PRESENTER,
        'src/routes.ts': `import { Renderer } from './renderer';
import { presentBoard } from './presenter';
export async function presentNote(note: { id: string; body: string }) {
  return { id: note.id, text: await Renderer.render(note.body, { withTitle: false }) };
}
export async function listNotes(notes: Array<{ id: string; body: string }>) {
  return Promise.all(notes.map((n) => presentNote(n)));
}
export async function listBoards(boards: Array<{ id: string; body: string; teamId: string }>) {
  const out = [];
  for (const b of boards) out.push(await presentBoard(b));
  return Promise.all([out, ...boards.map((b) => presentBoard(b, { withBody: true }))]);
}
export async function renderAll(bodies: string[]) {
  return Promise.all(bodies.map((b) => Renderer.render(b, undefined)));
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'the same query reached from loops whose calls do pass the option, directly or through the presenter\'s own option',
      files: {
        'src/db.ts': DB,
        'src/renderer.ts': RENDERER,
        'src/presenter.ts': PRESENTER,
        'src/routes.ts': `import { Renderer } from './renderer';
import { presentBoard } from './presenter';
export async function listShared(boards: Array<{ id: string; body: string; teamId: string }>) {
  return Promise.all(boards.map((b) => presentBoard(b, { isPublic: true })));
}
export async function signAll(notes: Array<{ body: string; teamId: string }>) {
  return Promise.all(notes.map((n) => Renderer.render(n.body, { signedUrls: 60, teamId: n.teamId })));
}
export async function forward(notes: Array<{ body: string }>, hours: number, teamId: string) {
  for (const n of notes) await Renderer.render(n.body, hours > 0 ? { signedUrls: hours * 3600, teamId } : undefined);
}
`,
      },
      errors: [
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 4 },
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 7 },
        { messageId: 'indirectQueryInLoop', file: 'src/routes.ts', line: 10 },
      ],
    },
  ],
});
