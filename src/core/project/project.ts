import * as path from 'node:path';
import { loadConfig, type Config, type ConfigProblem } from '../config';
import { discoverFiles, type DiscoveredFiles } from './files';
import { readPackageJson, type PackageInfo } from './packages';
import { readTsConfig, type TsConfigInfo } from '../ts/program';
import { dbLibrariesDeclaredIn, type DbLibrary } from '../db/libraries';

export type { DbLibrary };

export type Framework = 'express' | 'fastify' | 'koa' | 'nestjs' | 'hono' | 'node-http';

/** npm packages that identify each framework. */
export const FRAMEWORK_PACKAGES: Record<Framework, string[]> = {
  express: ['express'],
  fastify: ['fastify'],
  koa: ['koa', '@koa/router', 'koa-router'],
  nestjs: ['@nestjs/core', '@nestjs/common'],
  hono: ['hono', '@hono/node-server'],
  'node-http': ['http', 'https', 'http2'],
};

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
    frameworks: pick(FRAMEWORK_PACKAGES, deps),
    dbLibraries: dbLibrariesDeclaredIn(deps.keys()),
  };
}

function pick<K extends string>(table: Record<K, string[]>, deps: Map<string, string>): Set<K> {
  const out = new Set<K>();
  for (const [key, names] of Object.entries(table) as Array<[K, string[]]>) {
    if (names.some((n) => deps.has(n))) out.add(key);
  }
  return out;
}

/** Which framework an imported package belongs to. */
export function frameworkOfPackage(pkg: string): Framework | undefined {
  for (const [fw, names] of Object.entries(FRAMEWORK_PACKAGES) as Array<[Framework, string[]]>) {
    if (names.includes(pkg)) return fw;
  }
  return undefined;
}
