import { parseDuration } from './duration.ts';
import type { LoadProfile, RegionLoad } from './load-profile.ts';
import type { RequestWindows } from './request-window.ts';
import type { SloResult, SloSpec, TimeRange } from './slo.ts';
import type { RunWindows } from './slo-judge.ts';

/**
 * A window whose region got less than this share of the requests its profile asked for was not tested at the load
 * the scenario promised: its passes are not passes (README, "Safety"). 95 % leaves room for the ±1 request a window
 * edge can cut; below it the load generator fell short (CPU, VUs), not the system under test.
 */
export const LOAD_DELIVERED_BOUND = 0.95;
/** Fewer requests asked than this in a window cannot tell a shortfall from a window edge: not checked. */
const MIN_ASKED = 20;

/** One region's load in one window: requests sent against requests asked. */
export interface RegionDelivery {
  region: string;
  sent: number;
  asked: number;
  /** sent / asked. */
  ratio: number;
}

/** The load each arrival-rate region got in `range`, from the request stream. VU-based load asks no rate: left out. */
export function loadDelivered(requests: RequestWindows, profile: LoadProfile, range: TimeRange): RegionDelivery[] {
  const out: RegionDelivery[] = [];
  for (const [region, load] of Object.entries(profile.regions)) {
    const start = requests.firstSent(region);
    const asked = askedBetween(load, start, range);
    if (asked === undefined || asked < MIN_ASKED) continue;
    const sent = requests.sentBetween(region, range.start, range.end);
    out.push({ region, sent, asked: Math.round(asked), ratio: sent / asked });
  }
  return out;
}

/**
 * Passes of a window whose load fell short become inconclusive: the report says the load generator was the limit.
 * A fail stays a fail (the system broke its objective under less load than asked), with the shortfall noted.
 */
export function judgeLoadDelivered(
  results: SloResult[],
  specs: SloSpec[],
  windows: Pick<RunWindows, SloResult['window']>,
  delivered: (range: TimeRange) => RegionDelivery[],
): SloResult[] {
  const memo = new Map<string, RegionDelivery[]>();
  return results.map((r) => {
    const spec = specs.find((s) => s.name === r.name);
    // An SLO on one region needs that region's load; one on no region (custom PromQL) needs every region's.
    const region = spec && 'region' in spec ? spec.region : undefined;
    const range = windows[r.window];
    const key = `${range.start}-${range.end}`;
    if (!memo.has(key)) memo.set(key, delivered(range));
    const short = memo.get(key)!.filter((d) => d.ratio < LOAD_DELIVERED_BOUND && (region === undefined || d.region === region));
    if (short.length === 0) return r;
    const why = `the load generator was the limit: ${describeShortfall(short, r.window)}`;
    if (r.verdict !== 'pass') return { ...r, reason: `${r.reason} (${why})` };
    return { ...r, verdict: 'inconclusive', loadShort: true, reason: `${why}; a pass without the load the scenario promised is not a pass (bound: ${LOAD_DELIVERED_BOUND * 100}% delivered).` };
  });
}

export function describeShortfall(short: RegionDelivery[], window: string): string {
  return short
    .map((d) => `${d.region} got ${d.sent} of the ${d.asked} requests asked in the ${window} window (${Math.round(d.ratio * 1000) / 10}%, ${Math.max(0, d.asked - d.sent)} never sent)`)
    .join('; ');
}

/** Requests the profile asks of a region in `range`; `start` is when its k6 scenario began (ramps count from it). */
function askedBetween(load: RegionLoad, start: number | undefined, range: TimeRange): number | undefined {
  const seconds = (range.end - range.start) / 1_000;
  if (load.executor === 'constant-arrival-rate') return load.rate * seconds;
  if (load.executor !== 'ramping-arrival-rate' || start === undefined) return undefined;
  // The rate is piecewise linear from startRate through each stage's target, then held at the last target.
  const points: [number, number][] = [[start, load.startRate]];
  let t = start;
  for (const stage of load.stages) {
    t += parseDuration(stage.duration);
    points.push([t, stage.target]);
  }
  const rateAt = (at: number): number => {
    if (at <= start) return load.startRate;
    for (let i = 1; i < points.length; i++) {
      const [t1, r1] = points[i]!;
      const [t0, r0] = points[i - 1]!;
      if (at <= t1) return r0 + ((r1 - r0) * (at - t0)) / (t1 - t0 || 1);
    }
    return points.at(-1)![1];
  };
  // Trapezoids over every corner inside the range: exact for a piecewise-linear rate.
  const corners = [range.start, ...points.map(([pt]) => pt).filter((pt) => pt > range.start && pt < range.end), range.end];
  let total = 0;
  for (let i = 1; i < corners.length; i++) total += ((rateAt(corners[i - 1]!) + rateAt(corners[i]!)) / 2) * ((corners[i]! - corners[i - 1]!) / 1_000);
  return total;
}
