// What the load-test scenarios share: the results panel's frame, waiting for its texts, commands
// that answer with their own quick pick, notifications and modals.

/** The results panel's frame (the webview's inner iframe), once it shows its phase badge. */
export async function panelFrame(page, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (await frame.locator('[data-testid="phase"]').count().catch(() => 0)) return frame;
    }
    if (Date.now() > deadline) throw new Error('the load-test results panel did not appear');
    await page.waitForTimeout(250);
  }
}

export async function waitForText(frame, testid, re, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = await frame.locator(`[data-testid="${testid}"]`).first().innerText().catch(() => '');
    if (re.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`[data-testid=${testid}] did not match ${re} within ${timeoutMs / 1000} s; it shows "${last}"`);
    await frame.page().waitForTimeout(200);
  }
}

/** The live charts' point count (one per second of load). */
export async function chartPoints(frame) {
  return Number(await frame.locator('[data-testid="chart-rps"]').getAttribute('data-points').catch(() => '0'));
}

/** Opens a command from the palette that answers with its own quick pick, and picks `item`; returns the rows offered. */
export async function pickFromCommand(workbench, command, item) {
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

/**
 * A notification toast whose text matches `re` and, when `action` is given, that offers that button —
 * an earlier toast with a similar text (still on screen, or fading out) is not taken for it.
 */
export async function toast(page, re, { action, timeoutMs = 30_000 } = {}) {
  const has = action ? page.locator('a, .monaco-button', { hasText: action }) : undefined;
  const t = page.locator('.notifications-toasts .notification-toast', { hasText: re, ...(has ? { has } : {}) }).first();
  await t.waitFor({ timeout: timeoutMs });
  return t;
}

/** The modal dialog (VS Code's custom dialog in the web workbench): its text and buttons. */
export async function modalDialog(page, timeoutMs = 15_000) {
  const dialog = page.locator('.monaco-dialog-box').first();
  await dialog.waitFor({ timeout: timeoutMs });
  const text = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
  const buttons = (await dialog.locator('.monaco-button').allInnerTexts()).map((b) => b.trim()).filter(Boolean);
  return { dialog, text, buttons, click: (label) => dialog.locator('.monaco-button', { hasText: label }).first().click() };
}

/** Browser console lines of every frame of `page` that report a Content-Security-Policy refusal. */
export function watchCspViolations(page) {
  const refused = [];
  page.on('console', (msg) => {
    if (/Refused to/i.test(msg.text())) refused.push(msg.text());
  });
  return refused;
}
