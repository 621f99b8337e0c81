import { FaultlineError, parseDuration, type LoadProfile, type LoadSummary, type RegionLoad, type RegionLoadSummary } from '../core/index.ts';

/** The part of k6's handleSummary data faultline reads. */
export interface K6SummaryData {
  state?: { testRunDurationMs?: number };
  metrics: Record<string, { values: Record<string, number | null> }>;
}

export interface ParseK6SummaryOptions {
  /** The profile the run used: its regions are the ones reported, even a region that got no traffic at all. */
  profile: LoadProfile;
  /** Path of the raw file, carried into the summary for reports. */
  rawPath?: string;
}

/**
 * Reads per-region figures out of k6's summary data (what handleSummary receives). k6 aggregates across scenarios,
 * so the per-region figures come from the submetrics that buildK6Options declares thresholds on.
 */
export function parseK6Summary(raw: unknown, options: ParseK6SummaryOptions): LoadSummary {
  const data = asSummaryData(raw);
  const durationMs = data.state?.testRunDurationMs ?? 0;
  const regions = Object.entries(options.profile.regions).map(([region, load]) => regionSummary(data, region, load, durationMs));
  return { tool: 'k6', durationMs, regions, ...(options.rawPath ? { rawPath: options.rawPath } : {}) };
}

function regionSummary(data: K6SummaryData, region: string, load: RegionLoad, durationMs: number): RegionLoadSummary {
  const reqs = metric(data, `http_reqs{region:${region}}`);
  const failed = metric(data, `http_req_failed{region:${region}}`);
  const duration = metric(data, `http_req_duration{region:${region}}`);
  const dropped = metric(data, `dropped_iterations{scenario:${region}}`);
  const requests = num(reqs.count);
  const targetRate = meanTargetRate(load, durationMs);
  return {
    region,
    requests,
    // A k6 rate metric counts its true samples as "passes": here, requests that failed.
    failed: num(failed.passes),
    achievedRate: durationMs > 0 ? requests / (durationMs / 1_000) : 0,
    ...(targetRate === undefined ? {} : { targetRate }),
    droppedIterations: num(dropped.count),
    latencyMs: {
      avg: num(duration.avg),
      p50: num(duration.med),
      p95: num(duration['p(95)']),
      p99: num(duration['p(99)']),
      max: num(duration.max),
    },
  };
}

/**
 * The mean arrival rate a region's profile asks for over its first `elapsedMs`: the plain rate for constant
 * arrival, the time-weighted mean of the linear ramps for ramping arrival, undefined for VU-based load. Compared
 * with the achieved rate it tells whether the generator kept up, also for a run stopped early.
 */
export function meanTargetRate(load: RegionLoad, elapsedMs: number): number | undefined {
  if (load.executor === 'constant-arrival-rate') return load.rate;
  if (load.executor !== 'ramping-arrival-rate' || elapsedMs <= 0) return undefined;
  let from = load.startRate;
  let t = 0;
  let area = 0;
  for (const stage of load.stages) {
    if (t >= elapsedMs) break;
    const ms = parseDuration(stage.duration);
    if (ms > 0) {
      const span = Math.min(ms, elapsedMs - t);
      const reached = from + ((stage.target - from) * span) / ms;
      area += ((from + reached) / 2) * span;
      t += span;
    }
    from = stage.target;
  }
  // Past the last stage the generated options hold the last target.
  if (t < elapsedMs) area += from * (elapsedMs - t);
  return area / elapsedMs;
}

function asSummaryData(raw: unknown): K6SummaryData {
  if (typeof raw === 'object' && raw !== null && typeof (raw as K6SummaryData).metrics === 'object') return raw as K6SummaryData;
  throw new FaultlineError('FAULTLINE_HARNESS', 'the k6 summary is not k6 handleSummary data (no "metrics" object)', 'read the k6 log next to it');
}

function metric(data: K6SummaryData, name: string): Record<string, number | null> {
  const found = data.metrics[name];
  if (found) return found.values;
  throw new FaultlineError(
    'FAULTLINE_HARNESS',
    `the k6 summary has no "${name}"`,
    'run k6 with the options from buildK6Options: its per-region thresholds are what make k6 report per-region figures',
  );
}

/** k6 writes null for a statistic it could not compute (no samples); none of ours is meaningful then. */
function num(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
