import type { Duration, Guardrail } from '../core/index.ts';
import { burnRateQuery, burnRateThreshold, type ServiceSlo } from './error-budget.ts';
import type { LoadSelector } from './sli-queries.ts';

/**
 * One multi-window alert condition of the SRE workbook: the burn rate over `long` and over `short` (≈ long / 12, so
 * the condition clears soon after the burn stops) must both exceed the threshold.
 */
export interface BurnWindowPair {
  long: Duration;
  short: Duration;
  /** Share (0..1) of the game day's allowance that, if spent within `long` at the current burn, aborts the run. */
  spend: number;
}

/**
 * The workbook pages when 2 % of a 30-day budget would go in 1 h, or 5 % in 6 h. A game day lasts minutes and has
 * an allowance (say 2 % of the period's budget), so the same two conditions are scaled to it: abort when the
 * current burn would spend 10 % of the allowance within a minute (fast), or 25 % within five (slow).
 */
export const GAME_DAY_BURN_PAIRS: readonly BurnWindowPair[] = [
  { long: '1m', short: '5s', spend: 0.1 },
  { long: '5m', short: '25s', spend: 0.25 },
];

export interface BurnRateGuardrailOptions extends LoadSelector, ServiceSlo {
  /** Share (0..1) of the period's budget the game day may spend, e.g. 0.02: the errorBudget SLO's objective. */
  allowance: number;
  /** Default {@link GAME_DAY_BURN_PAIRS}. */
  pairs?: readonly BurnWindowPair[];
  /** How often each is evaluated. Default `'1s'`. */
  every?: Duration;
}

/**
 * Multi-window, multi-burn-rate guardrails: one per window pair, each reading min(burn over long, burn over short)
 * so that it trips only when both windows burn too fast. The thresholds are burn rates (budget units).
 */
export function burnRateGuardrails(name: string, opts: BurnRateGuardrailOptions): Guardrail[] {
  const slo: ServiceSlo = { target: opts.target, period: opts.period };
  return (opts.pairs ?? GAME_DAY_BURN_PAIRS).map((pair) => ({
    name: `${name} (${pair.long}/${pair.short})`,
    // clamp_max(L, S) is min(L, S): both burn rates above the threshold, the workbook's AND of two windows.
    query: `clamp_max(${burnRateQuery(opts, slo, pair.long)}, scalar(${burnRateQuery(opts, slo, pair.short)}))`,
    comparator: '>',
    threshold: +burnRateThreshold(slo, opts.allowance, pair.spend, pair.long).toPrecision(6),
    ...(opts.every !== undefined && { every: opts.every }),
  }));
}
