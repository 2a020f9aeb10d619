import type { Banner, Warning } from './types.js';

/** The verifier's critical alarms and a frozen exchange, above every StarkEx request. */
export function Banners(props: { alerts: Banner[] | undefined }) {
  const a = props.alerts ?? [];
  return a.length ? (
    <div data-testid="alarm-banners">
      {a.map((b) => (
        <p class="alarm-banner error" data-testid="alarm-banner" data-kind={b.kind}>
          {b.message}{' '}
          <a href="./exit.html" target="_blank" rel="noopener" data-testid="exit-link">
            Open the exit page
          </a>
        </p>
      ))}
    </div>
  ) : null;
}

export function Warnings(props: { warnings: Warning[] | undefined; prominent?: boolean }) {
  const w = props.warnings ?? [];
  return w.length ? (
    <ul class={props.prominent ? 'warnings prominent' : 'warnings'} data-testid="warnings">
      {w.map((x) => (
        <li data-code={x.code}>{x.message}</li>
      ))}
    </ul>
  ) : null;
}
