// Opening examples/orders-api lists Shipshape's findings in the Problems panel at the right file
// and line (also for files not opened), and hovering the squiggle shows the message and the
// rule's doc link. The copy has no node_modules, as a user's project fresh from git: the
// typed-array N+1 is found only if the .vsix ships TypeScript's standard library.
import assert from 'node:assert/strict';
import path from 'node:path';
import { LISTEN_RULES, ORDERS_FILE, SERVER_FILE, assertListenFindings, findMarker, isShipshape, nPlusOneLines } from '../lib/orders-api.mjs';

export const name = 'Problems panel lists the findings at their files and lines; hover shows message and rule link';
export const timeoutMs = 180_000;

export async function run(ctx) {
  const folder = ctx.copyExample('orders-api', { linkModules: false });
  const workbench = await ctx.open(folder, { trust: true });
  await workbench.openFile(SERVER_FILE);
  const ordersFile = path.join(folder, ORDERS_FILE);
  const nPlusOne = nPlusOneLines(folder);
  const nPlusOneAt = (ms) => ms.filter((m) => isShipshape(m) && m.code === 'n-plus-one' && m.file === ordersFile).map((m) => m.line);
  const markers = await workbench.waitForProblems(
    (ms) => LISTEN_RULES.every((id) => findMarker(ms, id)) && nPlusOneAt(ms).length >= 3,
    { what: `${LISTEN_RULES.join(', ')} and three n-plus-one in ${ORDERS_FILE}`, timeoutMs: 120_000 });
  const { file, line } = assertListenFindings(markers, folder);
  // Not opened in the editor: the panel lists it from the workspace analysis.
  assert.deepEqual(nPlusOneAt(markers).sort((a, b) => a - b), [nPlusOne.direct, nPlusOne.indirect, nPlusOne.typedArray],
    `n-plus-one lines in ${ORDERS_FILE}`);

  const hover = await workbench.hoverSquiggle(line);
  for (const id of LISTEN_RULES) {
    const { message } = findMarker(markers, id, file);
    const firstLine = message.split('\n')[0];
    assert.ok(hover.text.includes(firstLine), `the hover does not show ${id}'s message "${firstLine}"; it shows:\n${hover.text}`);
    assert.ok(hover.links.some((l) => l.text === id && new RegExp(`docs/rules/${id}\\.md$`).test(l.href ?? '')),
      `the hover has no link ${id} → docs/rules/${id}.md; links: ${JSON.stringify(hover.links)}`);
  }
  ctx.log(`${LISTEN_RULES.join(', ')} at ${SERVER_FILE}:${line}, n-plus-one at ${ORDERS_FILE}:${nPlusOne.direct}, :${nPlusOne.indirect} and :${nPlusOne.typedArray} (typed array); hover shows both listen findings with doc links`);
}
