import type { DbLibraryDescriptor } from './types';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';
import { prismaDelegateQuery } from '../../sql/ormFilters';

const PRISMA_DELEGATE = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'create', 'createMany', 'createManyAndReturn',
  'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany', 'count', 'aggregate', 'groupBy',
]);
const PRISMA_RAW = new Set(['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', '$runCommandRaw', '$queryRawTyped']);

/** A generated Prisma client imported from the project (`prisma-client` generator output). */
export function prismaClientPackageOf(specifier: string): string | undefined {
  return /(^|\/)(generated\/prisma|generated\/prisma-client|\.prisma\/client|prisma\/generated(\/client)?)(\/(client|index|default|edge))?$/.test(specifier)
    ? '@prisma/client'
    : undefined;
}

/** Prisma: model delegates (`prisma.user.findMany`), `$queryRaw`/`$executeRaw`. */
export const prisma = {
  id: 'prisma',
  displayName: 'Prisma',
  packages: ['@prisma/client', '.prisma'],
  connects: true,
  presencePackages: ['@prisma/adapter-pg'],
  recognition: {
    methods: new Set([...PRISMA_DELEGATE, ...PRISMA_RAW]),
    classify: (c) => {
      const method = c.method ?? (c.tagged ? c.path[c.path.length - 1] : undefined);
      if (!method) return null;
      if (PRISMA_RAW.has(method)) return { method, operation: method.startsWith('$execute') ? 'write' : 'read' };
      if (!PRISMA_DELEGATE.has(method)) return null;
      const receiver = c.path[c.path.length - 2];
      if (c.typed) return receiver && /Delegate$/.test(receiver) ? { method } : null;
      return receiver && receiver !== '()' && !receiver.startsWith('$') && !receiver.startsWith('cb(') && receiver !== 'PrismaClient' ? { method } : null;
    },
    sameTickBatchable: (method) => method === 'findUnique',
  },
  batching: {
    read: 'Load the rows in one query with `findMany({ where: { id: { in: ids } } })`, or `include` the relation in the query that loaded the parent rows.',
    write: 'Write the rows in one statement with `createMany`/`updateMany`/`deleteMany` (`where: { id: { in: ids } }`).',
  },
  clients: [{ paths: [['PrismaClient', '()']], ping: '%.$queryRaw`SELECT 1`', close: '%.$disconnect()' }],
  // The SQL its calls send, for the unindexed-filter analysis (src/core/sql/sqlFromCode.ts).
  queries: {
    calls: { methods: new Set([...PRISMA_DELEGATE, ...PRISMA_RAW]), templates: true },
    extract: (site, ctx) => [...sqlArgumentExtractor('dollar', new Set(['$queryRawUnsafe', '$executeRawUnsafe'])).extract(site, ctx), ...prismaDelegateQuery(site)],
  },
} satisfies DbLibraryDescriptor;
