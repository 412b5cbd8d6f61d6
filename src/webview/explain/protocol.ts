// Messages between the explain plan panel and the extension (imported by both sides).

/** A plan node as PostgreSQL's JSON gives it (only what the panel reads). */
export interface PlanNodeView {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Plan Rows'?: number;
  'Total Cost'?: number;
  'Rows Removed by Filter'?: number;
  Filter?: string;
  'Index Cond'?: string;
  Plans?: PlanNodeView[];
}

export interface PlanSideView {
  ms: number;
  plan: string;
  rowsRead: number;
  rowsReturned: number;
  nodeTypes: string[];
  buffers: { sharedHit: number; sharedRead: number };
  tree?: PlanNodeView;
}

export interface ExplainPanelState {
  /** `src/routes/orders.ts:12` */
  location: string;
  sql: string;
  database: string;
  rows: string;
  analyzed: boolean;
  verdict: string;
  before?: PlanSideView;
  withIndex?: PlanSideView & { index: string };
  error?: string;
  /** The "Create index migration" quick fix exists for this query. */
  canCreateIndex: boolean;
}

export type PanelToExtension = { type: 'createIndexMigration' } | { type: 'openQuery' };
export type ExtensionToPanel = { type: 'show'; state: ExplainPanelState };
