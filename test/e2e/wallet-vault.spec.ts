import type { Page, Worker } from '@playwright/test';
import { walletAccountOf, walletKeysFromSecret, type VaultSecret } from '../../src/wallet/index.js';
import { DAPP, call, connect, expect, test } from './fixtures.js';

const PASSWORD = 'correct horse battery';
// Hardhat's well-known development phrase: public, never holds funds.
const PHRASE = 'test test test test test test test test test test test junk';

async function expectedAccount(secret: VaultSecret) {
  return walletAccountOf(await walletKeysFromSecret(secret), secret);
}

test('create: the phrase stays out of the page until the never-share checklist and Reveal, is confirmed by three words, and gives the dYdX stark key', async ({
  wallet,
}) => {
  const page = await wallet.popup();
  await page.getByTestId('create-wallet').click();
  // Hidden by default: no word list in the DOM, only the checklist and a Reveal button that waits for it.
  await expect(page.getByTestId('mnemonic-hidden')).toHaveText('12 words, hidden');
  await expect(page.getByTestId('mnemonic')).toHaveCount(0);
  await expect(page.getByTestId('never-share')).toContainText('Vigil will never ask for it');
  await expect(page.getByTestId('never-share')).toContainText('Anyone with these words takes your funds');
  await expect(page.getByTestId('never-share')).toContainText('Write it on paper, offline');
  await expect(page.getByTestId('reveal-phrase')).toBeDisabled();
  await expect(page.getByTestId('mnemonic-written')).toBeDisabled();
  // The rendered text (one line per list item) and the raw text of every node, hidden ones included.
  const [hiddenText, hiddenRaw] = await page.evaluate(() => [
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text separates list items; textContent is checked too
    document.body.innerText,
    document.body.textContent ?? '',
  ]);
  const hiddenHtml = await page.content();
  await page.screenshot({ path: 'test-results/screens/reveal-hidden.png', fullPage: true });
  for (const i of [1, 2]) await page.getByTestId(`never-share-${i}`).check();
  await expect(page.getByTestId('reveal-phrase')).toBeDisabled();
  await page.getByTestId('never-share-3').check();
  await page.getByTestId('reveal-phrase').click();
  const words = await page.getByTestId('mnemonic').locator('li').allInnerTexts();
  expect(words).toHaveLength(12);
  await page.screenshot({ path: 'test-results/screens/reveal-shown.png', fullPage: true });
  // Before Reveal the phrase was nowhere in the page: not in its text, not in its markup. (A word
  // or two may occur in the page's own copy by chance — "paper" is a BIP-39 word — never the phrase.)
  expect(hiddenHtml).not.toContain(words.join(' '));
  expect(hiddenHtml).not.toContain(`<li>${words[0]}</li><li>${words[1]}</li>`);
  expect(hiddenRaw).not.toContain(words.join(''));
  expect(hiddenText).not.toContain(words.slice(0, 3).join('\n'));
  const hiddenWords = new Set(hiddenText.toLowerCase().split(/[^a-z]+/));
  expect(words.filter((w) => hiddenWords.has(w)).length).toBeLessThanOrEqual(2);
  // Hide puts it away again.
  await page.getByTestId('hide-phrase').click();
  await expect(page.getByTestId('mnemonic')).toHaveCount(0);
  await page.getByTestId('mnemonic-written').click();
  // The phrase is no longer on screen.
  await expect(page.getByTestId('mnemonic')).toHaveCount(0);
  const inputs = page.locator('[data-testid^="confirm-word-"]');
  expect(await inputs.count()).toBe(3);
  await page.getByTestId('new-password').fill(PASSWORD);
  await page.getByTestId('repeat-password').fill(PASSWORD);
  // A wrong confirmation word is refused.
  for (let i = 0; i < 3; i++) await inputs.nth(i).fill('wrong');
  await page.getByTestId('finish-create').click();
  await expect(page.getByTestId('error')).toContainText('do not match');
  for (let i = 0; i < 3; i++) {
    const n = Number((await inputs.nth(i).getAttribute('data-testid'))!.replace('confirm-word-', ''));
    await inputs.nth(i).fill(words[n - 1]!);
  }
  await page.getByTestId('finish-create').click();
  await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });
  const expected = await expectedAccount({
    kind: 'mnemonic',
    mnemonic: words.join(' '),
    starkDerivation: 'dydx',
    chainId: 1,
  });
  await expect(page.getByTestId('stark-key')).toHaveText(expected.starkKey);
  await expect(page.getByTestId('address')).toHaveText(expected.address!);
  await expect(page.getByTestId('copy-stark-key')).toBeVisible();
  await expect(page.getByTestId('copy-address')).toBeVisible();
});

test('install opens the onboarding tab, once; it creates the first vault', async ({ context, extensionId }) => {
  const url = `chrome-extension://${extensionId}/ui/onboarding.html`;
  await expect.poll(() => context.pages().filter((p) => p.url() === url).length, { timeout: 15_000 }).toBe(1);
  const tab = context.pages().find((p) => p.url() === url)!;
  await expect(tab.getByTestId('onboarding-tab')).toBeVisible();
  await tab.getByTestId('import-phrase').click();
  await tab.getByTestId('phrase').fill(PHRASE);
  await tab.getByTestId('new-password').fill(PASSWORD);
  await tab.getByTestId('repeat-password').fill(PASSWORD);
  await tab.getByTestId('finish-import').click();
  const expected = await expectedAccount({ kind: 'mnemonic', mnemonic: PHRASE, starkDerivation: 'dydx', chainId: 1 });
  await expect(tab.getByTestId('onboarding-done')).toBeVisible({ timeout: 20_000 });
  await expect(tab.getByTestId('stark-key')).toHaveText(expected.starkKey);
  // The tab may create the first vault and nothing else: no unlock, no restore from it.
  const reply = await tab.evaluate(() =>
    (globalThis as any).chrome.runtime.sendMessage({ type: 'vigil/op', op: 'unlock', args: { password: 'x' } }),
  );
  expect(reply?.ok).not.toBe(true);
});

test('import a phrase with the EIP-2645 option', async ({ wallet }) => {
  const page = await wallet.importPhrase(PHRASE, PASSWORD, 'eip2645');
  const expected = await expectedAccount({
    kind: 'mnemonic',
    mnemonic: PHRASE,
    starkDerivation: 'eip2645',
    chainId: 1,
  });
  await expect(page.getByTestId('stark-key')).toHaveText(expected.starkKey);
  await expect(page.getByTestId('address')).toHaveText(expected.address!);
});

test('import raw keys', async ({ wallet }) => {
  const page = await wallet.popup();
  const stark = `0x${'1234'.repeat(16).slice(1).padStart(64, '0')}`;
  const eth = `0x${'ab'.repeat(32)}`;
  await page.getByTestId('import-keys').click();
  await page.getByTestId('stark-private-key').fill(stark);
  await page.getByTestId('eth-private-key').fill(eth);
  await page.getByTestId('new-password').fill(PASSWORD);
  await page.getByTestId('repeat-password').fill(PASSWORD);
  await page.getByTestId('finish-import').click();
  await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });
  const expected = await expectedAccount({
    kind: 'keys',
    starkPrivateKey: stark as `0x${string}`,
    ethPrivateKey: eth as `0x${string}`,
  });
  await expect(page.getByTestId('stark-key')).toHaveText(expected.starkKey);
  await expect(page.getByTestId('address')).toHaveText(expected.address!);
});

async function tryUnlock(page: Page, password: string) {
  await page.getByTestId('unlock-password').fill(password);
  await page.getByTestId('unlock').click();
}

test('one typo, then the right password unlocks at once', async ({ wallet }) => {
  const page = await wallet.importPhrase(PHRASE, PASSWORD);
  const starkKey = (await page.getByTestId('stark-key').textContent()) ?? '';
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();
  await tryUnlock(page, 'correct horse batery');
  await expect(page.getByTestId('error')).toHaveText('Wrong password.');
  // Right away: no "try again in 1 s".
  await tryUnlock(page, PASSWORD);
  await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });
  await expect(page.getByTestId('stark-key')).toHaveText(starkKey);
});

test('3 free wrong passwords, then a growing delay; unlock; the session survives a stopped worker', async ({
  wallet,
  stopServiceWorker,
}) => {
  const page = await wallet.importPhrase(PHRASE, PASSWORD);
  const starkKey = (await page.getByTestId('stark-key').textContent()) ?? '';
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();

  // Three wrong passwords in a row, each answered at once.
  for (const wrong of ['not the password', 'still not it', 'nope']) {
    await tryUnlock(page, wrong);
    await expect(page.getByTestId('error')).toHaveText('Wrong password.');
  }
  // Then even the right password must wait.
  await tryUnlock(page, PASSWORD);
  await expect(page.getByTestId('error')).toHaveText('Too many wrong passwords: try again in 1 s.');
  // A 4th wrong password doubles the wait.
  await page.waitForTimeout(1100);
  await tryUnlock(page, 'still wrong');
  await expect(page.getByTestId('error')).toHaveText('Wrong password.');
  await tryUnlock(page, PASSWORD);
  await expect(page.getByTestId('error')).toContainText('try again in 2 s');
  await page.waitForTimeout(2100);
  await tryUnlock(page, PASSWORD);
  await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });
  await expect(page.getByTestId('stark-key')).toHaveText(starkKey);
  // Success clears the count: the next typo costs nothing again.
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();
  await tryUnlock(page, 'typo');
  await expect(page.getByTestId('error')).toHaveText('Wrong password.');
  await tryUnlock(page, PASSWORD);
  await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });

  // The derived key in storage.session keeps the wallet unlocked across a worker restart.
  await stopServiceWorker();
  const again = await wallet.popup();
  await again.getByTestId('unlocked').waitFor();
});

/** The stored vault record, read in the service worker. */
function readVault(sw: Worker): Promise<unknown> {
  return sw.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        const open = indexedDB.open('vigil-wallet');
        open.onsuccess = () => {
          const g = open.result.transaction('vault').objectStore('vault').get('main');
          g.onsuccess = () => {
            open.result.close();
            resolve(g.result);
          };
        };
      }),
  );
}

const NEW_PASSWORD = 'a brand new password';

test('forgot password: restore from the phrase on the lock screen gives the same account under a new password; sites and settings kept', async ({
  context,
  siteA,
  wallet,
}) => {
  siteA.setPage('/dapp', DAPP);
  const page = await wallet.importPhrase(PHRASE, PASSWORD);
  const starkKey = (await page.getByTestId('stark-key').textContent()) ?? '';
  const address = (await page.getByTestId('address').textContent()) ?? '';
  await page.getByTestId('auto-lock-minutes').fill('10');
  await page.getByTestId('save-auto-lock').click();
  await expect(page.getByTestId('error')).toHaveCount(0);
  const dapp = await context.newPage();
  await dapp.goto(siteA.url('/dapp'));
  expect(await connect(dapp, wallet)).toMatchObject({ result: { starkKey } });
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();

  await expect(page.getByTestId('forgot-password')).toHaveText('Forgot password? Restore from your recovery phrase');
  await page.screenshot({ path: 'test-results/screens/lock-screen.png', fullPage: true });
  await page.getByTestId('forgot-password').click();
  const warning = page.getByTestId('restore-warning');
  await expect(warning).toContainText('This replaces the wallet stored in Vigil');
  await expect(warning).toContainText('Kept: connected sites, settings');
  await expect(warning).toContainText('Lost: the current encrypted vault and its password');
  // Spacing and capitals do not matter; the words do.
  await page.getByTestId('restore-phrase').fill(`  ${PHRASE.toUpperCase().replaceAll(' ', '   ')}\n`);
  await page.getByTestId('new-password').fill(NEW_PASSWORD);
  await page.getByTestId('repeat-password').fill(NEW_PASSWORD);
  await page.getByTestId('restore-understood').check();
  await page.screenshot({ path: 'test-results/screens/lock-screen-restore.png', fullPage: true });
  await page.getByTestId('restore-submit').click();
  await page.getByTestId('unlocked').waitFor({ timeout: 30_000 });
  await expect(page.getByTestId('stark-key')).toHaveText(starkKey);
  await expect(page.getByTestId('address')).toHaveText(address);
  // Settings kept; the site is still connected and sees the same account.
  await expect(page.getByTestId('auto-lock-minutes')).toHaveValue('10');
  expect(await call(dapp, { method: 'stark_account' })).toMatchObject({ result: { starkKey } });

  // The new password opens it; the old one no longer does.
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();
  await tryUnlock(page, PASSWORD);
  await expect(page.getByTestId('error')).toHaveText('Wrong password.');
  await tryUnlock(page, NEW_PASSWORD);
  await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });
  await expect(page.getByTestId('stark-key')).toHaveText(starkKey);
});

test('restore with a wrong phrase is refused with the reason and the old vault still opens with the old password', async ({
  wallet,
  serviceWorker,
  context,
}) => {
  const page = await wallet.importPhrase(PHRASE, PASSWORD);
  const starkKey = (await page.getByTestId('stark-key').textContent()) ?? '';
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();
  const sw = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? serviceWorker;
  const before = await readVault(sw);
  expect(before).toBeTruthy();

  await page.getByTestId('forgot-password').click();
  await page.getByTestId('new-password').fill(NEW_PASSWORD);
  await page.getByTestId('repeat-password').fill(NEW_PASSWORD);
  await page.getByTestId('restore-understood').check();
  const refused: Array<[string, string]> = [
    // Twelve real words, wrong checksum (the last word changed).
    [
      'test test test test test test test test test test test test',
      'mnemonic: not a valid English BIP-39 phrase (unknown word or wrong checksum)',
    ],
    // A word that is not in the list.
    [
      'test test test test test test test test test test test junkk',
      'mnemonic: not a valid English BIP-39 phrase (unknown word or wrong checksum)',
    ],
    ['test test junk', 'mnemonic: expected 12, 15, 18, 21 or 24 words, got 3'],
  ];
  for (const [phrase, message] of refused) {
    await page.getByTestId('restore-phrase').fill(phrase);
    await page.getByTestId('restore-submit').click();
    await expect(page.getByTestId('error')).toHaveText(message);
    // Nothing was replaced, nothing unlocked.
    expect(await readVault(sw)).toEqual(before);
  }
  await expect(page.getByTestId('unlocked')).toHaveCount(0);
  await page.getByTestId('restore-cancel').click();
  await tryUnlock(page, PASSWORD);
  await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });
  await expect(page.getByTestId('stark-key')).toHaveText(starkKey);
});

test('auto-lock after the configured idle time, also across a stopped worker', async ({
  wallet,
  stopServiceWorker,
}) => {
  const page = await wallet.importPhrase(PHRASE, PASSWORD);
  // Out-of-range settings are refused with the range.
  await page.getByTestId('auto-lock-minutes').fill('0.05');
  await page.getByTestId('save-auto-lock').click();
  await expect(page.getByTestId('error')).toHaveText(
    'autoLockMinutes: "0.05" is out of range; expected minutes, 0.1 <= autoLockMinutes <= 10080 (7 days)',
  );
  // 0.1 minutes: 6 s.
  await page.getByTestId('auto-lock-minutes').fill('0.1');
  await page.getByTestId('save-auto-lock').click();
  await expect(page.getByTestId('error')).toHaveCount(0);
  await page.close();
  // The deadline is persisted: a fresh worker still locks on time.
  await stopServiceWorker();
  const popup = await wallet.popup();
  await popup.getByTestId('unlocked').waitFor();
  await popup.getByTestId('locked').waitFor({ timeout: 15_000 });
});

test('a tampered or truncated vault gets a clear error and is never overwritten', async ({
  wallet,
  serviceWorker,
  context,
}) => {
  const page = await wallet.importPhrase(PHRASE, PASSWORD);
  await page.getByTestId('lock').click();
  await page.getByTestId('locked').waitFor();
  const sw = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? serviceWorker;
  const edit = (mode: 'flip' | 'truncate' | 'restore', saved?: unknown) =>
    sw.evaluate(
      ([m, s]) =>
        new Promise<unknown>((resolve, reject) => {
          const open = indexedDB.open('vigil-wallet');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('vault', 'readwrite');
            const store = tx.objectStore('vault');
            const get = store.get('main');
            get.onsuccess = () => {
              const v = get.result;
              let next: unknown;
              if (m === 'restore') next = s;
              else if (m === 'flip')
                next = { ...v, ciphertext: v.ciphertext.slice(0, -2) + (v.ciphertext.endsWith('00') ? '01' : '00') };
              else next = { ...v, ciphertext: v.ciphertext.slice(0, 20) };
              store.put(next, 'main');
              tx.oncomplete = () => {
                open.result.close();
                resolve({ before: v, after: next });
              };
            };
          };
        }),
      [mode, saved] as const,
    ) as Promise<{ before: unknown; after: unknown }>;
  const read = () =>
    sw.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const open = indexedDB.open('vigil-wallet');
          open.onsuccess = () => {
            const g = open.result.transaction('vault').objectStore('vault').get('main');
            g.onsuccess = () => {
              open.result.close();
              resolve(g.result);
            };
          };
        }),
    );

  const { before: original, after: flipped } = await edit('flip');
  await page.getByTestId('unlock-password').fill(PASSWORD);
  await page.getByTestId('unlock').click();
  await expect(page.getByTestId('error')).toContainText('The vault was modified');
  expect(await read()).toEqual(flipped);

  const { after: truncated } = await edit('truncate');
  await page.getByTestId('unlock').click();
  await expect(page.getByTestId('error')).toContainText('The vault is damaged: ciphertext');
  expect(await read()).toEqual(truncated);

  await edit('restore', original);
  await page.getByTestId('unlock').click();
  await page.getByTestId('unlocked').waitFor({ timeout: 20_000 });
});
