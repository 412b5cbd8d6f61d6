import { packageName } from '../../ts/provenance';
import type { DbLibraryDescriptor } from './types';
import { pg } from './pg';
import { postgres } from './postgres';
import { mysql2 } from './mysql2';
import { prisma, prismaClientPackageOf } from './prisma';
import { typeorm } from './typeorm';
import { knex } from './knex';
import { kysely } from './kysely';
import { drizzle } from './drizzle';
import { sequelize } from './sequelize';
import { mikroOrm } from './mikro-orm';
import { mongoose } from './mongoose';
import { slonik } from './slonik';
import { pgPromise } from './pg-promise';

/**
 * The database libraries Shipshape knows, by id. The only package → library table: the
 * project model, the call recogniser and the quick fixes all ask here. To add a library, write
 * `<id>.ts` (a `DbLibraryDescriptor`), add its line here, a fixture folder
 * `test/fixtures/n-plus-one-<id>/` and its name in docs/rules/n-plus-one.md (the registry test
 * checks all three).
 */
export const DB_LIBRARIES = {
  pg,
  postgres,
  mysql2,
  prisma,
  typeorm,
  knex,
  kysely,
  drizzle,
  sequelize,
  'mikro-orm': mikroOrm,
  mongoose,
  slonik,
  'pg-promise': pgPromise,
} satisfies Record<string, DbLibraryDescriptor>;

export type DbLibrary = keyof typeof DB_LIBRARIES;

export const DB_LIBRARY_IDS = Object.keys(DB_LIBRARIES) as DbLibrary[];

export function dbLibrary(id: DbLibrary): DbLibraryDescriptor {
  return DB_LIBRARIES[id];
}

const BY_PACKAGE = new Map<string, DbLibrary>();
const PRESENCE = new Map<string, DbLibrary>();
for (const id of DB_LIBRARY_IDS) {
  const d: DbLibraryDescriptor = DB_LIBRARIES[id];
  for (const p of d.packages) BY_PACKAGE.set(p, id);
  for (const p of d.presencePackages ?? []) PRESENCE.set(p, id);
}

/** The library an npm package (as `packageName` gives it) belongs to: `@sequelize/core` → `sequelize`. */
export function dbLibraryOf(module: string): DbLibrary | undefined {
  const direct = BY_PACKAGE.get(module);
  if (direct) return direct;
  for (const id of DB_LIBRARY_IDS) {
    const d: DbLibraryDescriptor = DB_LIBRARIES[id];
    if (d.packagePrefixes?.some((prefix) => module.startsWith(prefix))) return id;
  }
  return undefined;
}

/** The database library an import of `specifier` brings into the project, if any (wrappers such as `@fastify/postgres` included). */
export function dbLibraryImportedBy(specifier: string): DbLibrary | undefined {
  const pkg = packageName(specifier);
  return dbLibraryOf(pkg) ?? PRESENCE.get(pkg) ?? (prismaClientPackageOf(specifier) ? 'prisma' : undefined);
}

/** The libraries a package.json's dependencies name. */
export function dbLibrariesDeclaredIn(dependencies: Iterable<string>): Set<DbLibrary> {
  const out = new Set<DbLibrary>();
  for (const name of dependencies) {
    const lib = dbLibraryOf(name);
    if (lib) out.add(lib);
  }
  return out;
}

export { prismaClientPackageOf };
export type { DbLibraryDescriptor, QueryExtractor, ExtractedQuery, ExtractedFilter, QueryExtractionContext, DbClientShape, CallShape, Verdict } from './types';
