// The mocha suite in test/e2e/host, inside the real extension host (vscode.languages.getDiagnostics,
// vscode.executeCodeActionProvider), once in a trusted and once in a restricted window.
export const name = 'Extension-host suite (vscode API), trusted and restricted';
export const timeoutMs = 420_000;

export async function run(ctx) {
  const failures = [];
  for (const trusted of [true, false]) {
    const report = await ctx.runHostSuite({ folder: ctx.copyExample('orders-api'), trusted, timeoutMs: 180_000 });
    const mode = trusted ? 'trusted' : 'restricted';
    for (const t of report.tests) {
      const state = t.err && Object.keys(t.err).length ? 'FAIL' : report.pending.some((p) => p.fullTitle === t.fullTitle) ? 'PENDING' : 'ok  ';
      ctx.log(`${state} [${mode}] ${t.title} (${t.duration ?? 0} ms)`);
      if (state === 'FAIL') failures.push(`[${mode}] ${t.fullTitle}: ${t.err.message}`);
    }
    // A pending test (it.skip, this.skip(), an it() without a body) proved nothing: it fails the
    // suite rather than show up as a pass. The host entry also runs mocha with forbidPending.
    for (const p of report.pending) failures.push(`[${mode}] ${p.fullTitle}: pending (skipped) — a pending test is not a pass`);
    if (report.stats.tests === 0) failures.push(`[${mode}] the suite ran no tests`);
  }
  if (failures.length) throw new Error(`extension-host tests failed:\n${failures.join('\n')}`);
}
