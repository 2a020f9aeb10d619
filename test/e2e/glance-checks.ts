import type { BrowserContext, Locator, Page } from '@playwright/test';
import type { ExchangeDevnet } from '../../devnet/exchange-devnet.js';
import { decodeResult } from '../../extension/shared/op-envelope.js';
import { applyFunding } from '../../src/risk/funding.js';
import { formatRatio, ratio } from '../../src/risk/ratio.js';
import { totalValue } from '../../src/risk/status.js';
import type { Position } from '../../src/state/position.js';
import { expect, extensionOp } from './fixtures.js';

/**
 * Issue 17's popup at a glance and the approval's gauge, read off the screen. Shared by the specs
 * whose devnet already holds a verified position (wallet-verified-margin, approval-risk), so no
 * new devnet is started for them.
 */

/** "$100,000.00" / "−$3.20" / "1,666.67" → the plain decimal "100000.00" / "-3.20" / "1666.67". */
/** The text of one element (textContent: what is in the DOM, as laid out by the page). */
const text = async (l: Locator) => (await l.textContent()) ?? '';

export const plain = (s: string) => s.trim().replace('−', '-').replace(/[$,]/g, '');

/**
 * The popup at 357 × 600 at most (Chrome's popup is at most 800 × 600): the deployment badge, "Batch N
 * verified from L1, … ago" for the batch the test knows Vigil verified, the equity the test
 * computed with src/risk for that batch's state, and nothing wider than 357 px.
 */
export async function expectPopupGlance(
  popup: Page,
  expected: { deploymentName: string; batchId: bigint; equity: string; positions: RegExp },
): Promise<void> {
  // Chrome sizes a popup to its body, up to 800 × 600: in a tab that large the body must be 357 wide.
  await popup.setViewportSize({ width: 800, height: 600 });
  await popup.reload();
  await expect(popup.getByTestId('deployment-badge')).toHaveText(expected.deploymentName, { timeout: 20_000 });
  await expect(popup.getByTestId('glance-status')).toHaveText(
    new RegExp(`^Batch ${expected.batchId} verified from L1, \\d+ (s|min( \\d+ s)?) ago$`),
    { timeout: 20_000 },
  );
  await expect(popup.getByTestId('glance-checks')).toContainText(
    'Checked: state-transition fact, data-page hashes, shared-state chain, and the positions root Vigil rebuilt equals the committed one.',
  );
  const equity = plain(await text(popup.getByTestId('glance-equity')));
  expect(equity).toBe(expected.equity);
  await expect(popup.getByTestId('glance-positions')).toHaveText(expected.positions);
  await expect(popup.getByTestId('glance-position-check')).toHaveText(
    new RegExp(`^Position \\d+: its leaf and Merkle path hash to batch ${expected.batchId}'s committed root\\.$`),
  );
  await expect(popup.getByTestId('glance-pending')).toHaveText('No forced request pending.');
  const width = await popup.evaluate(() => ({
    body: document.body.getBoundingClientRect().width,
    scroll: document.body.scrollWidth,
    maxHeight: getComputedStyle(document.body).maxHeight,
  }));
  expect(width).toEqual({ body: 357, scroll: 357, maxHeight: '600px' });
  await popup.screenshot({
    path: 'test-results/screens/popup-glance.png',
    clip: { x: 0, y: 0, width: 357, height: 600 },
  });
}

/** Total value (equity) of `position` in a shared state, as src/risk computes it: USDC to the cent. */
export function equityOf(
  position: Position,
  state: Pick<ExchangeDevnet['operator']['exchange']['ledger']['committed'], 'fundingIndices' | 'oraclePrices'>,
): string {
  const tv = totalValue(applyFunding(position, state.fundingIndices), state.oraclePrices);
  return formatRatio(ratio(tv, (1n << 32n) * 10n ** 6n), 2);
}

/**
 * The popup on a position that holds a synthetic: batches are paused until Vigil has verified the
 * operator's last one, whose committed shared state (prices, funding) is then the verified state;
 * the equity on screen must be src/risk's total value of Vigil's verified position over it.
 * `dashboard` reads the verifier (its ops); batches resume afterwards.
 */
export async function expectGlanceOfVerifiedHolding(
  net: ExchangeDevnet,
  dashboard: Page,
  popup: Page,
  positions: RegExp,
): Promise<void> {
  net.operator.misbehaviour.stopBatches = true;
  try {
    const last = () => net.operator.batches.at(-1)?.batchId;
    let position: Position | undefined;
    await expect
      .poll(
        async () => {
          await extensionOp(dashboard, 'syncNow').catch(() => {});
          const cp = decodeResult<{ checkpoint: { batchId: bigint } | null }>(
            await extensionOp(dashboard, 'verifierOverview'),
          ).checkpoint;
          const mine = decodeResult<{ positions: { position: Position; matches: boolean }[] }>(
            await extensionOp(dashboard, 'verifierMyPositions'),
          );
          position = mine.positions[0]?.matches ? mine.positions[0].position : undefined;
          return position !== undefined && cp?.batchId === last() ? 'verified' : 'behind';
        },
        { timeout: 90_000, intervals: [2_000] },
      )
      .toBe('verified');
    await expectPopupGlance(popup, {
      deploymentName: net.vigilDeployment(0n).name,
      batchId: last()!,
      equity: equityOf(position!, net.operator.exchange.ledger.committed),
      positions,
    });
  } finally {
    net.operator.misbehaviour.stopBatches = false;
  }
}

/**
 * Every control of the unlocked popup is reached with Tab, in reading order, each under its name;
 * Enter on the exit link opens the exit page.
 */
export async function expectPopupTabOrder(context: BrowserContext, popup: Page): Promise<void> {
  const names = [
    'Exit / forced withdrawal',
    'Connected sites and dashboard',
    'Copy the stark key',
    'Copy the ethereum address',
    'Lock the wallet after inactivity (minutes)',
    'Save the auto-lock time',
    'Lock',
  ];
  await popup.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (const name of names) {
    await popup.keyboard.press('Tab');
    await expect(popup.locator(':focus')).toHaveAccessibleName(name);
  }
  // And back with Shift+Tab to the first.
  for (let i = 1; i < names.length; i++) await popup.keyboard.press('Shift+Tab');
  await expect(popup.locator(':focus')).toHaveAccessibleName('Exit / forced withdrawal');
  const opened = context.waitForEvent('page');
  await popup.keyboard.press('Enter');
  const exit = await opened;
  await exit.waitForLoadState();
  expect(exit.url()).toMatch(/\/ui\/exit\.html$/);
  await exit.close();
}

/**
 * The approval's gauge shows the same before/after margin ratios as the table, and the liquidation
 * sentence states the table's liquidation price after the order, the verified oracle price and the
 * distance between them (one decimal, unsigned, on the side the table's signed distance says).
 */
export async function expectGaugeAndLiquidationLine(approval: Page): Promise<void> {
  const cells = (row: string) => approval.getByTestId(`margin-${row}`).locator('td').allInnerTexts();
  const [ratioBefore, ratioAfter] = await cells('margin-ratio');
  const gaugeBefore = await text(approval.getByTestId('gauge-before'));
  const gaugeAfter = await text(approval.getByTestId('gauge-after'));
  expect(gaugeBefore).toBe(ratioBefore === '—' ? 'no risk held' : ratioBefore);
  expect(gaugeAfter).toBe(ratioAfter === '—' ? 'no risk held' : ratioAfter);
  await expect(approval.getByTestId('margin-gauge').locator('svg')).toHaveAttribute(
    'aria-label',
    `Margin ratio before the order ${gaugeBefore}, after ${gaugeAfter}; the position is liquidatable below 1.`,
  );
  // The after mark sits where r / (r + 1) puts it on the track (10 … 290 of the 300-wide view box).
  if (ratioAfter !== '—') {
    const r = Number(plain(ratioAfter!));
    const d = await approval.getByTestId('gauge-mark-after').getAttribute('d');
    const x = Number(/^M([\d.]+),/.exec(d ?? '')?.[1]);
    expect(x).toBeCloseTo(10 + (r > 0 ? r / (r + 1) : 0) * 280, 1);
  }

  const [, liqAfter] = await cells('liquidation-price');
  const [, distanceAfter] = await cells('liquidation-distance');
  const line = approval.getByTestId('liquidation-line');
  if (liqAfter === '—') {
    await expect(line).toHaveText(
      /^After the order, no [A-Z]+-USD price \(other prices held\) makes the position liquidatable\.$/,
    );
    return;
  }
  const oracle = (await text(approval.getByTestId('oracle-price'))).replace(/^; oracle price /, '');
  const m = /^Liquidation at (\$[\d,]+\.\d\d), ([\d.]+) % (below|above) the oracle price (\$[\d,]+\.\d\d)\.$/.exec(
    await text(line),
  );
  expect(m, `liquidation line: ${await text(line)}`).not.toBeNull();
  const [, liq, pct, side, oracleInLine] = m!;
  expect(liq).toBe(liqAfter);
  expect(oracleInLine).toBe(oracle);
  const signed = Number(plain(distanceAfter!).replace(/[+%\s]/g, ''));
  expect(side).toBe(signed < 0 ? 'below' : 'above');
  expect(Number(pct)).toBeCloseTo(Math.abs(signed), 1);
  // And from the two prices on screen (rounded to the cent): the distance within rounding.
  const fromPrices = (Math.abs(Number(plain(liq!)) - Number(plain(oracle))) / Number(plain(oracle))) * 100;
  expect(Math.abs(Number(pct) - fromPrices)).toBeLessThan(0.06);
}
