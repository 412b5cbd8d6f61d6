import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, third pass: logto, atproto), each written from its
 * shape, not copied. No node_modules: the packages are known from their imports only, as in a
 * fresh clone.
 */

const DB = `import { Pool } from 'pg';\nexport const pool = new Pool();\n`;
const KYSELY = `import { Kysely, PostgresDialect } from 'kysely';\nexport const db = new Kysely<any>({ dialect: new PostgresDialect({} as any) });\n`;
const withDb = (code: string, extra: Record<string, string> = {}) => ({ 'src/example.ts': code, 'src/db.ts': DB, ...extra });

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'keyset paging whose first page has no cursor: the page comes from either branch of a conditional',
      files: {
        'src/db.ts': KYSELY,
        'src/example.ts': `import { sql } from 'kysely';
import { db } from './db';
export async function eachActor(visit: (did: string) => Promise<void>) {
  const qb = db.selectFrom('actor').selectAll().limit(100);
  let cursor: { createdAt: string; did: string } | undefined;
  do {
    const actors = cursor ? await qb.where(sql\`("createdAt", "did")\`, '>', sql\`(\${cursor.createdAt}, \${cursor.did})\`).execute() : await qb.execute();
    for (const { did } of actors) await visit(did);
    cursor = actors.at(-1);
  } while (cursor);
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a tree walked up one row at a time through a conditional is still one query per node',
      files: withDb(`import { pool } from './db';
export async function ancestors(id: number, root?: number) {
  let parentId: number | undefined = id;
  while (parentId !== undefined) {
    const row: { parent_id?: number } = parentId === root ? (await pool.query('SELECT parent_id FROM nodes WHERE id = $1', [root])).rows[0] : (await pool.query('SELECT parent_id FROM nodes WHERE id = $1', [parentId])).rows[0];
    parentId = row.parent_id;
  }
}
`),
      errors: [{ messageId: 'queryInLoop', line: 5 }],
    },
  ],
});
