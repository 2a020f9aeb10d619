// Driving the exit page (extension/ui/exit.tsx) from Playwright: shared by the exit e2e specs and
// the escape benchmark (bench/escape-bench.ts).
import { expect, type Page } from '@playwright/test';

/** The first exit flow on the page. */
export const exitFlow = (page: Page) => page.getByTestId('flow').first();

/** Sends the flow's next transaction once its gas is shown, and waits for the flow to reach `next`. */
export async function sendExitStep(page: Page, tx: string, next: string): Promise<void> {
  await expect(exitFlow(page).getByTestId('step-send')).toHaveAttribute('data-tx', tx, { timeout: 30_000 });
  await expect(exitFlow(page).getByTestId('step-gas')).toBeVisible({ timeout: 30_000 }); // gas shown before sending
  // A freeze is sent only after its warning is acknowledged (issue 17 item 4).
  if (tx === 'freeze') await exitFlow(page).getByTestId('freeze-understood').check();
  await exitFlow(page).getByTestId('step-send').click();
  await expect(exitFlow(page)).toHaveAttribute('data-step', next, { timeout: 60_000 });
}
