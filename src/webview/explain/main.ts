// The explain plan panel: verdict, before/with-index figures, and each plan as a tree with its
// costliest node highlighted.
import { initialState, vscodeApi } from '../shared/vscodeApi';
import type { ExplainPanelState, ExtensionToPanel, PanelToExtension, PlanNodeView, PlanSideView } from './protocol';

const api = vscodeApi<ExplainPanelState>();
const root = document.getElementById('root')!;

function post(message: PanelToExtension): void {
  api.postMessage(message);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function ms(n: number): string {
  return n >= 100 ? `${Math.round(n).toLocaleString('en-US')} ms` : n >= 1 ? `${n.toFixed(1)} ms` : `${n.toFixed(2)} ms`;
}

/** Self time is what a node adds on top of its children: the costly node is the one to look at. */
function selfTime(node: PlanNodeView): number {
  const total = (node['Actual Total Time'] ?? node['Total Cost'] ?? 0) * (node['Actual Loops'] ?? 1);
  const children = (node.Plans ?? []).reduce((s, c) => s + (c['Actual Total Time'] ?? c['Total Cost'] ?? 0) * (c['Actual Loops'] ?? 1), 0);
  return Math.max(0, total - children);
}

function costliest(node: PlanNodeView): PlanNodeView {
  let best = node;
  const walk = (n: PlanNodeView): void => {
    if (selfTime(n) > selfTime(best)) best = n;
    (n.Plans ?? []).forEach(walk);
  };
  walk(node);
  return best;
}

function renderTree(node: PlanNodeView, hot: PlanNodeView, analyzed: boolean): HTMLElement {
  const li = el('li');
  const label = el('div', node === hot ? 'node hot' : 'node');
  const name = node['Index Name'] ? `${node['Node Type']} using ${node['Index Name']} on ${node['Relation Name']}` : node['Relation Name'] ? `${node['Node Type']} on ${node['Relation Name']}` : node['Node Type'];
  label.append(el('span', 'type', name));
  const facts: string[] = [];
  if (analyzed) {
    facts.push(`${ms((node['Actual Total Time'] ?? 0) * (node['Actual Loops'] ?? 1))}`);
    facts.push(`${(node['Actual Rows'] ?? 0).toLocaleString('en-US')} rows${(node['Actual Loops'] ?? 1) > 1 ? ` × ${node['Actual Loops']} loops` : ''}`);
    if (node['Rows Removed by Filter']) facts.push(`${node['Rows Removed by Filter'].toLocaleString('en-US')} removed by filter`);
  } else {
    facts.push(`cost ${Math.round(node['Total Cost'] ?? 0)}`, `~${(node['Plan Rows'] ?? 0).toLocaleString('en-US')} rows`);
  }
  label.append(el('span', 'facts', facts.join(' · ')));
  const cond = node['Index Cond'] ?? node.Filter;
  if (cond) label.append(el('div', 'cond', node['Index Cond'] ? `Index Cond: ${cond}` : `Filter: ${cond}`));
  li.append(label);
  if (node.Plans?.length) {
    const ul = el('ul');
    for (const child of node.Plans) ul.append(renderTree(child, hot, analyzed));
    li.append(ul);
  }
  return li;
}

function renderSide(title: string, side: PlanSideView, analyzed: boolean): HTMLElement {
  const section = el('section', 'side');
  section.append(el('h2', undefined, title));
  section.append(el('p', 'headline', `${side.plan} — ${analyzed ? ms(side.ms) : 'estimate'}`));
  section.append(el('p', 'figures', `${side.rowsRead.toLocaleString('en-US')} rows read, ${side.rowsReturned.toLocaleString('en-US')} returned · buffers: ${side.buffers.sharedHit.toLocaleString('en-US')} hit, ${side.buffers.sharedRead.toLocaleString('en-US')} read · ${side.nodeTypes.join(', ')}`));
  if (side.tree) {
    const ul = el('ul', 'tree');
    ul.append(renderTree(side.tree, costliest(side.tree), analyzed));
    section.append(ul);
  }
  return section;
}

function render(state: ExplainPanelState): void {
  api.setState(state);
  root.replaceChildren();
  const header = el('header');
  const where = el('a', 'location', state.location);
  where.href = '#';
  where.addEventListener('click', (e) => {
    e.preventDefault();
    post({ type: 'openQuery' });
  });
  header.append(where, el('span', 'db', ` — ${state.database}${state.analyzed ? `, ${state.rows}` : ''}`));
  root.append(header);
  root.append(el('pre', 'sql', state.sql));
  root.append(el('p', state.error ? 'verdict error' : 'verdict', state.verdict));
  if (state.withIndex && state.before) {
    const table = el('table', 'compare');
    const head = el('tr');
    head.append(el('th', undefined, ''), el('th', undefined, 'plan'), el('th', undefined, 'time'), el('th', undefined, 'rows read'));
    const row = (label: string, s: PlanSideView): HTMLTableRowElement => {
      const tr = el('tr');
      tr.append(el('td', undefined, label), el('td', undefined, s.plan), el('td', 'num', ms(s.ms)), el('td', 'num', s.rowsRead.toLocaleString('en-US')));
      return tr;
    };
    table.append(head, row('now', state.before), row('with the index', state.withIndex));
    root.append(table);
    root.append(el('pre', 'sql', state.withIndex.index));
    if (state.canCreateIndex) {
      const button = el('button', undefined, 'Create index migration');
      button.addEventListener('click', () => post({ type: 'createIndexMigration' }));
      root.append(button);
    }
  }
  const sides = el('div', 'sides');
  if (state.before) sides.append(renderSide(state.withIndex ? 'Plan now' : 'Plan', state.before, state.analyzed));
  if (state.withIndex) sides.append(renderSide('Plan with the suggested index', state.withIndex, state.analyzed));
  root.append(sides);
}

window.addEventListener('message', (event: MessageEvent<ExtensionToPanel>) => {
  if (event.data?.type === 'show') render(event.data.state);
});

const start = api.getState() ?? initialState<ExplainPanelState>();
if (start) render(start);
