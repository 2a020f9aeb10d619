import type { Page } from 'playwright-core';

/** npm start's configuration of Vigil for the devnet (scripts/configure-vigil.mjs). */
export function configureVigil(
  page: Page,
  extensionId: string,
  settings: string,
): Promise<{ ok: boolean; error?: { message: string } } | undefined>;
