import { describe, expect, it } from 'vitest';
import {
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionData,
  HttpRequestError,
  numberToHex,
  RpcRequestError,
  toFunctionSelector,
  type Abi,
  type Hex,
} from 'viem';
import { VigilError } from '../../../src/errors.js';
import {
  memoryPageFactRegistryAbi,
  gpsStatementVerifierAbi,
  perpetualEscapeVerifierAbi,
  starkPerpetualAbi,
  starkwareProxyAbi,
} from '../../../src/l1/abi.js';
import { DYDX_V3_MAINNET } from '../../../src/l1/deployment.js';
import { canonicalJson, MultiRpc } from '../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../src/l1/starkex-reader.js';
import { ExitRpc } from '../../../src/l1/exit-rpc.js';
import { createExitChainReader } from '../../../src/l1/exit-reader.js';
import { BaseError } from 'viem';
import { AdaptiveEndpoint } from '../../../src/l1/provider/endpoint.js';
import { HttpStatusError } from '../../../src/l1/provider/errors.js';
import { classifyRpcError, describeFailure } from '../../../src/l1/provider/classify.js';
import { getLogsAdaptive } from '../../../src/l1/provider/get-logs.js';
import { InMemoryLogWindows } from '../../../src/l1/provider/log-window.js';
import { decodeOnChainData, decodeProgramOutput } from '../../../src/starkex/index.js';
import { readVector } from '../../helpers/vectors.js';
import { mutateJson, mutateWords, prng, type Json, type Rng } from '../../helpers/fuzz.js';
import { readPages } from '../starkex/fixtures.js';

/*
 * Mutation fuzzing of every parser of an RPC answer (issue 15): real-shaped answers (the real dYdX
 * logs, pages and calldata, ABI-encoded with viem for the real ABIs) are mutated — bytes and words
 * flipped, hex cut to odd lengths, upper-cased or made non-hex, types swapped, fields dropped or
 * duplicated, arrays cut or grown (bounded), topic counts changed — and fed through the real
 * parsers over fake endpoints. Every case must end in a result or one of Vigil's typed errors
 * (VigilError: L1DataError, DecodeError, RangeCheckError, RpcDisagreementError, the provider's
 * classes...), never a raw TypeError/RangeError/SyntaxError, and within a time bound (no hang).
 * Seeded: VIGIL_FUZZ_SEED=<n> replays or explores; VIGIL_FUZZ_SCALE=<x> multiplies the case counts.
 */
const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 0x5eed_15a1);
const SCALE = Number(process.env.VIGIL_FUZZ_SCALE ?? 1);
const n = (cases: number) => Math.max(1, Math.round(cases * SCALE));
/** A case slower than this is a hang or an allocation blow-up, not a parse. */
const CASE_MS = 2_000;

const D = DYDX_V3_MAINNET;
const VECTORS = readVector<any>('l1tree-l1-logs-dydx-mainnet.json');
const [exMain, ...exData] = readPages('encoded-example.json');

type Outcome = 'ok' | 'error';
type Tally = { ok: number; error: number; slowestMs: number };

/** Runs one case: a result (checked by `check`) or a typed error; anything else fails naming the case. */
async function run<T>(
  tally: Tally,
  label: string,
  input: unknown,
  fn: () => Promise<T> | T,
  check: (r: T) => void = () => {},
): Promise<Outcome> {
  const t0 = performance.now();
  let out: Outcome;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const hang = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer after ${CASE_MS} ms (a hang)`)), CASE_MS)),
    );
    check(await Promise.race([Promise.resolve().then(fn), hang]));
    out = 'ok';
  } catch (e) {
    if (!(e instanceof VigilError)) {
      const shown = canonicalJsonSafe(input);
      throw new Error(
        `${label}: untyped ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} (VIGIL_FUZZ_SEED=${SEED}) on input ${shown}`,
        { cause: e },
      );
    }
    out = 'error';
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - t0;
  tally.slowestMs = Math.max(tally.slowestMs, ms);
  if (ms > CASE_MS) throw new Error(`${label}: took ${ms.toFixed(0)} ms (VIGIL_FUZZ_SEED=${SEED})`);
  tally[out]++;
  return out;
}
const canonicalJsonSafe = (v: unknown) => {
  try {
    const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
    return s && s.length > 1500 ? `${s.slice(0, 1500)}…` : s;
  } catch {
    return String(v);
  }
};
const newTally = (): Tally => ({ ok: 0, error: 0, slowestMs: 0 });
/** Both outcomes occur: the mutations are neither all fatal nor all harmless. */
function expectMixed(t: Tally, cases: number, minOk = 0.01, minError = 0.1) {
  expect(t.ok + t.error).toBe(cases);
  expect(t.error).toBeGreaterThan(cases * minError);
  expect(t.ok).toBeGreaterThan(cases * minOk);
}

// ---------------------------------------------------------------------------------------------
// Real-shaped answers
// ---------------------------------------------------------------------------------------------

const hex32 = (v: bigint) => numberToHex(v, { size: 32 });
let logCounter = 0;
function rpcLog(
  address: string,
  abi: Abi,
  eventName: string,
  args: Record<string, unknown>,
  blockNumber: bigint,
  txHash: string,
  blockHash: string,
): Json {
  const ev = abi.find((x) => x.type === 'event' && x.name === eventName) as {
    inputs: readonly { name: string; type: string; indexed?: boolean }[];
  };
  const topics = encodeEventTopics({ abi, eventName, args } as never) as Hex[];
  const body = ev.inputs.filter((i) => !i.indexed);
  const data = encodeAbiParameters(body as never, body.map((i) => args[i.name]) as never);
  return {
    address,
    topics,
    data,
    blockNumber: numberToHex(blockNumber),
    blockHash,
    transactionHash: txHash,
    transactionIndex: '0x3',
    logIndex: numberToHex(logCounter++ % 7),
    removed: false,
  };
}

const BLOCK = 13986068n;
const pagesLog = VECTORS.LogMemoryPagesHashes.logs[0];
const pair = VECTORS.LogStateTransitionFact_LogUpdateState_pairs.expectedParsed[0];
const blockHash = pagesLog.blockHash as string;
const upd = pair.transactionHash as string;
/** One window's logs: a state update (fact + update), its page hashes, a page registration and watched events. */
const WINDOW_LOGS: Json = [
  rpcLog(
    D.starkPerpetual,
    starkPerpetualAbi,
    'LogStateTransitionFact',
    { stateTransitionFact: pair.stateTransitionFact },
    BLOCK,
    upd,
    blockHash,
  ),
  rpcLog(
    D.starkPerpetual,
    starkPerpetualAbi,
    'LogUpdateState',
    { sequenceNumber: BigInt(pair.sequenceNumber), batchId: BigInt(pair.batchId) },
    BLOCK,
    upd,
    blockHash,
  ),
  rpcLog(
    D.gpsStatementVerifiers[0]!,
    gpsStatementVerifierAbi,
    'LogMemoryPagesHashes',
    { factHash: pagesLog.programOutputFact, pagesHashes: pagesLog.pagesHashes },
    BLOCK,
    pagesLog.transactionHash,
    blockHash,
  ),
  rpcLog(
    D.memoryPageFactRegistry,
    memoryPageFactRegistryAbi,
    'LogMemoryPageFactContinuous',
    { factHash: hex32(0x1234n), memoryHash: BigInt(pagesLog.pagesHashes[1]), prod: 0x0abcn << 200n },
    BLOCK + 1n,
    pagesLog.transactionHash,
    blockHash,
  ),
  rpcLog(D.starkPerpetual, starkPerpetualAbi, 'LogFrozen', {}, BLOCK + 2n, upd, blockHash),
  rpcLog(
    D.starkPerpetual,
    starkPerpetualAbi,
    'LogForcedWithdrawalRequest',
    { starkKey: 0x3f3n << 240n, vaultId: 7n, quantizedAmount: 10n ** 9n },
    BLOCK + 2n,
    upd,
    blockHash,
  ),
  rpcLog(
    D.starkPerpetual,
    starkPerpetualAbi,
    'LogAssetConfigurationApplied',
    { assetId: 0x4254432d3130000000000000000000n, configHash: hex32(77n) },
    BLOCK + 3n,
    upd,
    blockHash,
  ),
  rpcLog(
    D.gpsStatementVerifiers[1]!,
    starkwareProxyAbi,
    'ImplementationAdded',
    {
      implementation: '0xCC5B2c75cbbD281b2Fc4B58C7d5B080d023C92F2',
      initializer: '0x000000000000000000000000b1eda32c467569fbdc8c3e041c81825d76b32b84',
      finalize: false,
    },
    BLOCK + 3n,
    upd,
    blockHash,
  ),
];
const LOG_ABI_FIELDS = { data: 0 };

// Calldata built by hand (the same bytes as viem's encodeFunctionData, checked below): re-encoding
// mutated pages with viem for every case would cost more than the parser under test.
const w64 = (v: bigint) => v.toString(16).padStart(64, '0');
const UPDATE_STATE = toFunctionSelector('function updateState(uint256[] programOutput, uint256[] applicationData)');
const REGISTER_PAGE = toFunctionSelector(
  'function registerContinuousMemoryPage(uint256 startAddr, uint256[] values, uint256 z, uint256 alpha, uint256 prime)',
);
const PAGE_ARGS = { startAddr: 1234n, z: 0x5an, alpha: 0x7bn, prime: (1n << 251n) + 17n * (1n << 192n) + 1n };
const updateStateInput = (programOutput: readonly bigint[]) =>
  `${UPDATE_STATE}${w64(0x40n)}${w64(BigInt(0x60 + 32 * programOutput.length))}${w64(BigInt(programOutput.length))}${programOutput.map(w64).join('')}${w64(0n)}`;
const pageInput = (values: readonly bigint[]) =>
  `${REGISTER_PAGE}${w64(PAGE_ARGS.startAddr)}${w64(0xa0n)}${w64(PAGE_ARGS.z)}${w64(PAGE_ARGS.alpha)}${w64(PAGE_ARGS.prime)}${w64(BigInt(values.length))}${values.map(w64).join('')}`;
const tx = (to: string, input: string): Json => ({
  hash: upd,
  from: '0x8129b737912e17212c8693b781928f5d0303390a',
  to,
  input,
  nonce: '0x1a',
  value: '0x0',
  blockNumber: numberToHex(BLOCK),
  blockHash,
});
const TX_ABI_FIELDS = { input: 8 };

const BLOCK_ANSWER: Json = {
  number: numberToHex(BLOCK),
  hash: blockHash,
  parentHash: VECTORS.LogMemoryPagesHashes.logs[1].blockHash,
  timestamp: '0x61d8a6c4',
  baseFeePerGas: '0x1dcd6500',
  transactions: [],
};
const SLOT_ANSWER: Json = '0x05d9b0bb3ec7b7e0a6a9c1e3d87f4d4a1ea8fb6b1ae2c8eb6b0a0bd5c6a8d7e2';

// ---------------------------------------------------------------------------------------------
// Fake endpoints: answers by method, as a real transport would hand them over (JSON values)
// ---------------------------------------------------------------------------------------------

type Answers = Record<string, Json>;
/** A MultiRpc over 1–2 fake endpoints: the second answers the same or an independently mutated answer. */
function fakeRpc(first: Answers, second?: Answers): MultiRpc {
  const endpoint = (url: string, answers: Answers) => ({
    url,
    request: async ({ method }: { method: string }) => {
      if (!(method in answers))
        throw new RpcRequestError({
          body: { method },
          url,
          error: { code: -32601, message: `the method ${method} does not exist` },
        });
      return structuredClone(answers[method]);
    },
  });
  return new MultiRpc(
    second
      ? [endpoint('https://a.example', first), endpoint('https://b.example', second)]
      : [endpoint('https://a.example', first)],
    { attempts: 1, sleep: async () => {} },
  );
}
/** One mutated answer per endpoint; sometimes both endpoints agree on the mutation (then it must parse or fail typed). */
function answersFor(rng: Rng, method: string, seed: Json, mutate: (v: Json) => Json): [Answers, Answers | undefined] {
  const a = { [method]: mutate(seed) };
  switch (rng.int(6)) {
    case 0:
      return [a, { [method]: mutate(seed) }];
    case 1:
      return [a, { [method]: seed }];
    case 2:
      return [a, { ...a }];
    default:
      return [a, undefined];
  }
}

const hexHash = /^0x[0-9a-f]{64}$/;
const checkMeta = (m: { blockNumber: bigint; logIndex: number; txHash: string }) => {
  expect(typeof m.blockNumber).toBe('bigint');
  expect(m.blockNumber >= 0n).toBe(true);
  expect(Number.isSafeInteger(m.logIndex) && m.logIndex >= 0).toBe(true);
  expect(m.txHash.toLowerCase()).toMatch(hexHash);
};

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

const C = {
  scan: n(30_000),
  calls: n(3_000),
  blocks: n(25_000),
  canonical: n(10_000),
  classify: n(15_000),
  getLogs: n(10_000),
  exitRpc: n(5_000),
  exitReader: n(3_000),
};

describe(`fuzzing the parsers of RPC answers (${Object.values(C).reduce((a, b) => a + b)} mutated answers, seed ${SEED})`, () => {
  it(`StarkExL1Reader.scan/stateTransitions/memoryPagesHashes/pageRegistrations/watchedEvents: ${C.scan} mutated eth_getLogs answers`, async () => {
    const rng = prng(SEED);
    const t = newTally();
    // The unmutated window parses in full.
    const clean = await createStarkExReader(D, fakeRpc({ eth_getLogs: WINDOW_LOGS })).scan(BLOCK, BLOCK + 10n);
    expect([
      clean.transitions.length,
      clean.pagesHashes.length,
      clean.registrations.length,
      clean.events.length,
    ]).toEqual([1, 1, 1, 4]);
    for (let c = 0; c < C.scan; c++) {
      const [a, b] = answersFor(rng, 'eth_getLogs', WINDOW_LOGS, (v) =>
        mutateJson(rng, v, { abiHexFields: LOG_ABI_FIELDS }),
      );
      const reader = createStarkExReader(D, fakeRpc(a, b));
      const which = rng.int(5);
      await run(t, `scan case ${c}`, [a, b], async () => {
        if (which === 0) return (await reader.stateTransitions(BLOCK, BLOCK + 10n)).map(checkMeta);
        if (which === 1) return (await reader.memoryPagesHashes(BLOCK, BLOCK + 10n)).map(checkMeta);
        if (which === 2) return (await reader.pageRegistrations(BLOCK, BLOCK + 10n)).map(checkMeta);
        if (which === 3) return (await reader.watchedEvents(BLOCK, BLOCK + 10n)).map(checkMeta);
        const w = await reader.scan(BLOCK, BLOCK + 10n);
        [...w.transitions, ...w.pagesHashes, ...w.registrations, ...w.events].map(checkMeta);
        for (const x of w.transitions) expect(x.stateTransitionFact).toMatch(hexHash);
        for (const x of w.registrations) expect(x.memoryHash).toMatch(hexHash);
        return w;
      });
    }
    expectMixed(t, C.scan);
    console.info(`scan: ${JSON.stringify(t)}`);
  });

  it(`StarkExL1Reader.updateStateCall/continuousPageCall (+ the page decoders): ${C.calls} mutated eth_getTransactionByHash answers`, async () => {
    const rng = prng(SEED + 1);
    const t = newTally();
    const dataWords = exData.flat();
    expect(updateStateInput(exMain!)).toBe(
      encodeFunctionData({ abi: starkPerpetualAbi, functionName: 'updateState', args: [exMain!, []] }),
    );
    expect(pageInput(dataWords)).toBe(
      encodeFunctionData({
        abi: memoryPageFactRegistryAbi,
        functionName: 'registerContinuousMemoryPage',
        args: [PAGE_ARGS.startAddr, dataWords, PAGE_ARGS.z, PAGE_ARGS.alpha, PAGE_ARGS.prime],
      }),
    );
    for (let c = 0; c < C.calls; c++) {
      const isUpdate = rng.int(2) === 0;
      const to = isUpdate ? D.starkPerpetual : D.memoryPageFactRegistry;
      // Half the cases keep valid calldata around mutated page words (the decoders' turn), half mutate the answer itself.
      const words = rng.int(2)
        ? mutateWords(rng, isUpdate ? exMain! : dataWords).map((w) => BigInt.asUintN(256, w))
        : isUpdate
          ? exMain!
          : dataWords;
      const seed = tx(to, isUpdate ? updateStateInput(words) : pageInput(words));
      const [a, b] = rng.int(2)
        ? answersFor(rng, 'eth_getTransactionByHash', seed, (v) =>
            mutateJson(rng, v, { abiHexFields: TX_ABI_FIELDS, maxArray: 8 }),
          )
        : [{ eth_getTransactionByHash: seed }, undefined];
      const reader = createStarkExReader(D, fakeRpc(a, b));
      await run(t, `call case ${c}`, [a, b], async () => {
        if (isUpdate) {
          const call = await reader.updateStateCall(upd as Hex);
          return decodeProgramOutput(call.programOutput, { daModeWord: D.daModeWord });
        }
        const call = await reader.continuousPageCall(upd as Hex);
        return decodeOnChainData(call.values);
      });
    }
    expectMixed(t, C.calls);
    console.info(`calls: ${JSON.stringify(t)}`);
  });

  it(`StarkExL1Reader storage slots, blocks, finalized and head: ${C.blocks} mutated eth_getStorageAt/eth_getBlockByNumber/eth_blockNumber answers`, async () => {
    const rng = prng(SEED + 2);
    const t = newTally();
    const targets = [
      {
        method: 'eth_getStorageAt',
        seed: SLOT_ANSWER,
        call: (r: ReturnType<typeof createStarkExReader>) => r.sharedStateHashAt(BLOCK),
        check: (v: unknown) => expect(v).toMatch(hexHash),
      },
      {
        method: 'eth_getStorageAt',
        seed: '0x3f56' as Json,
        call: (r: ReturnType<typeof createStarkExReader>) => r.sequenceNumberAt(BLOCK),
        check: (v: unknown) => expect(typeof v).toBe('bigint'),
      },
      {
        method: 'eth_getBlockByNumber',
        seed: BLOCK_ANSWER,
        call: (r: ReturnType<typeof createStarkExReader>) => r.blockTimestamp(BLOCK),
        check: (v: unknown) => expect(typeof v === 'bigint' && v >= 0n).toBe(true),
      },
      {
        method: 'eth_getBlockByNumber',
        seed: BLOCK_ANSWER,
        call: (r: ReturnType<typeof createStarkExReader>) => r.blockHash(BLOCK),
        check: (v: unknown) => expect(v).toMatch(hexHash),
      },
      {
        method: 'eth_getBlockByNumber',
        seed: BLOCK_ANSWER,
        call: (r: ReturnType<typeof createStarkExReader>) => r.finalizedBlock(),
        check: (v: unknown) => expect(v === undefined || (typeof v === 'bigint' && v >= 0n)).toBe(true),
      },
      {
        method: 'eth_blockNumber',
        seed: numberToHex(BLOCK) as Json,
        call: (r: ReturnType<typeof createStarkExReader>) => r.latestBlock(),
        check: (v: unknown) => expect(typeof v === 'bigint' && v >= 0n).toBe(true),
      },
    ];
    for (let c = 0; c < C.blocks; c++) {
      const x = rng.pick(targets);
      const [a, b] = answersFor(rng, x.method, x.seed, (v) => mutateJson(rng, v));
      const reader = createStarkExReader(D, fakeRpc(a, b));
      await run(t, `block case ${c} (${x.method})`, [a, b], () => x.call(reader), x.check);
    }
    expectMixed(t, C.blocks);
    console.info(`blocks: ${JSON.stringify(t)}`);
  });

  it(`canonicalJson (MultiRpc's comparison): ${C.canonical} mutated answers give a string, independent of key order`, async () => {
    const rng = prng(SEED + 3);
    const t = newTally();
    const seeds = [WINDOW_LOGS, BLOCK_ANSWER, tx(D.starkPerpetual, updateStateInput(exMain!)), SLOT_ANSWER];
    const shuffleKeys = (v: Json): Json =>
      Array.isArray(v)
        ? v.map(shuffleKeys)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, shuffleKeys(x)]),
            )
          : v;
    for (let c = 0; c < C.canonical; c++) {
      const v = mutateJson(rng, rng.pick(seeds), { abiHexFields: { ...LOG_ABI_FIELDS, ...TX_ABI_FIELDS } });
      await run(
        t,
        `canonicalJson case ${c}`,
        v,
        () => canonicalJson(v),
        (s) => {
          expect(typeof s).toBe('string');
          expect(canonicalJson(shuffleKeys(v))).toBe(s);
        },
      );
    }
    expect(t.ok).toBe(C.canonical);
    console.info(`canonicalJson: ${JSON.stringify(t)}`);
  });

  it(`provider classify (describeFailure/classifyRpcError): ${C.classify} mutated error objects`, async () => {
    const rng = prng(SEED + 4);
    const t = newTally();
    const messages = [
      'query returned more than 10000 results. Try with this block range [0x1F6D1, 0x1F70D].',
      'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0xbc40d3, 0xbc4b37]',
      'eth_getLogs is limited to a 10,000 range',
      'Too Many Requests, try again in 2 seconds',
      'header not found',
      'execution reverted',
      'fetch failed',
      'block range is too wide',
      'retry with the range 123-456',
    ];
    const seedError = (): Json => ({
      name: 'RpcRequestError',
      code: rng.pick([-32005, -32000, -32603, 429, -32602, -1]),
      message: rng.pick(messages),
      details: rng.pick(messages),
      status: rng.pick([200, 429, 503, 400]),
      data: { from: '0x10', to: '0x20' },
      cause: { code: -32005, message: rng.pick(messages), cause: null },
    });
    for (let c = 0; c < C.classify; c++) {
      const plain = mutateJson(rng, seedError());
      let err: unknown = plain;
      switch (rng.int(4)) {
        case 0: {
          const body = rng.int(2) ? JSON.stringify(plain) : String(rng.pick(messages)).slice(0, rng.int(60));
          err = new HttpStatusError(
            rng.pick([429, 500, 502, 503]),
            rng.pick([
              undefined,
              '2',
              '1.5',
              'Wed, 21 Oct 2015 07:28:00 GMT',
              'soon',
              '-1',
              ' 99999999999999999999 ',
              '',
            ]),
            body,
          );
          break;
        }
        case 1: {
          const e = plain && typeof plain === 'object' && !Array.isArray(plain) ? plain : {};
          err = new RpcRequestError({
            body: {},
            url: 'https://a.example',
            error: {
              code: typeof e.code === 'number' ? e.code : -32000,
              message: typeof e.message === 'string' ? e.message : String(rng.pick(messages)),
              data: e.data as never,
            },
          });
          break;
        }
        case 2:
          err = new HttpRequestError({
            url: 'https://a.example',
            status: rng.pick([undefined, 429, 503]),
            details: String(rng.pick(messages)),
            cause: plain as never,
          });
          break;
        default:
      }
      await run(
        t,
        `classify case ${c}`,
        plain,
        () => classifyRpcError(err, 1_700_000_000_000),
        (k) => {
          expect(['transient', 'limit', 'permanent']).toContain(k.kind);
          expect(typeof describeFailure(err).message).toBe('string');
        },
      );
    }
    expect(t.ok).toBe(C.classify);
    console.info(`classify: ${JSON.stringify(t)}`);
  });

  it(`provider getLogsAdaptive: ${C.getLogs} mutated eth_getLogs answers and error answers`, async () => {
    const rng = prng(SEED + 5);
    const t = newTally();
    // A fake clock that advances by what is slept: pauses and backoffs cost no real time.
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += Math.max(0, ms)) };
    for (let c = 0; c < C.getLogs; c++) {
      const answer = mutateJson(rng, WINDOW_LOGS, { abiHexFields: LOG_ABI_FIELDS, maxArray: 64 });
      // Sometimes the endpoint answers with an error first (limit / rate / garbage), then the logs.
      const failFirst =
        rng.int(4) === 0
          ? mutateJson(rng, {
              code: -32005,
              message: rng.pick([
                'query returned more than 10000 results',
                'block range is too wide',
                'rate limited',
                'boom',
              ]),
            })
          : undefined;
      let calls = 0;
      const endpoint = new AdaptiveEndpoint({
        url: 'https://a.example',
        clock,
        attempts: 2,
        rateLimitAttempts: 2,
        request: async () => {
          if (failFirst !== undefined && calls++ === 0) throw failFirst;
          return structuredClone(answer);
        },
      });
      await run(
        t,
        `getLogs case ${c}`,
        answer,
        () =>
          getLogsAdaptive(endpoint, { address: D.starkPerpetual }, BLOCK, BLOCK + 10n, {
            memory: new InMemoryLogWindows(),
            initialWindow: 64n,
          }),
        (logs) => {
          for (const l of logs) expect(typeof l.blockNumber).toBe('string');
        },
      );
    }
    expectMixed(t, C.getLogs);
    console.info(`getLogs: ${JSON.stringify(t)}`);
  });

  it(`ExitRpc.request/assertChain/head: ${C.exitRpc} mutated eth_chainId/eth_blockNumber/eth_gasPrice/eth_getBlockByNumber answers`, async () => {
    const rng = prng(SEED + 6);
    const t = newTally();
    const seeds: Array<[string, Json]> = [
      ['eth_chainId', '0x1'],
      ['eth_blockNumber', numberToHex(BLOCK)],
      ['eth_gasPrice', '0x3b9aca00'],
      ['eth_maxPriorityFeePerGas', '0x3b9aca00'],
      ['eth_getBlockByNumber', BLOCK_ANSWER],
      ['eth_getTransactionByHash', tx(D.starkPerpetual, updateStateInput(exMain!))],
    ];
    for (let c = 0; c < C.exitRpc; c++) {
      const [method, seed] = rng.pick(seeds);
      const [a, b] = answersFor(rng, method, seed, (v) =>
        mutateJson(rng, v, { abiHexFields: TX_ABI_FIELDS, maxArray: 8 }),
      );
      // eth_chainId and eth_blockNumber are asked with every read: keep them sane unless under test.
      for (const ans of [a, b])
        if (ans)
          for (const [m, v] of [
            ['eth_chainId', '0x1'],
            ['eth_blockNumber', numberToHex(BLOCK)],
          ] as const)
            if (!(m in ans)) ans[m] = v;
      const exit = new ExitRpc(fakeRpc(a, b), 1);
      await run(t, `exit-rpc case ${c} (${method})`, [a, b], async () => {
        if (method === 'eth_chainId') return exit.assertChain();
        if (method === 'eth_blockNumber') return exit.head();
        return exit.request(
          method,
          method === 'eth_getBlockByNumber' ? ['latest', false] : method === 'eth_getTransactionByHash' ? [upd] : [],
        );
      });
    }
    expectMixed(t, C.exitRpc, 0.01, 0.01);
    console.info(`exit-rpc: ${JSON.stringify(t)}`);
  });

  it(`ExitChainReader over ExitRpc.client() (viem's formatters and ABI decoding): ${C.exitReader} mutated answers`, async () => {
    const rng = prng(SEED + 7);
    const t = newTally();
    const receipt: Json = {
      transactionHash: upd,
      blockHash,
      blockNumber: numberToHex(BLOCK),
      status: '0x1',
      from: '0x8129b737912e17212c8693b781928f5d0303390a',
      to: D.starkPerpetual,
      cumulativeGasUsed: '0x5208',
      gasUsed: '0x5208',
      effectiveGasPrice: '0x1',
      logsBloom: `0x${'0'.repeat(512)}`,
      type: '0x2',
      transactionIndex: '0x3',
      contractAddress: null,
      logs: (WINDOW_LOGS as Json[]).slice(0, 2),
    };
    const escapeLog = rpcLog(
      D.perpetualEscapeVerifier,
      perpetualEscapeVerifierAbi,
      'LogEscapeVerified',
      { publicKey: 0x3f3n << 240n, withdrawalAmount: -5n, sharedStateHash: hex32(0x5eedn), positionId: 7n },
      BLOCK,
      upd,
      blockHash,
    );
    const targets: Array<[string, Json, (r: ReturnType<typeof createExitChainReader>) => Promise<unknown>]> = [
      [
        'eth_getBlockByNumber',
        {
          ...(BLOCK_ANSWER as object),
          parentHash: blockHash,
          difficulty: '0x0',
          gasLimit: '0x1c9c380',
          gasUsed: '0x0',
          miner: D.starkPerpetual,
          nonce: '0x0000000000000000',
          size: '0x220',
          stateRoot: blockHash,
          receiptsRoot: blockHash,
          transactionsRoot: blockHash,
          sha3Uncles: blockHash,
          logsBloom: `0x${'0'.repeat(512)}`,
          extraData: '0x',
          mixHash: blockHash,
          uncles: [],
        } as Json,
        (r) => r.head(),
      ],
      ['eth_call', `0x${w64(1n)}`, (r) => r.isFrozen()],
      ['eth_call', `0x${w64(1_209_600n)}`, (r) => r.freezeGracePeriod()],
      [
        'eth_call',
        `0x${w64(0x2893294412a4c8f915f75892b395ebbf6859ec246ec365c3b1f56f47c3a0a5dn)}`,
        (r) => r.systemAssetType(),
      ],
      ['eth_getStorageAt', SLOT_ANSWER, (r) => r.escapeUsed(7n)],
      ['eth_getStorageAt', SLOT_ANSWER, (r) => r.sharedStateHash()],
      ['eth_getTransactionCount', '0x1a', (r) => r.nonce(D.starkPerpetual)],
      ['eth_getTransactionReceipt', receipt, (r) => r.receipt(upd as Hex)],
      ['eth_getLogs', [escapeLog], (r) => r.escapeVerified(7n, hex32(0x5eedn), BLOCK)],
    ];
    for (let c = 0; c < C.exitReader; c++) {
      const [method, seed, call] = rng.pick(targets);
      const [a, b] = answersFor(rng, method, seed, (v) => mutateJson(rng, v, { maxArray: 8 }));
      for (const ans of [a, b])
        if (ans)
          for (const [m, v] of [
            ['eth_chainId', '0x1'],
            ['eth_blockNumber', numberToHex(BLOCK)],
            ['eth_getBlockByNumber', targets[0]![1]],
          ] as const)
            if (!(m in ans)) ans[m] = v;
      const reader = createExitChainReader(D, new ExitRpc(fakeRpc(a, b), 1).client());
      await run(t, `exit-reader case ${c} (${method})`, [a, b], () =>
        call(reader).catch((e: unknown) => {
          // viem's own typed errors count as typed, unless a raw JS error from a parser sits in their chain.
          if (
            e instanceof BaseError &&
            !e.walk((x) => x instanceof TypeError || x instanceof SyntaxError || x instanceof RangeError)
          )
            throw new VigilError('viem error', { cause: e });
          throw e;
        }),
      );
    }
    expectMixed(t, C.exitReader, 0.01, 0.01);
    console.info(`exit-reader: ${JSON.stringify(t)}`);
  });
});
