/**
 * PostgreSQL's JSON plan, summarised: the node types, the node that reads the table (the costliest
 * scan, named as PostgreSQL names it: `Seq Scan on orders`, `Index Scan using orders_pkey on
 * orders`), rows read by scans versus rows returned, time and buffers.
 */

/** A node of `EXPLAIN (FORMAT JSON)` (the fields we read; PostgreSQL's names). */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  'Total Cost'?: number;
  'Plan Rows'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Filter?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export interface PlanSummary {
  /** Execution time (EXPLAIN ANALYZE), else 0. */
  ms: number;
  planningMs: number;
  /** The planner's total cost estimate. */
  cost: number;
  /** The node that reads the table, as PostgreSQL names it. */
  plan: string;
  /** Every node type, in plan order, without repeats. */
  nodeTypes: string[];
  /** Rows the scans looked at (returned + removed by their filters); estimates without ANALYZE. */
  rowsRead: number;
  rowsReturned: number;
  buffers: { sharedHit: number; sharedRead: number };
  /** Tables read by a sequential scan. */
  seqScanOn: string[];
  usesIndexScan: boolean;
  /** The plan tree, for the plan view. */
  tree: PlanNode;
}

const INDEX_NODES = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan', 'Bitmap Heap Scan']);

export function summarisePlan(root: { Plan: PlanNode; 'Execution Time'?: number; 'Planning Time'?: number }): PlanSummary {
  const nodeTypes: string[] = [];
  const scans: { node: PlanNode; read: number; time: number; children: PlanNode[] }[] = [];
  const analyzed = root.Plan['Actual Loops'] !== undefined;
  const walk = (node: PlanNode): void => {
    if (!nodeTypes.includes(node['Node Type'])) nodeTypes.push(node['Node Type']);
    // ModifyTable names the table it writes, but the rows come from the scan below it.
    if (node['Relation Name'] && node['Node Type'] !== 'ModifyTable') {
      const loops = analyzed ? node['Actual Loops'] ?? 1 : 1;
      const rows = analyzed ? node['Actual Rows'] ?? 0 : node['Plan Rows'] ?? 0;
      const removed = (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0);
      const read = (rows + removed) * loops;
      const time = analyzed ? (node['Actual Total Time'] ?? 0) * loops : node['Total Cost'] ?? 0;
      scans.push({ node, read, time, children: node.Plans ?? [] });
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root.Plan);
  const costliest = [...scans].sort((a, b) => b.time - a.time)[0];
  return {
    ms: root['Execution Time'] ?? 0,
    planningMs: root['Planning Time'] ?? 0,
    cost: root.Plan['Total Cost'] ?? 0,
    plan: costliest ? readerName(costliest.node) : root.Plan['Node Type'],
    nodeTypes,
    rowsRead: scans.reduce((sum, s) => sum + s.read, 0),
    rowsReturned: (analyzed ? root.Plan['Actual Rows'] : root.Plan['Plan Rows']) ?? 0,
    buffers: { sharedHit: root.Plan['Shared Hit Blocks'] ?? 0, sharedRead: root.Plan['Shared Read Blocks'] ?? 0 },
    seqScanOn: scans.filter((s) => s.node['Node Type'] === 'Seq Scan').map((s) => relationOf(s.node)),
    usesIndexScan: nodeTypes.some((t) => INDEX_NODES.has(t)),
    tree: root.Plan,
  };
}

function relationOf(node: PlanNode): string {
  const rel = node['Relation Name'] ?? '?';
  return node.Schema && node.Schema !== 'public' ? `${node.Schema}.${rel}` : rel;
}

/** `Seq Scan on orders`, `Index Scan using orders_pkey on orders`, `Bitmap Heap Scan on orders using orders_user_id_idx`. */
function readerName(node: PlanNode): string {
  const rel = relationOf(node);
  if (node['Index Name']) return `${node['Node Type']} using ${node['Index Name']} on ${rel}`;
  if (node['Node Type'] === 'Bitmap Heap Scan') {
    const index = findIndexName(node);
    return index ? `Bitmap Heap Scan on ${rel} using ${index}` : `Bitmap Heap Scan on ${rel}`;
  }
  return `${node['Node Type']} on ${rel}`;
}

function findIndexName(node: PlanNode): string | undefined {
  for (const child of node.Plans ?? []) {
    if (child['Index Name']) return child['Index Name'];
    const deeper = findIndexName(child);
    if (deeper) return deeper;
  }
  return undefined;
}
