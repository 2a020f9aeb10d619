import { test as base, chromium, type BrowserContext, type Worker } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BLANK_PAGE, startTestSite, type TestSite } from '../helpers/static-server.js';
import { chromiumPath, extensionLaunchArgs } from '../helpers/chromium.js';

export const EXTENSION_DIR = resolve(process.env.VIGIL_EXTENSION_DIR ?? 'dist');

type Fixtures = {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  /** Stops the extension's service worker through CDP and returns once it is gone. */
  stopServiceWorker: () => Promise<void>;
  /** Two loopback sites on different ports, i.e. two origins. */
  siteA: TestSite;
  siteB: TestSite;
};

export const test = base.extend<Fixtures>({
  context: async ({}, use) => {
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`no built extension at ${EXTENSION_DIR}: run npm run build`);
    const profile = mkdtempSync(join(tmpdir(), 'vigil-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      args: extensionLaunchArgs(EXTENSION_DIR),
    });
    try {
      await use(context);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  },
  serviceWorker: async ({ context }, use) => {
    const sw = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? (await context.waitForEvent('serviceworker'));
    await use(sw);
  },
  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },
  stopServiceWorker: async ({ context, extensionId }, use) => {
    await use(async () => {
      // An extension page's CDP session can reach the ServiceWorker domain of the extension's
      // storage partition; stopAllWorkers stops the background worker as the browser would.
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/ui/popup.html`);
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      const stopped = new Promise<void>((resolveStopped) => {
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          if (versions.some((v: { runningStatus: string; scriptURL: string }) => v.scriptURL.includes(extensionId) && v.runningStatus === 'stopped')) resolveStopped();
        });
      });
      await cdp.send('ServiceWorker.stopAllWorkers');
      await stopped;
      await cdp.detach();
      await page.close();
    });
  },
  siteA: async ({}, use) => {
    const site = await startTestSite({ '/': BLANK_PAGE });
    await use(site);
    await site.close();
  },
  siteB: async ({}, use) => {
    const site = await startTestSite({ '/': BLANK_PAGE });
    await use(site);
    await site.close();
  },
});

export const expect = test.expect;
