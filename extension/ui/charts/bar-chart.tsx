/**
 * A small bar chart in plain SVG (no chart library): one bar per value, oldest on the left, the
 * largest value the full height. Scaling to pixels is layout, not a figure: every figure it shows
 * (the labels, each bar's title) is given by the caller as it came from the service worker.
 */

export type Bar = {
  key: string;
  /** Undefined: no value for this slot (drawn as a gap, not as zero). */
  value: number | undefined;
  /** The bar's tooltip, e.g. "batch 12: 5 s after batch 11". */
  title: string;
};

const WIDTH = 300;
const HEIGHT = 60;

export function BarChart({ bars, label, testId }: { bars: Bar[]; label: string; testId: string }) {
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const step = bars.length ? WIDTH / bars.length : WIDTH;
  const width = Math.max(1, step * 0.8);
  return (
    <svg
      data-testid={testId}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={label}
      class="bar-chart"
    >
      <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} stroke="currentColor" stroke-opacity={0.4} />
      {bars.map((b, i) => {
        if (b.value === undefined) return null;
        // A zero is drawn one pixel high, so it reads as "0", not as missing.
        const h = max > 0 ? Math.max(1, (b.value / max) * (HEIGHT - 2)) : 1;
        return (
          <rect
            data-testid={`${testId}-bar`}
            data-value={String(b.value)}
            x={i * step}
            y={HEIGHT - h}
            width={width}
            height={h}
          >
            <title>{b.title}</title>
          </rect>
        );
      })}
    </svg>
  );
}
