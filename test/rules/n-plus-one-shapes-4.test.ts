import { nPlusOne } from '../../src/core/rules/n-plus-one';
import { runRuleTests } from '../helpers/ruleTester';

/**
 * Shapes met on real repositories (issue 8, fourth pass: openpanel, atproto), each written from
 * its shape, not copied. No node_modules: the packages are known from their imports and
 * package.json only, as in a fresh clone.
 */

const SQLITE_DB = `import SqliteDB from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
export class Database {
  constructor(public db: Kysely<any>) {}
  static sqlite(location: string): Database {
    return new Database(new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDB(location) }) }));
  }
}
`;
const RECORDS = `import { Database } from './db';
export class RecordReader {
  constructor(private readonly store: Database) {}
  async getRecord(uri: string) {
    return this.store.db.selectFrom('record').selectAll().where('uri', '=', uri).executeTakeFirst();
  }
}
`;
const LOOP = `import { Database } from './db';
import { RecordReader } from './records';
export async function check(store: Database, uris: string[]) {
  const reader = new RecordReader(store);
  for (const uri of uris) {
    await store.db.deleteFrom('record').where('uri', '=', uri).execute();
    await reader.getRecord(uri);
  }
}
`;

runRuleTests(nPlusOne, {
  valid: [
    {
      name: 'a package that runs on SQLite (better-sqlite3 and no server driver): a query is a call inside the process, not a round trip',
      files: {
        'package.json': JSON.stringify({ name: 'store', dependencies: { kysely: '^0.27.0', 'better-sqlite3': '^11.0.0' }, devDependencies: { pg: '^8.16.0' } }),
        'src/db.ts': SQLITE_DB,
        'src/records.ts': RECORDS,
        'src/example.ts': LOOP,
      },
    },
  ],
  invalid: [
    {
      name: 'the same code in a package that also depends on a PostgreSQL driver is reported (which database runs is not decided)',
      files: {
        'package.json': JSON.stringify({ name: 'store', dependencies: { kysely: '^0.27.0', 'better-sqlite3': '^11.0.0', pg: '^8.16.0' } }),
        'src/db.ts': SQLITE_DB,
        'src/records.ts': RECORDS,
        'src/example.ts': LOOP,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/example.ts', line: 6 }],
    },
    {
      name: 'SQLite only in devDependencies (the tests) says nothing about where production queries go',
      files: {
        'package.json': JSON.stringify({ name: 'store', dependencies: { kysely: '^0.27.0' }, devDependencies: { 'better-sqlite3': '^11.0.0' } }),
        'src/db.ts': SQLITE_DB,
        'src/records.ts': RECORDS,
        'src/example.ts': LOOP,
      },
      errors: [{ messageId: 'queryInLoop', file: 'src/example.ts', line: 6 }],
    },
  ],
});
