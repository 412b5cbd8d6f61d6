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

export function coverageOfQuery(sql: string, schema: SchemaModel): QueryCoverage {
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
