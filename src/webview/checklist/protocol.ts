// Messages between the checklist report webview and the extension (imported by both sides).
// The report is SPEC's checklist JSON per workspace folder (src/core/report/checklist.ts).

export type Status = 'pass' | 'warn' | 'fail' | 'manual' | 'n/a';

export interface EvidenceView {
  file?: string;
  line?: number;
  note: string;
}

export interface ItemView {
  id: string;
  title: string;
  status: Status;
  evidence: EvidenceView[];
  next: string;
  answered?: { note?: string };
}

export interface CategoryView {
  id: string;
  title: string;
  score: number | null;
  items: ItemView[];
}

export interface FolderReport {
  name: string;
  root: string;
  report: { score: number | null; categories: CategoryView[]; problems: EvidenceView[] };
}

/** extension → webview */
export type ToWebview = { type: 'report'; folders: FolderReport[]; computing: boolean };

/** webview → extension */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'openFile'; root: string; file: string; line?: number }
  | { type: 'openDocs'; id: string }
  | { type: 'refresh' };

/** What the webview keeps across hide/show and reloads (getState/setState + the panel serializer). */
export interface ReportState {
  folders: FolderReport[];
  /** Section keys the user opened (passed, n/a) or closed. */
  open: string[];
}
