import { describe, expect, it } from 'vitest';
import {
  FIELD_PRIME,
  RangeCheckError,
  TypeCheckError,
  VigilError,
  checkAddress,
  checkArray,
  checkBigint,
  checkBigintArray,
  checkBoolean,
  checkFelt,
  checkHex,
  checkInteger,
  checkObject,
  checkOneOf,
  checkString,
  checkUint,
  describeValue,
  formatValue,
  kindOf,
  deriveDydxStarkKey,
  deriveStarkKeyFromMnemonic,
  deriveStarkwareKeyFromEthSignature,
  grindStarkKey,
  signHash,
} from '../helpers/core.js';
import { describe as describeParam } from '../../src/rpc/request.js';

const PATH = {
  layer: 'starkex',
  application: 'starkdeployement',
  ethAddress: '0xa4864d977b944315389d1765ffa7e66F74ee8cd7',
  index: 0,
};

/** Runs `fn`, which must throw; returns the error. */
function thrown(fn: () => unknown): RangeCheckError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RangeCheckError);
    expect(err).toBeInstanceOf(VigilError);
    return err as RangeCheckError;
  }
  throw new Error('expected a throw');
}

/** A wrong type: TypeCheckError with field, value and expectation, all in the message too. */
function expectType(fn: () => unknown, field: string, value: unknown, expected: string): TypeCheckError {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(TypeCheckError);
  expect(err.name).toBe('TypeCheckError');
  expect(err.field).toBe(field);
  expect(err.value).toBe(value);
  expect(err.range).toBe(expected);
  expect(err.message.startsWith(`${field}: expected ${expected}, got `)).toBe(true);
  expect(err.message).toBe(`${field}: ${err.detail}`);
  return err as TypeCheckError;
}

/** A value of the right type out of range: RangeCheckError (not a TypeCheckError) with field, value and range. */
function expectRange(fn: () => unknown, field: string, value: unknown, range: string): RangeCheckError {
  const err = thrown(fn);
  expect(err).not.toBeInstanceOf(TypeCheckError);
  expect(err.name).toBe('RangeCheckError');
  expect(err.field).toBe(field);
  expect(err.value).toBe(value);
  expect(err.range).toBe(range);
  expect(err.message).toBe(`${field}: ${formatValue(value)} is out of range; expected ${range}`);
  expect(err.detail).toBe(`${formatValue(value)} is out of range; expected ${range}`);
  return err;
}

describe('labelled checks (src/checks.ts)', () => {
  it('checkBigint: type, optional inclusive bounds', () => {
    expect(checkBigint('x', 5n)).toBe(5n);
    expect(checkBigint('x', -5n)).toBe(-5n);
    expect(checkBigint('x', 0n, 0n, 10n)).toBe(0n);
    expect(checkBigint('x', 10n, 0n, 10n)).toBe(10n);
    expectType(() => checkBigint('x', 5), 'x', 5, 'bigint');
    expectType(() => checkBigint('x', '5'), 'x', '5', 'bigint');
    expectType(() => checkBigint('x', null), 'x', null, 'bigint');
    expectType(() => checkBigint('x', undefined), 'x', undefined, 'bigint');
    expectRange(() => checkBigint('x', 11n, 0n, 10n), 'x', 11n, '0 <= x <= 10');
    expectRange(() => checkBigint('x', -1n, 0n, 10n), 'x', -1n, '0 <= x <= 10');
    expectRange(() => checkBigint('x', -1n, 0n), 'x', -1n, '0 <= x');
    expectRange(() => checkBigint('x', 1n << 64n, undefined, (1n << 64n) - 1n), 'x', 1n << 64n, 'x <= 2^64 - 1');
    expect(() => checkBigint('x', 1n << 64n, 1n << 64n)).not.toThrow();
  });

  it('checkUint: 0 <= value < 2^bits', () => {
    expect(checkUint('amount', 0n, 64)).toBe(0n);
    expect(checkUint('amount', (1n << 64n) - 1n, 64)).toBe((1n << 64n) - 1n);
    expectRange(() => checkUint('amount', 1n << 64n, 64), 'amount', 1n << 64n, '0 <= amount < 2^64');
    expectRange(() => checkUint('amount', -1n, 64), 'amount', -1n, '0 <= amount < 2^64');
    expectType(() => checkUint('amount', 1, 64), 'amount', 1, 'bigint');
  });

  it('checkFelt: 0 <= value < P', () => {
    expect(checkFelt('k', FIELD_PRIME - 1n)).toBe(FIELD_PRIME - 1n);
    expectRange(() => checkFelt('k', FIELD_PRIME), 'k', FIELD_PRIME, '0 <= k < P (2^251 + 17·2^192 + 1)');
    expectRange(() => checkFelt('k', -1n), 'k', -1n, '0 <= k < P (2^251 + 17·2^192 + 1)');
    expectType(() => checkFelt('k', '0x1'), 'k', '0x1', 'bigint');
  });

  it('checkInteger: safe integers within inclusive bounds', () => {
    expect(checkInteger('n', 3)).toBe(3);
    expect(checkInteger('n', 1, 1, 5)).toBe(1);
    expect(checkInteger('n', 5, 1, 5)).toBe(5);
    expectType(() => checkInteger('n', 3n), 'n', 3n, 'an integer number');
    expectType(() => checkInteger('n', '3'), 'n', '3', 'an integer number');
    expectRange(() => checkInteger('n', 1.5), 'n', 1.5, 'a safe integer n');
    expectRange(() => checkInteger('n', Number.NaN), 'n', Number.NaN, 'a safe integer n');
    expectRange(() => checkInteger('n', 2 ** 53), 'n', 2 ** 53, 'a safe integer n');
    expectRange(() => checkInteger('n', 0, 1), 'n', 0, 'a safe integer 1 <= n');
    expectRange(() => checkInteger('n', 6, 1, 5), 'n', 6, 'a safe integer 1 <= n <= 5');
  });

  it('checkBoolean', () => {
    expect(checkBoolean('b', false)).toBe(false);
    expectType(() => checkBoolean('b', 0), 'b', 0, 'boolean');
    expectType(() => checkBoolean('b', 'true'), 'b', 'true', 'boolean');
  });

  it('checkString: type, length, pattern', () => {
    expect(checkString('s', '')).toBe('');
    expect(checkString('s', 'abc', { maxLength: 3, pattern: /^[a-z]+$/ })).toBe('abc');
    expectType(() => checkString('s', 1), 's', 1, 'string');
    expectType(() => checkString('s', null, { expected: 'a market name' }), 's', null, 'a market name');
    expectRange(() => checkString('s', 'abcd', { maxLength: 3 }), 's', 'abcd', 'at most 3 characters');
    expectRange(
      () => checkString('s', 'AB', { pattern: /^[a-z]+$/, expected: 'lower-case letters' }),
      's',
      'AB',
      'lower-case letters',
    );
    expectRange(() => checkString('s', 'AB', { pattern: /^[a-z]+$/ }), 's', 'AB', 'a string matching /^[a-z]+$/');
  });

  it('checkHex: 0x and whole bytes, an exact length when asked', () => {
    expect(checkHex('h', '0x')).toBe('0x');
    expect(checkHex('h', '0xdeadBEEF')).toBe('0xdeadBEEF');
    expect(checkHex('h', `0x${'00'.repeat(32)}`, { bytes: 32 })).toBe(`0x${'00'.repeat(32)}`);
    expectType(() => checkHex('h', 5), 'h', 5, '0x-prefixed hex bytes');
    expectRange(() => checkHex('h', 'deadbeef'), 'h', 'deadbeef', '0x-prefixed hex bytes');
    expectRange(() => checkHex('h', '0xabc'), 'h', '0xabc', '0x-prefixed hex bytes');
    expectRange(() => checkHex('h', '0xzz'), 'h', '0xzz', '0x-prefixed hex bytes');
    expectRange(() => checkHex('h', '0x00', { bytes: 2 }), 'h', '0x00', '0x followed by 4 hex digits');
  });

  it('checkAddress: 0x + 40 hex digits, any case', () => {
    const a = `0x${'aB'.repeat(20)}`;
    expect(checkAddress('to', a)).toBe(a);
    expectType(() => checkAddress('to', 1n), 'to', 1n, 'an address (0x followed by 40 hex digits)');
    expectRange(() => checkAddress('to', a.slice(0, -1)), 'to', a.slice(0, -1), '0x followed by 40 hex digits');
    expectRange(() => checkAddress('to', 'ab'.repeat(21)), 'to', 'ab'.repeat(21), '0x followed by 40 hex digits');
  });

  it('checkObject / checkArray: shapes, with the expectation in the message', () => {
    const o = { a: 1 };
    expect(checkObject('o', o)).toBe(o);
    expectType(() => checkObject('o', null), 'o', null, 'an object');
    const arr = [1];
    expectType(() => checkObject('o', arr), 'o', arr, 'an object');
    expectType(() => checkObject('o', 'x', '{ a, b }'), 'o', 'x', '{ a, b }');
    const list = [1, 2];
    expect(checkArray('l', list)).toBe(list);
    const likeArray = { length: 1 };
    expectType(() => checkArray('l', likeArray), 'l', likeArray, 'an array');
    expectType(() => checkArray('l', null, 'an array of pages'), 'l', null, 'an array of pages');
  });

  it('checkBigintArray: every element, holes fail at their index', () => {
    expect(checkBigintArray('w', [1n, 2n])).toEqual([1n, 2n]);
    expectType(() => checkBigintArray('w', 'x'), 'w', 'x', 'an array of bigint');
    expectType(() => checkBigintArray('w', [1n, 2]), 'w[1]', 2, 'bigint');
    // biome-ignore lint/suspicious/noSparseArray: a hole is the input under test.
    expectType(() => checkBigintArray('w', [1n, , 3n]), 'w[1]', undefined, 'bigint');
    expectRange(() => checkBigintArray('w', [1n, 300n], 0n, 255n), 'w[1]', 300n, '0 <= w[1] <= 255');
  });

  it('checkOneOf: a value of the set; the right type outside it is a range error, another type a type error', () => {
    expect(checkOneOf('side', 'BUY', ['BUY', 'SELL'])).toBe('BUY');
    expect(checkOneOf('n', 2, [1, 2, 3])).toBe(2);
    expectRange(() => checkOneOf('side', 'HOLD', ['BUY', 'SELL']), 'side', 'HOLD', 'one of "BUY" | "SELL"');
    expectType(() => checkOneOf('side', 1, ['BUY', 'SELL']), 'side', 1, 'one of "BUY" | "SELL"');
    expectType(() => checkOneOf('side', undefined, ['BUY', 'SELL']), 'side', undefined, 'one of "BUY" | "SELL"');
  });
});

describe('error rendering of hostile values', () => {
  it('a wrong type names the kind and, for primitives, the value', () => {
    expect(kindOf(null)).toBe('null');
    expect(kindOf([])).toBe('array');
    expect(kindOf(1n)).toBe('bigint');
    expect(describeValue('12')).toBe('string "12"');
    expect(describeValue(1.5)).toBe('number 1.5');
    expect(describeValue({ a: 1 })).toBe('object');
    expect(describeValue(undefined)).toBe('undefined');
    expect(thrown(() => checkBigint('amount', '12')).message).toBe('amount: expected bigint, got string "12"');
    expect(thrown(() => checkObject('o', null)).message).toBe('o: expected an object, got null');
  });

  it('long values are cut to ~120 characters, never the whole value', () => {
    const long = 'a'.repeat(1_000_000);
    const err = thrown(() => checkString('s', long, { maxLength: 10 }));
    expect(err.value).toBe(long);
    expect(err.message.length).toBeLessThan(200);
    expect(err.message).toContain('...');
    expect(formatValue(10n ** 500n).length).toBeLessThanOrEqual(120);
    expect(formatValue({ k: 'x'.repeat(1000) }).length).toBeLessThanOrEqual(120);
    // A cut never leaves half a surrogate pair.
    const emoji = 'a'.repeat(116) + '😀'.repeat(10);
    expect(formatValue(emoji)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('bidi overrides, zero-width, control and line-separator characters are escaped', () => {
    const hostile = 'BTC\u202e\u2066-USD\u200b\u0000\n\u2028\u2029\ufeff';
    const err = thrown(() => checkOneOf('market', hostile, ['BTC-USD']));
    expect(err.value).toBe(hostile);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the message must contain none of them.
    expect(err.message).not.toMatch(/[\u0000-\u001f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/);
    expect(err.message).toContain('\\u202e');
    expect(err.message).toContain('\\u2066');
    expect(err.message).toContain('\\u200b');
    expect(err.message).toContain('\\u2028');
    expect(err.message).toContain('\\ufeff');
    expect(err.message).toContain('\\n');
    // Also inside objects, and in the RPC layer's own descriptions of a param.
    expect(formatValue({ name: 'x\u202ey' })).toBe('{"name":"x\\u202ey"}');
    expect(describeParam('a\u202eb')).toBe('the string "a\\u202eb"');
  });

  it('a secret of the wrong type is neither kept nor rendered, only its kind', () => {
    const words = ['abandon', 'ability', 'zoo'];
    const err = new TypeCheckError('mnemonic', words, 'string', { secret: true });
    expect(err).toMatchObject({ field: 'mnemonic', value: '(hidden)', range: 'string' });
    expect(err.message).toBe('mnemonic: expected string, got array (value hidden)');
    expect(() => deriveStarkKeyFromMnemonic(words as never, PATH)).toThrow(
      expect.objectContaining({ name: 'TypeCheckError', field: 'mnemonic', value: '(hidden)' }),
    );
    expect(() => deriveStarkKeyFromMnemonic(words as never, PATH)).not.toThrow(/abandon|zoo/);
    const key = `0x${'5'.repeat(60)}`;
    expect(() => signHash(1n, key as never)).toThrow(
      expect.objectContaining({ name: 'TypeCheckError', field: 'privateKey', value: '(hidden)' }),
    );
    expect(() => signHash(1n, key as never)).not.toThrow(/5555/);
    const seedBytes = Array.from({ length: 32 }, () => 171);
    expect(() => grindStarkKey(seedBytes as never)).not.toThrow(/171/);
    expect(() => deriveStarkwareKeyFromEthSignature(seedBytes as never)).not.toThrow(/171/);
    expect(() => deriveDydxStarkKey(seedBytes as never)).not.toThrow(/171/);
  });

  it('values that cannot be serialised still render, without throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => formatValue(cyclic)).not.toThrow();
    const evil = {
      toJSON() {
        throw new Error('boom');
      },
      toString() {
        throw new Error('boom');
      },
    };
    expect(formatValue(evil)).toBe('object');
    expect(formatValue(Symbol('s'))).toBe('symbol');
    expect(formatValue(() => 1)).toBe('function');
    const err = thrown(() => checkString('s', evil));
    expect(err.message).toBe('s: expected string, got object');
  });
});
