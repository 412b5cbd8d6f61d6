// The webview side of a panel: the VS Code API object (acquired once per page), typed state that
// survives the panel being hidden and restored (getState/setState, and the extension's
// WebviewPanelSerializer after a reload), and the initial state the extension put in the page.

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

let api: VsCodeApi<unknown> | undefined;

export function vscodeApi<State>(): VsCodeApi<State> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State>;
}

/** The JSON the extension embedded with `panelHtml({ initialState })`, if any. */
export function initialState<T>(): T | undefined {
  const el = document.getElementById('initial-state');
  if (!el?.textContent) return undefined;
  try {
    return JSON.parse(el.textContent) as T;
  } catch {
    return undefined;
  }
}
