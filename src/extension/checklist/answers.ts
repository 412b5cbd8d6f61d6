import * as path from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { ChecklistNode } from './checklistView';

const CONFIG_FILE = 'shipshape.config.json';

/**
 * Mark answered / Mark not applicable: an explicit command that writes the team's answer into
 * shipshape.config.json (`checklist.answers`), through a WorkspaceEdit (undoable, shown in the
 * editor) and saved; the server sees the file change and re-evaluates.
 */
export async function answerItem(node: ChecklistNode | undefined, status?: string, presetNote?: string): Promise<void> {
  if (!node || node.kind !== 'item') {
    void vscode.window.showInformationMessage('Shipshape: run this from a checklist item (right-click it in the Checklist view).');
    return;
  }
  let chosen = status;
  if (!chosen || !['pass', 'warn', 'fail', 'n/a'].includes(chosen)) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'pass', description: 'done: the team checked it' },
        { label: 'warn', description: 'partly done' },
        { label: 'fail', description: 'not done' },
        { label: 'n/a', description: 'does not apply to this service' },
      ],
      { title: `Answer "${node.item.title}" (${node.item.id})`, placeHolder: 'Status to record in shipshape.config.json' },
    );
    if (!pick) return;
    chosen = pick.label;
  }
  // The note can come with the command (scripts, tests); otherwise the user types it.
  const note = presetNote?.trim() ? presetNote : await vscode.window.showInputBox({
    title: `${node.item.title}: ${chosen}`,
    prompt: 'Why (what was checked, by whom, when) — kept as the evidence of this item',
    validateInput: (v) => (v.trim() ? undefined : 'A note is required: it is the evidence for the answer.'),
  });
  if (note === undefined) return;
  const uri = vscode.Uri.file(path.join(node.folder.root, CONFIG_FILE));
  let text = '{}\n';
  let exists = true;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    exists = false;
  }
  const edits = modify(text, ['checklist', 'answers', node.item.id], { status: chosen, note: note.trim() }, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  const next = applyEdits(text, edits);
  const edit = new vscode.WorkspaceEdit();
  if (!exists) edit.createFile(uri, { ignoreIfExists: true });
  if (exists) {
    const doc = await vscode.workspace.openTextDocument(uri);
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), next);
  } else edit.insert(uri, new vscode.Position(0, 0), next);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Shipshape: could not write ${CONFIG_FILE}. Is it read-only?`);
    return;
  }
  await (await vscode.workspace.openTextDocument(uri)).save();
  vscode.window.setStatusBarMessage(`Shipshape: ${node.item.id} answered ${chosen} in ${CONFIG_FILE}`, 4000);
}
