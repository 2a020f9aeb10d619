// Driving the exit page (extension/ui/exit.tsx) from Playwright: shared by the exit e2e specs and
// the escape benchmark (bench/escape-bench.ts).
import { expect, type Page } from '@playwright/test';

/** The first exit flow on the page. */
export const exitFlow = (page: Page) => page.getByTestId('flow').first();

/** Sends the flow's next transaction once its gas is shown, and waits for the flow to reach `next`. */
export async function sendExitStep(page: Page, tx: string, next: string, timeout = 60_000): Promise<void> {
  await expect(exitFlow(page).getByTestId('step-send')).toHaveAttribute('data-tx', tx, { timeout: 30_000 });
  await expect(exitFlow(page).getByTestId('step-gas')).toBeVisible({ timeout: 30_000 }); // gas shown before sending
  // A freeze is sent only after its warning is acknowledged (issue 17 item 4).
  if (tx === 'freeze') await exitFlow(page).getByTestId('freeze-understood').check();
  await exitFlow(page).getByTestId('step-send').click();
  await expect(exitFlow(page)).toHaveAttribute('data-step', next, { timeout });
}

/** Party B's forced-trade form, as typed (extension/ui/exit/offers.tsx). */
export type OfferFormFields = {
  starkKeyA: string;
  positionIdA: string;
  positionIdB: string;
  market: string;
  direction: 'a-buys' | 'a-sells';
  amountSynthetic: string;
  amountCollateral: string;
};

/** Party B fills the forced-trade form and asks Vigil to sign it; the caller reads the offer or the error. */
export async function signOfferForm(page: Page, f: OfferFormFields): Promise<void> {
  const form = page.getByTestId('offer-form');
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) await form.locator('summary').click();
  for (const name of ['starkKeyA', 'positionIdA', 'positionIdB', 'amountSynthetic', 'amountCollateral'] as const)
    await page.getByTestId(`offer-${name}`).fill(f[name]);
  await page.getByTestId('offer-market').selectOption(f.market);
  await page.getByTestId('offer-direction').selectOption(f.direction);
  await page.getByTestId('offer-create').click();
}

/** Party A pastes `text` and reads it: the signer is `signer`, the key L1 registered for party B. */
export async function readOffer(page: Page, text: string, signer: string): Promise<void> {
  await page.getByTestId('offer-paste').fill(text);
  await page.getByTestId('offer-read').click();
  await expect(page.getByTestId('offer-signer')).toHaveText(signer, { ignoreCase: true });
  await expect(page.getByTestId('offer-signer-check')).toHaveText(
    'the Ethereum key L1 has registered for party B’s stark key',
  );
}
