import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { copyFixture, removeWorkspace } from '../helpers/workspace';
import { ensureServerBuilt, LspTestClient } from './lspClient';

/**
 * Issue 9, in the editor: a pathological buffer (one that overflowed the stack of the whole
 * analysis) never kills the server or stalls the diagnostics of other files.
 */
describe('language server: a pathological buffer', function () {
  this.timeout(90_000);
  let root: string;
  let client: LspTestClient;

  before(() => ensureServerBuilt());
  afterEach(async () => {
    await client?.stop();
    if (root) removeWorkspace(root);
  });

  const healthIn = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'missing-health-endpoint').length;

  it('is named in the log, and edits elsewhere still update their diagnostics', async () => {
    root = copyFixture('lsp-workspace');
    fs.writeFileSync(path.join(root, 'src', 'deep.ts'), 'export const ok = 1;\n');
    client = await LspTestClient.start(root);
    await client.waitForIdle();
    assert.equal(healthIn(client.diagnosticsOf('src/server.ts')), 1);

    // Typed into a buffer: an 800-call `.then()` chain, then a 1 MB line of `(` (each overflowed the stack before).
    await client.open('src/deep.ts');
    await client.change('src/deep.ts', `export const p = Promise.resolve(1)${'.then((v) => v)'.repeat(800)};\n`);
    await client.waitFor('the deep buffer to be named in the log', () => client.logs.some((l) => /not analysed src\/deep\.ts: its syntax nests more than 500 levels deep/.test(l)));
    await client.change('src/deep.ts', `export const x = ${'('.repeat(1024 * 1024)};\n`);
    await client.waitFor('the parser failure to be named in the log', () => client.logs.some((l) => /not analysed src\/deep\.ts: it nests too deeply for the TypeScript parser/.test(l)));

    // With the deep buffer still open, a health route added in another file clears server.ts's finding.
    await client.open('src/probes.ts');
    const probes = fs.readFileSync(client.file('src/probes.ts'), 'utf8').replace("  app.get('/version',", "  app.get('/healthz', (_req, res) => {\n    res.send('ok');\n  });\n  app.get('/version',");
    await client.change('src/probes.ts', probes);
    await client.waitFor('the health finding to go', () => healthIn(client.diagnosticsOf('src/server.ts')) === 0);
    assert.ok(client.isRunning(), 'the server process is alive');
    assert.ok(!client.logs.some((l) => /Maximum call stack|analysis of \d+ files failed/.test(l)), client.logs.join('\n'));

    // Fixing the buffer brings it back into the analysis.
    await client.change('src/deep.ts', "import express from 'express';\nexpress().listen(4000);\n");
    await client.waitFor('the fixed buffer to be analysed', () => client.diagnosticsOf('src/deep.ts').some((d) => d.code === 'missing-graceful-shutdown'));
  });
});
