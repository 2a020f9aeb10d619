import { test as base, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLANK_PAGE, startTestSite, type TestSite } from '../helpers/static-server.js';
import { launchWithExtension } from '../helpers/extension-browser.js';

export {
  EXTENSION_DIR,
  extensionOp,
  launchWithExtension,
  sendExtensionOp,
} from '../helpers/extension-browser.js';

type Fixtures = {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  /** Stops the extension's service worker through CDP and returns once it is gone. */
  stopServiceWorker: () => Promise<void>;
  /** Two loopback sites on different ports, i.e. two origins. */
  siteA: TestSite;
  siteB: TestSite;
  /** Drives Vigil's own pages (onboarding, unlock, the approval window). */
  wallet: WalletDriver;
};

export type WalletDriver = {
  /** Opens the popup page in a tab. */
  popup(): Promise<Page>;
  /** Imports a recovery phrase through the onboarding UI; returns the popup showing the account. */
  importPhrase(mnemonic: string, password: string, derivation?: 'dydx' | 'eip2645'): Promise<Page>;
  /** The approval window once it shows a request (it opens by itself when a request is queued). */
  approval(): Promise<Page>;
};

export const test = base.extend<Fixtures>({
  context: async ({}, use) => {
    const profile = mkdtempSync(join(tmpdir(), 'vigil-profile-'));
    const { context } = await launchWithExtension(profile);
    try {
      await use(context);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  },
  serviceWorker: async ({ context }, use) => {
    const sw =
      context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker'));
    await use(sw);
  },
  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },
  stopServiceWorker: async ({ context, extensionId }, use) => {
    await use(async () => {
      // The page is the manifest file itself: no extension script runs in it, so nothing can
      // close it or race the stop.
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/manifest.json`);
      await stopServiceWorkerFrom(context, page, extensionId);
      await page.close().catch(() => {});
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
  wallet: async ({ context, extensionId }, use) => {
    await use(walletDriver(context, extensionId));
  },
});

export const expect = test.expect;

/**
 * Opens the dashboard's Settings. The verifier panel above it grows while Vigil syncs, so a click
 * aimed at the summary can land where it was a moment before (seen in CI: the panel stayed closed
 * and the next click waited 60 s for a hidden button). Clicks again until the panel is open.
 */
export async function openSettings(page: Page): Promise<void> {
  const panel = page.getByTestId('settings-panel');
  const isOpen = () => panel.evaluate((d) => (d as HTMLDetailsElement).open);
  await expect(async () => {
    if (!(await isOpen())) await page.getByTestId('settings').click({ timeout: 5_000 });
    expect(await isOpen()).toBe(true);
  }).toPass({ timeout: 30_000 });
}

/**
 * Stops the extension's service worker through CDP from an open extension-origin page, keeping the
 * page: its CDP session reaches the ServiceWorker domain of the extension's storage partition, and
 * stopAllWorkers stops the background worker as the browser would.
 */
export async function stopServiceWorkerFrom(context: BrowserContext, page: Page, extensionId: string): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  const stopped = new Promise<void>((resolveStopped) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (
        versions.some(
          (v: { runningStatus: string; scriptURL: string }) =>
            v.scriptURL.includes(extensionId) && v.runningStatus === 'stopped',
        )
      )
        resolveStopped();
    });
  });
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach().catch(() => {}); // the worker is stopped; a session already gone is fine
}

async function waitForPage(
  context: BrowserContext,
  match: (url: string) => boolean,
  timeoutMs = 15_000,
): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = context.pages().find((p) => match(p.url()));
    if (found) return found;
    if (Date.now() > deadline) throw new Error('page did not open');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function walletDriver(context: BrowserContext, extensionId: string): WalletDriver {
  const base = `chrome-extension://${extensionId}/ui`;
  const driver: WalletDriver = {
    async popup() {
      const page = await context.newPage();
      await page.goto(`${base}/popup.html`);
      return page;
    },
    async importPhrase(mnemonic, password, derivation = 'dydx') {
      const page = await driver.popup();
      await page.getByTestId('import-phrase').click();
      await page.getByTestId('phrase').fill(mnemonic);
      await page.getByTestId('new-password').fill(password);
      await page.getByTestId('repeat-password').fill(password);
      await page.getByTestId('derivation').selectOption(derivation);
      await page.getByTestId('finish-import').click();
      await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });
      return page;
    },
    async approval() {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const page = await waitForPage(context, (u) => u.startsWith(`${base}/approval.html`));
        try {
          await page.getByTestId('request-origin').waitFor({ timeout: Math.max(1, deadline - Date.now()) });
          return page;
        } catch (err) {
          // The window of the previous, just answered request was still closing: the next one opens anew.
          if (!page.isClosed() || Date.now() > deadline) throw err;
        }
      }
    },
  };
  return driver;
}

// Dapp-side helpers for the wallet specs.

/** A dapp page that records every window message it sees (answers are posted on the page's own window). */
export const DAPP = `<!doctype html><html><head><meta charset="utf-8"><title>dapp</title>
<script>
  window.__messages = [];
  window.addEventListener('message', (e) => window.__messages.push(JSON.stringify(e.data)));
  window.__events = [];
</script></head><body><h1>dapp</h1></body></html>`;

/** Starts provider.request without waiting; the outcome lands in window.__r[key]. */
export async function start(page: Page, args: unknown): Promise<string> {
  return page.evaluate((a) => {
    const w = window as any;
    const key = `k${(w.__n = (w.__n ?? 0) + 1)}`; // randomUUID needs a secure context; *.test pages are plain http
    w.__r ??= {};
    w.vigil.request(a).then(
      (result: unknown) => (w.__r[key] = { result }),
      (e: any) => (w.__r[key] = { code: e.code, message: String(e.message) }),
    );
    return key;
  }, args);
}
export async function outcome(page: Page, key: string, timeout = 20_000): Promise<any> {
  const handle = await page.waitForFunction((k) => (window as any).__r?.[k], key, { timeout });
  return handle.jsonValue();
}
export async function call(page: Page, args: unknown) {
  return outcome(page, await start(page, args));
}

/** Asks for stark_requestAccounts and approves it in the approval window. */
export async function connect(page: Page, wallet: WalletDriver) {
  const key = await start(page, { method: 'stark_requestAccounts' });
  const approval = await wallet.approval();
  await expect(approval.getByTestId('request-method')).toHaveText('stark_requestAccounts');
  await approval.getByTestId('approve').click();
  return outcome(page, key);
}

// Observing the service worker itself: a content script drops answers for ids it did not send, so
// a test that looks only at the page passes whether or not the worker routed correctly.

export type Delivery = {
  tabId: number;
  type?: string;
  id?: string;
  event?: string;
  documentId?: string;
  frameId?: number;
  delivered: boolean | null;
  error?: boolean;
  result?: boolean;
};

/** Records every chrome.tabs.sendMessage the service worker makes from now on, and whether the browser delivered it. */
export async function recordDeliveries(sw: Worker): Promise<void> {
  await sw.evaluate(() => {
    const g = globalThis as any;
    if (g.__deliveries) return;
    g.__deliveries = [];
    const original = g.chrome.tabs.sendMessage.bind(g.chrome.tabs);
    g.chrome.tabs.sendMessage = (tabId: number, message: any, options?: any) => {
      const entry: any = {
        tabId,
        type: message?.type,
        id: message?.id,
        event: message?.event,
        documentId: options?.documentId,
        frameId: options?.frameId,
        delivered: null,
      };
      if (message?.response) {
        entry.error = 'error' in message.response;
        entry.result = 'result' in message.response;
      }
      g.__deliveries.push(entry);
      const p = original(tabId, message, options);
      p.then(
        () => (entry.delivered = true),
        () => (entry.delivered = false),
      );
      return p;
    };
  });
}
export async function deliveries(sw: Worker): Promise<Delivery[]> {
  return sw.evaluate(() => (globalThis as any).__deliveries ?? []);
}

/** The tab and document of each frame the service worker knows of (from the frames that made a request). */
export async function knownDocuments(
  sw: Worker,
): Promise<{ origin: string; tabId: number; frameId: number; documentId?: string }[]> {
  return sw.evaluate(
    async () => ((await (globalThis as any).chrome.storage.session.get('subscribers')).subscribers ?? []) as any[],
  );
}
