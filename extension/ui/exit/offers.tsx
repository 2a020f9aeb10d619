import { useState } from 'preact/hooks';
import type { ForcedTradeForm } from '../../../src/index.js';
import { call } from '../api.js';
import { ErrorLine } from '../components.js';

const EMPTY: ForcedTradeForm = {
  starkKeyA: '',
  positionIdA: '',
  positionIdB: '',
  market: 'ETH-USD',
  amountSynthetic: '',
  amountCollateral: '',
  direction: 'a-buys',
  nonce: '',
  validHours: '168',
};

/** One text field of the form, named by its field (the error names the same field). */
function Field(props: {
  name: keyof ForcedTradeForm;
  label: string;
  form: ForcedTradeForm;
  set: (f: ForcedTradeForm) => void;
}) {
  return (
    <label class="field">
      <span class="label">{props.label}</span>
      <input
        data-testid={`offer-${props.name}`}
        value={String(props.form[props.name] ?? '')}
        onInput={(e) => props.set({ ...props.form, [props.name]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
}

/** Party B: the trade as a form; Vigil checks each field, signs and gives the offer text and file. */
/** `markets`: the names the service worker knows (dYdX v3's table); it checks the chosen one again. */
function SignOffer({ markets }: { markets: string[] }) {
  const [form, setForm] = useState<ForcedTradeForm>(EMPTY);
  const [created, setCreated] = useState<{ text: string; file: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = () => {
    setCreated(null);
    call('exitOfferCreate', { form }).then(
      (r) => {
        setCreated(r);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  };
  return (
    <details data-testid="offer-form">
      <summary>Party B: sign an offer</summary>
      <Field name="starkKeyA" label="Party A's stark key (0x…)" form={form} set={setForm} />
      <Field name="positionIdA" label="Party A's position id" form={form} set={setForm} />
      <Field name="positionIdB" label="Your position id" form={form} set={setForm} />
      <label class="field">
        <span class="label">Market</span>
        <select
          data-testid="offer-market"
          value={form.market}
          onChange={(e) => setForm({ ...form, market: (e.target as HTMLSelectElement).value })}
        >
          {markets.map((m) => (
            <option value={m}>{m}</option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="label">Direction</span>
        <select
          data-testid="offer-direction"
          value={form.direction}
          onChange={(e) =>
            setForm({ ...form, direction: (e.target as HTMLSelectElement).value as ForcedTradeForm['direction'] })
          }
        >
          <option value="a-buys">Party A buys from you</option>
          <option value="a-sells">Party A sells to you</option>
        </select>
      </label>
      <Field name="amountSynthetic" label={`Amount (${form.market.split('-')[0]})`} form={form} set={setForm} />
      <Field name="amountCollateral" label="For (USDC)" form={form} set={setForm} />
      <Field name="nonce" label="Nonce (empty: a random one)" form={form} set={setForm} />
      <Field name="validHours" label="Party A may submit it for (hours)" form={form} set={setForm} />
      <button data-testid="offer-create" onClick={create}>
        Sign offer
      </button>
      {created ? (
        <p>
          <code data-testid="offer-text">{created.text}</code>{' '}
          <a
            data-testid="offer-file-link"
            download="vigil-forced-trade-offer.json"
            href={`data:application/json,${encodeURIComponent(created.file)}`}
          >
            Save as file
          </a>
        </p>
      ) : null}
      <ErrorLine error={error} />
    </details>
  );
}

type Read = { text: string; signer: string; signerRegistered: boolean };

/** Party A: the offer pasted or loaded, its signer checked against party B's registered key, then submitted. */
function SubmitOffer({ onStarted }: { onStarted: () => void }) {
  const [pasted, setPasted] = useState('');
  const [read, setRead] = useState<Read | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new paste or read clears the previous result first: Submit must never send an offer read
  // before the one now in the box.
  const readOffer = (text: string) => {
    setRead(null);
    return call('exitOfferRead', { text }).then(
      (r) => {
        setRead(r);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  };
  return (
    <details data-testid="offer-submit">
      <summary>Party A: submit an offer</summary>
      <textarea
        data-testid="offer-paste"
        value={pasted}
        onInput={(e) => {
          setPasted((e.target as HTMLTextAreaElement).value);
          setRead(null);
        }}
      />
      <input
        type="file"
        data-testid="offer-file"
        onChange={(e) => void (e.target as HTMLInputElement).files?.[0]?.text().then(readOffer)}
      />
      <button data-testid="offer-read" onClick={() => void readOffer(pasted)}>
        Read offer
      </button>
      {read ? (
        <p data-testid="offer-read-result">
          Signed by <code data-testid="offer-signer">{read.signer}</code> —{' '}
          <span data-testid="offer-signer-check">
            {read.signerRegistered
              ? 'the Ethereum key L1 has registered for party B’s stark key'
              : 'NOT the Ethereum key L1 has registered for party B’s stark key'}
          </span>{' '}
          <button
            data-testid="offer-start"
            disabled={!read.signerRegistered}
            onClick={() =>
              void call('exitStart', { kind: 'trade', offer: read.text }).then(onStarted, (e: Error) =>
                setError(e.message),
              )
            }
          >
            Submit forced trade
          </button>
        </p>
      ) : null}
      <ErrorLine error={error} />
    </details>
  );
}

export function Offers({ onStarted, markets }: { onStarted: () => void; markets: string[] }) {
  return (
    <section>
      <h2>Forced trade</h2>
      <SignOffer markets={markets} />
      <SubmitOffer onStarted={onStarted} />
    </section>
  );
}
