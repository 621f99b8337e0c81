import { describeShortfall, loadDelivered, type RegionDelivery } from './load-delivery.ts';
import type { LoadProfile } from './load-profile.ts';
import type { RequestWindows } from './request-window.ts';

/** The load generator itself fell short: a run that cannot deliver its load is ended early as inconclusive. */
export class LoadShortfall extends Error {
  override readonly name = 'LoadShortfall';
  constructor(readonly shortfall: RegionDelivery[]) {
    super(`the load generator was the limit: ${describeShortfall(shortfall, 'last 5 s')}`);
  }
}

/** How the generator is watched: over the last 5 s, every second; three short readings in a row end the run. */
const OVER_MS = 5_000;
const EVERY_MS = 1_000;
const SHORT_READINGS = 3;
/** Below this share of the asked rate the generator is short; looser than the verdict's bound, to act only on a clear case. */
const EARLY_BOUND = 0.9;
/** A request unanswered this long means the system under test is holding k6's VUs: then a shortfall is not k6's. */
const SUT_STALL_MS = 500;

/**
 * The guardrail on the generator: while load runs, every region's requests sent over the last 5 s against those
 * asked. A region short three readings in a row while none of its requests is stuck in the system under test means
 * k6 itself cannot keep up (CPU, VUs): `onShort` is called once and the watch stops. Returns the stop function.
 */
export function watchGenerator(requests: RequestWindows, profile: LoadProfile, onShort: (e: LoadShortfall) => void): () => void {
  const strikes = new Map<string, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    const ready = Object.keys(profile.regions).filter((r) => {
      const first = requests.firstSent(r);
      return first !== undefined && now - first >= OVER_MS;
    });
    const short = loadDelivered(requests, { ...profile, regions: Object.fromEntries(ready.map((r) => [r, profile.regions[r]!])) }, { start: now - OVER_MS, end: now }).filter((d) => {
      const stuck = requests.window({ region: d.region, windowMs: OVER_MS, stallAfterMs: SUT_STALL_MS }, now).stalled > 0;
      const isShort = d.ratio < EARLY_BOUND && !stuck;
      strikes.set(d.region, isShort ? (strikes.get(d.region) ?? 0) + 1 : 0);
      return isShort && strikes.get(d.region)! >= SHORT_READINGS;
    });
    if (short.length === 0) return;
    clearInterval(timer);
    onShort(new LoadShortfall(short));
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
