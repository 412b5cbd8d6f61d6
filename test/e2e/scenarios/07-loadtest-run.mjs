// A load test from the command palette in real VS Code against the example API on its real
// database (examples/orders-api on a seeded embedded PostgreSQL, started by the harness:
// needs 'orders-api-stack'): the example's own "demo" scenario, only its baseUrl pointed at the
// running app. The live chart grows while it runs, the verdicts show at the end with the N+1
// finding beside the slow endpoint, the run is pinned as the baseline, re-run, and compared with
// it. Screenshots in dark and light themes. Then a restricted window refuses to run anything:
// a sentinel HTTP server it is pointed at sees no request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chartPoints, panelFrame, pickFromCommand, waitForText, watchCspViolations } from '../lib/loadtest.mjs';

export const name = 'Load test from the palette against the example API on PostgreSQL: live chart, verdicts, baseline, re-run, compare, themes, restricted mode';
export const timeoutMs = 420_000;
export const needs = ['orders-api-stack'];

/** Counts requests: the restricted window is pointed at it, and must not send any. */
function startSentinel() {
  const seen = { total: 0 };
  const server = http.createServer((req, res) => {
    seen.total++;
    res.end('[]');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen, port: server.address().port })));
}

/** The example's own shipshape.config.json with its baseUrl pointed at `baseUrl`. */
function pointConfigAt(folder, baseUrl) {
  const file = path.join(folder, 'shipshape.config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  config.loadtest.baseUrl = baseUrl;
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return config;
}

/** Sequential scans of order_items so far (PostgreSQL's statistics; each GET /orders makes 50). */
async function orderItemScans(stack) {
  const [row] = await stack.query("SELECT seq_scan::int AS n FROM pg_stat_user_tables WHERE relname = 'order_items'");
  return row.n;
}

export async function run(ctx) {
  const artifacts = path.join(ctx.root, '.artifacts', 'e2e');
  const { stack } = ctx;
  const { server, seen, port } = await startSentinel();
  try {
    // The app answers from the seeded database: 50 open orders, each with its items and customer.
    const listed = await (await fetch(`${stack.appUrl}/orders?status=open`)).json();
    assert.equal(listed.length, 50, `GET /orders?status=open on the example API returned ${listed.length} orders`);
    assert.ok(listed.every((o) => o.status === 'open' && Array.isArray(o.items) && o.customer?.email), 'orders come with their items and customer');
    const scansBefore = await orderItemScans(stack);

    const folder = ctx.copyExample('orders-api');
    const config = pointConfigAt(folder, stack.appUrl);
    const demo = config.loadtest.scenarios.find((sc) => sc.name === 'demo');
    const workbench = await ctx.open(folder, { trust: true });
    const { page } = workbench;
    const refused = watchCspViolations(page);
    await workbench.openFile('shipshape.config.json');
    // Shipshape has analysed the workspace (its status-bar count), as a user sees before running.
    await page.locator('.statusbar-item', { hasText: /Shipshape: \d+ problems?/ }).first().waitFor({ timeout: 60_000 });

    // 1. From the palette: the quick pick lists the scenarios (never run yet) and "Quick test a URL…".
    const offered = await pickFromCommand(workbench, 'Shipshape: Run Load Test…', 'demo');
    assert.ok(offered.some((l) => /demo.*not run yet/.test(l)), `quick pick: ${offered.join(' | ')}`);
    assert.ok(offered.some((l) => /Quick test a URL/.test(l)), `quick pick: ${offered.join(' | ')}`);

    // 2. Live: the panel opens, the chart gains points every second, the status bar shows req/s.
    let frame = await panelFrame(page);
    await waitForText(frame, 'phase', /Running/);
    const points = () => chartPoints(frame);
    // The status bar shows the run while it goes (read while polling: a loaded machine may finish a run quickly).
    const statusItem = page.locator('.statusbar-item', { hasText: /req\/s/ }).first();
    let status = '';
    const readStatus = async () => { if (!status && (await statusItem.count())) status = await statusItem.innerText().catch(() => ''); };
    const deadline = Date.now() + 30_000;
    while ((await points()) < 2 && Date.now() < deadline) {
      await readStatus();
      await page.waitForTimeout(200);
    }
    await readStatus();
    const early = await points();
    assert.ok(early >= 2, `the live chart has ${early} points after the run started`);
    await page.screenshot({ path: path.join(artifacts, '07-loadtest-live-dark.png') });
    ctx.screenshots.push(path.join(artifacts, '07-loadtest-live-dark.png'));
    await frame.locator('[data-testid="chart-rps"][data-points]').waitFor();
    while ((await points()) <= early && Date.now() < deadline + 10_000) {
      await readStatus();
      await page.waitForTimeout(200);
    }
    assert.ok((await points()) > early, 'the live chart did not update');
    assert.match(status, /req\/s · p95 .* ms/, 'the status bar did not show the running test');

    // 3. The verdicts: one row per threshold of the example's config, the badge agreeing with them.
    const verdict = await waitForText(frame, 'phase', /PASSED|FAILED/, 90_000);
    const thresholds = await frame.locator('[data-testid="thresholds"] tbody tr').evaluateAll((trs) => trs.map((tr) => ({ ok: tr.dataset.ok === 'true', text: tr.cells[1].innerText })));
    assert.deepEqual(thresholds.map((t) => t.text).sort(), ['p(95)<200 on orders (N+1)', 'rate<0.01'], `threshold rows: ${JSON.stringify(thresholds)}`);
    assert.equal(verdict, thresholds.every((t) => t.ok) ? 'PASSED' : 'FAILED');
    ctx.log(`demo against the example API: ${verdict} (${thresholds.map((t) => `${t.text} ${t.ok ? 'ok' : 'failed'}`).join(', ')})`);
    // The slow endpoint shows its N+1 finding beside its numbers, with a link to the code.
    const requestRows = await frame.locator('[data-testid="requests"] tbody tr').allInnerTexts();
    const ordersRow = requestRows.findIndex((t) => t.includes('GET /orders?status=open'));
    assert.ok(ordersRow >= 0, `per-request rows: ${requestRows.join(' | ')}`);
    assert.match(requestRows[ordersRow + 1] ?? '', /Static findings on this route: .*n-plus-one \(src\/routes\/orders\.ts:\d+\)/, `the row under GET /orders: ${requestRows[ordersRow + 1]}`);
    // The numbers are the engine's: the panel's request count is the saved run's, and the requests
    // reached PostgreSQL (every GET /orders scans order_items 50 times; statistics flush within ~10 s).
    const requestsTile = Number((await frame.locator('[data-testid="tile-requests"]').innerText()).replace(/,/g, ''));
    const runsDir = path.join(folder, '.shipshape', 'runs');
    const saved = () => fs.readdirSync(runsDir).filter((f) => f.endsWith('.json') && f !== 'baselines.json');
    assert.equal(saved().length, 1, 'the run is saved under .shipshape/runs');
    const record = JSON.parse(fs.readFileSync(path.join(runsDir, saved()[0]), 'utf8'));
    assert.equal(record.result.summary.requests.total, requestsTile, 'the panel shows the saved run\'s request count');
    assert.equal(record.result.target, `${stack.appUrl}/`);
    assert.equal(record.scenario.model.connections, demo.connections);
    const ordersStats = record.result.byRequest.find((r) => r.name === 'orders (N+1)');
    const ordersRequests = (ordersStats?.requests ?? 0) - (ordersStats?.errors ?? 0);
    assert.ok(ordersRequests > 0, 'GET /orders was requested');
    let scans = await orderItemScans(stack);
    for (const until = Date.now() + 20_000; scans - scansBefore < ordersRequests * 50 && Date.now() < until;) {
      await page.waitForTimeout(1000);
      scans = await orderItemScans(stack);
    }
    assert.ok(scans - scansBefore >= ordersRequests * 50, `PostgreSQL counted ${scans - scansBefore} scans of order_items for ${ordersRequests} GET /orders`);
    await page.screenshot({ path: path.join(artifacts, '07-loadtest-done-dark.png') });
    ctx.screenshots.push(path.join(artifacts, '07-loadtest-done-dark.png'));

    // 4. Pin as baseline, re-run from the panel: the second run is compared with the first.
    await frame.locator('[data-testid="pin"]').click();
    await frame.locator('[data-testid="rerun"]').click();
    frame = await panelFrame(page);
    await waitForText(frame, 'phase', /Running/, 30_000);
    await waitForText(frame, 'phase', /PASSED|FAILED/, 60_000);
    frame = await panelFrame(page);
    const baseline = await waitForText(frame, 'baseline-verdict', /against the baseline run/, 10_000);
    const deltas = await frame.locator('[data-testid="deltas"] tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(deltas, ['requests/s', 'mean latency', 'p50 latency', 'p95 latency', 'p99 latency', 'failed requests']);
    assert.equal(saved().length, 2);
    ctx.log(`second run: ${baseline}`);

    // 5. The Load Tests view lists the scenario with both runs, the baseline starred.
    await workbench.runCommand('Shipshape: Focus on Load Tests View');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Load Tests/i }) });
    await view.locator('.monaco-list-row', { hasText: 'demo' }).first().click();
    await page.keyboard.press('ArrowRight');
    await view.locator('.monaco-list-row', { hasText: '★' }).first().waitFor({ timeout: 10_000 });
    const rows = (await view.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.equal(rows.filter((r) => /p95 .* req\/s/.test(r)).length, 2, `Load Tests view: ${rows.join(' | ')}`);

    // 6. Compare Load Test Runs…: pick the newest, then the baseline.
    await pickFromCommand(workbench, 'Shipshape: Compare Load Test Runs…', 'demo');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'baseline' }).first().click();
    frame = await panelFrame(page);
    await waitForText(frame, 'baseline-verdict', /against the baseline run/, 15_000);
    // The panel may render the comparison again right after the verdict shows (its state is
    // restored): the element can be replaced under the locator, so scroll to the current one.
    for (let attempt = 1; ; attempt++) {
      try {
        await frame.locator('[data-testid="deltas"]').scrollIntoViewIfNeeded({ timeout: 5_000 });
        break;
      } catch (err) {
        if (attempt >= 3 || !/not attached/.test(String(err))) throw err;
        await page.waitForTimeout(300);
      }
    }
    await page.screenshot({ path: path.join(artifacts, '07-loadtest-compare-dark.png') });
    ctx.screenshots.push(path.join(artifacts, '07-loadtest-compare-dark.png'));

    // 7. Create Load Test Scenario from the routes found: the list endpoints, written into the config.
    await pickFromCommand(workbench, 'Shipshape: Create Load Test Scenario', 'smoke');
    const configFile = path.join(folder, 'shipshape.config.json');
    const until = Date.now() + 15_000;
    let created;
    while (!created && Date.now() < until) {
      // The save may be in progress: a partial file is read again.
      // The example already has a "smoke" scenario: the new one gets the next free name.
      try { created = JSON.parse(fs.readFileSync(configFile, 'utf8')).loadtest.scenarios.find((s) => s.name === 'smoke-2'); } catch {}
      if (!created) await page.waitForTimeout(200);
    }
    assert.ok(created, 'no "smoke-2" scenario was written into shipshape.config.json');
    assert.deepEqual(created.requests.map((r) => `${r.method} ${r.path}`).sort(), ['GET /customers/lookup', 'GET /orders', 'GET /orders/statuses']);
    assert.equal(created.preset, 'smoke');
    // …and "Load test this route" above the handlers, with the mount prefix from app.ts.
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
    await workbench.openFile('src/routes/orders.ts');
    const routeLenses = workbench.editor().locator('.codelens-decoration a', { hasText: 'Load test this route' });
    await routeLenses.first().waitFor({ timeout: 30_000 });
    assert.deepEqual(await routeLenses.allInnerTexts(), ['Load test this route (GET /orders)', 'Load test this route (GET /orders/statuses)', 'Load test this route (GET /orders/:id)']);
    // Close it again, so the results panel shows (restored from its state if it was behind it).
    await workbench.runCommand('View: Close Editor');

    // 8. Light theme: the panel follows the workbench's theme (colours from --vscode-* variables).
    fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': 'Default Light Modern' }));
    await page.locator('.monaco-workbench.vs:not(.vs-dark)').waitFor({ timeout: 20_000 });
    frame = await panelFrame(page);
    await frame.locator('body.vscode-light').waitFor({ timeout: 10_000 });
    await frame.locator('[data-testid="deltas"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(artifacts, '07-loadtest-compare-light.png') });
    ctx.screenshots.push(path.join(artifacts, '07-loadtest-compare-light.png'));
    await frame.locator('[data-testid="phase"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(artifacts, '07-loadtest-done-light.png') });
    ctx.screenshots.push(path.join(artifacts, '07-loadtest-done-light.png'));
    // The panel's strict CSP held all along: the browser refused nothing (the console, and the
    // page's own count of securitypolicyviolation events).
    assert.deepEqual(refused, [], 'Content-Security-Policy refusals in the console');
    assert.equal(await frame.locator('body').getAttribute('data-csp-violations'), null, 'the panel counted CSP violations');

    // 9. Restricted mode: the CodeLens and the palette refuse, and say why; nothing is sent.
    // A sibling copy (not inside the trusted folder, which would share its trust).
    const restrictedFolder = `${folder}-restricted`;
    fs.cpSync(folder, restrictedFolder, { recursive: true, filter: (src) => !/[\\/]\.(shipshape|vscode)$/.test(src) });
    pointConfigAt(restrictedFolder, `http://127.0.0.1:${port}`);
    const before = seen.total;
    const restricted = await ctx.open(restrictedFolder, { trust: false });
    assert.ok(await restricted.isRestricted());
    await restricted.openFile('shipshape.config.json');
    const lens = restricted.page.locator('.codelens-decoration a', { hasText: 'Run load test' }).first();
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();
    const toast = restricted.page.locator('.notifications-toasts .notification-toast', { hasText: /Restricted Mode/ }).first();
    await toast.waitFor({ timeout: 15_000 });
    assert.ok(await toast.locator('a, .monaco-button', { hasText: 'Manage Workspace Trust' }).count(), 'the refusal offers Manage Workspace Trust');
    await restricted.page.waitForTimeout(1500);
    assert.equal(seen.total, before, 'a restricted window sent requests');
    assert.ok(!fs.existsSync(path.join(restrictedFolder, '.shipshape')), 'a restricted window saved a run');
  } finally {
    server.close();
    server.closeAllConnections?.();
  }
}
