// The extension under test, packaged as users get it: `npm run package` → dist/shipshape.vsix.
import fs from 'node:fs';
import path from 'node:path';
import { run } from './proc.mjs';

// What goes into the .vsix. When none of it changed since the .vsix was written, it is reused.
const INPUTS = ['src', 'media', 'docs', 'schemas', 'scripts', 'package.json', 'package-lock.json', 'esbuild.mjs',
  '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'tsconfig.json'];

function newestMtime(file) {
  let stat;
  try { stat = fs.statSync(file); } catch { return 0; }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) {
    newest = Math.max(newest, newestMtime(path.join(file, entry)));
  }
  return newest;
}

export async function ensureVsix(root, { log }) {
  const vsix = path.join(root, 'dist', 'shipshape.vsix');
  if (fs.existsSync(vsix)) {
    const built = fs.statSync(vsix).mtimeMs;
    const stale = INPUTS.some((input) => newestMtime(path.join(root, input)) > built);
    if (!stale) {
      log(`using ${path.relative(root, vsix)} (newer than its sources)`);
      return vsix;
    }
  }
  log('packaging the extension (npm run package)');
  const r = await run('npm', ['run', 'package'], { cwd: root, timeoutMs: 10 * 60_000 });
  if (r.code !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`npm run package failed (exit ${r.code}):\n${(r.stdout + r.stderr).trim().split('\n').slice(-30).join('\n')}`);
  }
  return vsix;
}
