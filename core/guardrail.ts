import type { Duration } from './duration.ts';
import type { Comparator } from './slo.ts';

/**
 * An abort condition watched all through the fault window. When `query` compared to `threshold` holds for `for`,
 * every fault is reverted at once and the run is marked aborted.
 */
export interface Guardrail {
  name: string;
  /** PromQL returning a single number. assertions/ has builders for the common SLIs. */
  query: string;
  /** Abort when `value comparator threshold` is true. */
  comparator: Comparator;
  threshold: number;
  /** The condition must hold this long before the abort. Default `'0s'`: the first breach aborts. */
  for?: Duration;
  /** How often the guardrail is evaluated. Default `'1s'`. */
  every?: Duration;
}
