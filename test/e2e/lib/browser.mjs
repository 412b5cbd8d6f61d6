// Debian's chromium, driven by playwright-core (which downloads no browser of its own).
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { run } from './proc.mjs';

const CHROMIUM = process.env.SHIPSHAPE_E2E_CHROMIUM || '/usr/bin/chromium';

export async function ensureChromium({ log }) {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  if (process.env.SHIPSHAPE_E2E_CHROMIUM) {
    throw new Error(`SHIPSHAPE_E2E_CHROMIUM=${CHROMIUM} does not exist`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM} is missing. Install Debian's chromium (sudo apt-get install -y chromium) ` +
      'or point SHIPSHAPE_E2E_CHROMIUM at a Chromium binary.');
  }
  log(`${CHROMIUM} is missing; installing Debian's chromium with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const r = await run('apt-get', args, { env, timeoutMs: 20 * 60_000 });
    if (r.code !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr.trim().split('\n').slice(-10).join('\n')}`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} does not exist`);
  return CHROMIUM;
}

/**
 * A headless chromium (playwright gives it a fresh temporary profile). Each scenario gets its own
 * browser context, so no storage (workspace trust, layout, editor state) leaks between them.
 */
export function launchBrowser(executablePath) {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
