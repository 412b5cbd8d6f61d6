import * as fs from 'node:fs';
import * as path from 'node:path';
import type ts from 'typescript';
import { analysisProvenance } from '../core/analyze';
import type { ProjectModel } from '../core/project/project';
import { loadSqlParser } from '../core/sql/parser';
import { queriesInFiles } from '../core/sql/projectQueries';
import { projectSchema, schemaSourceFiles } from '../core/sql/schemaSource';
import type { DocumentQuery } from './queriesProtocol';

type ProjectSchema = ReturnType<typeof projectSchema>;

/** The schema per project model, rebuilt when a migration or Prisma schema changes on disk. */
const schemas = new WeakMap<ProjectModel, { key: string; schema: ProjectSchema }>();

/**
 * The queries in one file of a folder's program, as `shipshape explain` sees them (the same
 * extraction, src/core/sql/projectQueries): a query PostgreSQL cannot parse is left out, since
 * it cannot be explained either.
 */
export async function documentQueries(inputs: { project: ProjectModel; program: ts.Program }, file: string): Promise<DocumentQuery[]> {
  const sf = inputs.program.getSourceFile(file) ?? inputs.program.getSourceFiles().find((s) => path.resolve(s.fileName) === path.resolve(file));
  if (!sf || sf.isDeclarationFile) return [];
  await loadSqlParser();
  const { schema, prismaModels } = schemaOf(inputs.project);
  const checker = inputs.program.getTypeChecker();
  // The resolver the analyzer builds (src/core/analyze.ts), so the lens sees what the rules see.
  const provenance = analysisProvenance(inputs.program, checker);
  const queries = queriesInFiles({ program: inputs.program, checker, provenance, libraries: inputs.project.dbLibraries }, [sf], schema, prismaModels);
  return queries
    .filter((q) => !q.parseError)
    .map((q) => ({ range: q.range, sql: q.sql, tables: q.tables, verdict: q.verdict, createIndex: q.createIndex, library: q.library }));
}

function schemaOf(project: ProjectModel): ProjectSchema {
  const { migrations, prismaFiles } = schemaSourceFiles(project);
  const key = [...migrations.map((m) => m.file), ...prismaFiles].map((f) => `${f}:${mtimeOf(f)}`).join('\n');
  const cached = schemas.get(project);
  if (cached && cached.key === key) return cached.schema;
  const schema = projectSchema(project);
  schemas.set(project, { key, schema });
  return schema;
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
