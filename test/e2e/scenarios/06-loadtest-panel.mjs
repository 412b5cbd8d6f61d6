// The load-test results panel's page (media/dist/loadtest.js + .css, as bundled) in Chromium,
// replaying the messages the extension sent during real runs (test/fixtures/loadtest-panel/
// messages.json, recorded by record.ts there against a real HTTP server). The one stand-in is
// VS Code's webview host: `acquireVsCodeApi` records what the page posts, and the --vscode-*
// theme variables are set per theme as VS Code sets them (the real workbench's are checked by
// 07-loadtest-run.mjs). Screenshots in dark, light and high-contrast themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const name = 'Load-test panel renders recorded runs (live chart, verdicts, baseline, escaping)';
export const timeoutMs = 90_000;

const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editorWidget-background': '#202020', '--vscode-editorWidget-border': '#454545', '--vscode-panel-border': '#2b2b2b',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185', '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#f14c4c',
      '--vscode-testing-iconPassed': '#73c991', '--vscode-testing-iconFailed': '#f14c4c', '--vscode-errorForeground': '#f85149',
      '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8', '--vscode-progressBar-background': '#0078d4',
      '--vscode-textLink-foreground': '#4daafc', '--vscode-textCodeBlock-background': '#2b2b2b', '--vscode-focusBorder': '#0078d4',
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
      '--vscode-editorWidget-background': '#f8f8f8', '--vscode-editorWidget-border': '#c8c8c8', '--vscode-panel-border': '#e5e5e5',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-green': '#388a34', '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#e51400',
      '--vscode-testing-iconPassed': '#388a34', '--vscode-testing-iconFailed': '#e51400', '--vscode-errorForeground': '#a1260d',
      '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b', '--vscode-progressBar-background': '#005fb8',
      '--vscode-textLink-foreground': '#005fb8', '--vscode-textCodeBlock-background': '#f0f0f0', '--vscode-focusBorder': '#005fb8',
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-descriptionForeground': '#ffffff',
      '--vscode-editorWidget-background': '#0c141f', '--vscode-editorWidget-border': '#6fc3df', '--vscode-contrastBorder': '#6fc3df',
      '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185', '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#f14c4c',
      '--vscode-testing-iconPassed': '#73c991', '--vscode-testing-iconFailed': '#f48771', '--vscode-errorForeground': '#f48771',
      '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff', '--vscode-progressBar-background': '#6fc3df',
      '--vscode-textLink-foreground': '#21a6ff', '--vscode-textCodeBlock-background': '#000000', '--vscode-focusBorder': '#f38518',
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    },
  },
};

function pageHtml(root, theme) {
  const js = fs.readFileSync(path.join(root, 'media', 'dist', 'loadtest.js'), 'utf8');
  const css = fs.readFileSync(path.join(root, 'media', 'dist', 'loadtest.css'), 'utf8');
  const vars = Object.entries(THEMES[theme].vars).map(([k, v]) => `${k}: ${v};`).join(' ');
  // The page under the same CSP the shell sets (panelHtml.ts): only nonce'd scripts and styles.
  return `<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-n0nce'; script-src 'nonce-n0nce'">
<style nonce="n0nce">html { ${vars} } ${css}</style></head>
<body class="${THEMES[theme].bodyClass}"><div id="root"></div>
<script nonce="n0nce">
  window.__posted = [];
  let saved;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => saved, setState: (s) => { saved = s; } });
</script>
<script nonce="n0nce">${js.replace(/<\/script/gi, '<\\/script')}</script>
</body></html>`;
}

async function openPanel(ctx, theme) {
  const page = await ctx.browserContext.newPage();
  await page.setViewportSize({ width: 1100, height: 1500 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.setContent(pageHtml(ctx.root, theme));
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  return { page, errors };
}

/**
 * The controls are @vscode-elements components, styled by their constructable stylesheets (which
 * the strict CSP allows) in the theme's colours: Re-run's face is --vscode-button-background, Pin
 * as baseline's (a secondary button) --vscode-button-secondaryBackground.
 */
async function assertElements(page, theme) {
  await page.mouse.move(0, 0); // no hover colour
  const got = await page.evaluate(() => ['rerun', 'pin', 'phase'].map((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    return `${el?.tagName.toLowerCase()} ${el?.shadowRoot ? el.shadowRoot.adoptedStyleSheets.length > 0 : 'no shadow root'}`;
  }));
  assert.deepEqual(got, ['vscode-button true', 'vscode-button true', 'vscode-badge true'], `${theme}: ${got}`);
  const faces = await page.evaluate(({ primary, secondary }) => {
    const rgb = (hex) => {
      const probe = document.createElement('div');
      probe.style.setProperty('color', hex);
      document.body.append(probe);
      const out = getComputedStyle(probe).color;
      probe.remove();
      return out;
    };
    const face = (id) => getComputedStyle(document.querySelector(`[data-testid="${id}"]`).shadowRoot.querySelector('.base')).backgroundColor;
    return { rerun: [face('rerun'), rgb(primary)], pin: [face('pin'), rgb(secondary)] };
  }, { primary: THEMES[theme].vars['--vscode-button-background'], secondary: THEMES[theme].vars['--vscode-button-secondaryBackground'] });
  assert.equal(faces.rerun[0], faces.rerun[1], `${theme}: Re-run is a primary button in the theme's colour`);
  assert.equal(faces.pin[0], faces.pin[1], `${theme}: Pin as baseline is a secondary button in the theme's colour`);
}

const send = (page, msg) => page.evaluate((m) => window.postMessage(m, '*'), msg);
const text = (page, id) => page.locator(`[data-testid="${id}"]`).first().innerText();

export async function run(ctx) {
  const artifacts = path.join(ctx.root, '.artifacts', 'e2e');
  const recorded = JSON.parse(fs.readFileSync(path.join(ctx.root, 'test', 'fixtures', 'loadtest-panel', 'messages.json'), 'utf8'));
  const [firstRun, secondRun] = recorded.runs;

  // Live: the start, then one tick at a time; the chart gains a point per tick.
  const { page, errors } = await openPanel(ctx, 'dark');
  await send(page, firstRun[0]);
  assert.equal(await text(page, 'phase'), 'Running…');
  assert.equal(await page.locator('[data-testid="stop"]').count(), 1, 'a running test offers Stop');
  const ticks = firstRun.filter((m) => m.type === 'tick');
  for (const [i, tick] of ticks.entries()) {
    await send(page, tick);
    await page.waitForFunction((n) => document.querySelector('[data-testid="chart-rps"]')?.getAttribute('data-points') === String(n), i + 1);
    assert.equal(await text(page, 'tile-rps'), Math.round(tick.sample.requestsPerSec).toLocaleString('en-US'));
  }
  assert.equal(await page.locator('[data-testid="chart-latency"] canvas').count(), 1, 'the latency chart is a uPlot canvas');
  const codes = await page.locator('[data-testid="status-codes"] tr').allInnerTexts();
  assert.ok(codes.some((c) => /^200\s/.test(c)), `status codes while running: ${codes}`);
  await page.screenshot({ path: path.join(artifacts, '06-loadtest-panel-live-dark.png'), fullPage: true });
  ctx.screenshots.push(path.join(artifacts, '06-loadtest-panel-live-dark.png'));

  // Done: verdict, thresholds actual vs limit, histogram, per-request rows with findings, baseline.
  const final = secondRun.at(-1).state;
  await send(page, secondRun.at(-1));
  assert.equal(await text(page, 'phase'), final.passed ? 'PASSED' : 'FAILED');
  const rows = await page.locator('[data-testid="thresholds"] tbody tr').evaluateAll((trs) => trs.map((tr) => ({ ok: tr.dataset.ok, cells: [...tr.cells].map((c) => c.innerText) })));
  assert.deepEqual(rows.map((r) => [r.ok, r.cells[1]]), final.thresholds.map((t) => [String(t.ok), t.expression]));
  assert.ok(rows.every((r) => /^(✓ pass|✗ fail)$/.test(r.cells[0]) && r.cells[2] !== '–' && r.cells[3] !== '–'), JSON.stringify(rows));
  assert.equal(await page.locator('[data-testid="histogram"] canvas').count(), 1);
  assert.equal(await page.locator('[data-testid="requests"] tbody tr.request').count(), final.requests.length);
  assert.equal(await page.locator('[data-testid="requests"] [data-testid="finding"]').count(), final.requests.reduce((n, r) => n + r.findings.length, 0));
  assert.match(await text(page, 'baseline-verdict'), new RegExp(`^${final.baseline.verdict} against the baseline run`));
  assert.equal(await page.locator('[data-testid="deltas"] tbody tr').count(), final.baseline.deltas.length);
  await page.locator('[data-testid="finding"]').first().click();
  const opened = await page.evaluate(() => window.__posted.filter((m) => m.type === 'openFinding'));
  assert.deepEqual(opened, [{ type: 'openFinding', file: 'src/routes/orders.ts', line: 25 }]);
  await assertElements(page, 'dark');
  await page.locator('[data-testid="pin"]').click();
  assert.ok(await page.evaluate((id) => window.__posted.some((m) => m.type === 'pinBaseline' && m.runId === id), final.header.runId));
  assert.deepEqual(errors, [], `page errors: ${errors.join('\n')}`);
  await page.screenshot({ path: path.join(artifacts, '06-loadtest-panel-done-dark.png'), fullPage: true });
  ctx.screenshots.push(path.join(artifacts, '06-loadtest-panel-done-dark.png'));
  await page.close();

  for (const theme of ['light', 'high-contrast']) {
    const p = await openPanel(ctx, theme);
    await send(p.page, secondRun.at(-1));
    await p.page.locator('[data-testid="histogram"] canvas').waitFor();
    await assertElements(p.page, theme);
    assert.deepEqual(p.errors, []);
    const file = path.join(artifacts, `06-loadtest-panel-done-${theme}.png`);
    await p.page.screenshot({ path: file, fullPage: true });
    ctx.screenshots.push(file);
    await p.page.close();
  }

  // Data is text, never markup: a hostile scenario name and finding render literally.
  const hostile = '<img src=x onerror="window.__pwned=1">';
  const evil = structuredClone(final);
  evil.header.scenario = hostile;
  evil.requests[0].findings[0].message = hostile;
  evil.requests[0].path = `/x"><script>window.__pwned=2</script>`;
  const x = await openPanel(ctx, 'dark');
  await send(x.page, { type: 'state', state: evil });
  assert.equal(await x.page.locator('h1').innerText(), hostile);
  assert.equal(await x.page.locator('img').count(), 0);
  assert.equal(await x.page.evaluate(() => window.__pwned), undefined);
  await x.page.close();

  ctx.log(`rendered ${ticks.length} live ticks and two finished runs; screenshots in ${path.relative(ctx.root, artifacts)}`);
}
