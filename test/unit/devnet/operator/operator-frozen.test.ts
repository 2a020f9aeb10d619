import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeDevnet, type ExchangeDevnet } from '../../../../devnet/exchange-devnet.js';
import { freezeDevnet, type FrozenDevnet } from '../../../../devnet/operator/freeze.js';
import { finalSharedState } from '../../../../src/exit/final-state.js';
import { checkEscapeProof, parseEscapeInput, serializeEscapeFile } from '../../../../src/exit/escape-file.js';
import { devnetDeployment } from '../../../../src/l1/deployment.js';
import { MultiRpc } from '../../../../src/l1/multi-rpc.js';
import { createStarkExReader } from '../../../../src/l1/starkex-reader.js';

// The frozen devnet (issue 16; `npm start -- --frozen`): history, then the operator stops, a forced
// withdrawal goes unserved past the grace period, the exchange is frozen; nothing moves after.

let net: ExchangeDevnet;
let frozen: FrozenDevnet;

beforeAll(async () => {
  net = await startExchangeDevnet({ port: null, seed: 9, bots: 2 });
  for (let batch = 0; batch < 2; batch++) {
    for (let i = 0; i < 50; i++) net.operator.bots!.step();
    await net.operator.closeBatch();
  }
  frozen = await freezeDevnet(net.operator);
}, 120_000);
afterAll(async () => {
  await net?.stop();
});

describe('freezeDevnet', () => {
  it('freezes after the last batch; the operator posts nothing more; its escape files check against L1', async () => {
    const { starkPerpetual } = net.deployment.addresses;
    const abi = net.deployment.abis.starkPerpetual;
    const read = (functionName: string) =>
      net.operator.l1.c.client.readContract({ address: starkPerpetual, abi, functionName }) as Promise<unknown>;
    expect(await read('isFrozen')).toBe(true);
    expect(frozen.lastSequenceNumber).toBe(net.operator.batches.at(-1)!.sequenceNumber);
    expect(await net.operator.closeBatch()).toBeUndefined();
    expect(await read('getSequenceNumber')).toBe(frozen.lastSequenceNumber);

    const deployment = devnetDeployment({ ...net.deployment, chainId: net.deployment.chain.id });
    const reader = createStarkExReader(
      deployment,
      MultiRpc.fromUrls([net.anvil.rpcUrl], { attempts: 2, baseDelayMs: 10 }),
    );
    const final = await finalSharedState(reader, deployment);
    expect(final.update.sequenceNumber).toBe(frozen.lastSequenceNumber);
    const bot = net.operator.bots!.bots[1]!;
    const input = parseEscapeInput(serializeEscapeFile(await net.operator.escapeFile(bot.positionId)));
    const checked = checkEscapeProof(input, final, {
      deployment,
      positionId: bot.positionId,
      starkKey: bot.keys.publicKey,
    });
    expect(checked.amount).toBeGreaterThan(0n);
  });
});
