import * as path from 'node:path';
import type ts from 'typescript';
import { toPosix } from './files';

const TEST_FILE = /\.(test|spec|e2e-spec|e2e)\.[cm]?tsx?$/;
const TEST_DIR = /(^|\/)(test|tests|__tests__|__mocks__|e2e|spec)\//;

/** Test files start servers and register routes for their own purposes; they never count as the service. */
export function isTestFile(root: string, file: string): boolean {
  const rel = toPosix(path.relative(root, file));
  return TEST_FILE.test(rel) || TEST_DIR.test(rel);
}

const testSourceCache = new WeakMap<ts.SourceFile, { root: string; test: boolean }>();

/** `isTestFile` for a source file, remembered per file version. */
export function isTestSource(root: string, sf: ts.SourceFile): boolean {
  const cached = testSourceCache.get(sf);
  if (cached && cached.root === root) return cached.test;
  const test = isTestFile(root, sf.fileName);
  testSourceCache.set(sf, { root, test });
  return test;
}
