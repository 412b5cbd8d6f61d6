/** Packages the extension (`npm run package`) unless dist/shipshape.vsix is newer than its inputs; returns its path. */
export function ensureVsix(root: string, opts: { log: (message: string) => void }): Promise<string>;
