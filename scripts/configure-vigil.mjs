// How `npm start` configures Vigil for the devnet, shared with the newcomer's end-to-end test
// (test/e2e/newcomer.spec.ts) so the test runs what a user of `npm start` gets: the dashboard is
// opened and the verifier is pointed at the devnet with the settings devnet/start.ts prints
// (ExchangeDevnet.vigilSettings: the deployment with its markets' risk factors, its genesis state,
// anvil's RPC) — the same settings a user enters under Settings on the dashboard.

/**
 * Opens Vigil's dashboard in `page`, sends it the verifier settings (tagged JSON) and reloads it so
 * it shows the followed exchange. Answers the service worker's reply: `{ ok: true, … }` or
 * `{ ok: false, error: { message } }`.
 * @param {import('playwright-core').Page} page
 * @param {string} extensionId
 * @param {string} settings
 * @returns {Promise<{ ok: boolean; error?: { message: string } } | undefined>}
 */
export async function configureVigil(page, extensionId, settings) {
  await page.goto(`chrome-extension://${extensionId}/ui/dashboard.html`);
  const answer = await page.evaluate(
    (s) => globalThis.chrome.runtime.sendMessage({ type: 'vigil/op', op: 'syncConfigure', args: { settings: s } }),
    settings,
  );
  await page.reload();
  return answer;
}
