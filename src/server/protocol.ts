/**
 * Messages between the Shipshape extension and its language server beyond LSP.
 * Imported by both sides (no `vscode` import here, no server-only code).
 */

/** `shipshape/status` (server → client): drives the status bar item and the Findings view's welcome text. */
export const STATUS_NOTIFICATION = 'shipshape/status';

export interface StatusParams {
  state: 'analysing' | 'idle';
  /** Findings currently published, all workspace folders together. */
  findings: number;
  /** Files covered by the last whole-workspace analysis (TypeScript and SQL). */
  files: number;
  /** Duration of the last completed analysis pass, in milliseconds. */
  durationMs: number;
}

/** `shipshape/scanWorkspace` (client → server): re-reads every folder and analyses it whole; resolves when done. */
export const SCAN_WORKSPACE_REQUEST = 'shipshape/scanWorkspace';

export interface ScanWorkspaceResult {
  findings: number;
  files: number;
  durationMs: number;
}

/** What the extension passes in `initializationOptions`. */
export interface InitializationOptions {
  /** Absolute path of the installed extension: rule docs live under `<extensionPath>/docs/rules`. */
  extensionPath?: string;
}

/** The `shipshape` settings section, as the editor returns it for one workspace folder. */
export interface ShipshapeSettings {
  rules?: Record<string, 'off' | 'info' | 'warning' | 'error'>;
  healthPaths?: string[];
  migrations?: string[];
  exclude?: string[];
}

/** `shipshape/checklist` (client → server): the readiness checklist of every folder, computed if needed. */
export const CHECKLIST_REQUEST = 'shipshape/checklist';

/** `shipshape/checklistChanged` (server → client): sent whenever a folder's checklist changes. */
export const CHECKLIST_CHANGED_NOTIFICATION = 'shipshape/checklistChanged';

export interface FolderChecklist {
  /** Workspace folder name and absolute root; evidence paths in `report` are relative to it. */
  name: string;
  root: string;
  report: import('../core/report/checklist').ChecklistJson;
  durationMs: number;
}

export interface ChecklistParams {
  folders: FolderChecklist[];
}
