// Shipshape on examples/orders-api (a temp copy), through the public `vscode` API, in the real
// extension host. The harness opens the copy as the window's folder.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'shipshape.shipshape';
const LISTEN_RULES = ['missing-graceful-shutdown', 'missing-health-endpoint'] as const;

function folder(): vscode.Uri {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'the window has no workspace folder');
  return first.uri;
}

const serverTs = () => vscode.Uri.joinPath(folder(), 'src', 'server.ts');

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function shipshapeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'shipshape');
}

function ruleId(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

/** 0-based line of the server's listen call: the oracle, read from the source itself. */
function listenLine(doc: vscode.TextDocument): number {
  const line = doc.getText().split('\n').findIndex((l) => /\.listen\(/.test(l));
  assert.ok(line >= 0, `${doc.uri.fsPath} has no .listen( call`);
  return line;
}

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  let actions: (vscode.CodeAction | vscode.Command)[] | undefined;
  // The command rejects with "Canceled" when any provider is cancelled — TypeScript's own does
  // while its project still loads — so ask again, as the editor does when the cursor rests.
  for (let attempt = 1; actions === undefined; attempt++) {
    try {
      actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
    } catch (err) {
      if (!(err instanceof Error && err.message === 'Canceled') || attempt === 10) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

/**
 * Shipshape's code actions for a range, once the server has them. Its fixes come from the last
 * analysis of the buffer; right after a document opens (a new version) the server offers none
 * until it has analysed that version, as vscode-eslint does, so ask until they appear.
 */
async function shipshapeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  let last: vscode.CodeAction[] = [];
  const hasOurs = (actions: vscode.CodeAction[]) => actions.some((a) => /^Disable [a-z-]+ for this line$/.test(a.title));
  // On time-out the last answer is returned, so the test's assertion says what was offered.
  await waitFor('Shipshape code actions', async () => hasOurs((last = await codeActions(uri, range))) || undefined, 20_000).catch(() => undefined);
  return last;
}

describe('Shipshape in the extension host (examples/orders-api)', function () {
  this.timeout(90_000);

  it('Shipshape: Scan Workspace reports on files that are not open', async () => {
    // Executing the contributed command activates the extension. Its promise is not awaited
    // before the diagnostics: a command may keep a notification open until it is dismissed.
    let commandError: unknown;
    void Promise.resolve(vscode.commands.executeCommand('shipshape.scanWorkspace')).catch((err: unknown) => { commandError = err; });
    await waitFor('diagnostics on src/server.ts after a workspace scan', () => {
      if (commandError) throw commandError;
      return shipshapeDiagnostics(serverTs()).length > 0 || undefined;
    }, 60_000);
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, `${EXTENSION_ID} is not active`);
    assert.ok((await vscode.commands.getCommands(true)).includes('shipshape.scanWorkspace'));
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === serverTs().toString());
    assert.ok(!open, 'src/server.ts was open, so this does not show the scan reached unopened files');
  });

  it(`reports ${LISTEN_RULES.join(' and ')} on the listen call of src/server.ts, with the rule's doc link`, async () => {
    const doc = await vscode.workspace.openTextDocument(serverTs());
    await vscode.window.showTextDocument(doc);
    const line = listenLine(doc);
    const found = await waitFor('both listen-call findings', () => {
      const diagnostics = shipshapeDiagnostics(doc.uri);
      return LISTEN_RULES.every((id) => diagnostics.some((d) => ruleId(d) === id)) ? diagnostics : undefined;
    });
    for (const id of LISTEN_RULES) {
      const d = found.find((x) => ruleId(x) === id);
      assert.ok(d);
      assert.equal(d.range.start.line, line, `${id} is on line ${d.range.start.line + 1}, the listen call is on line ${line + 1}`);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning, `${id} severity`);
      assert.ok(d.message.length > 40, `${id} message says too little: ${d.message}`);
      assert.ok(typeof d.code === 'object' && d.code.target, `${id} has no documentation link`);
      assert.match(d.code.target.toString(), new RegExp(`docs/rules/${id}\\.md$`));
    }
  });

  it('reports the three N+1 calls in src/routes/orders.ts (one over a typed array), the indirect one with its query as related information', async () => {
    const orders = vscode.Uri.joinPath(folder(), 'src', 'routes', 'orders.ts');
    const customers = vscode.Uri.joinPath(folder(), 'src', 'db', 'customers.ts');
    // The oracle, from the sources: the query in the `for … of` loop, the helper call in `.map`,
    // and the helper's query.
    const lines = (await vscode.workspace.openTextDocument(orders)).getText().split('\n');
    const loop = lines.findIndex((l) => /^\s*for \(const \w+ of /.test(l));
    const direct = lines.findIndex((l, i) => i > loop && /pool\.query\(/.test(l));
    const indirect = lines.findIndex((l) => /\.map\(.*findCustomer\(/.test(l));
    // `Promise.all(ids.map(...))` over `ids: number[]`: needs TypeScript's lib files in the .vsix.
    const typedArray = lines.findIndex((l) => /Promise\.all\(ids\.map\(.*pool\.query/.test(l));
    const helperLines = (await vscode.workspace.openTextDocument(customers)).getText().split('\n');
    const helperStart = helperLines.findIndex((l) => /function findCustomer\(/.test(l));
    const helperQuery = helperLines.findIndex((l, i) => i > helperStart && /pool\.query/.test(l));
    assert.ok(loop >= 0 && direct >= 0 && indirect >= 0 && typedArray >= 0 && helperQuery >= 0, 'the example no longer has the expected N+1 code');

    const found = await waitFor('three n-plus-one findings in src/routes/orders.ts', () => {
      const d = shipshapeDiagnostics(orders).filter((x) => ruleId(x) === 'n-plus-one');
      return d.length >= 3 ? d : undefined;
    });
    assert.deepEqual(found.map((d) => d.range.start.line).sort((a, b) => a - b), [direct, indirect, typedArray]);
    const viaHelper = found.find((d) => d.range.start.line === indirect);
    assert.ok(viaHelper);
    assert.match(viaHelper.message, /findCustomer/, 'the message names the call in the loop');
    const related = viaHelper.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri.toString() === customers.toString() && r.location.range.start.line === helperQuery),
      `no related information at src/db/customers.ts:${helperQuery + 1}; got ${JSON.stringify(related.map((r) => `${r.location.uri.path}:${r.location.range.start.line + 1}`))}`);
  });

  it('offers a fix and a suppression for each listen-call finding', async () => {
    const uri = serverTs();
    const findings = shipshapeDiagnostics(uri).filter((d) => LISTEN_RULES.some((id) => ruleId(d) === id));
    assert.equal(findings.length, LISTEN_RULES.length, 'listen-call findings');
    // Both findings sit on the listen call; the provider answers for that range. (Actions that
    // come back through this command carry no `diagnostics`, so titles tell them apart.)
    const titles = (await shipshapeActions(uri, findings[0].range)).map((a) => a.title);
    assert.ok(titles.some((t) => /SIGTERM|graceful/i.test(t)), `no graceful-shutdown fix; offered ${JSON.stringify(titles)}`);
    assert.ok(titles.some((t) => /health|livez|readyz/i.test(t)), `no health-route fix; offered ${JSON.stringify(titles)}`);
    const suppressions = titles.filter((t) => /disable/i.test(t));
    for (const id of LISTEN_RULES) {
      assert.ok(suppressions.some((t) => t.includes(id)) || suppressions.length >= findings.length,
        `no suppression for ${id}; offered ${JSON.stringify(titles)}`);
    }
  });

  it('applying the graceful-shutdown fix adds a SIGTERM handler and clears that finding only', async () => {
    const uri = serverTs();
    const d = shipshapeDiagnostics(uri).find((x) => ruleId(x) === 'missing-graceful-shutdown');
    assert.ok(d, 'missing-graceful-shutdown is not reported');
    const fix = (await shipshapeActions(uri, d.range)).find((a) => /SIGTERM|graceful/i.test(a.title) && a.edit);
    assert.ok(fix?.edit, 'the graceful-shutdown fix carries no edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit refused the fix');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /process\.(on|once)\(\s*['"]SIGTERM['"]/);
    await waitFor('missing-graceful-shutdown to go away', () =>
      shipshapeDiagnostics(uri).some((x) => ruleId(x) === 'missing-graceful-shutdown') ? undefined : true);
    assert.ok(shipshapeDiagnostics(uri).some((x) => ruleId(x) === 'missing-health-endpoint'), 'missing-health-endpoint went away too');
    await doc.save();
  });

  it('runs in the workspace-trust state the harness asked for', () => {
    const expected = process.env.SHIPSHAPE_E2E_EXPECT_TRUSTED;
    assert.ok(expected === 'true' || expected === 'false', 'SHIPSHAPE_E2E_EXPECT_TRUSTED is not set');
    assert.equal(vscode.workspace.isTrusted, expected === 'true');
  });
});
