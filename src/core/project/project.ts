import * as path from 'node:path';
import { loadConfig, type Config, type ConfigProblem } from '../config';
import { discoverFiles, type DiscoveredFiles } from './files';
import { readPackageJson, type PackageInfo } from './packages';
import { readTsConfig, type TsConfigInfo } from '../ts/program';

export type Framework = 'express' | 'fastify' | 'koa' | 'nestjs' | 'hono' | 'node-http';
export type DbLibrary = 'pg' | 'postgres' | 'mysql2' | 'prisma' | 'typeorm' | 'knex' | 'kysely' | 'drizzle' | 'sequelize' | 'mikro-orm' | 'mongoose';

/** npm packages that identify each framework. */
export const FRAMEWORK_PACKAGES: Record<Framework, string[]> = {
  express: ['express'],
  fastify: ['fastify'],
  koa: ['koa', '@koa/router', 'koa-router'],
  nestjs: ['@nestjs/core', '@nestjs/common'],
  hono: ['hono', '@hono/node-server'],
  'node-http': ['http', 'https', 'http2'],
};

/** npm packages that identify each database library. */
export const DB_PACKAGES: Record<DbLibrary, string[]> = {
  pg: ['pg', 'pg-pool'],
  postgres: ['postgres'],
  mysql2: ['mysql2'],
  prisma: ['@prisma/client'],
  typeorm: ['typeorm', '@nestjs/typeorm'],
  knex: ['knex'],
  kysely: ['kysely'],
  drizzle: ['drizzle-orm'],
  sequelize: ['sequelize', 'sequelize-typescript'],
  'mikro-orm': ['@mikro-orm/core', '@mikro-orm/postgresql'],
  mongoose: ['mongoose'],
};

export interface ProjectModel {
  /** Absolute path of the workspace root. */
  root: string;
  config: Config;
  configProblems: ConfigProblem[];
  configFile?: string;
  files: DiscoveredFiles;
  /** Problems with files that describe the project (package.json, .gitignore, globs) that did not stop the analysis. */
  warnings: string[];
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
  const warnings: string[] = [...files.problems];
  const packageJson = readPackageJson(abs, warnings);
  const deps = packageJson?.dependencies ?? new Map<string, string>();
  return {
    root: abs,
    config: loaded.config,
    configProblems: loaded.problems,
    configFile: loaded.file,
    files,
    warnings,
    packageJson,
    tsconfig: readTsConfig(abs),
    frameworks: pick(FRAMEWORK_PACKAGES, deps),
    dbLibraries: pick(DB_PACKAGES, deps),
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

export function dbLibraryOfPackage(pkg: string): DbLibrary | undefined {
  for (const [lib, names] of Object.entries(DB_PACKAGES) as Array<[DbLibrary, string[]]>) {
    if (names.includes(pkg) || pkg.startsWith(names[0] + '/')) return lib;
  }
  return undefined;
}
