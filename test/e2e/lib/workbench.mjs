// Drives the VS Code workbench that code-server serves, the way a user does: keyboard, mouse,
// and what the DOM shows. Selectors are VS Code 1.100's; they are kept here, in one place.
import path from 'node:path';

const TRUST = "Yes, I trust the authors";
const DO_NOT_TRUST = "No, I don't trust the authors";

export class Workbench {
  constructor(page) {
    this.page = page;
  }

  /**
   * Opens `folder` in a new page of `context`.
   * trust: true clicks "Yes, I trust the authors", false declines (restricted mode),
   * undefined leaves the dialog alone (when it shows).
   * devOptions: [[name, value]] pairs given to the web workbench as its `payload`, e.g.
   * extensionDevelopmentPath / extensionTestsPath.
   */
  static async open(context, server, folder, { trust, devOptions } = {}) {
    const page = await context.newPage();
    const url = new URL(server.url);
    url.searchParams.set('folder', folder);
    if (devOptions) url.searchParams.set('payload', JSON.stringify(devOptions));
    await page.goto(url.href);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const workbench = new Workbench(page);
    if (trust !== undefined) await workbench.answerTrust(trust);
    return workbench;
  }

  async answerTrust(trust) {
    const button = this.page.getByRole('button', { name: trust ? TRUST : DO_NOT_TRUST });
    await button.click({ timeout: 30_000 });
    await button.waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** True when the window shows VS Code's "Restricted Mode" status (workspace not trusted). */
  async isRestricted() {
    const item = this.page.locator('#status\\.workspaceTrust');
    return (await item.count()) > 0 && /Restricted Mode/.test(await item.innerText());
  }

  /** Runs a command by its label through the command palette (F1). */
  async runCommand(label, { timeoutMs = 15_000 } = {}) {
    const { page } = this;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(`>${label}`);
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = page.locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor({ timeout: timeoutMs });
    await row.click();
    await input.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** Opens a workspace file (path relative to the folder) through Quick Open. */
  async openFile(relPath, { timeoutMs = 20_000, attempts = 3 } = {}) {
    const { page } = this;
    const base = path.posix.basename(relPath);
    const input = page.locator('.quick-input-widget input');
    const dir = path.posix.dirname(relPath);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: base })
      .filter({ hasText: dir === '.' ? '' : dir }).first();
    // Ctrl+P can land while an earlier quick input is still closing (the text then goes into that
    // one) or while a webview has the focus: a list without the file is tried again from scratch.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible', timeout: timeoutMs });
      await input.fill(relPath);
      try {
        await row.waitFor({ timeout: timeoutMs });
        break;
      } catch (err) {
        if (attempt >= attempts) throw err;
        await page.keyboard.press('Escape');
        await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
      }
    }
    await row.click();
    await page.locator('.tabs-container .tab.active', { hasText: base }).waitFor({ timeout: timeoutMs });
    await this.editor().locator('.view-lines').waitFor({ timeout: timeoutMs });
  }

  /** The active text editor. */
  editor() {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Moves the cursor (1-based line and column) with Go to Line. */
  async goTo(line, column = 1) {
    const { page } = this;
    await this.editor().locator('.view-lines').click({ position: { x: 1, y: 1 } }).catch(() => {});
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    // Go to Line's input starts with its ':' prefix; without it the text is a file search.
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
  }

  /** Number of modified, unsaved files (the Explorer's badge). */
  async unsavedCount() {
    const badge = this.page.locator('.activitybar .action-item:has(.codicon-explorer-view-icon) .badge-content');
    if (!(await badge.isVisible())) return 0;
    return Number(/\d+/.exec(await badge.innerText())?.[0] ?? 0);
  }

  /**
   * File: Save All Files — every modified file, also those a multi-file fix changed without an
   * editor. A workspace edit lands a moment after its menu closes, so this first waits for
   * something to be unsaved (unless expectChanges is false), then saves until nothing is.
   */
  async saveAll({ expectChanges = true, timeoutMs = 15_000 } = {}) {
    const { page } = this;
    const until = async (what, done) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > deadline) {
          const toasts = await this.notifications();
          throw new Error(`${what} within ${timeoutMs / 1000} s${toasts.length ? `; notifications: ${toasts.join(' | ')}` : ''}`);
        }
        await page.waitForTimeout(100);
      }
    };
    if (expectChanges) await until('no file was modified', async () => (await this.unsavedCount()) > 0);
    // A multi-file edit can dirty one file after another; save again until none is left.
    let lastSave = 0;
    await until('files are still unsaved after Save All Files', async () => {
      if ((await this.unsavedCount()) === 0) return true;
      if (Date.now() - lastSave > 2_000) {
        await this.runCommand('File: Save All Files');
        lastSave = Date.now();
      }
      return false;
    });
  }

  /** Shows the Problems panel, unless it already shows. */
  async showProblems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    }
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
  }

  /**
   * The markers the Problems panel lists (tree view), in order:
   * { file (absolute path), severity, message, source, code, href, line, column } (1-based).
   * Throws when the panel renders fewer rows than its per-file counts announce, rather than
   * silently reading half a virtualised list.
   */
  async problems() {
    await this.showProblems();
    // The tree renders file rows (with their problem count) a moment before their marker rows.
    let maximized = false;
    for (let attempt = 0; ; attempt++) {
      const { markers, announced } = await this.readProblemRows();
      if (markers.length >= announced) return markers;
      // A virtualised list renders only the rows that fit: give the panel the window's height once.
      if (attempt === 3 && !maximized) {
        maximized = true;
        await this.runCommand('View: Toggle Maximized Panel', { timeoutMs: 5_000 }).catch(() => this.page.keyboard.press('Escape'));
      }
      if (attempt === 10) {
        throw new Error(`Problems panel shows ${markers.length} of ${announced} problems; it is too small to read them all`);
      }
      await this.page.waitForTimeout(200);
    }
  }

  async readProblemRows() {
    const rows = await this.page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
      els.map((row) => {
        const text = (sel) => row.querySelector(sel)?.textContent?.trim() ?? '';
        const fileLabel = row.querySelector('.resource-label-container .monaco-icon-label');
        if (fileLabel) {
          return { kind: 'file', file: fileLabel.getAttribute('aria-label'), count: Number(text('.monaco-count-badge')) };
        }
        const icon = row.querySelector('.marker-icon');
        const severity = ['error', 'warning', 'info'].find((s) => icon?.classList.contains(s)) ?? 'hint';
        const lineCol = /Ln (\d+), Col (\d+)/.exec(text('.marker-line'));
        return {
          kind: 'marker',
          severity,
          message: text('.marker-message'),
          source: text('.marker-source'),
          code: text('.marker-code'),
          href: row.querySelector('.marker-code')?.closest('a')?.getAttribute('href') ?? undefined,
          line: lineCol ? Number(lineCol[1]) : undefined,
          column: lineCol ? Number(lineCol[2]) : undefined,
        };
      }));
    const markers = [];
    let file;
    let announced = 0;
    for (const { kind, count, ...row } of rows) {
      if (kind === 'file') {
        file = row.file;
        announced += count;
      } else {
        markers.push({ ...row, file });
      }
    }
    return { markers, announced };
  }

  /** Polls the Problems panel until `accept(markers)` holds; returns the last markers read. */
  async waitForProblems(accept, { timeoutMs = 30_000, what = 'the expected problems' } = {}) {
    const deadline = Date.now() + timeoutMs;
    let markers = [];
    for (;;) {
      markers = await this.problems();
      if (accept(markers)) return markers;
      if (Date.now() > deadline) {
        throw new Error(`Problems panel did not show ${what} within ${timeoutMs / 1000} s; it shows:\n` +
          (markers.map(formatMarker).join('\n') || '(nothing)'));
      }
      await this.page.waitForTimeout(300);
    }
  }

  /**
   * Hovers the mouse over the squiggle on `line` (1-based) of the active editor and returns the
   * hover's text and links ({ text, href }).
   */
  async hoverSquiggle(line, { severity = 'warning', timeoutMs = 15_000 } = {}) {
    const { page } = this;
    const editor = this.editor();
    const lineNumber = editor.locator('.margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^${line}$`) });
    // The editor may still be laying out (CodeLens arriving shifts lines): go to the line again until it shows.
    let lineBox = null;
    for (let attempt = 0; attempt < 5 && !lineBox; attempt++) {
      if (attempt > 0) await page.waitForTimeout(500);
      await this.goTo(line);
      await page.keyboard.press('Escape');
      lineBox = await lineNumber.boundingBox().catch(() => null);
    }
    if (!lineBox) throw new Error(`line ${line} is not visible in the editor`);
    const squiggles = await editor.locator(`.view-overlays .squiggly-${severity}`).evaluateAll((els) =>
      els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }));
    const target = squiggles.find((r) => Math.abs(r.y - lineBox.y) < lineBox.height / 2);
    if (!target) throw new Error(`no ${severity} squiggle on line ${line}`);
    await page.mouse.move(target.x + Math.min(target.width / 2, 40), target.y + target.height / 2);
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ has: page.locator('.hover-row') }).first();
    await hover.waitFor({ state: 'visible', timeout: timeoutMs });
    // The marker part renders at once; the quick-fix status below it comes later and is not read.
    return hover.evaluate((el) => ({
      text: el.innerText,
      links: [...el.querySelectorAll('a')].map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') ?? a.getAttribute('data-href') })),
    }));
  }

  /**
   * Puts the cursor at `at` ({ line, column }, 1-based, e.g. a Problems-panel marker), opens the
   * code-action menu — by clicking the lightbulb (via: 'lightbulb') or with Ctrl+.
   * (via: 'keyboard') — and applies the action whose title matches `title`, with the mouse or
   * the keyboard accordingly. Returns the titles the menu offered.
   */
  async applyCodeAction(at, title, { via = 'lightbulb', timeoutMs = 45_000 } = {}) {
    const { page } = this;
    const { line, column = 1 } = at;
    const matches = (t) => (title instanceof RegExp ? title.test(t) : t === title);
    const menu = page.locator('.action-widget');
    const actions = menu.locator('.monaco-list-row.action');
    const deadline = Date.now() + timeoutMs;
    let titles = [];
    // A menu opened while a provider is still computing lacks its actions (a language server
    // that answers from its analysis cache, before the first analysis); open it again until the
    // wanted action is there, as a user would.
    for (;;) {
      await this.goTo(line, column);
      await this.openCodeActionMenu(via, deadline);
      await actions.first().waitFor({ timeout: Math.max(1, deadline - Date.now()) });
      titles = await actions.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      if (titles.some(matches)) break;
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
      if (Date.now() > deadline) {
        throw new Error(`no code action matching ${title} at ${line}:${column}; offered: ${JSON.stringify(titles)}`);
      }
      await page.waitForTimeout(1000);
    }
    const index = titles.findIndex(matches);
    if (via === 'lightbulb') {
      // The menu ignores clicks until the pointer has moved over it (its pointer block).
      const box = await actions.nth(index).boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
      await actions.nth(index).click();
    } else {
      const focused = menu.locator('.monaco-list-row.action.focused');
      for (let i = 0; i <= titles.length && (await focused.getAttribute('aria-label')) !== titles[index]; i++) {
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
    }
    await menu.waitFor({ state: 'hidden', timeout: 10_000 });
    return titles;
  }

  async openCodeActionMenu(via, deadline) {
    const { page } = this;
    // The lightbulb shows once every code-action provider has answered for the cursor (the
    // TypeScript one takes seconds while its project loads); Ctrl+. pressed before then can answer
    // "No code actions available", so both ways wait for it. It is a content widget above the
    // line, or a glyph-margin decoration when the line above has no room.
    const bulb = this.editor().locator('.lightBulbWidget:visible, .margin [class*="codicon-gutter-lightbulb"]:visible').first();
    await bulb.waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) });
    const menu = page.locator('.action-widget');
    while (!(await menu.isVisible())) {
      if (Date.now() > deadline) throw new Error('the code-action menu did not open');
      if (via === 'lightbulb') await bulb.click();
      else await page.keyboard.press('Control+.');
      await menu.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => {});
    }
  }

  /** Texts of the notification toasts on screen. */
  async notifications() {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts()
      .then((texts) => texts.map((t) => t.replace(/\s+/g, ' ').trim()), () => []);
  }

  async screenshot(file) {
    await this.page.screenshot({ path: file });
  }
}

export function formatMarker(m) {
  return `  ${m.severity} ${m.file ? path.basename(m.file) : '?'}:${m.line}:${m.column} [${m.source}${m.code ? ` ${m.code}` : ''}] ${m.message}`;
}
