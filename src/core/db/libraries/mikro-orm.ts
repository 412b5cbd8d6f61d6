import type { DbLibraryDescriptor } from './types';

const MIKRO_ENTITY_MANAGER = new Set([
  'find', 'findOne', 'findOneOrFail', 'findAll', 'findAndCount', 'findByCursor', 'count', 'flush', 'persistAndFlush', 'removeAndFlush',
  'nativeInsert', 'nativeUpdate', 'nativeDelete', 'insert', 'insertMany', 'upsert', 'upsertMany', 'populate', 'refresh', 'refreshOrFail',
  'execute', 'lock', 'getResult', 'getResultList', 'getSingleResult', 'getResultAndCount', 'getCount',
]);
const MIKRO_LAZY = new Set(['init', 'load', 'loadItems', 'loadCount', 'loadOrFail', 'matching', 'loadProperty']);

/** MikroORM: `EntityManager`, repositories, lazy `Collection.init`/`Ref.load`. */
export const mikroOrm = {
  id: 'mikro-orm',
  displayName: 'MikroORM',
  packages: [],
  packagePrefixes: ['@mikro-orm/'],
  recognition: {
    methods: new Set([...MIKRO_ENTITY_MANAGER, ...MIKRO_LAZY]),
    arrayValuesAreSets: 'filter',
    classify: (c) => {
      const m = c.method;
      if (!m) return null;
      const lazy = c.path.some((s) => /^(Collection|Reference|Ref|ScalarReference|LoadedCollection|LoadedReference|wrap)$/.test(s));
      if (lazy) return MIKRO_LAZY.has(m) ? { method: m, operation: 'read' } : null;
      return MIKRO_ENTITY_MANAGER.has(m) ? { method: m } : null;
    },
  },
  batching: {
    read: 'Load the rows in one query with `em.find(Entity, { id: { $in: ids } })`, or `populate` the relation with the parent rows.',
    write: 'Call `em.persist()` in the loop and `em.flush()` once after it: the unit of work batches the statements.',
  },
  clients: [{ paths: [['MikroORM', 'init', '()']], ping: "%.em.getConnection().execute('SELECT 1')", close: '%.close()' }],
} satisfies DbLibraryDescriptor;
