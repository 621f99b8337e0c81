import { FaultlineError, formatDuration, type Comparator, type SloWindow } from '../core/index.ts';

/** Units SLO results are reported in. Ratios are reported in percent, the way objectives are written. */
export type SloUnit = '%' | 's' | 'req/s' | (string & {});

const SYMBOL: Record<Comparator, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };

/** `≥ 99%`, `≤ 2s`: the objective as a reader would write it. */
export function formatObjective(comparator: Comparator, threshold: number, unit: SloUnit): string {
  return `${SYMBOL[comparator]} ${formatValue(threshold, unit)}`;
}

/** A measured value with its unit: `99.52%`, `450ms`, `1m5s`, `19.8 req/s`. */
export function formatValue(value: number, unit: SloUnit): string {
  if (!Number.isFinite(value)) return `${value}${unit === '' ? '' : ` ${unit}`}`;
  if (unit === '%') return `${round(value, 3)}%`;
  if (unit === 's') return value < 0 ? `${round(value, 3)}s` : formatDuration(value * 1_000);
  return unit === '' ? `${round(value, 4)}` : `${round(value, 4)} ${unit}`;
}

export function round(value: number, digits: number): number {
  return +value.toFixed(digits);
}

const WINDOW_TEXT: Record<SloWindow, string> = {
  baseline: 'in the baseline',
  during: 'during the fault',
  after: 'after recovery',
  whole: 'over the whole run',
};

export function windowText(window: SloWindow): string {
  return WINDOW_TEXT[window];
}

/** The first line of an error, without the query and hint lines: short enough for a one-sentence reason. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0]!;
}

/** The same problem, its message prefixed with what it belongs to (`SLO "x": …`) so a user knows where to look. */
export function about(subject: string, error: FaultlineError): FaultlineError {
  const suffix = error.hint ? `\n  → ${error.hint}` : '';
  const message = suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
  return new FaultlineError(error.code, `${subject}: ${message}`, error.hint);
}
