import { orderSummary } from '../format.js';
import { Margin } from './margin.js';
import { TypedData } from './typed-data.js';
import { Warnings } from './notices.js';
import type { OrderView, RequestView } from './types.js';

/** The decoded request: the order's summary line first, its margin, then the raw fields folded. */
export function Rows(props: { rows: [string, string][] }) {
  return (
    <dl class="decoded">
      {props.rows.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd data-testid={`field-${k.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{v}</dd>
        </>
      ))}
    </dl>
  );
}

function Order(props: { o: OrderView }) {
  const { o } = props;
  return (
    <>
      <p class="summary" data-testid="order-summary">
        {orderSummary(o)}
      </p>
      <Warnings warnings={o.warnings} />
      <Margin margin={o.margin} market={o.market} />
      <details data-testid="signed-fields">
        <summary>Signed fields</summary>
        <Rows
          rows={[
            ['Market', o.market],
            ['Side', o.side],
            ['Size', o.size],
            ['Price', o.price],
            ['Notional', `${o.notional} USDC`],
            ['Max fee', `${o.maxFee} USDC`],
            ['Expiry', o.expiry],
            ['Position', o.positionId],
            ['Nonce', o.nonce],
          ]}
        />
      </details>
    </>
  );
}

export function Details(props: { r: RequestView }) {
  const { r } = props;
  if (r.error) return <p class="error">{r.error}</p>;
  if (r.order) return <Order o={r.order} />;
  if (r.fields) {
    return (
      <>
        <Rows rows={Object.entries(r.fields)} />
        <Warnings warnings={r.warnings} />
      </>
    );
  }
  if (r.typedData) return <TypedData t={r.typedData} warnings={r.warnings} />;
  if (r.personal) {
    const p = r.personal;
    return (
      <>
        <Warnings warnings={r.warnings} prominent />
        <p class="muted" data-testid="message-encoding" data-encoding={p.encoding}>
          {p.encoding === 'utf8' ? `Text (${p.bytes} bytes)` : `Binary data, shown as hex (${p.bytes} bytes)`}
        </p>
        <pre class="message" data-testid="message">
          {p.text}
        </pre>
      </>
    );
  }
  if (r.message)
    return (
      <pre class="message" data-testid="message">
        {r.message}
      </pre>
    );
  return <p>{r.summary}</p>;
}
