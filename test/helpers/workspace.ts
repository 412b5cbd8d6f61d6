import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface WorkspaceSpec {
  /** Relative path → content. */
  files: Record<string, string>;
  /** Link the repository's node_modules in, so installed type declarations (e.g. @types/express, @types/pg) are visible. */
  withTypes?: boolean;
  /** Written as package.json unless `files` has one. */
  dependencies?: Record<string, string>;
}

export const DEFAULT_TSCONFIG = JSON.stringify(
  { compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, experimentalDecorators: true, skipLibCheck: true } },
  null,
  2,
);

/** Creates a real workspace folder under the OS temp dir; returns its absolute path. */
export function createWorkspace(spec: WorkspaceSpec): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-ws-'));
  const files = { ...spec.files };
  if (!('tsconfig.json' in files)) files['tsconfig.json'] = DEFAULT_TSCONFIG;
  if (!('package.json' in files)) files['package.json'] = JSON.stringify({ name: 'fixture', private: true, dependencies: spec.dependencies ?? {} }, null, 2);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  if (spec.withTypes) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

/** Copies a fixture folder (test/fixtures/<name>) to a temp dir, so tests never change the repo. */
export function copyFixture(name: string, opts: { withTypes?: boolean } = {}): string {
  const src = path.join(REPO_ROOT, 'test', 'fixtures', name);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `shipshape-${name.replace(/\W/g, '-')}-`));
  fs.cpSync(src, root, { recursive: true, filter: (p) => path.basename(p) !== 'node_modules' });
  if (opts.withTypes) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

export function removeWorkspace(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

export { REPO_ROOT };
