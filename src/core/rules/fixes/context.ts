import ts from 'typescript';
import { findDbClients, type DbClient } from '../../http/dbclients';
import { FRAMEWORKS, type Framework } from '../../http/frameworks';
import { skipOuterAndAwait } from '../../ts/expressions';
import type { ProvenanceResolver } from '../../ts/provenance';
import type { RuleContext } from '../types';

/** What the quick fixes need from the analysis. */
export interface FixContext {
  checker: ts.TypeChecker;
  provenance: ProvenanceResolver;
  projectFiles: readonly ts.SourceFile[];
  root: string;
  healthPaths: readonly string[];
  dbClients: readonly DbClient[];
  /** Packages the project depends on (package.json), with their version ranges. */
  dependencies: ReadonlyMap<string, string>;
}

/**
 * Source text for an expression that can be repeated in inserted code with the same
 * meaning: a name (`app`) or a `this.x` member. Calls and other expressions cannot.
 */
export function stableReference(sf: ts.SourceFile, expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const e = skipOuterAndAwait(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e) && (e.expression.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(e.expression)) && ts.isIdentifier(e.name)) return e.getText(sf);
  return undefined;
}

/** A framework's name in messages: its descriptor's display name, without Markdown. */
export function frameworkLabel(framework: Framework): string {
  return FRAMEWORKS[framework].displayName.replace(/`/g, '');
}

/** The fix context of a rule run; database clients are looked up once, when a finding needs a fix. */
export function fixContext(ctx: RuleContext<string, any>): FixContext {
  return {
    checker: ctx.checker,
    provenance: ctx.provenance,
    projectFiles: ctx.projectFiles,
    root: ctx.project.root,
    healthPaths: ctx.project.config.healthPaths,
    dbClients: findDbClients(ctx.provenance, ctx.projectFiles, ctx.project.root),
    dependencies: ctx.project.packageJson?.dependencies ?? new Map(),
  };
}
