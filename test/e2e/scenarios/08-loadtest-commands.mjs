// The other load-test flows in real VS Code, against the example API on its real database (the
// harness starts it: needs 'orders-api-stack'):
// - Quick test a URL… from the palette: 10 s against the URL, saved as "quick-test";
// - Stop Load Test from the palette during a 60 s scenario: the run stops within about a second
//   and is saved as stopped;
// - Export Scenario… as a k6 script: an untitled document with the scenario's requests and thresholds;
// - Delete Run from the Load Tests view: a modal naming the run, then its file is gone;
// - a scenario aimed at another machine (http://example.com): a modal naming the host; Cancel
//   sends nothing (no run starts, nothing is saved);
// - an unreachable target (a closed port on 127.0.0.1): an error with the action that fixes it
//   (Edit URL for a quick test, Open Config at the scenario's baseUrl for a scenario).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chartPoints, modalDialog, panelFrame, pickFromCommand, toast, waitForText } from '../lib/loadtest.mjs';

export const name = 'Load-test commands: quick test + stop, export to k6, delete a run, non-loopback modal, unreachable target';
export const timeoutMs = 300_000;
export const needs = ['orders-api-stack'];

/** A port nothing listens on (bound, then closed). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function writeConfig(folder, appUrl, deadPort) {
  const file = path.join(folder, 'shipshape.config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  config.loadtest.baseUrl = appUrl;
  config.loadtest.scenarios.push(
    { name: 'long', requests: [{ name: 'one order', path: '/orders/1' }], connections: 2, duration: '60s' },
    { name: 'remote', baseUrl: 'http://example.com', requests: [{ name: 'home', path: '/' }], connections: 2, duration: '5s' },
    { name: 'closed-port', baseUrl: `http://127.0.0.1:${deadPort}`, requests: [{ name: 'orders', path: '/orders' }], connections: 2, duration: '5s' },
  );
  const text = JSON.stringify(config, null, 2);
  fs.writeFileSync(file, text);
  return text;
}

const runFiles = (folder) => {
  const dir = path.join(folder, '.shipshape', 'runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'baselines.json').sort() : [];
};

export async function run(ctx) {
  const artifacts = path.join(ctx.root, '.artifacts', 'e2e');
  const shot = async (page, file) => {
    await page.screenshot({ path: path.join(artifacts, file) });
    ctx.screenshots.push(path.join(artifacts, file));
  };
  const { stack } = ctx;
  const deadPort = await closedPort();
  const folder = ctx.copyExample('orders-api');
  const configText = writeConfig(folder, stack.appUrl, deadPort);
  const workbench = await ctx.open(folder, { trust: true });
  const { page } = workbench;
  await workbench.openFile('shipshape.config.json');

  // 1. Quick test a URL…: the input box validates and takes the URL; the run starts on the real API.
  await pickFromCommand(workbench, 'Shipshape: Run Load Test…', 'Quick test a URL…');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('not a url');
  await page.locator('.quick-input-message', { hasText: /./ }).first().waitFor({ timeout: 10_000 });
  const complaint = (await page.locator('.quick-input-message').first().innerText()).trim();
  assert.ok(complaint.length > 0, 'an invalid URL is refused as it is typed');
  const quickUrl = `${stack.appUrl}/orders/1`;
  await input.fill(quickUrl);
  await page.keyboard.press('Enter');
  let frame = await panelFrame(page);
  await waitForText(frame, 'phase', /Running/, 30_000);
  await waitForText(frame, 'phase', /Finished/, 60_000);
  let files = runFiles(folder);
  assert.equal(files.length, 1, 'the quick test is saved');
  const quick = JSON.parse(fs.readFileSync(path.join(folder, '.shipshape', 'runs', files[0]), 'utf8'));
  assert.equal(quick.result.scenario, 'quick-test');
  assert.equal(quick.result.ended, 'completed');
  assert.deepEqual(quick.scenario.requests.map((r) => `${r.method} ${r.path}`), ['GET /orders/1']);
  assert.equal(quick.scenario.model.connections, 10);
  assert.equal(quick.scenario.model.durationSec, 10);
  const { statusCodes, requests } = quick.result.summary;
  assert.ok(requests.total > 0 && statusCodes['200'] === requests.total, `the real API answered 200 to every request: ${JSON.stringify(statusCodes)} of ${requests.total}`);
  const quickRunId = files[0].replace(/\.json$/, '');

  // 2. Stop Load Test from the palette while a 60 s scenario runs: stopped within about a second, saved as stopped.
  await pickFromCommand(workbench, 'Shipshape: Run Load Test…', 'long');
  frame = await panelFrame(page);
  await waitForText(frame, 'phase', /Running/, 30_000);
  for (const until = Date.now() + 30_000; (await chartPoints(frame)) < 1 && Date.now() < until;) await page.waitForTimeout(200);
  await page.keyboard.press('F1');
  await input.fill('>Shipshape: Stop Load Test');
  const stopRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Shipshape: Stop Load Test' }).first();
  await stopRow.waitFor();
  const stopAt = Date.now();
  await stopRow.click();
  await waitForText(frame, 'phase', /Stopped/, 10_000);
  const shownStoppedAfter = Date.now() - stopAt;
  for (const until = Date.now() + 10_000; runFiles(folder).length < 2 && Date.now() < until;) await page.waitForTimeout(100);
  files = runFiles(folder);
  assert.equal(files.length, 2, 'the stopped run is saved');
  const stopped = JSON.parse(fs.readFileSync(path.join(folder, '.shipshape', 'runs', files.find((f) => f.endsWith('-long.json'))), 'utf8'));
  assert.equal(stopped.result.ended, 'cancelled');
  assert.equal(stopped.result.scenario, 'long');
  const stoppedAfter = Date.parse(stopped.result.finishedAt) - stopAt;
  // From the click on the command to the engine's finish; most of the planned 60 s unused.
  assert.ok(stoppedAfter < 1500, `the run finished ${stoppedAfter} ms after Stop Load Test was chosen`);
  assert.ok(stopped.result.summary.durationSec < 40, `the run lasted ${stopped.result.summary.durationSec} s of its 60`);
  ctx.log(`Stop Load Test: the engine finished ${stoppedAfter} ms after the command, the panel showed "Stopped" after ${shownStoppedAfter} ms`);
  await shot(page, '08-loadtest-stopped-dark.png');

  // 3. Export Scenario…: demo as a k6 script, in an untitled document (nothing written to disk).
  await pickFromCommand(workbench, 'Shipshape: Export Scenario…', 'demo');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'k6 script' }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor({ timeout: 15_000 });
  const exported = (await workbench.editor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  // The engine's export (src/core/loadtest/export.ts) of the demo scenario as the config has it.
  for (const expected of [
    "import http from 'k6/http'",
    `"${stack.appUrl}"`,
    '"/orders?status=open"',
    '"/customers/lookup?email=customer40000@example.com"',
    '"executor": "constant-vus"',
    '"vus": 4',
    '"duration": "10s"',
    '"http_req_duration{name:orders (N+1)}"',
    '"p(95)<200"',
    '"rate<0.01"',
  ]) assert.ok(exported.includes(expected), `the k6 export lacks ${expected}:\n${exported}`);
  await shot(page, '08-loadtest-export-k6.png');
  await workbench.runCommand('View: Revert and Close Editor');

  // 4. Delete a run from the Load Tests view: a modal names it; its file is gone after.
  await workbench.runCommand('Shipshape: Focus on Load Tests View');
  const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Load Tests/i }) });
  await view.locator('.monaco-list-row', { hasText: 'quick-test' }).first().click();
  await page.keyboard.press('ArrowRight');
  const runRow = view.locator('.monaco-list-row', { hasText: /p95 .* req\/s/ }).first();
  // The view shows the quick test's one run under it (scenarios first, in config order; then quick-test).
  await runRow.waitFor({ timeout: 10_000 });
  await runRow.click({ button: 'right' });
  // VS Code's context menu ignores a click that comes right after it opened: wait, and click again
  // while the menu is still there and no dialog came.
  const deleteItem = page.locator('.monaco-menu .action-label', { hasText: 'Delete Run' }).first();
  await deleteItem.waitFor();
  await page.waitForTimeout(300);
  for (let i = 0; i < 3 && !(await page.locator('.monaco-dialog-box').count()); i++) {
    if (await deleteItem.isVisible()) await deleteItem.click();
    await page.locator('.monaco-dialog-box').first().waitFor({ timeout: 3_000 }).catch(() => {});
  }
  const confirm = await modalDialog(page);
  const runId = quickRunId;
  assert.ok(confirm.text.includes(`Delete the load-test run ${runId}?`), `modal: ${confirm.text}`);
  assert.ok(confirm.text.includes(`.shipshape/runs/${runId}.json is removed`), `modal: ${confirm.text}`);
  assert.ok(confirm.buttons.includes('Delete') && confirm.buttons.includes('Cancel'), `buttons: ${confirm.buttons.join(', ')}`);
  await shot(page, '08-loadtest-delete-modal.png');
  await confirm.click('Delete');
  for (const until = Date.now() + 10_000; runFiles(folder).length > 1 && Date.now() < until;) await page.waitForTimeout(100);
  assert.ok(!fs.existsSync(path.join(folder, '.shipshape', 'runs', `${runId}.json`)), 'the run file is deleted');
  files = runFiles(folder);
  assert.equal(files.length, 1, 'only that run is deleted');
  await view.locator('.monaco-list-row', { hasText: 'quick-test' }).first().waitFor({ state: 'detached', timeout: 10_000 });

  // 5. A target that is not this machine: a modal naming the host; Cancel sends nothing.
  await pickFromCommand(workbench, 'Shipshape: Run Load Test…', 'remote');
  const remote = await modalDialog(page);
  assert.ok(remote.text.includes('Send load to example.com?'), `modal: ${remote.text}`);
  assert.ok(remote.text.includes('example.com is not this machine'), `modal: ${remote.text}`);
  assert.ok(remote.buttons.includes('Send Load to example.com'), `buttons: ${remote.buttons.join(', ')}`);
  await shot(page, '08-loadtest-remote-modal.png');
  await remote.click('Cancel');
  await remote.dialog.waitFor({ state: 'detached', timeout: 10_000 });
  await page.waitForTimeout(1500);
  frame = await panelFrame(page);
  assert.equal(await frame.locator('[data-testid="phase"]').innerText(), 'Stopped', 'the panel still shows the stopped quick test: no run started');
  assert.equal(await page.locator('.statusbar-item', { hasText: /req\/s|Load test: starting/ }).count(), 0, 'no run in the status bar');
  assert.deepEqual(runFiles(folder), files, 'nothing was saved');

  // 6. Unreachable target, quick test: the message says so, with Edit URL (which reopens the input with the URL).
  const deadUrl = `http://127.0.0.1:${deadPort}/orders`;
  await pickFromCommand(workbench, 'Shipshape: Run Load Test…', 'Quick test a URL…');
  await input.waitFor({ state: 'visible' });
  await input.fill(deadUrl);
  await page.keyboard.press('Enter');
  const unreachable = await toast(page, /not reachable/, { action: 'Edit URL' });
  const unreachableText = (await unreachable.innerText()).replace(/\s+/g, ' ');
  assert.ok(unreachableText.includes(`127.0.0.1:${deadPort}`), `message: ${unreachableText}`);
  // The panel says the same: did not run, why, and no empty charts.
  frame = await panelFrame(page);
  await waitForText(frame, 'phase', /Did not run/, 10_000);
  assert.match(await frame.locator('[data-testid="message"]').innerText(), new RegExp(`127\\.0\\.0\\.1:${deadPort}`));
  assert.equal(await frame.locator('[data-testid="chart-rps"]').count(), 0, 'no charts for a run that did not start');
  await shot(page, '08-loadtest-unreachable.png');
  await unreachable.locator('a, .monaco-button', { hasText: 'Edit URL' }).first().click();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await input.inputValue(), deadUrl, 'Edit URL reopens the input with the URL');
  await page.keyboard.press('Escape');

  // 7. Unreachable target, scenario: Open Config puts the cursor on that scenario's baseUrl.
  await pickFromCommand(workbench, 'Shipshape: Run Load Test…', 'closed-port');
  const fromConfig = await toast(page, /closed-port|not reachable.*127\.0\.0\.1/, { action: 'Open Config' });
  await fromConfig.locator('a, .monaco-button', { hasText: 'Open Config' }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: 'shipshape.config.json' }).waitFor({ timeout: 10_000 });
  const expectedLine = configText.split('\n').findIndex((l) => l.includes(`"baseUrl": "http://127.0.0.1:${deadPort}"`)) + 1;
  const cursor = page.locator('#status\\.editor\\.selection');
  for (const until = Date.now() + 10_000; !new RegExp(`Ln ${expectedLine},`).test(await cursor.innerText().catch(() => '')) && Date.now() < until;) await page.waitForTimeout(200);
  assert.match(await cursor.innerText(), new RegExp(`Ln ${expectedLine},`), `the cursor is on the closed-port scenario's baseUrl (line ${expectedLine})`);
  assert.deepEqual(runFiles(folder), files, 'unreachable runs are not saved');
}
