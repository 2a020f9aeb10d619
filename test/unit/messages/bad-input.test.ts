import { describe, expect, it } from 'vitest';
import { TypeCheckError } from '../../helpers/core.js';
import {
  AmountError,
  AssetIdError,
  PrecisionError,
  RangeCheckError,
  assetIdFromText,
  dydx,
  erc20AssetId,
  humanToQuantums,
  limitFeeToQuantums,
  quantumsToHuman,
  syntheticAssetIdOf,
} from '../../helpers/core.js';
import { expectRejected } from './expect-rejected.js';

/*
 * Malformed helper arguments (issue 3 "validation"): a resolution of 1e9 decimals used to run for
 * ~40 s before a RangeError (1e8 in quantumsToHuman hung), a negative one gave a wrong answer; a negative collateral amount gave a
 * zero fee; "BTC--1" was a valid asset name. Each now fails at once with a typed, named error.
 */
describe('dYdX helpers: resolutions, amounts and asset names are checked', () => {
  it('decimals is an integer 0..77 (no huge 10^decimals, no negative or fractional resolution)', () => {
    // 78 rather than 1e9: without the check, 1e9 runs for ~40 s and 1e8 in quantumsToHuman hangs a
    // regex, so a regression of this test would hang instead of failing.
    expectRejected(() => humanToQuantums('1', 78), PrecisionError, 'decimals');
    expectRejected(() => humanToQuantums('1', -1), PrecisionError, 'decimals');
    expectRejected(() => humanToQuantums('1', 1.5), PrecisionError, 'decimals');
    expectRejected(() => quantumsToHuman(1n, 78), PrecisionError, 'decimals');
    expectRejected(() => quantumsToHuman(1n, -1), PrecisionError, 'decimals');
    expectRejected(() => humanToQuantums('1', 6, 'nearest' as any), RangeCheckError, 'rounding');
    expect(humanToQuantums('1.5', 77)).toBe(15n * 10n ** 76n);
    expect(quantumsToHuman(15n, 1)).toBe('1.5');
  });

  it('limit fee: the collateral amount is a quantum amount < 2^64', () => {
    expectRejected(() => limitFeeToQuantums('0.1', -5n), AmountError, 'quantumsAmountCollateral');
    expectRejected(() => limitFeeToQuantums('0.1', 1n << 64n), AmountError, 'quantumsAmountCollateral');
    expectRejected(() => limitFeeToQuantums('0.1', 'x' as any), AmountError, 'quantumsAmountCollateral');
    expect(limitFeeToQuantums('0.1', 5n)).toBe(1n); // ceil(0.5)
  });

  it('synthetic asset ids are the starkex asset-id text encoding (one implementation)', () => {
    expect(syntheticAssetIdOf('BTC', 10)).toBe(assetIdFromText('BTC-10'));
    expect(syntheticAssetIdOf('BTC', 10)).toBe(0x4254432d3130000000000000000000n);
    expectRejected(() => syntheticAssetIdOf('BTC', -1), AssetIdError, 'decimals');
    expectRejected(() => syntheticAssetIdOf('BTC', 1.5), AssetIdError, 'decimals');
    expectRejected(() => syntheticAssetIdOf('ABCDEFGHIJKLM', 10), RangeCheckError);
    expectRejected(() => syntheticAssetIdOf(5 as any, 10), TypeCheckError, 'symbol');
  });

  it('ERC-20 asset id: 0 < quantum < 2^128 (TokenRegister), a bigint', () => {
    const usdc = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
    expectRejected(() => erc20AssetId(usdc, 0n), AssetIdError, 'quantum');
    expectRejected(() => erc20AssetId(usdc, -1n), AssetIdError, 'quantum');
    expectRejected(() => erc20AssetId(usdc, 1n << 128n), AssetIdError, 'quantum');
    expectRejected(() => erc20AssetId(usdc, 1 as any), TypeCheckError, 'quantum');
    expect(erc20AssetId(usdc)).toBe(dydx.marketTable(1).collateral.assetId);
  });
});
