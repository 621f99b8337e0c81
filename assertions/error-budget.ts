import { parseDuration, type Duration } from '../core/index.ts';
import { availabilityQuery, type LoadSelector } from './sli-queries.ts';

/**
 * Error-budget arithmetic, in PromQL. A service whose SLO is `target` availability over `period` may fail
 * (1 − target) of its requests over the period: that is its budget. Burn rate is the error ratio in budget units
 * (1 = spending exactly the budget over the period); the budget a span spends is burn × span / period.
 */
export interface ServiceSlo {
  /** e.g. 0.999 */
  target: number;
  /** e.g. '30d' */
  period: Duration;
}

/** Error ratio over `over` divided by the budget ratio: how many times faster than sustainable the budget burns. */
export function burnRateQuery(sel: LoadSelector, slo: ServiceSlo, over: Duration): string {
  return `(1 - (${availabilityQuery(sel, over)})) / ${budgetRatio(slo)}`;
}

/**
 * Share (0..1) of the period's budget spent over `over`, assuming the period's traffic runs at the window's rate:
 * burn rate × window / period. Same k6 requests as availability, so both SLOs judge the same events.
 */
export function budgetSpentQuery(sel: LoadSelector, slo: ServiceSlo, over: Duration): string {
  const windowS = parseDuration(over, 'window') / 1_000;
  const periodS = parseDuration(slo.period, 'period') / 1_000;
  return `${burnRateQuery(sel, slo, over)} * ${windowS} / ${periodS}`;
}

/** The burn rate at which `spend` (0..1) of the allowance would be gone within `window`: spend × allowance × period / window. */
export function burnRateThreshold(slo: ServiceSlo, allowance: number, spend: number, window: Duration): number {
  return (spend * allowance * parseDuration(slo.period, 'period')) / parseDuration(window, 'window');
}

/** `1 - target` written as PromQL sees it, without float noise (0.0010000000000000009). */
function budgetRatio(slo: ServiceSlo): string {
  return String(+(1 - slo.target).toPrecision(12));
}
