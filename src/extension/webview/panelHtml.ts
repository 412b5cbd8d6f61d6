import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The HTML shell every Shipshape webview panel uses: a strict Content-Security-Policy with a
 * fresh nonce per render, scripts and styles only from `media/` (the panel's
 * `localResourceRoots`), theme colours through `--vscode-*` variables in the panel's CSS.
 * See https://code.visualstudio.com/api/extension-guides/webview#security
 *
 * A panel's script is `src/webview/<name>/main.ts`, bundled by esbuild.mjs to
 * `media/dist/<name>.js`; its typed messages live in `src/webview/<name>/protocol.ts`.
 */
export interface PanelHtmlOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  /** The bundle name: `media/dist/<name>.js` (and `media/dist/<name>.css` when `css` is set). */
  name: string;
  title: string;
  /** Extra stylesheets under `media/`, e.g. `['panel.css']`. */
  styles?: string[];
  /** Initial state serialised into the page (escaped), read by the script from `#initial-state`. */
  initialState?: unknown;
  css?: boolean;
}

export function panelHtml(opts: PanelHtmlOptions): string {
  const { webview, extensionUri } = opts;
  const nonce = crypto.randomBytes(16).toString('base64');
  const media = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...p)).toString();
  const styles = [...(opts.styles ?? []).map((s) => media(s)), ...(opts.css ? [media('dist', `${opts.name}.css`)] : [])];
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const state = opts.initialState === undefined ? '' : `<script nonce="${nonce}" type="application/json" id="initial-state">${escapeJsonForHtml(opts.initialState)}</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.map((s) => `<link rel="stylesheet" href="${s}">`).join('\n')}
<title>${escapeHtml(opts.title)}</title>
</head>
<body>
<div id="root"></div>
${state}
<script nonce="${nonce}" src="${media('dist', `${opts.name}.js`)}"></script>
</body>
</html>`;
}

/** Options every panel passes to `createWebviewPanel`: scripts on, only `media/` loadable. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON inside a <script> element: `<`, `>` and `&` escaped so no data can close the element. */
export function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
