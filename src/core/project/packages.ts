import * as path from 'node:path';
import { readBoundedJson } from '../limits/jsonLimits';

export interface PackageInfo {
  /** Absolute path of the package.json. */
  file: string;
  name?: string;
  /** dependencies, devDependencies, peerDependencies and optionalDependencies together. */
  dependencies: Map<string, string>;
  /** The names in dependencies, peerDependencies and optionalDependencies: what the package runs with, not what its tests and builds use. */
  runtimeDependencies: Set<string>;
  scripts: Record<string, string>;
}

/**
 * Reads the package.json at `dir`; undefined when it is missing or unusable, and then (unless it
 * is simply missing) one line in `problems` naming the file and what is wrong.
 */
export function readPackageJson(dir: string, problems: string[] = []): PackageInfo | undefined {
  const file = path.join(dir, 'package.json');
  const unusable = (what: string) => {
    problems.push(`${file} ${what}; its dependencies are not used to recognise frameworks and database libraries.`);
    return undefined;
  };
  const read = readBoundedJson(file);
  if (read.problem !== undefined) return read.missing ? undefined : unusable(read.problem);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (err) {
    return unusable(`is not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return unusable(`holds ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`}, not an object`);
  }
  const raw = parsed as Record<string, unknown>;
  const dependencies = new Map<string, string>();
  const runtimeDependencies = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = raw[field];
    if (deps && typeof deps === 'object' && !Array.isArray(deps)) {
      for (const [name, version] of Object.entries(deps as Record<string, unknown>)) {
        dependencies.set(name, typeof version === 'string' ? version : JSON.stringify(version) ?? '');
        if (field !== 'devDependencies') runtimeDependencies.add(name);
      }
    }
  }
  const scripts: Record<string, string> = {};
  if (raw.scripts && typeof raw.scripts === 'object' && !Array.isArray(raw.scripts)) {
    for (const [name, script] of Object.entries(raw.scripts as Record<string, unknown>)) if (typeof script === 'string') scripts[name] = script;
  }
  return { file, name: typeof raw.name === 'string' ? raw.name : undefined, dependencies, runtimeDependencies, scripts };
}
