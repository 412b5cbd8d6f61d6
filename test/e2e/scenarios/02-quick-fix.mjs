// Quick fixes from the editor: the graceful-shutdown fix from the lightbulb, the health-route fix
// with Ctrl+. ; each changes the files as expected and its finding goes away.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SERVER_FILE, findMarker } from '../lib/orders-api.mjs';

export const name = 'Quick fixes (lightbulb and Ctrl+.) insert the code and clear their finding';

const read = (file) => fs.readFileSync(file, 'utf8');
const sourceFiles = (dir) => fs.readdirSync(dir, { recursive: true })
  .filter((f) => /\.ts$/.test(f) && !f.split(path.sep).includes('node_modules'))
  .map((f) => path.join(dir, f));
const HEALTH_ROUTE = /['"`]\/(livez|readyz|healthz?|health\/(live|ready))['"`]/;

export async function run(ctx) {
  const folder = ctx.copyExample('orders-api');
  const serverFile = path.join(folder, SERVER_FILE);
  const before = read(serverFile);
  const workbench = await ctx.open(folder, { trust: true });
  await workbench.openFile(SERVER_FILE);
  const markers = await workbench.waitForProblems((ms) => findMarker(ms, 'missing-graceful-shutdown', serverFile),
    { what: 'missing-graceful-shutdown', timeoutMs: 60_000 });

  // 1. Lightbulb → SIGTERM handler.
  const shutdown = findMarker(markers, 'missing-graceful-shutdown', serverFile);
  const offered = await workbench.applyCodeAction(shutdown, /SIGTERM|graceful/i, { via: 'lightbulb' });
  ctx.log(`lightbulb offered: ${offered.join(' | ')}`);
  await workbench.saveAll();
  const after = read(serverFile);
  assert.match(after, /process\.(on|once)\(\s*['"]SIGTERM['"]/, `no SIGTERM handler in ${SERVER_FILE} after the fix:\n${after}`);
  assert.match(after, /\.close\(/, `the SIGTERM handler does not close the server:\n${after}`);
  for (const line of before.split('\n').filter((l) => /\S/.test(l) && !/\.listen\(/.test(l))) {
    assert.ok(after.includes(line), `the fix removed or changed the line "${line}"`);
  }
  const remaining = await workbench.waitForProblems(
    (ms) => !findMarker(ms, 'missing-graceful-shutdown') && findMarker(ms, 'missing-health-endpoint', serverFile),
    { what: 'missing-graceful-shutdown gone, missing-health-endpoint still there' });

  // 2. Ctrl+. → health routes (the fix may put them in another file, e.g. a router module).
  const health = findMarker(remaining, 'missing-health-endpoint', serverFile);
  await workbench.openFile(SERVER_FILE);
  await workbench.applyCodeAction(health, /health|livez|readyz/i, { via: 'keyboard' });
  await workbench.saveAll();
  const withRoutes = sourceFiles(folder).filter((f) => HEALTH_ROUTE.test(read(f)));
  assert.ok(withRoutes.length > 0, 'no file has a /livez, /readyz or /health route after the fix');
  await workbench.waitForProblems((ms) => !findMarker(ms, 'missing-health-endpoint'),
    { what: 'missing-health-endpoint gone' });
  ctx.log(`SIGTERM handler added to ${SERVER_FILE}; health routes in ${withRoutes.map((f) => path.relative(folder, f)).join(', ')}`);
}
