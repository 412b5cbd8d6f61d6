import type { FrameworkDescriptor } from './types';
import { express } from './express';
import { fastify } from './fastify';
import { koa } from './koa';
import { nestjs } from './nestjs';
import { hono } from './hono';
import { restify } from './restify';
import { nodeHttp } from './node-http';

/**
 * The HTTP frameworks Shipshape knows, by id: the only package → framework table. To add one,
 * write `<id>.ts` (a `FrameworkDescriptor`: values, route registration, fix templates) and add its
 * line here; the recipe, with its fixture and README line, is "Adding a framework" in README.md.
 */
export const FRAMEWORKS = {
  express,
  fastify,
  koa,
  nestjs,
  hono,
  restify,
  'node-http': nodeHttp,
} satisfies Record<string, FrameworkDescriptor>;

export type Framework = keyof typeof FRAMEWORKS;

export const FRAMEWORK_IDS = Object.keys(FRAMEWORKS) as Framework[];

/** The frameworks a package.json's dependencies name. */
export function frameworksDeclaredIn(dependencies: Iterable<string>): Set<Framework> {
  const deps = new Set(dependencies);
  return new Set(FRAMEWORK_IDS.filter((id) => (FRAMEWORKS[id] as FrameworkDescriptor).packages.some((p) => deps.has(p))));
}

export type { FrameworkDescriptor, HttpRole } from './types';
