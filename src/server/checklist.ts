import * as path from 'node:path';
import { ChecklistFactsCollector } from '../core/checklist/gather';
import { evaluateChecklist } from '../core/checklist/evaluate';
import { discoverFiles } from '../core/project/files';
import { toChecklistJson } from '../core/report/checklist';
import type { ProjectModel } from '../core/project/project';
import type { FolderAnalysis } from './folderAnalysis';
import type { ServerLog } from './log';
import type { FolderChecklist } from './protocol';

/** Files besides TypeScript, SQL and the project files whose change can change a verdict. */
export function feedsChecklist(file: string): boolean {
  const base = path.basename(file);
  return /^(Dockerfile|Containerfile)/i.test(base) || /\.(dockerfile|ya?ml|md|tf|toml)$/i.test(base) || /^\.env/.test(base) || /^(Procfile|Jenkinsfile|CODEOWNERS|\.nycrc.*|\.c8rc.*|renovate\.json5?)$/.test(base) || /[\\/]\.shipshape[\\/]runs[\\/]/.test(file) || /^(jest|vitest|vite)\.config\./.test(base);
}

/**
 * The checklist of one workspace folder in the language server: facts gathered with the
 * folder's long-lived program and the findings it already published, per-file facts kept
 * between refreshes (ChecklistFactsCollector), so a refresh after an edit re-reads only what
 * changed. Runs in the server process, never in the extension host.
 */
export class FolderChecklistState {
  private readonly collector = new ChecklistFactsCollector();
  private last: FolderChecklist | undefined;
  private lastKey = '';
  /** A checklist file was added or removed: the folder's file list must be walked again. */
  private fileListStale = false;
  /** The folder's files as walked after fileListChanged(), and the project model they were walked for. */
  private files: ProjectModel['files'] | undefined;
  private filesOf: ProjectModel | undefined;
  /** Time spent in the earlier slices of a refresh that is still pending. */
  private busyMs = 0;

  constructor(private readonly folder: FolderAnalysis, private readonly log: ServerLog) {}

  fileListChanged(): void {
    this.fileListStale = true;
  }

  current(): FolderChecklist | undefined {
    return this.last;
  }

  /**
   * Recomputes; returns true when the report changed, 'pending' when `sliceMs` ran out while
   * reading the code (call again: what was read is kept).
   */
  refresh(registeredRules: readonly string[], sliceMs?: number): boolean | 'pending' {
    const parts = this.folder.checklistInputs();
    if (!parts) return false;
    const started = performance.now();
    let project = parts.project;
    if (this.fileListStale) {
      this.files = discoverFiles(project.root, { include: project.config.include, exclude: project.config.exclude });
      this.filesOf = project;
      this.fileListStale = false;
    }
    // The walked list stands for the project's until the project reloads (a new model).
    if (this.files && this.filesOf === project) project = { ...project, files: this.files };
    else this.files = undefined;
    if (sliceMs !== undefined && !this.collector.readCode(project, parts.program, started + sliceMs)) {
      this.busyMs += performance.now() - started;
      return 'pending';
    }
    const facts = this.collector.gather({
      project,
      program: parts.program,
      findings: parts.findings,
      registeredRules,
      ranRules: registeredRules.filter((id) => project.config.rules[id]?.severity !== 'off'),
    });
    const result = evaluateChecklist(facts, { config: project.config, configFile: project.configFile });
    const report = toChecklistJson(result);
    const key = JSON.stringify(report);
    const durationMs = Math.round(this.busyMs + performance.now() - started);
    this.busyMs = 0;
    this.last = { name: this.folder.name, root: this.folder.root, report, durationMs };
    if (key === this.lastKey) return false;
    this.lastKey = key;
    this.log.info(`${this.folder.name}: readiness checklist ${report.score ?? '–'}/100 (${durationMs} ms)`);
    return true;
  }
}
