import type { DbLibraryDescriptor } from './types';
import { sqlArgumentExtractor } from '../../sql/sqlFromCode';
import { sequelizeQuery } from '../../sql/sequelizeQueries';

const SEQUELIZE_QUERIES = new Set([
  'findAll', 'findOne', 'findByPk', 'findOrCreate', 'findOrBuild', 'findCreateFind', 'findAndCountAll', 'count', 'max', 'min', 'sum', 'aggregate',
  'create', 'bulkCreate', 'update', 'destroy', 'upsert', 'increment', 'decrement', 'restore', 'truncate', 'query', 'save', 'reload',
  '$get', '$set', '$add', '$remove', '$has', '$count', '$create',
]);
/** Model instance methods that look like association mixins but touch no database. */
const SEQUELIZE_NOT_MIXINS = new Set(['getDataValue', 'setDataValue', 'getTableName', 'getAttributes', 'getAssociations', 'setAttributes', 'setValidators', 'hasOne', 'hasMany', 'hasAlias', 'addScope', 'addHook', 'removeHook', 'hasHook', 'removeAttribute']);

/** Sequelize: model statics, instance `save`/`reload`, association mixins. */
export const sequelize = {
  id: 'sequelize',
  displayName: 'Sequelize',
  packages: ['sequelize', 'sequelize-typescript', '@sequelize/core'],
  recognition: {
    methods: SEQUELIZE_QUERIES,
    associationMixins: true,
    arrayValuesAreSets: 'where',
    classify: (c) => {
      const m = c.method;
      if (!m) return null;
      if (SEQUELIZE_QUERIES.has(m)) return { method: m };
      // Association mixins: `declare getPosts: HasManyGetAssociationsMixin<Post>` or `user.getPosts()` on a model instance.
      if (c.path.some((s) => /AssociationsMixin$|AssociationMixin$/.test(s))) return { method: m };
      // Guessed from the name alone: only when the project does not declare a method of that name itself.
      if (!c.typed && !c.declaredInProject && /^(get|set|add|remove|has|count|create)[A-Z]/.test(m) && !SEQUELIZE_NOT_MIXINS.has(m) && c.path[c.path.length - 2] === '()') return { method: m };
      return null;
    },
  },
  batching: {
    read: 'Load the rows in one query with `findAll({ where: { id: ids } })` (`IN`), or `include` the association in the query that loaded the parent rows.',
    write: 'Write the rows in one statement with `bulkCreate(rows)`, or `update`/`destroy` with `where: { id: ids }`.',
  },
  clients: [{ paths: [['Sequelize', '()']], ping: '%.authenticate()', close: '%.close()' }],
  // The SQL its calls send (src/core/sql/sqlFromCode.ts) and model finders' `where`/`order`
  // (src/core/sql/sequelizeQueries.ts), for the unindexed-filter analysis.
  queries: {
    calls: { methods: SEQUELIZE_QUERIES, templates: true },
    extract: (site, ctx) => [...sqlArgumentExtractor('named', new Set(['query'])).extract(site, ctx), ...sequelizeQuery(site, ctx)],
  },
} satisfies DbLibraryDescriptor;
