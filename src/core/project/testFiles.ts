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

/**
 * Database seed scripts (`seed/`, `seeds/`, `seeders/`, `prisma/seed.ts`, `seed-database.ts`,
 * `*.seed.ts`), by path relative to the project root: they fill a development or end-to-end
 * database by hand, once, and never serve a request.
 */
const SEED_SCRIPT = /(^|\/)(seeds?|seeders|seeding)\/|(^|\/)seed[^/]*\.[cm]?tsx?$|\.seed\.[cm]?tsx?$/;

export function isSeedScript(relativePath: string): boolean {
  return SEED_SCRIPT.test(relativePath);
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

/**
 * Test code or a seed script, for rules about production behaviour: `isTestFile`'s files plus
 * test-runner setup files (`test-setup.ts`, `vitest.setup.ts`, `jest.setup.ts`, `setupTests.ts`,
 * `global-setup.ts`), test helpers' folders (`test-utils/`, `fixtures/`) and seed scripts — code
 * that prepares a database for a test or a developer, never for a request.
 */
export function isTestCodeOrSeedScript(root: string, file: string): boolean {
  const rel = toPosix(path.relative(root, file));
  return TEST_FILE.test(rel) || TEST_DIR.test(rel) || TEST_SETUP.test(rel) || TEST_SUPPORT_DIR.test(rel) || isSeedScript(rel);
}

const TEST_SETUP = /(^|\/)(test-setup|setup-tests|setupTests|vitest\.setup|jest\.setup|global-setup|globalSetup|test-teardown|global-teardown)\.[cm]?[jt]sx?$/;
const TEST_SUPPORT_DIR = /(^|\/)(test-utils|fixtures|__fixtures__)\//;
