import type { PackageInfo } from '../project/packages';
import { DB_LIBRARIES, dbLibraryOf, type DbLibraryDescriptor } from './libraries';

/**
 * SQLite runs inside the application's process: a query is a function call on a file the process
 * holds open, not a round trip to a server, and one query per element costs what a loop over rows
 * in memory costs ("Many Small Queries Are Efficient In SQLite",
 * https://www.sqlite.org/np1queryprob.html). A package whose runtime dependencies bring an SQLite
 * driver and nothing that talks to a database server sends its queries there, whichever query
 * builder writes them (Kysely over `SqliteDialect`, Knex with `client: 'better-sqlite3'`, Drizzle's
 * `better-sqlite3` adapter). A package that also depends on a server's driver — or on none at all,
 * a library handed its client by the app — is not decided here.
 */
const SQLITE_DRIVERS = new Set(['better-sqlite3', 'sqlite3', 'sqlite', 'sql.js', '@sqlite.org/sqlite-wasm', 'wa-sqlite', 'expo-sqlite', '@op-engineering/op-sqlite']);

/** Drivers of database servers that no descriptor covers (they are not recognised, but their presence says where queries go). */
const OTHER_SERVER_DRIVERS = new Set(['@neondatabase/serverless', '@vercel/postgres', 'pg-native', 'mysql', 'mariadb', 'tedious', 'mssql', 'oracledb', 'mongodb', '@libsql/client', '@planetscale/database']);

function connectsToServer(dependency: string): boolean {
  if (OTHER_SERVER_DRIVERS.has(dependency)) return true;
  const library = dbLibraryOf(dependency);
  return !!library && !!(DB_LIBRARIES[library] as DbLibraryDescriptor).connects;
}

/** Whether the package's queries run on an SQLite database inside the process (see above). */
export function queriesRunInProcess(pkg: PackageInfo | undefined): boolean {
  if (!pkg) return false;
  const runtime = [...pkg.runtimeDependencies];
  return runtime.some((d) => SQLITE_DRIVERS.has(d)) && !runtime.some(connectsToServer);
}

