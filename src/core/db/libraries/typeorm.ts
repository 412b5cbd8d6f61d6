import type { CallShape, DbLibraryDescriptor } from './types';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';
import { typeormQuery } from '../../sql/typeormQueries';

const TYPEORM_QUERY_BUILDER = new Set([
  'getOne', 'getOneOrFail', 'getMany', 'getRawOne', 'getRawMany', 'getRawAndEntities', 'getManyAndCount', 'getCount', 'getExists', 'execute', 'stream',
]);
const TYPEORM_REPOSITORY = new Set([
  'find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'findByIds', 'findOneById',
  'count', 'countBy', 'exist', 'exists', 'existsBy', 'sum', 'average', 'minimum', 'maximum', 'save', 'insert', 'update', 'updateAll', 'upsert',
  'delete', 'deleteAll', 'remove', 'softDelete', 'softRemove', 'restore', 'recover', 'increment', 'decrement', 'query', 'clear', 'preload', 'sql',
]);

function isTypeormBuilder(c: CallShape): boolean {
  if (c.typed) return /QueryBuilder$/.test(c.path[0] ?? '');
  return c.path.some((s) => s === 'createQueryBuilder' || s === 'getQueryBuilder' || s === 'QueryBuilder' || /QueryBuilder$/.test(s));
}

/** TypeORM: repositories, `EntityManager`, `BaseEntity` statics, query builders' terminators. */
export const typeorm = {
  id: 'typeorm',
  displayName: 'TypeORM',
  packages: ['typeorm', '@nestjs/typeorm'],
  recognition: {
    methods: new Set([...TYPEORM_QUERY_BUILDER, ...TYPEORM_REPOSITORY]),
    classify: (c) => {
      const m = c.method;
      if (!m) return null;
      if (TYPEORM_QUERY_BUILDER.has(m) && (m !== 'execute' || isTypeormBuilder(c))) return { method: m };
      if (isTypeormBuilder(c)) return null;
      return TYPEORM_REPOSITORY.has(m) ? { method: m } : null;
    },
  },
  batching: {
    read: 'Load the rows in one query with `findBy({ id: In(ids) })`, or load the relation with the parent rows (`relations`, or `leftJoinAndSelect` in a query builder).',
    write: 'Write the rows in one statement: `save(entities)`/`insert([...])` with an array, or an `update`/`delete` with `In(ids)`.',
  },
  clients: [{ paths: [['DataSource', '()']], ping: "%.query('SELECT 1')", close: '%.destroy()' }],
  // The SQL its calls send (src/core/sql/sqlFromCode.ts), and find options / QueryBuilder chains
  // in the entity's terms (src/core/sql/typeormQueries.ts), for the unindexed-filter analysis.
  queries: {
    calls: { methods: new Set([...TYPEORM_QUERY_BUILDER, ...TYPEORM_REPOSITORY]), templates: true },
    extract: (site, ctx) => [...sqlArgumentExtractor('dollar', new Set(['query'])).extract(site, ctx), ...typeormQuery(site, ctx)],
  },
} satisfies DbLibraryDescriptor;
