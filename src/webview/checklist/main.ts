// The readiness report, in the manner of Lighthouse: a gauge per category, then the failed items
// first with their evidence and next steps, warnings, manual items; passed and not-applicable
// items collapsed. Everything is built with DOM APIs and textContent (no HTML from data).
import { initialState, vscodeApi } from '../shared/vscodeApi';
import type { CategoryView, FolderReport, FromWebview, ItemView, ReportState, Status, ToWebview } from './protocol';

const api = vscodeApi<ReportState>();
let state: ReportState = api.getState() ?? { folders: initialState<FolderReport[]>() ?? [], open: [] };
let computing = state.folders.length === 0;

const post = (m: FromWebview) => api.postMessage(m);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function gauge(score: number | null, label: string, size = 96): HTMLElement {
  const box = el('div', 'gauge');
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 120 120');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${label}: ${score ?? 'not scored'}`);
  const r = 52;
  const circ = 2 * Math.PI * r;
  const track = document.createElementNS(ns, 'circle');
  track.setAttribute('cx', '60');
  track.setAttribute('cy', '60');
  track.setAttribute('r', String(r));
  track.setAttribute('class', 'gauge-track');
  const arc = document.createElementNS(ns, 'circle');
  arc.setAttribute('cx', '60');
  arc.setAttribute('cy', '60');
  arc.setAttribute('r', String(r));
  arc.setAttribute('class', `gauge-arc ${band(score)}`);
  arc.setAttribute('stroke-dasharray', `${((score ?? 0) / 100) * circ} ${circ}`);
  arc.setAttribute('transform', 'rotate(-90 60 60)');
  const text = document.createElementNS(ns, 'text');
  text.setAttribute('x', '60');
  text.setAttribute('y', '60');
  text.setAttribute('class', `gauge-text ${band(score)}`);
  text.textContent = score === null ? '–' : String(score);
  svg.append(track, arc, text);
  box.append(svg, el('div', 'gauge-label', label));
  return box;
}

function band(score: number | null): string {
  if (score === null) return 'none';
  return score >= 90 ? 'good' : score >= 50 ? 'average' : 'poor';
}

const ICON: Record<Status, string> = { pass: '✔', warn: '▲', fail: '✖', manual: '?', 'n/a': '–' };

/** `next` is text with optional ``` fences: paragraphs and code blocks, as text nodes. */
function nextStep(next: string): HTMLElement {
  const box = el('div', 'next');
  box.append(el('span', 'next-label', 'Next step: '));
  const parts = next.split(/```(?:\w+)?\n?/);
  parts.forEach((part, i) => {
    if (!part.trim()) return;
    if (i % 2 === 1) {
      const pre = el('pre');
      pre.append(el('code', undefined, part.replace(/\n$/, '')));
      box.append(pre);
    } else box.append(el('span', 'next-text', part.trim()));
  });
  return box;
}

function itemView(folder: FolderReport, item: ItemView): HTMLElement {
  const box = el('div', `item status-${item.status.replace('/', '')}`);
  box.dataset.id = item.id;
  const head = el('div', 'item-head');
  head.append(el('span', `icon status-${item.status.replace('/', '')}`, ICON[item.status]), el('span', 'item-title', item.title), el('span', 'item-id', item.id));
  if (item.answered) head.append(el('span', 'badge', 'answered'));
  const docs = el('a', 'docs', 'Docs');
  docs.href = '#';
  docs.addEventListener('click', (e) => {
    e.preventDefault();
    post({ type: 'openDocs', id: item.id });
  });
  head.append(docs);
  box.append(head);
  const list = el('ul', 'evidence');
  for (const ev of item.evidence) {
    const li = el('li');
    if (ev.file) {
      const a = el('a', 'loc', `${ev.file}${ev.line ? `:${ev.line}` : ''}`);
      a.href = '#';
      a.addEventListener('click', (e) => {
        e.preventDefault();
        post({ type: 'openFile', root: folder.root, file: ev.file as string, line: ev.line });
      });
      li.append(a, document.createTextNode(' '));
    }
    li.append(el('span', undefined, ev.note));
    list.append(li);
  }
  box.append(list);
  if (item.status !== 'pass' && item.status !== 'n/a') box.append(nextStep(item.next));
  return box;
}

function section(key: string, title: string, items: Array<{ folder: FolderReport; item: ItemView }>, collapsed: boolean): HTMLElement {
  const details = el('details', 'section');
  details.dataset.key = key;
  const open = state.open.includes(key) ? true : state.open.includes(`!${key}`) ? false : !collapsed;
  details.open = open;
  details.append(el('summary', undefined, `${title} (${items.length})`));
  for (const { folder, item } of items) details.append(itemView(folder, item));
  details.addEventListener('toggle', () => {
    state.open = state.open.filter((k) => k !== key && k !== `!${key}`);
    state.open.push(details.open ? key : `!${key}`);
    api.setState(state);
  });
  return details;
}

function render(): void {
  const root = document.getElementById('root');
  if (!root) return;
  root.replaceChildren();
  const header = el('header');
  header.append(el('h1', undefined, 'Production readiness'));
  const refresh = el('button', 'refresh', 'Refresh');
  refresh.addEventListener('click', () => post({ type: 'refresh' }));
  header.append(refresh);
  root.append(header);
  if (state.folders.length === 0) {
    root.append(el('p', 'empty', computing ? 'Shipshape is evaluating the checklist…' : 'No checklist yet: open a folder with a TypeScript API.'));
    return;
  }
  for (const folder of state.folders) {
    const wrap = el('section', 'folder');
    if (state.folders.length > 1) wrap.append(el('h2', undefined, folder.name));
    const gauges = el('div', 'gauges');
    gauges.append(gauge(folder.report.score, 'Overall', 120));
    for (const c of folder.report.categories) gauges.append(gauge(c.score, c.title));
    wrap.append(gauges);
    wrap.append(el('p', 'legend', 'Score 0–100 per category: a fail costs twice a warn; manual and not-applicable items are not scored. Answer manual items in shipshape.config.json (checklist.answers) or from the Checklist view.'));
    const all = folder.report.categories.flatMap((c: CategoryView) => c.items.map((item) => ({ folder, item })));
    const by = (s: Status) => all.filter((x) => x.item.status === s);
    wrap.append(
      section(`${folder.root}:fail`, 'Failed', by('fail'), false),
      section(`${folder.root}:warn`, 'Warnings', by('warn'), false),
      section(`${folder.root}:manual`, 'To answer by the team', by('manual'), false),
      section(`${folder.root}:pass`, 'Passed', by('pass'), true),
      section(`${folder.root}:na`, 'Not applicable', by('n/a'), true),
    );
    if (folder.report.problems.length > 0) {
      const p = el('div', 'problems');
      p.append(el('h3', undefined, 'Files that could not be read'));
      const ul = el('ul');
      for (const pr of folder.report.problems) ul.append(el('li', undefined, `${pr.file ?? ''}${pr.line ? `:${pr.line}` : ''} ${pr.note}`));
      p.append(ul);
      wrap.append(p);
    }
    root.append(wrap);
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  if (m?.type === 'report') {
    computing = m.computing;
    state = { ...state, folders: m.folders };
    api.setState(state);
    render();
  }
});

render();
post({ type: 'ready' });
