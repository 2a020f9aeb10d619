import { createPublicClient, http } from 'viem';
import { RangeCheckError } from '../../src/index.js';
import { describeFailure, formatAnswer } from '../../src/l1/provider/index.js';

/*
 * The settings form's "Test" button (issue 17): one RPC asked for its chain id and head block, the
 * answer or the reason in one line. viem's http transport, as every other L1 read (no retries:
 * the user asked about this endpoint now); failures worded as the RPC layer words them (describeFailure, formatAnswer).
 */

export type RpcProbe = { chainId: number; head: bigint };

const HTTP_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/** eth_chainId and eth_blockNumber on `url`, within `timeoutMs` each; an error says which call failed and why. */
export async function probeRpc(url: unknown, timeoutMs = 10_000): Promise<RpcProbe> {
  if (typeof url !== 'string' || !HTTP_URL.test(url.trim())) throw new RangeCheckError('url', url, 'an http(s) URL');
  const client = createPublicClient({ transport: http(url.trim(), { timeout: timeoutMs, retryCount: 0 }) });
  const ask = async <T>(method: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      throw new Error(`${method}: ${formatAnswer(describeFailure(err))}`, { cause: err });
    }
  };
  const chainId = await ask('eth_chainId', () => client.getChainId());
  const head = await ask('eth_blockNumber', () => client.getBlockNumber({ cacheTime: 0 }));
  return { chainId, head };
}
