import * as path from 'node:path';

/**
 * `path.resolve(file)`, remembered. The analysis turns every file name of the program into its
 * absolute form on every run (to match targets, overlays and import edges), and the program of
 * a 1,500-file workspace has some 1,800 files: `path.resolve` re-normalises each name character
 * by character, which made it the largest single cost of re-analysing one edited file. File
 * names repeat from one run to the next, so a lookup replaces the work.
 */
const resolved = new Map<string, string>();

/** Names remembered at most: a long-lived language server sees files come and go. */
const MAX_REMEMBERED = 100_000;

export function absolutePath(file: string): string {
  // A relative name depends on the working directory, which may change: not remembered.
  if (!path.isAbsolute(file)) return path.resolve(file);
  let abs = resolved.get(file);
  if (abs === undefined) {
    abs = path.resolve(file);
    if (resolved.size >= MAX_REMEMBERED) resolved.clear();
    resolved.set(file, abs);
  }
  return abs;
}
