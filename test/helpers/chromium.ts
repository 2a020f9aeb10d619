import { existsSync } from 'node:fs';

/** Debian's Chromium (apt package `chromium`); the real binary skips the wrapper's noisy shell. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `Chromium not found (tried ${candidates.join(', ')}): apt-get install chromium, or set CHROMIUM_PATH`,
    );
  return found;
}

/**
 * Flags for a browser with only Vigil loaded. `--disable-extensions-except` is required: Playwright
 * passes `--disable-extensions` by default (toolchain.md §4).
 */
export function extensionLaunchArgs(extensionDir: string): string[] {
  return [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...browserLaunchArgs()];
}

/** Flags for any test or bench browser. The networking flags keep Chromium from reaching out: tests talk to loopback only. */
export function browserLaunchArgs(): string[] {
  return [
    '--no-sandbox',
    '--no-first-run',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--no-pings',
    '--metrics-recording-only',
  ];
}
