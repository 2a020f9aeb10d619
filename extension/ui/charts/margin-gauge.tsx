import { decimal } from '../format.js';

/**
 * A small gauge of the margin ratio (total value / total risk) before and after an order, against
 * the maintenance threshold 1: below it the position is liquidatable (TV < TR, signing-risk.md
 * B1.5). The ratios arrive as exact decimal strings from the service worker; this only places them.
 *
 * Scale: r ↦ r / (r + 1), so 0 is the left end, the threshold 1 the middle and an unbounded ratio
 * (no risk held: `null`) the right end; a negative ratio (negative total value) sits at the left
 * end. Monotone, so the order of the two marks is the order of the ratios.
 */
const W = 300;
const PAD = 10;
const TRACK_Y = 30;
const TICKS: [number, string][] = [
  [0.5, '0.5'],
  [1, '1'],
  [2, '2'],
  [10, '10'],
];

export function gaugePosition(r: number | null): number {
  if (r === null) return 1;
  if (!(r > 0)) return 0;
  return Number.isFinite(r) ? r / (r + 1) : 1;
}

const x = (f: number) => PAD + f * (W - 2 * PAD);
const shown = (r: string | null) => (r === null ? 'no risk held' : decimal(r, 2));

export function MarginGauge(props: { before: string | null; after: string | null }) {
  const before = gaugePosition(props.before === null ? null : Number(props.before));
  const after = gaugePosition(props.after === null ? null : Number(props.after));
  const label = `Margin ratio before the order ${shown(props.before)}, after ${shown(props.after)}; the position is liquidatable below 1.`;
  return (
    <figure class="margin-gauge" data-testid="margin-gauge">
      <svg viewBox={`0 0 ${W} 56`} width={W} height={56} role="img" aria-label={label}>
        <title>{label}</title>
        {/* Liquidatable (ratio below 1) in red, the rest in green. */}
        <line x1={x(0)} y1={TRACK_Y} x2={x(0.5)} y2={TRACK_Y} stroke="#dc2626" stroke-width={6} />
        <line x1={x(0.5)} y1={TRACK_Y} x2={x(1)} y2={TRACK_Y} stroke="#16a34a" stroke-width={6} />
        {TICKS.map(([r, t]) => (
          <g>
            <line
              x1={x(gaugePosition(r))}
              x2={x(gaugePosition(r))}
              y1={TRACK_Y - 6}
              y2={TRACK_Y + 6}
              stroke="currentColor"
              stroke-width={r === 1 ? 2 : 1}
            />
            <text x={x(gaugePosition(r))} y={TRACK_Y + 20} font-size={10} text-anchor="middle" fill="currentColor">
              {t}
            </text>
          </g>
        ))}
        {/* Before: a hollow mark above the track; after: a filled mark below it. */}
        <path
          data-testid="gauge-mark-before"
          d={`M${x(before)},${TRACK_Y - 4} l-5,-9 h10 z`}
          fill="none"
          stroke="currentColor"
          stroke-width={1.5}
        />
        <path data-testid="gauge-mark-after" d={`M${x(after)},${TRACK_Y + 4} l-5,9 h10 z`} fill="#0369a1" />
        <text x={x(0)} y={10} font-size={10} fill="currentColor">
          liquidatable
        </text>
        <text x={x(1)} y={10} font-size={10} text-anchor="end" fill="currentColor">
          no risk
        </text>
      </svg>
      <figcaption>
        Margin ratio (value / risk): before <b data-testid="gauge-before">{shown(props.before)}</b>, after{' '}
        <b data-testid="gauge-after">{shown(props.after)}</b>; liquidatable below 1.
      </figcaption>
    </figure>
  );
}
