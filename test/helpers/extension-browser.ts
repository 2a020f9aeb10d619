// Chromium with Vigil's built extension loaded, and the pages' op channel: shared by the e2e
// fixtures (test/e2e/fixtures.ts) and the sync benchmark's browser run (bench/sync-chromium.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { chromiumPath, extensionLaunchArgs } from './chromium.js';

export const EXTENSION_DIR = resolve(process.env.VIGIL_EXTENSION_DIR ?? 'dist');

/** Chromium with only the built extension loaded, into `profile` (fresh or reused across a restart). */
export async function launchWithExtension(
  profile: string,
  extensionDir = EXTENSION_DIR,
  opts: { debugPort?: number } = {},
): Promise<{ context: BrowserContext; serviceWorker: Worker; extensionId: string }> {
  if (!existsSync(join(extensionDir, 'manifest.json')))
    throw new Error(`no built extension at ${extensionDir}: run npm run build`);
  // Every *.test name resolves to loopback: specs can use several registrable domains (one.test,
  // a.two.test, …) served by one local test site (RFC 6761 reserves .test).
  const args = [...extensionLaunchArgs(extensionDir), '--host-resolver-rules=MAP *.test 127.0.0.1'];
  // A loopback DevTools port besides Playwright's pipe: the sync bench's per-context memory figures.
  if (opts.debugPort !== undefined)
    args.push(`--remote-debugging-port=${opts.debugPort}`, '--remote-debugging-address=127.0.0.1');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args,
  });
  const serviceWorker =
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker'));
  return { context, serviceWorker, extensionId: new URL(serviceWorker.url()).host };
}

/** Sends one operation to the service worker from an extension page, as Vigil's own pages do; the raw reply. */
export function sendExtensionOp(
  page: Page,
  op: string,
  args: Record<string, unknown> = {},
  type = 'vigil/op',
): Promise<any> {
  return page.evaluate(([t, o, a]) => (globalThis as any).chrome.runtime.sendMessage({ type: t, op: o, args: a }), [
    type,
    op,
    args,
  ] as const);
}

/** `sendExtensionOp`, returning the result and throwing on an error reply. */
export async function extensionOp(
  page: Page,
  op: string,
  args: Record<string, unknown> = {},
  type = 'vigil/op',
): Promise<any> {
  const reply = await sendExtensionOp(page, op, args, type);
  if (!reply?.ok) throw new Error(`${op}: ${reply?.error?.message ?? 'no answer'}`);
  return reply.result;
}
