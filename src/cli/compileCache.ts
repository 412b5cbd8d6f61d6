// Loads a CLI bundle through V8's code cache, so a run does not compile again what the previous
// run of the same command compiled: the analysis bundle is 5.5 MB of minified code, TypeScript's
// compiler most of it, and compiling it (the top level and then each function as it is first
// called) costs a process about half a second before and during a scan.
//
// Node's own `module.enableCompileCache()` (22.1+) and the `v8-compile-cache` package both take the
// cache right after compiling, when it holds only the top level: V8 compiles functions lazily, on
// their first call. Here the cache is taken when the command has finished (`save()`), so it holds
// every function the command ran — measured on the 1,500-module benchmark, the load of the
// (unminified, 14 MB) bundle went from ~700 ms to ~430 ms and the scan itself was shorter too.
//
// The cache is one file per command (a `--help` run must not leave a cache without the scan's
// functions) and per bundle path, named by what makes V8 reject or — worse — wrongly accept it:
// V8 checks its own version, its flags and the source's *length* only, so the name also holds the
// bundle's size and modification time. A cache V8 rejects (another Node, a changed flag, a damaged
// file) is compiled around and written again. The caches live in `$XDG_CACHE_HOME/shipshape/code-cache`
// (`~/.cache/shipshape/code-cache`), a folder of the user's own, which keeps the 12 most recently
// used; `NODE_DISABLE_COMPILE_CACHE=1` (Node's own switch) turns it off. Nothing here may fail a
// command: every file error means "no cache".
import { isAscii } from 'node:buffer';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

// `NODE_DEBUG=shipshape-code-cache` prints what happened to the cache on stderr.
const debug = util.debuglog('shipshape-code-cache');

export interface CachedBundle {
  exports: unknown;
  /** Writes the cache when V8 had none to use; call when the command has run. */
  save(): void;
}

function codeCacheDir(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'shipshape', 'code-cache');
}

/** `require(file)`, with V8's code cache for `command` when one can be used. */
export function requireWithCodeCache(file: string, command: string): CachedBundle {
  const disabled = Boolean(process.env.NODE_DISABLE_COMPILE_CACHE);
  let source: string;
  let stat: fs.Stats;
  try {
    if (disabled) throw new Error('disabled');
    stat = fs.statSync(file);
    source = decode(fs.readFileSync(file));
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path, loaded at run time on purpose
    return { exports: require(file), save: () => undefined };
  }
  const dir = codeCacheDir();
  const prefix = `${safeName(command)}-${hash(file).slice(0, 12)}-`;
  const cacheFile = path.join(dir, `${prefix}${hash([process.version, process.arch, v8.cachedDataVersionTag(), stat.size, stat.mtimeMs, ...process.execArgv].join('\0')).slice(0, 16)}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  debug('%s: %s', cacheFile, cachedData === undefined ? 'none' : accepted ? 'accepted' : 'rejected');
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return {
    exports: mod.exports,
    save() {
      if (accepted) {
        // Its modification time is when it was last used: what `prune` keeps.
        try {
          const now = new Date();
          fs.utimesSync(cacheFile, now, now);
        } catch {
          // Not ours to touch (a read-only cache): it is still used.
        }
        return;
      }
      try {
        const data = script.createCachedData();
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        // Caches of earlier builds of this bundle for this command are of no more use.
        for (const old of fs.readdirSync(dir)) if (old.startsWith(prefix) && path.join(dir, old) !== cacheFile) fs.rmSync(path.join(dir, old), { force: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, data, { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
        debug('%s: written, %d bytes', cacheFile, data.length);
        prune(dir);
      } catch (err) {
        debug('%s: not written: %s', cacheFile, (err as Error).message);
      }
    },
  };
}

/** How many caches the folder keeps (a few MB each): the most recently used. */
const MAX_CACHES = 12;
const CACHE_NAME = /^[a-z0-9_-]+-[0-9a-f]{12}-[0-9a-f]{16}\.bin$/i;

/**
 * Keeps the `MAX_CACHES` most recently used caches. Each copy of Shipshape at another path (an
 * upgrade, a .vsix unpacked elsewhere, a temporary install) has caches of its own that no run
 * will prune by name once that copy is gone. Only files named as caches are removed.
 */
function prune(dir: string): void {
  const caches = fs
    .readdirSync(dir)
    .filter((name) => CACHE_NAME.test(name))
    .map((name) => {
      try {
        return { file: path.join(dir, name), used: fs.statSync(path.join(dir, name)).mtimeMs };
      } catch {
        return undefined;
      }
    })
    .filter((c): c is { file: string; used: number } => c !== undefined)
    .sort((a, b) => b.used - a.used);
  for (const old of caches.slice(MAX_CACHES)) {
    fs.rmSync(old.file, { force: true });
    debug('%s: removed (least recently used)', old.file);
  }
}

/**
 * The bundle's text. The bundles are ASCII (scripts/esbuild-ascii-output.mjs): read as Latin-1 it
 * is the same text, decoded ~100 ms faster than UTF-8 and held by V8 as a one-byte string.
 */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function safeName(command: string): string {
  return command.replace(/[^a-z0-9-]/gi, '_').slice(0, 32) || 'default';
}
