import {
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  TextEdit,
  type CodeAction,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding, Fix, Range } from '../core/finding';
import { DIAGNOSTIC_SOURCE, fileUri } from './diagnostics';

/** A published finding with the document versions its fixes were computed against. */
interface IndexedFinding {
  finding: Finding;
  /** Open documents' versions when the analysis ran; edits to other files carry no version. */
  versions: ReadonlyMap<string, number>;
}

/**
 * Fixes computed at analysis time, looked up by (file, range, rule) when the editor asks
 * for code actions. Answering a lightbulb never re-analyses (vscode-eslint does the same).
 */
export class FixIndex {
  private readonly byFile = new Map<string, { entries: IndexedFinding[]; version: number | undefined }>();

  set(file: string, findings: readonly Finding[], versions: ReadonlyMap<string, number>): void {
    if (findings.length === 0) this.byFile.delete(file);
    else this.byFile.set(file, { entries: findings.map((finding) => ({ finding, versions })), version: versions.get(file) });
  }

  delete(file: string): void {
    this.byFile.delete(file);
  }

  /**
   * The editor opened `file` with the text that was analysed from disk: its fixes hold for
   * this version of the buffer.
   */
  adoptVersion(file: string, version: number | undefined): void {
    const indexed = this.byFile.get(file);
    if (indexed) indexed.version = version;
  }

  /**
   * Code actions for the diagnostics the editor sent; findings overlapping `range` when it
   * sent none of ours. `openVersion` is the buffer's version when the file is open: fixes
   * computed for another version would edit the wrong places, so there are none until the
   * re-analysis (a debounce away) catches up. vscode-eslint applies the same rule.
   */
  codeActions(file: string, range: Range, diagnostics: readonly Diagnostic[], openVersion?: number): CodeAction[] {
    const indexed = this.byFile.get(file);
    if (!indexed || (openVersion !== undefined && indexed.version !== openVersion)) return [];
    const entries = indexed.entries;
    const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string');
    const actions: CodeAction[] = [];
    if (ours.length > 0) {
      for (const diagnostic of ours) {
        for (const entry of entries) {
          if (entry.finding.ruleId === diagnostic.code && sameRange(entry.finding.range, diagnostic.range)) {
            actions.push(...entry.finding.fixes.map((fix) => toCodeAction(fix, entry, diagnostic)));
          }
        }
      }
    } else {
      for (const entry of entries) {
        if (overlaps(entry.finding.range, range)) actions.push(...entry.finding.fixes.map((fix) => toCodeAction(fix, entry, undefined)));
      }
    }
    // Preferred fixes first, suppressions (never preferred) last: the order the lightbulb shows.
    return actions.sort((a, b) => Number(b.isPreferred ?? false) - Number(a.isPreferred ?? false));
  }
}

function toCodeAction(fix: Fix, entry: IndexedFinding, diagnostic: Diagnostic | undefined): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    isPreferred: fix.isPreferred,
    diagnostics: diagnostic ? [diagnostic] : undefined,
    edit: toWorkspaceEdit(fix, entry.versions),
  };
}

/** A fix as one WorkspaceEdit: new files first (never overwriting), then text edits per file. */
export function toWorkspaceEdit(fix: Fix, versions: ReadonlyMap<string, number>): WorkspaceEdit {
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const created of fix.createFiles ?? []) {
    const uri = fileUri(created.file);
    documentChanges.push(CreateFile.create(uri, { overwrite: false, ignoreIfExists: false }));
    documentChanges.push(TextDocumentEdit.create({ uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, created.content)]));
  }
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    const list = byFile.get(e.file) ?? [];
    list.push(TextEdit.replace(e.range, e.newText));
    byFile.set(e.file, list);
  }
  for (const [file, edits] of byFile) {
    // With the analysed version, the editor refuses the edit if the buffer changed since.
    documentChanges.push(TextDocumentEdit.create({ uri: fileUri(file), version: versions.get(file) ?? null }, edits));
  }
  return { documentChanges };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}
