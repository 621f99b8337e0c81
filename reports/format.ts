import { formatDuration } from '../core/index.ts';

/**
 * How reports print numbers. SLO results and series carry a `unit`; these are the units reports understand:
 * - `%` (or `percent`): a percentage, as assertions/ reports availability and freshness;
 * - `ratio`: a share 0..1, printed as a percentage (`0.9975` → `99.75%`);
 * - `s`, `ms`: durations, printed the way objectives are written (`1.8s`, `450ms`, `1m5s`);
 * - anything else (`req/s`, `replicas`, …) is printed after the number as given.
 */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return 'no data';
  switch (unit) {
    case 'ratio':
      return `${formatNumber(value * 100)}%`;
    case '%':
    case 'percent':
      return `${formatNumber(value)}%`;
    case 's':
      return value < 0 ? `${formatNumber(value)}s` : formatDuration(value * 1_000);
    case 'ms':
      return value < 0 ? `${formatNumber(value)}ms` : formatDuration(value);
    case '':
      return formatNumber(value);
    default:
      return `${formatNumber(value)} ${unit}`;
  }
}

/** A share of something: charts zoom in on these (99% vs 99.9% matters) and never draw them past 100%. */
export function shareCeiling(unit: string): number | undefined {
  return unit === 'ratio' ? 1 : unit === '%' || unit === 'percent' ? 100 : undefined;
}

/**
 * Up to three decimals, trailing zeros dropped. Three, not two: 98.999% must not print as 99.00% beside an
 * objective of ≥ 99%, or the table would show a failing SLO with a passing number.
 */
export function formatNumber(value: number): string {
  if (Math.abs(value) >= 1_000) return String(Math.round(value));
  return String(+value.toFixed(3));
}

/** Seconds since the run started, for tables and chart labels: `42.5s`. */
export function formatOffset(ms: number): string {
  return `${+(ms / 1_000).toFixed(1)}s`;
}
