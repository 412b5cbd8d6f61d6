// A load test from the command palette in real VS Code, against a real HTTP server this test
// starts on 127.0.0.1: the live chart grows while it runs, the verdict shows at the end, the run
// is pinned as the baseline, re-run, and the second run is compared with it. Then the theme is
// switched to light (screenshots in both), and a restricted window refuses to run anything:
// the server sees no request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const name = 'Load test from the palette: live chart, verdict, baseline, re-run, compare, restricted mode';
export const timeoutMs = 300_000;

function startServer() {
  const seen = { total: 0 };
  const server = http.createServer((req, res) => {
    seen.total++;
    if (req.url.startsWith('/orders/')) {
      res.setHeader('content-type', 'application/json');
      res.end('{"id":1,"items":[]}');
      return;
    }
    // The list endpoint: 8–20 ms, like a query per order would make it.
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end('[]');
    }, 8 + (seen.total % 4) * 4);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen, port: server.address().port })));
}

function writeConfig(folder, port) {
  fs.writeFileSync(path.join(folder, 'shipshape.config.json'), JSON.stringify({
    loadtest: {
      baseUrl: `http://127.0.0.1:${port}`,
      scenarios: [{
        name: 'orders',
        requests: [
          { name: 'list', method: 'GET', path: '/orders?status=open', weight: 3 },
          { name: 'one', method: 'GET', path: '/orders/1', weight: 1 },
        ],
        connections: 4,
        duration: '6s',
        thresholds: { http_req_duration: ['p(95)<500'], 'http_req_duration{name:one}': ['p(99)<0.001'], http_req_failed: ['rate<0.01'] },
      }],
    },
  }, null, 2));
}

/** The results panel's frame (the webview's inner iframe), once it shows the given phase. */
async function panelFrame(page, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.locator('[data-testid="phase"]').count().catch(() => 0)) return frame;
    }
    if (Date.now() > deadline) throw new Error('the load-test results panel did not appear');
    await page.waitForTimeout(250);
  }
}

async function waitForText(frame, testid, re, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = await frame.locator(`[data-testid="${testid}"]`).first().innerText().catch(() => '');
    if (re.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`[data-testid=${testid}] did not match ${re} within ${timeoutMs / 1000} s; it shows "${last}"`);
    await frame.page().waitForTimeout(200);
  }
}

/** Opens a command from the palette that answers with its own quick pick, and picks `item`. */
async function pickFromCommand(workbench, command, item) {
  const { page } = workbench;
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${command}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().click();
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: item }).first();
  await row.waitFor({ timeout: 15_000 });
  const labels = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  await row.click();
  return labels.map((l) => l.replace(/\s+/g, ' ').trim());
}

export async function run(ctx) {
  const artifacts = path.join(ctx.root, '.artifacts', 'e2e');
  const { server, seen, port } = await startServer();
  try {
    const folder = ctx.copyExample('orders-api');
    writeConfig(folder, port);
    const workbench = await ctx.open(folder, { trust: true });
    const { page } = workbench;
    await workbench.openFile('shipshape.config.json');

    // 1. From the palette: the quick pick lists the scenario (never run yet) and "Quick test a URL…".
    const offered = await pickFromCommand(workbench, 'Shipshape: Run Load Test…', 'orders');
    assert.ok(offered.some((l) => /orders.*not run yet/.test(l)), `quick pick: ${offered.join(' | ')}`);
    assert.ok(offered.some((l) => /Quick test a URL/.test(l)), `quick pick: ${offered.join(' | ')}`);

    // 2. Live: the panel opens, the chart gains points every second, the status bar shows req/s.
    let frame = await panelFrame(page);
    await waitForText(frame, 'phase', /Running/);
    const points = async () => Number(await frame.locator('[data-testid="chart-rps"]').getAttribute('data-points').catch(() => '0'));
    // The status bar shows the run while it goes (read while polling: a loaded machine may finish a 6 s run quickly).
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

    // 3. The verdict: the per-request threshold on "one" cannot pass (p99 < 0.001 ms).
    const verdict = await waitForText(frame, 'phase', /PASSED|FAILED/, 60_000);
    assert.equal(verdict, 'FAILED');
    const thresholds = await frame.locator('[data-testid="thresholds"] tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.dataset.ok} ${tr.cells[1].innerText}`));
    assert.deepEqual(thresholds, ['true p(95)<500', 'false p(99)<0.001 on one', 'true rate<0.01']);
    const served = seen.total;
    assert.ok(served > 100, `the server saw ${served} requests`);
    const requestsTile = Number((await frame.locator('[data-testid="tile-requests"]').innerText()).replace(/,/g, ''));
    // The engine counts responses it received; the server counts requests it answered (a few may be in flight at the stop).
    assert.ok(Math.abs(requestsTile - served) <= 8, `panel says ${requestsTile} requests, the server saw ${served}`);
    const runsDir = path.join(folder, '.shipshape', 'runs');
    const saved = () => fs.readdirSync(runsDir).filter((f) => f.endsWith('.json') && f !== 'baselines.json');
    assert.equal(saved().length, 1, 'the run is saved under .shipshape/runs');
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
    await view.locator('.monaco-list-row', { hasText: 'orders' }).first().click();
    await page.keyboard.press('ArrowRight');
    await view.locator('.monaco-list-row', { hasText: '★' }).first().waitFor({ timeout: 10_000 });
    const rows = (await view.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.equal(rows.filter((r) => /p95 .* req\/s/.test(r)).length, 2, `Load Tests view: ${rows.join(' | ')}`);

    // 6. Compare Load Test Runs…: pick the newest, then the baseline.
    await pickFromCommand(workbench, 'Shipshape: Compare Load Test Runs…', 'orders');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'baseline' }).first().click();
    frame = await panelFrame(page);
    await waitForText(frame, 'baseline-verdict', /against the baseline run/, 15_000);
    await frame.locator('[data-testid="deltas"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, '07-loadtest-compare-dark.png') });
    ctx.screenshots.push(path.join(artifacts, '07-loadtest-compare-dark.png'));

    // 7. Create Load Test Scenario from the routes found: the list endpoints, written into the config.
    await pickFromCommand(workbench, 'Shipshape: Create Load Test Scenario', 'smoke');
    const configFile = path.join(folder, 'shipshape.config.json');
    const until = Date.now() + 15_000;
    let created;
    while (!created && Date.now() < until) {
      // The save may be in progress: a partial file is read again.
      try { created = JSON.parse(fs.readFileSync(configFile, 'utf8')).loadtest.scenarios.find((s) => s.name === 'smoke'); } catch {}
      if (!created) await page.waitForTimeout(200);
    }
    assert.ok(created, 'no "smoke" scenario was written into shipshape.config.json');
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

    // 9. Restricted mode: the CodeLens and the palette refuse, and say why; nothing is sent.
    // A sibling copy (not inside the trusted folder, which would share its trust).
    const restrictedFolder = `${folder}-restricted`;
    fs.cpSync(folder, restrictedFolder, { recursive: true, filter: (src) => !/[\\/]\.(shipshape|vscode)$/.test(src) });
    writeConfig(restrictedFolder, port);
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
