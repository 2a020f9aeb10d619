import { useState } from 'preact/hooks';
import type { ExitFeeCap } from '../../../src/index.js';
import { call } from '../api.js';
import { ErrorLine } from '../components.js';
import { gwei } from '../format.js';

/** Exit settings: the fee cap (max fee per gas, gas-limit cap). */
export function FeeCapSettings({ cap, onSaved }: { cap: ExitFeeCap; onSaved: () => void }) {
  const [maxFee, setMaxFee] = useState(gwei(cap.maxFeePerGas));
  const [gasLimit, setGasLimit] = useState(String(cap.gasLimit));
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    setError(null);
    const m = /^(\d{1,9})(?:\.(\d{1,9}))?$/.exec(maxFee.trim());
    if (!m)
      return setError(`feeCap.maxFeePerGas: ${JSON.stringify(maxFee)} is not a number of gwei (up to 9 decimals)`);
    const wei = BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
    if (!/^\d{1,12}$/.test(gasLimit.trim()))
      return setError(`feeCap.gasLimit: ${JSON.stringify(gasLimit)} is not an integer`);
    call('exitConfigure', { settings: { feeCap: { maxFeePerGas: wei, gasLimit: BigInt(gasLimit.trim()) } } }).then(
      onSaved,
      (e: Error) => setError(e.message),
    );
  };
  return (
    <details>
      <summary>Fee cap</summary>
      <label>
        Max fee per gas (gwei){' '}
        <input
          data-testid="cap-max-fee"
          value={maxFee}
          onInput={(e) => setMaxFee((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <label>
        Gas limit cap{' '}
        <input
          data-testid="cap-gas-limit"
          value={gasLimit}
          onInput={(e) => setGasLimit((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <button data-testid="cap-save" onClick={save}>
        Save
      </button>
      <ErrorLine error={error} />
    </details>
  );
}
