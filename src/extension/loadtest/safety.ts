import * as vscode from 'vscode';
import { isLoopbackHost } from './target';

/**
 * Nothing from a load test runs in Restricted Mode: a scenario sends real traffic, and a
 * workspace's config chooses where to. Says why, with a way to trust the workspace.
 */
export async function refuseUntrusted(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return false;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    'Shipshape: load tests do not run in Restricted Mode: a scenario from this workspace would send real HTTP traffic. Trust the workspace to run them.',
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return true;
}

/**
 * A target that is not this machine needs an explicit yes in a modal naming the host; it is never
 * the default answer. Returns true when the run may go ahead, and whether remote was allowed.
 */
export async function confirmTarget(baseUrl: string): Promise<{ proceed: boolean; allowRemote: boolean }> {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    // The engine reports a bad URL with its own message.
    return { proceed: true, allowRemote: false };
  }
  if (isLoopbackHost(host)) return { proceed: true, allowRemote: false };
  const send = `Send Load to ${host}`;
  const choice = await vscode.window.showWarningMessage(
    `Send load to ${host}?`,
    { modal: true, detail: `${host} is not this machine. A load test sends many requests per second to it; run it only against a service you own and that expects it.` },
    send,
  );
  return choice === send ? { proceed: true, allowRemote: true } : { proceed: false, allowRemote: false };
}
