import type { DbLibraryDescriptor } from './types';

const MONGOOSE_QUERIES = new Set([
  'find', 'findOne', 'findById', 'findOneAndUpdate', 'findByIdAndUpdate', 'findOneAndDelete', 'findByIdAndDelete', 'findOneAndReplace',
  'findOneAndRemove', 'findByIdAndRemove', 'countDocuments', 'estimatedDocumentCount', 'exists', 'distinct', 'aggregate', 'create', 'insertMany',
  'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'replaceOne', 'bulkWrite', 'bulkSave', 'populate', 'save', 'remove',
]);

/** Mongoose: model statics and documents' `save`. Not PostgreSQL, but an N+1 is an N+1. */
export const mongoose = {
  id: 'mongoose',
  displayName: 'Mongoose',
  packages: ['mongoose', '@nestjs/mongoose', '@typegoose/typegoose'],
  connects: true,
  recognition: {
    methods: MONGOOSE_QUERIES,
    arrayValuesAreSets: 'filter',
    classify: (c) => {
      const m = c.method;
      if (!m || !MONGOOSE_QUERIES.has(m)) return null;
      if (c.path.includes('Schema')) return null;
      return { method: m };
    },
  },
  batching: {
    read: 'Load the documents in one query with `find({ _id: { $in: ids } })`, or `populate()` the reference in the query that loaded the parents.',
    write: 'Write the documents in one round trip with `insertMany(docs)` or `bulkWrite([...])`.',
  },
} satisfies DbLibraryDescriptor;
