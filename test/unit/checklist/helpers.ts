import { runChecklist } from '../../../src/core/checklist/run';
import { loadSqlParser } from '../../../src/core/sql/parser';
import { loadProject } from '../../../src/core/project/project';
import { toChecklistJson, type ChecklistJson } from '../../../src/core/report/checklist';
import { createWorkspace, removeWorkspace, type WorkspaceSpec } from '../../helpers/workspace';

export type ItemJson = ChecklistJson['categories'][number]['items'][number];

// The unindexed-filter rule parses SQL with libpg-query (WebAssembly), loaded once.
before(loadSqlParser);

/** Runs the real checklist (rules, facts, verdicts) over a temp workspace; returns the SPEC JSON. */
export function checklistOf(spec: WorkspaceSpec): ChecklistJson {
  const root = createWorkspace(spec);
  try {
    return toChecklistJson(runChecklist(loadProject(root)));
  } finally {
    removeWorkspace(root);
  }
}

export function item(report: ChecklistJson, id: string): ItemJson {
  const found = report.categories.flatMap((c) => c.items).find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

/** `file:line note` lines of an item's evidence, for readable assertions. */
export function evidence(i: ItemJson): string[] {
  return i.evidence.map((e) => `${e.file ? `${e.file}${e.line ? `:${e.line}` : ''} ` : ''}${e.note}`);
}

export const EXPRESS_SERVER = `import express from 'express';
const app = express();
app.get('/livez', (_req, res) => res.send('ok'));
const server = app.listen(3000);
process.on('SIGTERM', () => server.close());
`;
