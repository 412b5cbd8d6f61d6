/**
 * `shipshape/queries` (client → server): the queries Shipshape extracted from one document (SQL
 * strings, tagged templates, ORM calls), for the "Explain at N rows" CodeLens above each.
 * Imported by both sides (no `vscode` import here, no server-only code).
 */
export const QUERIES_REQUEST = 'shipshape/queries';

export interface QueriesParams {
  uri: string;
}

export interface DocumentQuery {
  /** 0-based LSP range of the SQL literal, template or ORM call. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** The SQL as explain runs it (`$1`, `$2`, … for parameters; ORM calls as their SQL). */
  sql: string;
  /** Tables it reads that the schema knows. */
  tables: string[];
  verdict: 'served' | 'partly' | 'not-served' | 'no-filter';
  /** The index the unindexed-filter analysis suggests, when the query is not served. */
  createIndex?: string;
  /** The database library whose call sends it (`pg`, `prisma`, …). */
  library: string;
}

export interface QueriesResult {
  queries: DocumentQuery[];
}
