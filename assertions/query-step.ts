/** Prometheus refuses a range query whose range/step exceeds this many points per series. */
export const MAX_POINTS_PER_SERIES = 11_000;

/**
 * The step of a range query, in milliseconds: the requested one (or the floor) made coarse enough that the answer
 * never has more than Prometheus's 11,000 points per series, and never finer than `minStepMs`, because samples finer than
 * the scrape interval only repeat the same value.
 */
export function chooseStep(rangeMs: number, minStepMs: number, requestedMs?: number): number {
  // floor(range/step) + 1 points, both ends included: the finest step keeping that within the limit.
  const finest = Math.floor(Math.max(0, rangeMs) / MAX_POINTS_PER_SERIES) + 1;
  const floor = Math.max(1, Math.ceil(minStepMs), finest);
  return Math.max(floor, Math.ceil(requestedMs ?? 0));
}
