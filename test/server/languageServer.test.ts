import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import {
  DiagnosticSeverity,
  FileChangeType,
  type CodeAction,
  type Command,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { copyFixture, REPO_ROOT, removeWorkspace } from '../helpers/workspace';
import { ensureServerBuilt, LspTestClient, uriOf } from './lspClient';
import { DEFAULT_TIMING } from '../../src/server/scheduler';

/**
 * The built language server (dist/server.js), spoken to over stdio as VS Code speaks to it
 * over IPC, on a copy of test/fixtures/lsp-workspace with the real rules:
 *   src/server.ts        express app.listen, no SIGTERM handler, no health route
 *   src/probes.ts        registerProbes(app): only /version so far
 *   src/routes/orders.ts a loop with a direct and an indirect query (n-plus-one)
 *   src/customers.ts     the query the indirect call leads to
 *   src/broken.ts        does not parse
 *   migrations/001_init.sql  foreign keys without indexes
 */
describe('language server (dist/server.js over LSP)', function () {
  this.timeout(60_000);
  let root: string;
  let client: LspTestClient;

  before(() => ensureServerBuilt());

  afterEach(async () => {
    await client?.stop();
    if (root) removeWorkspace(root);
  });

  const start = async (settings?: Record<string, unknown>, prepare?: (root: string) => void): Promise<LspTestClient> => {
    root = copyFixture('lsp-workspace');
    prepare?.(root);
    client = await LspTestClient.start(root, { settings });
    await client.waitForIdle();
    return client;
  };

  const byRule = (diagnostics: Diagnostic[], ruleId: string) => diagnostics.filter((d) => d.code === ruleId);
  const LISTEN_LINE = 10;

  it('publishes diagnostics for every file of the workspace at startup, mapped from the findings', async () => {
    await start();
    const server = client.diagnosticsOf('src/server.ts');
    const [shutdown] = byRule(server, 'missing-graceful-shutdown');
    assert.ok(shutdown, `no missing-graceful-shutdown in ${JSON.stringify(server)}`);
    assert.equal(shutdown.range.start.line, LISTEN_LINE);
    assert.equal(shutdown.range.start.character, 0);
    assert.equal(shutdown.source, 'shipshape');
    assert.equal(shutdown.severity, DiagnosticSeverity.Warning);
    // The code links to the rule's page inside the extension (extensionPath from initializationOptions).
    assert.equal(shutdown.codeDescription?.href, URI.file(path.join(REPO_ROOT, 'docs', 'rules', 'missing-graceful-shutdown.md')).toString());
    assert.match(messageOf(shutdown), /SIGTERM/);
    assert.equal(byRule(server, 'missing-health-endpoint')[0]?.range.start.line, LISTEN_LINE);

    // A file never opened in the editor has its diagnostics too (whole-workspace problems).
    const orders = client.diagnosticsOf('src/routes/orders.ts');
    const nPlusOne = byRule(orders, 'n-plus-one').sort((a, b) => a.range.start.line - b.range.start.line);
    // One finding per loop, on its first database call; the loop's other query is related information.
    assert.deepEqual(nPlusOne.map((d) => d.range.start.line), [10]);
    // The indirect call carries the query it leads to as related information, in another file.
    const related = nPlusOne[0].relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri === uriOf(client.file('src/customers.ts')) && r.location.range.start.line === 3), JSON.stringify(nPlusOne[0]));
    assert.ok(related.some((r) => r.location.uri === uriOf(client.file('src/routes/orders.ts')) && r.location.range.start.line === 11), JSON.stringify(nPlusOne[0]));

    const idle = client.statuses.filter((s) => s.state === 'idle').at(-1)!;
    const published = [...client.diagnostics.values()].reduce((n, ds) => n + ds.length, 0);
    assert.equal(idle.findings, published);
    assert.ok(client.statuses[0].state === 'analysing', 'the first status says the workspace is being analysed');
    assert.ok(
      client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles' && JSON.stringify(r.registerOptions).includes('**/*.{ts,tsx,mts,cts,sql,prisma}')),
      'the server asks the client to watch sources, migrations and project files',
    );
  });

  it('skips a file that does not parse, says why in the log, and analyses the others', async () => {
    await start();
    assert.deepEqual(client.diagnosticsOf('src/broken.ts'), []);
    const line = client.logs.find((l) => l.includes('skipped src/broken.ts'));
    assert.ok(line, client.logs.join('\n'));
    assert.match(line, /does not parse at line \d+, column \d+/);
    assert.ok(client.diagnosticsOf('src/server.ts').length > 0);
  });

  it('re-analyses an edited buffer: a SIGTERM handler clears the finding at the listen call', async () => {
    await start();
    await client.open('src/server.ts');
    const text = fs.readFileSync(client.file('src/server.ts'), 'utf8').replace(
      'app.listen(port, () => {',
      "const server = app.listen(port, () => {",
    ) + "\nprocess.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n});\n";
    const started = Date.now();
    await client.change('src/server.ts', text);
    await client.waitFor('the shutdown finding to go', () => byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown').length === 0);
    const took = Date.now() - started;
    assert.ok(took < 5000, `took ${took} ms`);
    // The other finding at the same call stays; the disk was not touched.
    assert.equal(byRule(client.diagnosticsOf('src/server.ts'), 'missing-health-endpoint').length, 1);
    assert.doesNotMatch(fs.readFileSync(client.file('src/server.ts'), 'utf8'), /SIGTERM/);

    // Closing the editor without saving brings the disk's version back.
    await client.close('src/server.ts');
    await client.waitFor('the shutdown finding to return', () => byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown').length === 1);
  });

  it('republishes other files when an edit changes cross-file facts: a health route in probes.ts clears server.ts', async () => {
    await start();
    assert.equal(byRule(client.diagnosticsOf('src/server.ts'), 'missing-health-endpoint').length, 1);
    await client.open('src/probes.ts');
    const text = fs
      .readFileSync(client.file('src/probes.ts'), 'utf8')
      .replace("  app.get('/version',", "  app.get('/healthz', (_req, res) => {\n    res.send('ok');\n  });\n  app.get('/version',");
    await client.change('src/probes.ts', text);
    await client.waitFor('the health finding in server.ts to go', () => byRule(client.diagnosticsOf('src/server.ts'), 'missing-health-endpoint').length === 0);
    assert.equal(byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown').length, 1);
  });

  it('republishes the callers of an edited function: the loop that calls it is no longer an N+1', async () => {
    await start();
    const lines = () => byRule(client.diagnosticsOf('src/routes/orders.ts'), 'n-plus-one').map((d) => d.range.start.line).sort();
    // One finding per loop: on the indirect call first, on the direct query once the helper no longer queries.
    assert.deepEqual(lines(), [10]);
    await client.open('src/customers.ts');
    await client.change(
      'src/customers.ts',
      "const cache = new Map<number, { id: number; email: string }>();\n\nexport async function findCustomer(id: number): Promise<{ id: number; email: string } | undefined> {\n  return cache.get(id);\n}\n",
    );
    await client.waitFor('the indirect N+1 to go', () => lines().length === 1 && lines()[0] === 11);
  });

  it('answers code actions from the fixes computed at analysis time, as WorkspaceEdits', async () => {
    await start();
    const [diagnostic] = byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown');
    // Every analysis run logs one `analysis run:` line, whoever started it. A run the request
    // scheduled (debounced) shows up only later: wait out the scheduler's longest delay, then
    // round-trip another request so every log message sent before it has arrived.
    const runs = () => client.logs.filter((l) => /: analysis run: /.test(l)).length;
    const runsBefore = runs();
    assert.ok(runsBefore > 0, `no analysis run logged:\n${client.logs.join('\n')}`);
    const actions = (await client.codeActions('src/server.ts', diagnostic.range, [diagnostic])).filter(isCodeAction);
    await new Promise((resolve) => setTimeout(resolve, 2 * (DEFAULT_TIMING.debounceMs + DEFAULT_TIMING.relatedDelayMs)));
    await client.codeActions('src/server.ts', diagnostic.range, [diagnostic]);
    assert.equal(runs(), runsBefore, 'a lightbulb never re-analyses');
    assert.ok(actions.length >= 2, JSON.stringify(actions, null, 1));
    for (const a of actions) {
      assert.equal(a.kind, 'quickfix');
      assert.deepEqual(a.diagnostics, [diagnostic]);
    }
    assert.ok(actions.find((a) => a.isPreferred), `no preferred fix among ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title === 'Disable missing-graceful-shutdown for this line'));

    // Once the buffer changes, fixes computed for the old text are not offered: the lightbulb
    // waits for the re-analysis rather than edit the wrong places.
    const disk = fs.readFileSync(client.file('src/server.ts'), 'utf8');
    await client.open('src/server.ts');
    await client.change('src/server.ts', `\n${disk}`);
    assert.deepEqual(await client.codeActions('src/server.ts', diagnostic.range, [diagnostic]), []);
    await client.change('src/server.ts', disk);
    const current = await poll('fixes for the current text', async () => {
      const now = (await client.codeActions('src/server.ts', diagnostic.range, [diagnostic])).filter(isCodeAction);
      return now.length > 0 ? now : undefined;
    });

    // Applying the preferred fix to the buffer removes the finding.
    const preferred = current.find((a) => a.isPreferred)!;
    const uri = uriOf(client.file('src/server.ts'));
    const edits = (preferred.edit?.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
    assert.ok(edits.length > 0, JSON.stringify(preferred.edit));
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, disk), edits.flatMap((e) => e.edits.filter((x): x is TextEdit => 'newText' in x)));
    await client.change('src/server.ts', fixed);
    await client.waitFor('the fixed file to lose the finding', () => byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown').length === 0);
  });

  it('reports a bad shipshape.config.json as a diagnostic on it and a warning that says what to do', async () => {
    await start(undefined, (r) => fs.writeFileSync(path.join(r, 'shipshape.config.json'), '{\n  "rules": {\n    "n-plus-one": "loud"\n  }\n}\n'));
    const [problem] = client.diagnosticsOf('shipshape.config.json');
    assert.ok(problem, 'a diagnostic on shipshape.config.json');
    assert.equal(problem.severity, DiagnosticSeverity.Error);
    assert.equal(problem.range.start.line, 2, 'points at the offending key');
    assert.match(messageOf(problem), /rules\.n-plus-one/);
    assert.match(messageOf(problem), /off, info, warning, error/);
    const warning = client.messages.find((m) => m.type === 2 && m.message.includes('shipshape.config.json'));
    assert.ok(warning, JSON.stringify(client.messages));
    assert.deepEqual(warning.actions, ['Open shipshape.config.json']);
    assert.match(warning.message, /defaults/);
    // Analysis went on with the defaults.
    assert.ok(client.diagnosticsOf('src/server.ts').length > 0);

    fs.writeFileSync(client.file('shipshape.config.json'), '{ "rules": { "n-plus-one": "error" } }\n');
    await client.filesChanged([{ uri: uriOf(client.file('shipshape.config.json')), type: FileChangeType.Changed }]);
    await client.waitFor('the config diagnostic to clear', () => client.diagnosticsOf('shipshape.config.json').length === 0);
    await client.waitFor('n-plus-one as an error', () => byRule(client.diagnosticsOf('src/routes/orders.ts'), 'n-plus-one').every((d) => d.severity === DiagnosticSeverity.Error) && byRule(client.diagnosticsOf('src/routes/orders.ts'), 'n-plus-one').length > 0);

    // Invalid JSON: the diagnostic sits where the parser stopped.
    fs.writeFileSync(client.file('shipshape.config.json'), '{\n  "rules": {\n    "n-plus-one": "error",\n  }\n}\n');
    await client.filesChanged([{ uri: uriOf(client.file('shipshape.config.json')), type: FileChangeType.Changed }]);
    const [syntax] = await client.waitFor('a syntax error diagnostic', () => client.diagnosticsOf('shipshape.config.json').length > 0 && client.diagnosticsOf('shipshape.config.json'));
    assert.match(messageOf(syntax), /not valid JSON at line 4/);
    assert.equal(syntax.range.start.line, 3);
  });

  it('applies editor settings per folder, re-reads them on change, and lets shipshape.config.json win', async () => {
    await start({ rules: { 'missing-graceful-shutdown': 'off', 'n-plus-one': 'info' } });
    assert.equal(byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown').length, 0);
    const nPlusOne = byRule(client.diagnosticsOf('src/routes/orders.ts'), 'n-plus-one');
    assert.ok(nPlusOne.length > 0 && nPlusOne.every((d) => d.severity === DiagnosticSeverity.Information), JSON.stringify(nPlusOne));

    await client.settingsChanged({});
    await client.waitFor('the shutdown finding with default settings', () => byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown').length === 1);

    await client.settingsChanged({ rules: { 'missing-graceful-shutdown': 'off' } });
    await client.waitFor('the setting to turn the rule off', () => byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown').length === 0);
    fs.writeFileSync(client.file('shipshape.config.json'), '{ "rules": { "missing-graceful-shutdown": "error" } }\n');
    await client.filesChanged([{ uri: uriOf(client.file('shipshape.config.json')), type: FileChangeType.Created }]);
    await client.waitFor('the config file to win', () => byRule(client.diagnosticsOf('src/server.ts'), 'missing-graceful-shutdown')[0]?.severity === DiagnosticSeverity.Error);
  });

  it('follows files created and deleted on disk', async () => {
    await start();
    fs.rmSync(client.file('src/routes/orders.ts'));
    fs.writeFileSync(
      client.file('src/sync.ts'),
      "import { pool } from './db';\n\nexport async function touchAll(ids: number[]): Promise<void> {\n  for (const id of ids) {\n    await pool.query('UPDATE customers SET email = email WHERE id = $1', [id]);\n  }\n}\n",
    );
    await client.filesChanged([
      { uri: uriOf(client.file('src/routes/orders.ts')), type: FileChangeType.Deleted },
      { uri: uriOf(client.file('src/sync.ts')), type: FileChangeType.Created },
    ]);
    await client.waitFor('the deleted file to lose its diagnostics', () => client.diagnostics.get(uriOf(client.file('src/routes/orders.ts')))?.length === 0);
    await client.waitFor('the new file to be analysed', () => byRule(client.diagnosticsOf('src/sync.ts'), 'n-plus-one').length === 1);
  });

  it('Scan Workspace re-reads and analyses everything and returns the counts', async () => {
    await start();
    const before = client.statuses.length;
    const result = await client.scanWorkspace();
    const published = [...client.diagnostics.values()].reduce((n, ds) => n + ds.length, 0);
    assert.equal(result.findings, published);
    assert.ok(result.files >= 6, JSON.stringify(result));
    const after = client.statuses.slice(before).map((s) => s.state);
    assert.deepEqual([after[0], after.at(-1)], ['analysing', 'idle']);
  });

  it('keeps serving after requests it cannot answer', async () => {
    await start();
    const outside = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: 'file:///nowhere/at/all.ts' },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(outside, []);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere/x.ts', version: 3 }, contentChanges: [{ text: 'x' }] });
    const untitled = await client.codeActions('src/server.ts', { start: { line: 99, character: 0 }, end: { line: 99, character: 0 } }, []);
    assert.deepEqual(untitled, []);
    assert.ok(client.isRunning());
    const result = await client.scanWorkspace();
    assert.ok(result.findings > 0);
  });
});

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function isCodeAction(a: Command | CodeAction): a is CodeAction {
  return 'kind' in a || 'edit' in a;
}

/** The first code action, over every published diagnostic, whose edit creates a file (e.g. an index migration). */
