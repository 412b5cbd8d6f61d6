import * as path from 'node:path';
import { loadConfig, type Config, type ConfigProblem } from '../config';
import { discoverFiles, type DiscoveredFiles } from './files';
import { readPackageJson, type PackageInfo } from './packages';
import { readTsConfig, type TsConfigInfo } from '../ts/program';
import { dbLibrariesDeclaredIn, type DbLibrary } from '../db/libraries';
import { frameworksDeclaredIn, type Framework } from '../http/frameworks';

export type { DbLibrary, Framework };

export interface ProjectModel {
  /** Absolute path of the workspace root. */
  root: string;
  config: Config;
  configProblems: ConfigProblem[];
  configFile?: string;
  files: DiscoveredFiles;
  packageJson?: PackageInfo;
  tsconfig: TsConfigInfo;
  /** Frameworks named in package.json (imports found in code are added by the analyzer). */
  frameworks: Set<Framework>;
  dbLibraries: Set<DbLibrary>;
}

export interface LoadProjectOptions {
  /** Settings from the editor; shipshape.config.json wins over them. */
  configOverrides?: Partial<Config>;
}

export function loadProject(root: string, opts: LoadProjectOptions = {}): ProjectModel {
  const abs = path.resolve(root);
  const loaded = loadConfig(abs, opts.configOverrides);
  const files = discoverFiles(abs, { include: loaded.config.include, exclude: loaded.config.exclude });
  const packageJson = readPackageJson(abs);
  const deps = packageJson?.dependencies ?? new Map<string, string>();
  return {
    root: abs,
    config: loaded.config,
    configProblems: loaded.problems,
    configFile: loaded.file,
    files,
    packageJson,
    tsconfig: readTsConfig(abs),
    frameworks: frameworksDeclaredIn(deps.keys()),
    dbLibraries: dbLibrariesDeclaredIn(deps.keys()),
  };
}
