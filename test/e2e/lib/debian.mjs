// The Debian packages the end-to-end harness needs, installed by the harness itself: a newcomer's
// `npm install && npm test` does not go through .ci/run. As root it runs apt-get; otherwise it
// stops with one line naming the command to run.
import { spawnSync } from 'node:child_process';
import { run } from './proc.mjs';

/** Thrown when the harness cannot go on; run.mjs prints the message alone (no stack). */
export class SetupStop extends Error {}

/** chromium: the browser playwright-core drives; fonts-liberation: readable text in screenshots. */
export const BROWSER_PACKAGES = ['chromium', 'fonts-liberation'];
/** code-server's install builds native modules (kerberos needs gssapi/gssapi.h from libkrb5-dev). */
export const BUILD_PACKAGES = ['build-essential', 'pkg-config', 'python3', 'libkrb5-dev'];

const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/** The packages of `wanted` dpkg does not list as installed; [] when dpkg is not there (not Debian). */
export function missingPackages(wanted) {
  const probe = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...wanted], { encoding: 'utf8' });
  if (probe.error) return [];
  const installed = new Set(probe.stdout.split('\n').filter((l) => l.endsWith(' install ok installed')).map((l) => l.split(' ')[0]));
  return wanted.filter((p) => !installed.has(p));
}

export function installCommand(packages) {
  return `sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/** Installs what `wanted` lacks (as root), or throws a SetupStop naming the command to run. */
export async function ensureDebianPackages(wanted, { log, why, asRoot = process.getuid?.() === 0 }) {
  const missing = missingPackages(wanted);
  if (missing.length === 0) return [];
  if (!asRoot) {
    throw new SetupStop(`the end-to-end tests need the Debian packages ${missing.join(', ')} (${why}); run: ${installCommand(missing)}`);
  }
  log(`installing the Debian packages ${missing.join(', ')} with apt-get (${why})`);
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const r = await run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { env: APT_ENV, timeoutMs: 20 * 60_000 });
    if (r.code !== 0) {
      const last = (r.stderr.trim() || r.stdout.trim()).split('\n').pop();
      throw new SetupStop(`apt-get ${args.join(' ')} failed (exit ${r.code}: ${last}); run as root: apt-get install -y --no-install-recommends ${missing.join(' ')}`);
    }
  }
  const still = missingPackages(missing);
  if (still.length) throw new SetupStop(`apt-get did not install ${still.join(', ')}; run: ${installCommand(still)}`);
  return missing;
}
