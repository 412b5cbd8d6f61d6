// Debian's chromium, driven by playwright-core (which downloads no browser of its own).
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { BROWSER_PACKAGES, SetupStop, ensureDebianPackages, installCommand } from './debian.mjs';

const CHROMIUM = process.env.SHIPSHAPE_E2E_CHROMIUM || '/usr/bin/chromium';

/**
 * Debian's chromium (and fonts-liberation, so screenshots have readable text), installed with
 * apt-get when missing and running as root; otherwise a SetupStop naming the command.
 */
export async function ensureChromium({ log }) {
  if (process.env.SHIPSHAPE_E2E_CHROMIUM && !fs.existsSync(CHROMIUM)) {
    throw new SetupStop(`SHIPSHAPE_E2E_CHROMIUM=${CHROMIUM} does not exist; point it at a Chromium binary or unset it`);
  }
  const wanted = fs.existsSync(CHROMIUM) ? BROWSER_PACKAGES.filter((p) => p !== 'chromium') : BROWSER_PACKAGES;
  await ensureDebianPackages(wanted, { log, why: 'the browser that drives VS Code' });
  if (!fs.existsSync(CHROMIUM)) throw new SetupStop(`${CHROMIUM} is missing; run: ${installCommand(['chromium'])} or set SHIPSHAPE_E2E_CHROMIUM`);
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
