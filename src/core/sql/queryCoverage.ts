/**
 * One SQL query against the schema: parse (the real PostgreSQL parser), the table accesses
 * (queryShape.ts), and the coverage of each (coverage.ts).
 */
import { coverageOf, type IndexCoverage } from './coverage';
import { parseStatement } from './parser';
import { tableAccesses, type TableAccess } from './queryShape';
import type { SchemaModel } from './schema';

export interface QueryCoverage {
  accesses: TableAccess[];
  /** One per table access an index matters for (filtered, joined as a lookup, or ordered with LIMIT). */
  coverages: IndexCoverage[];
  /** Set when PostgreSQL rejects the query text. */
  error?: string;
}

/**
 * Verdicts already computed against a schema, by query text: the same text (a lookup by id, a
 * shared fragment) is parsed and judged once per schema, and the language server re-checking a
 * file on each edit re-parses only the queries that changed. A rebuilt schema is a new object, so
 * its verdicts start afresh. The results are read-only.
 */
const verdicts = new WeakMap<SchemaModel, Map<string, QueryCoverage>>();
const MAX_REMEMBERED = 10_000;

export function coverageOfQuery(sql: string, schema: SchemaModel): QueryCoverage {
  let known = verdicts.get(schema);
  if (!known) verdicts.set(schema, (known = new Map()));
  const hit = known.get(sql);
  if (hit) return hit;
  const result = computeCoverage(sql, schema);
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(sql, result);
  return result;
}

function computeCoverage(sql: string, schema: SchemaModel): QueryCoverage {
  const stmt = parseStatement(sql);
  if (stmt.error || !stmt.ast) return { accesses: [], coverages: [], error: stmt.error?.message ?? 'empty query' };
  const accesses = tableAccesses(stmt.ast, schema);
  const coverages = accesses.flatMap((access) => {
    // A join condition is a lookup when another table narrows the rows first; joining two
    // whole tables is a hash join, where an index would not be used.
    const countJoins = accesses.some((other) => other !== access && other.predicates.some((p) => !p.join && p.kind !== 'is-not-null'));
    const c = coverageOf(access, { countJoins });
    return c ? [c] : [];
  });
  return { accesses, coverages };
}
