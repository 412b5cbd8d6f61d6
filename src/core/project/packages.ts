import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PackageInfo {
  /** Absolute path of the package.json. */
  file: string;
  name?: string;
  /** dependencies, devDependencies, peerDependencies and optionalDependencies together. */
  dependencies: Map<string, string>;
  scripts: Record<string, string>;
}

/** Reads the package.json at `dir`; undefined when it is missing or unreadable. */
export function readPackageJson(dir: string): PackageInfo | undefined {
  const file = path.join(dir, 'package.json');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const dependencies = new Map<string, string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = raw[field];
    if (deps && typeof deps === 'object') {
      for (const [name, version] of Object.entries(deps as Record<string, unknown>)) dependencies.set(name, String(version));
    }
  }
  const scripts = raw.scripts && typeof raw.scripts === 'object' ? (raw.scripts as Record<string, string>) : {};
  return { file, name: typeof raw.name === 'string' ? raw.name : undefined, dependencies, scripts };
}
