import { defineConfig } from '@playwright/test';

// End-to-end tests: Debian Chromium with dist/ loaded into a fresh profile per test
// (test/e2e/fixtures.ts). One worker: each test starts its own browser.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  timeout: 60_000,
  retries: 0,
  reporter: process.env.PW_JSON ? [['list'], ['json', { outputFile: process.env.PW_JSON }]] : 'list',
  use: { trace: 'retain-on-failure' },
  outputDir: 'test-results/playwright-artifacts',
});
