import { Analyzer } from '../analyze';
import type { ProjectModel } from '../project/project';
import { allRules } from '../rules';
import { evaluateChecklist } from './evaluate';
import { ChecklistFactsCollector } from './gather';
import type { ChecklistResult } from './types';

/**
 * The checklist of a project in one go (CLI, tests): the rules run over the whole workspace, the
 * facts are gathered from the same program, the items evaluated. The language server does the
 * same with its long-lived program and collector (src/server/checklist.ts).
 */
export function runChecklist(project: ProjectModel): ChecklistResult {
  const started = performance.now();
  const rules = allRules();
  const analyzer = new Analyzer(project, { rules });
  const analysis = analyzer.analyze();
  const facts = new ChecklistFactsCollector().gather({
    project,
    program: analyzer.host.getProgram(),
    findings: analysis.findings,
    registeredRules: rules.map((r) => r.meta.id),
    // A rule that failed internally did not run: its items must not read "no findings" as a pass.
    ranRules: rules.filter((r) => project.config.rules[r.meta.id]?.severity !== 'off' && !analysis.errors.some((e) => e.ruleId === r.meta.id)).map((r) => r.meta.id),
  });
  return evaluateChecklist(facts, { config: project.config, configFile: project.configFile, durationMs: performance.now() - started });
}
