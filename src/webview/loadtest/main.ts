// The load-test results panel: live charts while a run goes, then the verdict, the summary, the
// latency histogram, the per-request breakdown with the static findings on the same routes, and
// the deltas against the baseline. Every piece of data reaches the page through textContent or
// uPlot's canvas, never as HTML, so nothing from a run or a workspace can inject markup.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
// VS Code's own look for the controls (the maintained successor of @vscode/webview-ui-toolkit):
// Lit components whose styles are constructable stylesheets, so the strict CSP needs no
// 'unsafe-inline'; their colours come from the --vscode-* variables the webview host sets.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import './panel.css';
import { initialState, vscodeApi } from '../shared/vscodeApi';
import { EMPTY_PANEL_STATE, type ExtensionToPanel, type FindingLinkView, type PanelState, type PanelToExtension } from './protocol';
import { applyMessage } from './state';

const api = vscodeApi<PanelState>();
let state: PanelState = api.getState() ?? initialState<PanelState>() ?? EMPTY_PANEL_STATE;
const charts: uPlot[] = [];
const root = document.getElementById('root') as HTMLElement;

function post(msg: PanelToExtension): void {
  api.postMessage(msg);
}

type Child = Node | string | null | undefined | false;

/** Creates an element; strings become text nodes (escaped by the DOM). */
function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLElement {
  const b = h('vscode-button', attrs, label);
  b.addEventListener('click', onClick);
  return b;
}

/** A vscode-badge; `tone` colours it (pass, fail, running, neutral) through the badge's own variables. */
function badge(text: string, tone: string, attrs: Record<string, string> = {}): HTMLElement {
  return h('vscode-badge', { class: `badge ${tone}`, ...attrs }, text);
}

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  if (v >= 0.1 || v === 0) return `${v.toFixed(2)} ms`;
  return `${Number(v.toPrecision(2))} ms`;
}

function fmtNum(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function fmtRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return `${(v * 100).toFixed(v < 0.01 && v > 0 ? 2 : 1)} %`;
}

function fmtValue(v: number | null, unit: string): string {
  if (unit === 'ms') return fmtMs(v);
  if (unit === 'rate') return fmtRate(v);
  return fmtNum(v, 1);
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function palette() {
  return {
    fg: cssVar('--vscode-foreground', '#888'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.3)')),
    blue: cssVar('--vscode-charts-blue', '#3794ff'),
    green: cssVar('--vscode-charts-green', '#89d185'),
    orange: cssVar('--vscode-charts-orange', '#d18616'),
    red: cssVar('--vscode-charts-red', '#f14c4c'),
    purple: cssVar('--vscode-charts-purple', '#b180d7'),
    font: `${cssVar('--vscode-font-size', '12px')} ${cssVar('--vscode-font-family', 'sans-serif')}`,
  };
}

function axes(unit: string): uPlot.Axis[] {
  const p = palette();
  const base = { stroke: p.fg, grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1 }, font: p.font, labelFont: p.font };
  return [
    // Whole seconds only: one sample per second.
    { ...base, label: 'seconds', incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600], values: (_u, splits) => splits.map((s) => `${s}s`) },
    { ...base, label: unit, size: 60 },
  ];
}

function chartWidth(container: HTMLElement): number {
  return Math.max(280, Math.floor(container.getBoundingClientRect().width || document.body.clientWidth - 40));
}

function makeTimeChart(container: HTMLElement, title: string, unit: string, series: Array<{ label: string; color: string; width?: number }>, data: uPlot.AlignedData): uPlot {
  const opts: uPlot.Options = {
    title,
    width: chartWidth(container),
    height: 220,
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: axes(unit),
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    series: [{ label: 'time' }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: s.width ?? 2, spanGaps: true }))],
  };
  const chart = new uPlot(opts, data, container);
  charts.push(chart);
  return chart;
}

function timeData(s: PanelState) {
  const t = s.samples.map((x) => x.t);
  return {
    rps: [t, s.samples.map((x) => x.requestsPerSec)] as uPlot.AlignedData,
    latency: [t, s.samples.map((x) => x.p50), s.samples.map((x) => x.p95), s.samples.map((x) => x.p99)] as uPlot.AlignedData,
    errors: [t, s.samples.map((x) => x.errors)] as uPlot.AlignedData,
  };
}

let liveCharts: { rps: uPlot; latency: uPlot } | undefined;

function phaseBadge(s: PanelState): HTMLElement {
  const phase = { 'data-testid': 'phase' };
  if (s.phase === 'running') return badge('Running…', 'running', phase);
  if (s.phase === 'cancelled') return badge('Stopped', 'neutral', phase);
  if (s.phase === 'failed') return badge('Did not run', 'fail', phase);
  if (s.phase === 'done') {
    if (s.passed === undefined) return badge('Finished (no thresholds)', 'neutral', phase);
    return badge(s.passed ? 'PASSED' : 'FAILED', s.passed ? 'pass' : 'fail', phase);
  }
  return badge('No run yet', 'neutral', phase);
}

function header(s: PanelState): HTMLElement {
  const hd = s.header;
  const actions = h('div', { class: 'actions' });
  if (s.phase === 'running') actions.append(button('Stop', () => post({ type: 'stop' }), { 'data-testid': 'stop' }));
  else if (hd) {
    actions.append(button('Re-run', () => post({ type: 'rerun' }), { 'data-testid': 'rerun' }));
    if (hd.runId) {
      const runId = hd.runId;
      actions.append(
        button('Pin as baseline', () => post({ type: 'pinBaseline', runId }), { secondary: '', 'data-testid': 'pin' }),
        button('Compare with…', () => post({ type: 'compare', runId }), { secondary: '', 'data-testid': 'compare' }),
      );
    }
  }
  return h('header', {},
    h('div', { class: 'title' }, h('h1', {}, hd ? hd.scenario : 'Load test'), phaseBadge(s)),
    hd ? h('div', { class: 'meta' }, [hd.target, hd.load, `${hd.plannedSec}s`, hd.engine, new Date(hd.startedAt).toLocaleString()].filter(Boolean).join(' · ')) : null,
    s.message ? h('div', { class: `message ${s.phase === 'failed' ? 'error' : ''}`, 'data-testid': 'message' }, s.message) : null,
    actions,
  );
}

function tiles(s: PanelState): HTMLElement {
  const last = s.samples.at(-1);
  const sum = s.summary;
  const total = sum ? sum.requests : s.samples.reduce((a, x) => a + x.requestsPerSec, 0);
  const failed = Object.values(s.errors).reduce((a, b) => a + b, 0) + Object.entries(s.statusCodes).filter(([c]) => Number(c) >= 400).reduce((a, [, n]) => a + n, 0);
  const tile = (label: string, value: string, id: string) => h('div', { class: 'tile' }, h('div', { class: 'tile-value', 'data-testid': id }, value), h('div', { class: 'tile-label' }, label));
  return h('section', { class: 'tiles' },
    tile(sum ? 'requests/s (mean)' : 'requests/s (now)', fmtNum(sum ? sum.requestsPerSec : last?.requestsPerSec, 0), 'tile-rps'),
    tile('p95 latency', fmtMs(sum ? sum.latency.p95 : last?.p95), 'tile-p95'),
    tile('requests', fmtNum(total), 'tile-requests'),
    tile('failed', fmtNum(failed), 'tile-failed'),
    tile(sum ? 'duration' : 'elapsed', `${fmtNum(sum ? sum.durationSec : last?.t ?? 0, 0)} s${s.header && !sum ? ` of ${s.header.plannedSec}` : ''}`, 'tile-elapsed'),
  );
}

function liveSection(s: PanelState): HTMLElement {
  const rpsBox = h('div', { class: 'chart', 'data-testid': 'chart-rps', 'data-points': String(s.samples.length) });
  const latBox = h('div', { class: 'chart', 'data-testid': 'chart-latency', 'data-points': String(s.samples.length) });
  const section = h('section', {}, h('h2', {}, 'Over time'), h('div', { class: 'charts' }, rpsBox, latBox));
  // Charts need their container in the document to measure it: built after render() attaches.
  queueMicrotask(() => {
    const p = palette();
    const d = timeData(s);
    liveCharts = {
      rps: makeTimeChart(rpsBox, 'Requests per second', 'req/s', [{ label: 'req/s', color: p.blue }], d.rps),
      latency: makeTimeChart(latBox, 'Latency', 'ms', [
        { label: 'p50', color: p.green },
        { label: 'p95', color: p.orange },
        { label: 'p99', color: p.red },
      ], d.latency),
    };
  });
  return section;
}

function countBadge(n: number, bad: boolean): HTMLElement {
  const b = badge(fmtNum(n), bad ? 'fail' : 'neutral');
  b.setAttribute('variant', 'counter');
  return b;
}

function keyValueTable(title: string, rows: Array<[string, string | HTMLElement]>, testid: string): HTMLElement | null {
  if (!rows.length) return null;
  return h('div', { class: 'kv' }, h('h3', {}, title),
    h('table', { 'data-testid': testid }, h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v))))));
}

function codesAndErrors(s: PanelState): HTMLElement {
  const codes = Object.entries(s.statusCodes).sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => [c, countBadge(n, Number(c) >= 400)] as [string, HTMLElement]);
  const errs = Object.entries(s.errors).filter(([, n]) => n > 0).map(([k, n]) => [k, countBadge(n, true)] as [string, HTMLElement]);
  return h('section', { class: 'row' },
    keyValueTable('Status codes', codes, 'status-codes') ?? h('div', { class: 'kv muted' }, h('h3', {}, 'Status codes'), 'none yet'),
    keyValueTable('Errors', errs, 'errors') ?? h('div', { class: 'kv muted' }, h('h3', {}, 'Errors'), 'none'),
  );
}

function thresholdsSection(s: PanelState): HTMLElement | null {
  if (!s.thresholds.length) return null;
  return h('section', {}, h('h2', {}, 'Thresholds'),
    h('table', { class: 'grid', 'data-testid': 'thresholds' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'threshold'), h('th', { class: 'num' }, 'actual'), h('th', { class: 'num' }, 'limit'))),
      h('tbody', {}, ...s.thresholds.map((t) => h('tr', { class: t.ok ? 'ok' : 'bad', 'data-ok': String(t.ok) },
        h('td', { class: 'verdict' }, t.ok ? '✓ pass' : '✗ fail'),
        h('td', {}, h('code', {}, t.expression)),
        h('td', { class: 'num' }, fmtValue(t.actual, t.unit)),
        h('td', { class: 'num' }, t.limit === null ? '–' : fmtValue(t.limit, t.unit)))))));
}

function summarySection(s: PanelState): HTMLElement | null {
  const sum = s.summary;
  if (!sum) return null;
  const l = sum.latency;
  const rows: Array<[string, string]> = [
    ['requests', fmtNum(sum.requests)],
    ['requests/s', fmtNum(sum.requestsPerSec, 1)],
    ['failed', fmtRate(sum.failedRate)],
    ['mean', fmtMs(l.mean)], ['p50', fmtMs(l.p50)], ['p90', fmtMs(l.p90)], ['p95', fmtMs(l.p95)], ['p99', fmtMs(l.p99)], ['max', fmtMs(l.max)],
  ];
  if (sum.dropped) rows.push(['dropped starts', fmtNum(sum.dropped)]);
  return h('section', {}, h('h2', {}, 'Summary'), keyValueTable('Latency and throughput', rows, 'summary'));
}

function histogramSection(s: PanelState): HTMLElement | null {
  if (!s.histogram.length) return null;
  const box = h('div', { class: 'chart', 'data-testid': 'histogram' });
  queueMicrotask(() => {
    const p = palette();
    const xs = s.histogram.map((_b, i) => i);
    const opts: uPlot.Options = {
      title: 'Latency distribution (requests per latency band)',
      width: chartWidth(box),
      height: 200,
      scales: { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...axes('')[0], label: 'latency', values: (_u, splits) => splits.map((i) => { const b = s.histogram[Math.round(i)]; return Number.isInteger(i) && b ? fmtMs(b.toMs) : ''; }) },
        { ...axes('requests')[1] },
      ],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      series: [{}, { label: 'requests', fill: p.blue, stroke: p.blue, paths: uPlot.paths.bars!({ size: [0.8, 60] }), points: { show: false } }],
    };
    charts.push(new uPlot(opts, [xs, s.histogram.map((b) => b.count)], box));
  });
  return h('section', {}, h('h2', {}, 'Latency histogram'), box);
}

function findingLink(f: FindingLinkView): HTMLElement {
  const a = h('a', { href: '#', title: f.message, 'data-testid': 'finding' }, `${f.ruleId} (${f.file}:${f.line})`);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    post({ type: 'openFinding', file: f.file, line: f.line });
  });
  return a;
}

function requestsSection(s: PanelState): HTMLElement | null {
  if (!s.requests.length) return null;
  const cols = ['request', 'requests', 'req/s', 'p50', 'p95', 'p99', 'failed'];
  // Findings go on a row of their own under their request: a narrow panel keeps the numbers readable.
  return h('section', {}, h('h2', {}, 'Per request'),
    h('table', { class: 'grid', 'data-testid': 'requests' },
      h('thead', {}, h('tr', {}, ...cols.map((c, i) => h('th', { class: i > 0 ? 'num' : undefined }, c)))),
      h('tbody', {}, ...s.requests.flatMap((r) => [
        h('tr', { class: `request${r.findings.length ? ' has-findings' : ''}` },
          h('td', {}, h('code', {}, `${r.method} ${r.path}`), r.name && r.name !== `${r.method} ${r.path}` ? h('div', { class: 'muted' }, r.name) : null),
          h('td', { class: 'num' }, fmtNum(r.requests)),
          h('td', { class: 'num' }, fmtNum(r.requestsPerSec, 1)),
          h('td', { class: 'num' }, fmtMs(r.p50)),
          h('td', { class: 'num' }, fmtMs(r.p95)),
          h('td', { class: 'num' }, fmtMs(r.p99)),
          h('td', { class: 'num' }, fmtNum(r.errors))),
        r.findings.length
          ? h('tr', { class: 'findings-row' }, h('td', { colspan: String(cols.length) },
            h('span', { class: 'warn' }, 'Static findings on this route: '), ...r.findings.flatMap((f, i) => [i ? ', ' : '', findingLink(f)])))
          : null,
      ].filter((x): x is HTMLElement => x !== null)))));
}

function baselineSection(s: PanelState): HTMLElement | null {
  const b = s.baseline;
  if (!b) return null;
  const sign = (v: number | null) => (v === null ? '–' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)} %`);
  return h('section', {}, h('h2', {}, 'Compared with the baseline'),
    h('div', { class: `verdict-line ${b.verdict === 'Regression' ? 'bad' : b.verdict === 'Improvement' ? 'ok' : ''}`, 'data-testid': 'baseline-verdict' }, `${b.verdict} against the baseline run of ${new Date(b.startedAt).toLocaleString()}`),
    b.reasons.length ? h('ul', { class: 'reasons' }, ...b.reasons.map((r) => h('li', {}, r))) : null,
    h('table', { class: 'grid', 'data-testid': 'deltas' },
      h('thead', {}, h('tr', {}, ...['metric', 'baseline', 'this run', 'change'].map((c, i) => h('th', { class: i > 0 ? 'num' : undefined }, c)))),
      h('tbody', {}, ...b.deltas.map((d) => h('tr', { class: d.verdict === 'worse' ? 'bad' : d.verdict === 'better' ? 'ok' : '' },
        h('td', {}, d.label),
        h('td', { class: 'num' }, fmtValue(d.baseline, d.unit)),
        h('td', { class: 'num' }, fmtValue(d.current, d.unit)),
        h('td', { class: 'num delta' }, `${sign(d.change)}${d.verdict === 'same' ? '' : d.verdict === 'worse' ? ' worse' : ' better'}`))))),
    h('div', { class: 'muted method' }, `Better or worse only when the change is larger than the noise: ${b.method}`));
}

function findingsSection(s: PanelState): HTMLElement | null {
  if (!s.findings.length) return null;
  return h('section', {}, h('h2', {}, 'Static findings on the tested routes'),
    h('ul', { class: 'findings-list' }, ...s.findings.map((f) => h('li', {}, findingLink(f), h('div', { class: 'muted' }, f.message)))));
}

function render(): void {
  for (const c of charts.splice(0)) c.destroy();
  liveCharts = undefined;
  const s = state;
  // A run that did not start has no numbers: the message and Re-run say it all.
  if (s.phase === 'failed') return void root.replaceChildren(header(s));
  root.replaceChildren(
    header(s),
    tiles(s),
    s.phase === 'done' ? thresholdsSection(s) ?? '' : '',
    s.header ? liveSection(s) : '',
    codesAndErrors(s),
    summarySection(s) ?? '',
    histogramSection(s) ?? '',
    requestsSection(s) ?? '',
    baselineSection(s) ?? '',
    findingsSection(s) ?? '',
  );
}

/** A tick updates the tiles, tables and the chart data in place (no rebuild: no flicker). */
function renderTick(): void {
  if (!liveCharts) return render();
  const d = timeData(state);
  liveCharts.rps.setData(d.rps);
  liveCharts.latency.setData(d.latency);
  for (const id of ['chart-rps', 'chart-latency']) root.querySelector(`[data-testid="${id}"]`)?.setAttribute('data-points', String(state.samples.length));
  root.querySelector('.tiles')?.replaceWith(tiles(state));
  root.querySelector('section.row')?.replaceWith(codesAndErrors(state));
}

window.addEventListener('message', (event: MessageEvent<ExtensionToPanel>) => {
  const msg = event.data;
  if (!msg || typeof msg !== 'object' || (msg.type !== 'state' && msg.type !== 'tick')) return;
  state = applyMessage(state, msg);
  api.setState(state);
  if (msg.type === 'tick') renderTick();
  else render();
});

// Charts draw with the theme's colours: redraw when the theme (the body's class) changes.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const c of charts) c.setSize({ width: chartWidth(c.root.parentElement as HTMLElement), height: c.height });
  }, 100);
});

// A refusal by the strict CSP (e.g. a component that injects an inline style) is a bug: counted on
// the body (the end-to-end tests read it) and reported to the extension's log.
let cspViolations = 0;
document.addEventListener('securitypolicyviolation', (e) => {
  document.body.dataset.cspViolations = String(++cspViolations);
  post({ type: 'cspViolation', directive: e.violatedDirective, blocked: e.blockedURI || e.sample || '' });
});

render();
post({ type: 'ready' });
