import { FaultlineError, parseDuration, type LoadProfile, type RegionLoad } from '../core/index.ts';

/** The k6 options faultline generates: the subset of k6's `Options` it uses, as plain JSON. */
export interface K6Options {
  scenarios: Record<string, K6Scenario>;
  /**
   * Always-true thresholds on per-region submetrics. They exist only so that k6's end-of-test summary, which
   * otherwise aggregates across scenarios, carries per-region figures.
   */
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  /** System tags k6 attaches to every sample; `url` is left out because it would make one series per item id. */
  systemTags: string[];
  /** Tags on every sample of the run, e.g. `testid`, so Prometheus queries can isolate one run. */
  tags?: Record<string, string>;
  discardResponseBodies: boolean;
}

export type K6Scenario = {
  /** The exported script function each iteration calls. */
  exec: string;
  /** Scenario-level tags land on every HTTP sample of that scenario (not on `dropped_iterations`). */
  tags: { region: string };
} & (
  | { executor: 'constant-arrival-rate'; rate: number; timeUnit: '1s'; duration: string; preAllocatedVUs: number; maxVUs: number }
  | {
      executor: 'ramping-arrival-rate';
      startRate: number;
      timeUnit: '1s';
      stages: { target: number; duration: string }[];
      preAllocatedVUs: number;
      maxVUs: number;
    }
  | { executor: 'constant-vus'; vus: number; duration: string }
);

export interface K6OptionsInput {
  /** How long the load runs; wins over `profile.duration`. The engine passes the length of the whole timeline. */
  durationMs?: number;
  /** Tagged `testid` on every sample. */
  runId?: string;
  /** Script function every scenario runs. Default `'region'`, the gameday script's entry point. */
  exec?: string;
}

/** Default of `LoadProfile.maxVUs`. */
export const DEFAULT_MAX_VUS = 50;
/** Default of `LoadProfile.requestTimeout`. */
export const DEFAULT_REQUEST_TIMEOUT = '3s';
/** Iteration time assumed when pre-allocating VUs: a healthy loopback request takes a few ms, a slow one ~100 ms. */
const TYPICAL_ITERATION_S = 0.1;

const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'];
// k6's default system tags minus `url` (and tls_version/subproto/service, which plain HTTP never uses).
const SYSTEM_TAGS = ['proto', 'status', 'method', 'name', 'group', 'check', 'error', 'error_code', 'scenario', 'expected_response'];

/**
 * Turns a load profile into k6 options: one scenario per region, named after the region and tagged with it.
 * Pure; the script receives the result as JSON.
 */
export function buildK6Options(profile: LoadProfile, input: K6OptionsInput = {}): K6Options {
  const regions = Object.keys(profile.regions);
  if (regions.length === 0) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', 'the load profile has no regions', 'give load traffic for at least one region');
  }
  const durationMs = input.durationMs ?? (profile.duration === undefined ? undefined : parseDuration(profile.duration, 'load duration'));
  const timeoutS = parseDuration(profile.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT, 'requestTimeout') / 1_000;
  const cap = profile.maxVUs ?? DEFAULT_MAX_VUS;
  if (!Number.isInteger(cap) || cap < 1) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `maxVUs ${cap} is not a positive whole number`, 'set maxVUs to 1 or more, or leave it out (default 50)');
  }
  const exec = input.exec ?? 'region';
  const scenarios: Record<string, K6Scenario> = {};
  const thresholds: Record<string, string[]> = {};
  for (const region of regions) {
    scenarios[region] = scenarioFor(region, profile.regions[region]!, { durationMs, timeoutS, cap, exec });
    thresholds[`http_reqs{region:${region}}`] = ['count>=0'];
    thresholds[`http_req_failed{region:${region}}`] = ['rate>=0'];
    thresholds[`http_req_duration{region:${region}}`] = ['max>=0'];
    // k6 tags dropped_iterations with the scenario name only, never with the scenario's own tags.
    thresholds[`dropped_iterations{scenario:${region}}`] = ['count>=0'];
  }
  return {
    scenarios,
    thresholds,
    summaryTrendStats: TREND_STATS,
    systemTags: SYSTEM_TAGS,
    ...(input.runId ? { tags: { testid: input.runId } } : {}),
    discardResponseBodies: true,
  };
}

/**
 * VUs for an arrival-rate scenario. Arrival rate is an open model: to keep starting requests while the system under
 * test hangs (a partition), k6 needs rate × request-timeout VUs in flight; fewer, and it drops iterations instead of
 * recording the failures. Pre-allocation covers the healthy case only, since each VU costs memory.
 */
export function sizeVUs(peakRate: number, timeoutS: number, cap: number): { preAllocatedVUs: number; maxVUs: number } {
  const preAllocatedVUs = Math.min(cap, Math.max(2, Math.ceil(peakRate * TYPICAL_ITERATION_S)));
  const maxVUs = Math.min(cap, Math.max(preAllocatedVUs, Math.ceil(peakRate * timeoutS)));
  return { preAllocatedVUs, maxVUs };
}

function scenarioFor(
  region: string,
  load: RegionLoad,
  c: { durationMs: number | undefined; timeoutS: number; cap: number; exec: string },
): K6Scenario {
  const base = { exec: c.exec, tags: { region } };
  switch (load.executor) {
    case 'constant-arrival-rate':
      positive(load.rate, `${region}: rate`);
      return {
        ...base,
        executor: 'constant-arrival-rate',
        rate: load.rate,
        timeUnit: '1s',
        duration: k6Duration(requireDuration(c.durationMs, region)),
        ...sizeVUs(load.rate, c.timeoutS, c.cap),
      };
    case 'ramping-arrival-rate': {
      const stages = load.stages.map((s) => ({ target: s.target, ms: parseDuration(s.duration, `${region}: stage duration`) }));
      if (stages.length === 0) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `${region}: ramping-arrival-rate needs at least one stage`, 'add stages like { target: 50, duration: "30s" }');
      }
      for (const s of stages) positive(s.target, `${region}: stage target`, true);
      positive(load.startRate, `${region}: startRate`, true);
      // The engine sizes the run to cover the whole timeline; hold the last target so load does not stop mid-fault.
      const staged = stages.reduce((sum, s) => sum + s.ms, 0);
      if (c.durationMs !== undefined && c.durationMs > staged) stages.push({ target: stages.at(-1)!.target, ms: c.durationMs - staged });
      const peak = Math.max(load.startRate, ...stages.map((s) => s.target));
      return {
        ...base,
        executor: 'ramping-arrival-rate',
        startRate: load.startRate,
        timeUnit: '1s',
        stages: stages.map((s) => ({ target: s.target, duration: k6Duration(s.ms) })),
        ...sizeVUs(peak, c.timeoutS, c.cap),
      };
    }
    case 'constant-vus':
      if (!Number.isInteger(load.vus) || load.vus < 1) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `${region}: vus ${load.vus} is not a positive whole number`, 'set vus to 1 or more');
      }
      return { ...base, executor: 'constant-vus', vus: load.vus, duration: k6Duration(requireDuration(c.durationMs, region)) };
  }
}

function requireDuration(durationMs: number | undefined, region: string): number {
  if (durationMs === undefined || durationMs <= 0) {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      `${region}: a constant executor needs a run length, and none was given`,
      "set the profile's duration (for example '2m'), or let the engine pass the timeline's length",
    );
  }
  return durationMs;
}

function positive(value: number, what: string, zeroOk = false): void {
  if (Number.isFinite(value) && (zeroOk ? value >= 0 : value > 0)) return;
  throw new FaultlineError('FAULTLINE_BAD_INPUT', `${what} ${value} is not a ${zeroOk ? 'non-negative' : 'positive'} number`, 'rates are requests per second');
}

/** k6 reads '1500ms'; whole milliseconds keep the run length exact. */
function k6Duration(ms: number): string {
  return `${Math.round(ms)}ms`;
}
