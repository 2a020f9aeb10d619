import { Warnings } from './notices.js';
import type { TypedDataView, Warning } from './types.js';

/** EIP-712 typed data: the grant it gives (if any), every hashed domain field, then the message. */
export function TypedData(props: { t: TypedDataView; warnings: Warning[] | undefined }) {
  const { t } = props;
  const d = t.domain;
  return (
    <>
      {t.grant ? (
        <p class="warning prominent" data-testid="typed-grant">
          {t.grant}
        </p>
      ) : null}
      <Warnings warnings={props.warnings} prominent />
      <h3>Domain</h3>
      {/* Every domain field that is hashed (issue 13); strings arrive with hidden characters escaped (src/wallet/display-text.ts). */}
      <dl class="decoded" data-testid="typed-domain">
        <dt>Name</dt>
        <dd data-testid="domain-name">{d.name ?? '—'}</dd>
        <dt>Version</dt>
        <dd data-testid="domain-version">{d.version ?? '—'}</dd>
        <dt>Chain id</dt>
        <dd data-testid="domain-chain-id">{d.chainId ?? '—'}</dd>
        <dt>Contract</dt>
        <dd data-testid="domain-verifying-contract">{d.verifyingContract ?? '—'}</dd>
        <dt>Salt</dt>
        <dd data-testid="domain-salt">{d.salt ?? '—'}</dd>
      </dl>
      <h3>
        Message: <span data-testid="typed-primary-type">{t.primaryType}</span>
      </h3>
      <dl class="decoded typed-fields" data-testid="typed-fields" data-kind={t.kind}>
        {t.fields.map((f) => (
          <>
            <dt title={f.type}>{f.name}</dt>
            <dd data-testid={`typed-field-${f.name}`}>{f.value}</dd>
          </>
        ))}
      </dl>
    </>
  );
}
