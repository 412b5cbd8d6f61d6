// Declining workspace trust: analysis still runs (it executes nothing from the workspace).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LISTEN_RULES, SERVER_FILE, assertListenFindings, findMarker } from '../lib/orders-api.mjs';

export const name = 'Restricted mode (trust declined): diagnostics still appear';

export async function run(ctx) {
  const folder = ctx.copyExample('orders-api');
  const workbench = await ctx.open(folder, { trust: false });
  assert.ok(await workbench.isRestricted(), 'the window is not in Restricted Mode after declining trust');
  await workbench.openFile(SERVER_FILE);
  const markers = await workbench.waitForProblems(
    (ms) => LISTEN_RULES.every((id) => findMarker(ms, id)),
    { what: `${LISTEN_RULES.join(' and ')} in restricted mode`, timeoutMs: 60_000 });
  assertListenFindings(markers, folder);
  await checkLoadTestsRefused(ctx, workbench);
}

/**
 * Hook for load tests (SPEC: "In an untrusted workspace nothing is executed: no load tests, no
 * k6"). Until the extension contributes a load-test command this only says so. Once it does, the
 * command is run from the palette here and must answer with a notification about trust instead of
 * starting a run; adjust the expected text when the feature defines it.
 */
async function checkLoadTestsRefused(ctx, workbench) {
  const manifest = JSON.parse(fs.readFileSync(path.join(ctx.root, 'package.json'), 'utf8'));
  const command = manifest.contributes?.commands?.find((c) => /load.?test/i.test(c.command));
  if (!command) {
    ctx.log('load-test refusal: not checked, the extension has no load-test command yet');
    return;
  }
  const label = command.category ? `${command.category}: ${command.title}` : command.title;
  await workbench.runCommand(label);
  const toast = workbench.page.locator('.notifications-toasts .notification-toast', { hasText: /trust|restricted/i });
  await toast.first().waitFor({ timeout: 15_000 });
  ctx.log(`load-test refusal: "${label}" answered "${(await toast.first().innerText()).split('\n')[0]}"`);
}
