import { FaultlineError } from './errors.ts';

/** A span of time as humans write it: `'500ms'`, `'90s'`, `'2m'`, `'1h30m'`, `'30d'` (an SLO period), or a number of milliseconds. */
export type Duration = string | number;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** Parses a duration once, at the model's edge; everything past it works in milliseconds. */
export function parseDuration(value: Duration, what = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
    throw badDuration(String(value), what);
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = PART.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) throw badDuration(text, what);
  return total;
}

/** Milliseconds back to the shortest human form (`90000` → `'1m30s'`), for logs and reports. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1_000).toFixed(ms % 1_000 === 0 ? 0 : 1)}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1_000);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}

/** A PromQL range length of exactly `ms`: whole seconds when it is, else milliseconds, so no window is widened. */
export function toPromDuration(ms: number): string {
  const exact = Math.max(1, Math.round(ms));
  return exact % 1_000 === 0 ? `${exact / 1_000}s` : `${exact}ms`;
}

function badDuration(text: string, what: string): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_BAD_INPUT',
    `${what} "${text}" is not a duration`,
    "write it as a number with a unit, for example '500ms', '90s', '2m' or '1h30m'",
  );
}
