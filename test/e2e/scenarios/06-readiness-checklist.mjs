// The readiness checklist as a user sees it: the Readiness Checklist view in the Shipshape
// sidebar (categories with scores, items with status icons), the status-bar score, and the
// Lighthouse-like report webview (gauges, failed items first). Screenshots of both.
import assert from 'node:assert/strict';
import path from 'node:path';

export const name = 'Readiness checklist: view with scores, status-bar score, report webview';
export const timeoutMs = 180_000;

export async function run(ctx) {
  const folder = ctx.copyExample('orders-api');
  const workbench = await ctx.open(folder, { trust: true });
  const { page } = workbench;
  // Opening the Shipshape container shows the Readiness Checklist view (and activates the extension).
  await page.locator('.activitybar .action-item a[aria-label^="Shipshape"]').first().click();
  // The status-bar score appears once the server has evaluated the checklist.
  const status = page.locator('#shipshape\\.shipshape\\.shipshape\\.readiness, .statusbar-item').filter({ hasText: /Readiness \d+/ }).first();
  await status.waitFor({ timeout: 120_000 });
  const statusText = (await status.innerText()).trim();
  ctx.log(`status bar: ${statusText}`);
  await status.click();
  const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Readiness Checklist/i }) });
  await view.locator('.monaco-list-row', { hasText: 'Observability' }).waitFor({ timeout: 30_000 });
  const rows = await view.locator('.monaco-list-row').allInnerTexts();
  for (const title of ['Observability', 'Reliability', 'Deployment', 'Disaster recovery', 'Security', 'Documentation', 'Testing']) {
    assert.ok(rows.some((r) => r.includes(title) && /\d+\/100|not scored/.test(r)), `no "${title}" row with a score; rows: ${rows.join(' | ')}`);
  }
  // Expand Reliability: its items with their statuses.
  await view.locator('.monaco-list-row', { hasText: 'Reliability' }).click();
  await view.locator('.monaco-list-row', { hasText: 'No N+1 queries' }).waitFor({ timeout: 10_000 });
  const nPlusOne = await view.locator('.monaco-list-row', { hasText: 'No N+1 queries' }).innerText();
  assert.match(nPlusOne, /fail/);
  await view.locator('.monaco-list-row', { hasText: 'No N+1 queries' }).click();
  await view.locator('.monaco-list-row', { hasText: 'src/routes/orders.ts' }).first().waitFor({ timeout: 10_000 });
  await workbench.screenshot(path.join(ctx.root, '.artifacts', 'e2e', `${ctx.id}-view.png`));
  ctx.screenshots.push(path.join(ctx.root, '.artifacts', 'e2e', `${ctx.id}-view.png`));

  await workbench.runCommand('Shipshape: Open Readiness Report');
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await frame.locator('.gauge').first().waitFor({ timeout: 30_000 });
  const gauges = await frame.locator('.gauge-label').allInnerTexts();
  assert.deepEqual(gauges, ['Overall', 'Observability', 'Reliability', 'Deployment', 'Disaster recovery', 'Security', 'Documentation', 'Testing']);
  const summaries = await frame.locator('details.section > summary').allInnerTexts();
  assert.match(summaries[0], /^Failed \(\d+\)$/);
  assert.match(summaries[3], /^Passed \(\d+\)$/);
  assert.equal(await frame.locator('details.section').nth(3).getAttribute('open'), null, 'Passed is not collapsed');
  const failedTitles = await frame.locator('details.section').first().locator('.item-title').allInnerTexts();
  assert.ok(failedTitles.includes('No N+1 queries'), `failed items: ${failedTitles.join(', ')}`);
  const overall = Number(await frame.locator('.gauge').first().locator('text').textContent());
  assert.equal(statusText.replace(/^[^R]*/, ""), `Readiness ${overall}`, "the status bar and the report disagree on the overall score");
  ctx.log(`report: overall ${overall}; failed: ${failedTitles.join(', ')}`);
}
