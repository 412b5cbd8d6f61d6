// Bundles every entry point; tsc only type-checks (npm run typecheck).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyTypeScriptLib } from './scripts/typescript-lib.mjs';
import { typescriptOnce } from './scripts/esbuild-typescript-once.mjs';
import { asciiOutput } from './scripts/esbuild-ascii-output.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  plugins: [typescriptOnce, asciiOutput],
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // libpg-query loads its .wasm next to the bundle (copied below).
  external: ['vscode'],
  // Prefer ESM builds: jsonc-parser's UMD build (its `main`) requires its own files at run time,
  // which a bundle does not have (https://github.com/microsoft/node-jsonc-parser/issues/57).
  mainFields: ['module', 'main'],
};

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  // Processes of their own (the language server, the CLI, the load-test thread) are minified in
  // every build, as in the packaged .vsix: each start reads, decodes and compiles its bundle, and
  // TypeScript's compiler with its comments is 14 MB where minified it is 5.5 MB (~0.2 s less per
  // CLI run). The linked source map keeps stack traces readable (`node --enable-source-maps`).
  { entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js', minify: true },
  // The `shipshape` executable picks one of the two CLI bundles next to it (src/cli/bin.ts):
  // `loadtest` runs from the lean one, without loading the analysis.
  { entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, minify: true },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', minify: true },
  { entryPoints: ['src/cli/loadtestMain.ts'], outfile: 'dist/cli-loadtest.js', minify: true },
  // The load-test engine thread, started by src/core/loadtest/run.ts from next to the bundle that uses it.
  { entryPoints: ['src/core/loadtest/worker.ts'], outfile: 'dist/loadtest-worker.js', minify: true },
];

// Webview scripts: every `src/webview/<name>/main.ts` becomes `media/dist/<name>.js` (a browser
// bundle the panel loads under its CSP; see src/extension/webview/panelHtml.ts).
const webviewDir = path.join('src', 'webview');
for (const name of fs.existsSync(webviewDir) ? fs.readdirSync(webviewDir) : []) {
  const main = path.join(webviewDir, name, 'main.ts');
  if (!fs.existsSync(main)) continue;
  entries.push({ entryPoints: [main], outfile: path.join('media', 'dist', `${name}.js`), platform: 'browser', format: 'iife', target: 'es2022', external: [] });
}

fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync(path.join('node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm'), path.join('dist', 'libpg-query.wasm'));
copyTypeScriptLib('dist');

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync('dist/cli.js', 0o755);
}
