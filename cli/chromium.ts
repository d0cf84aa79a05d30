/**
 * Finds and launches the system's Chromium (Debian's `chromium` package, installed by
 * tools/browser/install.sh) through playwright-core. The project never downloads a browser:
 * playwright-core is only the driver.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { LedgerError } from '../core/errors';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium executable: $CHROMIUM_PATH if set, else the first Debian/Ubuntu path present. */
export function chromiumExecutable(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/** Why browser work cannot run here, or undefined when it can (for test skips and CLI errors). */
export function chromiumUnavailableReason(): string | undefined {
  return chromiumExecutable() === undefined
    ? 'no Chromium found (run `bash tools/browser/install.sh` as root, or set CHROMIUM_PATH)'
    : undefined;
}

/** Launches headless Chromium. `--no-sandbox` because CI and containers run as root. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  if (executablePath === undefined)
    throw new LedgerError('CONFIG_MISSING', chromiumUnavailableReason() ?? '', {
      name: 'CHROMIUM_PATH',
    });
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}
