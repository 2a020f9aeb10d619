import type { PreparedL1Transaction } from '../../../src/index.js';
import { eth, gwei } from '../format.js';

/** What each exit transaction does, in words, on the confirmation sheet. */
const WHAT_IT_DOES: Record<PreparedL1Transaction['functionName'], string> = {
  forcedWithdrawalRequest:
    'Asks the exchange on L1 to pay this amount out of your position; the operator must serve it within the grace period, or anyone may freeze the exchange.',
  forcedTradeRequest:
    'Asks the exchange on L1 to execute the trade both parties signed; the operator must serve it within the grace period.',
  freezeRequest:
    'Freezes the exchange for everyone, for good: no more trading, deposits or normal withdrawals; users can only escape with a proof of their position.',
  verifyEscape: 'Proves your position against the frozen state (its Merkle path); needed once before the escape.',
  escape: 'Claims the value of your proven position from the frozen exchange, as a pending withdrawal to you.',
  withdraw: 'Moves your pending USDC from the exchange contract to your address.',
};

/**
 * The confirmation sheet of an L1 transaction (issue 17 item 4): what it does, from, to, gas × max
 * fee = at most so much ETH, the balance and whether it suffices. exitSend signs exactly this.
 */
export function PreparedView({ p }: { p: PreparedL1Transaction }) {
  const enough = p.balance >= p.maxCost;
  return (
    <table
      class="sheet"
      data-testid="prepared"
      data-nonce={String(p.nonce)}
      data-chain-id={String(p.chainId)}
      data-enough={String(enough)}
    >
      <tbody>
        <tr>
          <th>What it does</th>
          <td data-testid="tx-effect">
            <strong>{p.functionName}</strong>: {WHAT_IT_DOES[p.functionName]}
          </td>
        </tr>
        <tr>
          <th>From</th>
          <td>
            <code data-testid="tx-from">{p.from}</code> (your Vigil address)
          </td>
        </tr>
        <tr>
          <th>To</th>
          <td>
            <code data-testid="tx-to">{p.to}</code> (the exchange contract)
          </td>
        </tr>
        <tr>
          <th>Gas</th>
          <td>
            <span data-testid="gas-limit">{String(p.gas)}</span> gas (estimate {String(p.gasEstimate)}, cap{' '}
            {String(p.feeCap.gasLimit)}) × <span data-testid="max-fee">{gwei(p.maxFeePerGas)}</span> gwei max fee (base{' '}
            {gwei(p.baseFeePerGas)}, tip {gwei(p.maxPriorityFeePerGas)}; your cap{' '}
            <span data-testid="fee-cap">{gwei(p.feeCap.maxFeePerGas)}</span>) = at most{' '}
            <strong data-testid="max-cost">{eth(p.maxCost)}</strong> ETH
          </td>
        </tr>
        <tr>
          <th>Your balance</th>
          <td data-testid="tx-balance" class={enough ? '' : 'error'}>
            {eth(p.balance)} ETH — {enough ? 'enough' : 'not enough: send ETH to your address first'}
          </td>
        </tr>
        <tr>
          <th>Nonce, chain</th>
          <td>
            {String(p.nonce)}, chain {p.chainId}
          </td>
        </tr>
      </tbody>
    </table>
  );
}
