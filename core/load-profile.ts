import type { Duration } from './duration.ts';

/** Traffic for one region. One k6 scenario is generated per region, tagged `region`. */
export type RegionLoad =
  | {
      executor: 'constant-arrival-rate';
      /** Requests per second. */
      rate: number;
    }
  | {
      executor: 'ramping-arrival-rate';
      startRate: number;
      stages: { target: number; duration: Duration }[];
    }
  | {
      executor: 'constant-vus';
      vus: number;
    };

export interface LoadProfile {
  /** Region name → traffic for that region's ingress. */
  regions: Record<string, RegionLoad>;
  /** Share of requests that are writes (`POST /items`), 0..1. Default 0.2. */
  writeRatio: number;
  /** Total run length for constant executors. The engine sets it to cover the whole timeline. */
  duration?: Duration;
  /** Upper bound on VUs k6 may allocate per region for arrival-rate executors. Default 50. */
  maxVUs?: number;
  /** Per-request timeout the load generator applies. Default `'3s'`. */
  requestTimeout?: Duration;
  /** Distributed load (k6-operator): runner pods per region, one number for all or one per region. Default 1. */
  parallelism?: number | Record<string, number>;
}
