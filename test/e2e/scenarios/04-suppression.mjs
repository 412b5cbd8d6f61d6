// The suppression quick fix writes a shipshape-disable comment and the finding goes away.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SERVER_FILE, findMarker } from '../lib/orders-api.mjs';

export const name = 'Suppression quick fix adds a shipshape-disable comment and hides that finding';

const RULE = 'missing-health-endpoint';

export async function run(ctx) {
  const folder = ctx.copyExample('orders-api');
  const serverFile = path.join(folder, SERVER_FILE);
  const workbench = await ctx.open(folder, { trust: true });
  await workbench.openFile(SERVER_FILE);
  const markers = await workbench.waitForProblems((ms) => findMarker(ms, RULE, serverFile),
    { what: RULE, timeoutMs: 60_000 });
  const offered = await workbench.applyCodeAction(findMarker(markers, RULE, serverFile),
    new RegExp(`disable.*${RULE}|${RULE}.*disable`, 'i'), { via: 'keyboard' });
  ctx.log(`Ctrl+. offered: ${offered.join(' | ')}`);
  await workbench.saveAll();
  const text = fs.readFileSync(serverFile, 'utf8');
  // `// shipshape-disable-next-line <rule>[, <rule>] -- reason`, or `-line` at the end of the line.
  const directive = /\/\/\s*shipshape-disable-(?:next-)?line\s+(.*)$/m.exec(text);
  assert.ok(directive, `no suppression comment in ${SERVER_FILE}:\n${text}`);
  const suppressed = directive[1].split(' -- ')[0].split(/[\s,]+/).filter(Boolean);
  assert.deepEqual(suppressed, [RULE], `the comment suppresses ${JSON.stringify(suppressed)}, not just ${RULE}`);
  await workbench.waitForProblems(
    (ms) => !findMarker(ms, RULE, serverFile) && findMarker(ms, 'missing-graceful-shutdown', serverFile),
    { what: `${RULE} gone, missing-graceful-shutdown still there` });
  ctx.log(`suppressed ${RULE} with "${directive[0].trim()}"`);
}
