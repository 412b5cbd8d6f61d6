// Explain in real VS Code: the "Explain at N rows" CodeLens sits above every query Shipshape
// extracted from the example's routes (not only the unindexed ones); clicking the lens above the
// N+1 loop's `order_items WHERE order_id = $1` runs EXPLAIN ANALYZE on the embedded PostgreSQL
// (downloaded from the npm registry at this first use when the installed .vsix has no binaries)
// and the plan panel shows a Seq Scan now and an index plan with the suggested index, in ms.
// Screenshots in the dark and light themes. The CLI run stops its PostgreSQL: none is left.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const name = 'Explain CodeLens above every query; plan panel: Seq Scan now, index plan with the suggested index';
// The first explain on a fresh machine downloads PostgreSQL, runs initdb and builds the dataset:
// ~4.5 min on a loaded CI machine (299 s for the whole scenario in one run), so the waits leave room.
export const timeoutMs = 600_000;

/** PostgreSQL servers of the extension's explain clusters (not the tests' or other tools'). */
function explainServers() {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-a', 'postgres'], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  return out.split('\n').filter((l) => / -D \S*(shipshape-postgres-\d+|globalStorage\S*)\/data\b/.test(l));
}

async function panelFrame(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.locator('table.compare').count().catch(() => 0)) return frame;
      const error = await frame.locator('p.verdict.error').innerText().catch(() => '');
      if (error) throw new Error(`the plan panel shows an error: ${error}`);
    }
    const toast = await page.locator('.notifications-toasts .notification-toast', { hasText: /Shipshape: (?!explain|downloading)/ }).first().innerText().catch(() => '');
    if (toast) throw new Error(`explain failed: ${toast.replace(/\s+/g, ' ')}`);
    if (Date.now() > deadline) throw new Error('the explain plan panel did not appear');
    await page.waitForTimeout(500);
  }
}

export async function run(ctx) {
  const artifacts = path.join(ctx.root, '.artifacts', 'e2e');
  fs.mkdirSync(artifacts, { recursive: true });
  const folder = ctx.copyExample('orders-api');
  // A smaller volume than the default 100k keeps the cold dataset short on a shared machine.
  const configFile = path.join(folder, 'shipshape.config.json');
  fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, 'utf8')), scale: { defaultRows: 20000 } }, null, 2));
  const serversBefore = explainServers();

  const workbench = await ctx.open(folder, { trust: true });
  const { page } = workbench;
  await workbench.openFile('src/routes/orders.ts');
  const lenses = workbench.editor().locator('.codelens-decoration a', { hasText: /^Explain at / });
  await lenses.first().waitFor({ timeout: 90_000 });
  // Every query of the file: the status list, the N+1 loop's items, the statuses, the order, its items.
  const deadline = Date.now() + 30_000;
  while ((await lenses.count()) < 5 && Date.now() < deadline) await page.waitForTimeout(250);
  // textContent: a lens scrolled out of view has no innerText.
  const titles = (await lenses.allTextContents()).map((t) => t.trim());
  assert.deepEqual(titles, Array(5).fill('Explain at 20k rows'), `lenses: ${titles.join(' | ')}`);
  ctx.log(`${titles.length} explain lenses in src/routes/orders.ts`);

  await lenses.nth(1).click();
  const frame = await panelFrame(page, 420_000);
  const rows = await frame.locator('table.compare tr').evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.cells].map((c) => c.innerText)));
  ctx.log(`plan panel: ${rows.map((r) => r.join(' / ')).join(' ; ')}`);
  assert.equal(rows.length, 2);
  const [now, withIndex] = rows;
  assert.equal(now[0], 'now');
  assert.match(now[1], /^Seq Scan on order_items$/);
  assert.match(now[2], /^[\d,.]+ ms$/);
  assert.equal(withIndex[0], 'with the index');
  assert.match(withIndex[1], /^(Index Scan|Index Only Scan|Bitmap Heap Scan) (using \S+ )?on order_items( using \S+)?$/);
  assert.match(withIndex[2], /^[\d,.]+ ms$/);
  assert.ok(Number(withIndex[2].replace(/[^\d.]/g, '')) < Number(now[2].replace(/[^\d.]/g, '')), 'the index plan is not faster');
  assert.match(await frame.locator('pre.sql').first().innerText(), /FROM order_items WHERE order_id = \$1/);
  await page.screenshot({ path: path.join(artifacts, '08-explain-dark.png') });
  ctx.screenshots.push(path.join(artifacts, '08-explain-dark.png'));

  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': 'Default Light Modern' }));
  await page.locator('.monaco-workbench.vs:not(.vs-dark)').waitFor({ timeout: 20_000 });
  const light = await panelFrame(page, 10_000);
  await light.locator('body.vscode-light').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(artifacts, '08-explain-light.png') });
  ctx.screenshots.push(path.join(artifacts, '08-explain-light.png'));

  // The explain run (a CLI child process) stopped its PostgreSQL when it finished.
  const until = Date.now() + 15_000;
  let left = explainServers().filter((l) => !serversBefore.includes(l));
  while (left.length && Date.now() < until) {
    await page.waitForTimeout(500);
    left = explainServers().filter((l) => !serversBefore.includes(l));
  }
  assert.deepEqual(left, [], 'a PostgreSQL started by explain is still running');
}
