// TypeScript looks for its lib.*.d.ts next to its own code, which in a bundle is the bundle's
// folder: without them the checker has no Array or Promise. Every bundle that runs the analysis
// gets a copy in `<outDir>/typescript-lib`, the folder src/core/ts/standardLibrary.ts reads.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function copyTypeScriptLib(outDir, repo = '.') {
  const from = path.join(repo, 'node_modules', 'typescript', 'lib');
  const to = path.join(outDir, 'typescript-lib');
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  for (const name of fs.readdirSync(from)) {
    if (/^lib\..*\.d\.ts$/.test(name) || name === 'lib.d.ts') fs.copyFileSync(path.join(from, name), path.join(to, name));
  }
  return to;
}
