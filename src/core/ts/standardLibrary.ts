import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * The folder beside the bundles (dist/cli.js, dist/server.js) where the build copies TypeScript's
 * `lib.*.d.ts` files (esbuild.mjs; shipped in the .vsix through .vscodeignore).
 */
export const BUNDLED_LIB_FOLDER = 'typescript-lib';

export interface StandardLibrary {
  /** Folder holding lib.es5.d.ts, lib.es2022.d.ts, … */
  dir: string;
  /** False when no candidate folder holds the files: the checker then has no Array or Promise. */
  found: boolean;
}

let cached: StandardLibrary | undefined;

/**
 * Where TypeScript's standard library declarations are. The compiler looks for them next to its own
 * file, which inside a bundle is the bundle's folder; without them there is no global `Array` or
 * `Promise`, and the N+1 through `ids.map(...)` or `Promise.all` goes unseen. So: the copy beside
 * the bundle first, then the folder of the installed `typescript` package (running from sources).
 */
export function standardLibrary(): StandardLibrary {
  if (cached) return cached;
  const candidates = [path.join(__dirname, BUNDLED_LIB_FOLDER), path.dirname(ts.getDefaultLibFilePath({}))];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'lib.es5.d.ts')));
  cached = dir ? { dir, found: true } : { dir: candidates[0], found: false };
  return cached;
}

/** The one-line problem to show when the library is missing (a broken install, not the user's code). */
export function missingStandardLibraryProblem(lib: StandardLibrary): string | undefined {
  if (lib.found) return undefined;
  return `TypeScript's standard library (lib.es5.d.ts) is missing from ${lib.dir}: N+1 queries over arrays and promises will be missed. Reinstall Shipshape (the CLI package or the extension).`;
}
