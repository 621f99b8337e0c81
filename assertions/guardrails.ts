import { parseDuration, type Duration, type PrometheusGuardrail, type RequestGuardrail, type RequestSignal } from '../core/index.ts';
import {
  availabilityQuery,
  capacityQuery,
  latencyQuantileQuery,
  replicaLagQuery,
  type LoadSelector,
} from './sli-queries.ts';

/** What every guardrail builder takes besides its threshold. */
export interface GuardrailTiming {
  /** The breach must hold this long before the abort. Default `'0s'` (PromQL), `'250ms'` (request stream). */
  for?: Duration;
  /** How often it is evaluated. Default `'1s'` (PromQL), `'100ms'` (request stream). */
  every?: Duration;
}

/** Short enough to react within seconds, long enough to hold several k6 pushes at a 1 s push interval. */
const DEFAULT_LOOKBACK = '10s';

/** Options of {@link availabilityGuardrail}. */
export interface AvailabilityGuardrailOptions extends LoadSelector, GuardrailTiming {
  /** Abort when availability (0..1) drops below this. */
  below: number;
  /** The lookback each reading covers. Default `'10s'`. */
  over?: Duration;
}

/** Options of {@link requestAvailabilityGuardrail}. */
export interface RequestAvailabilityGuardrailOptions extends GuardrailTiming {
  region: string;
  /** Only this route. Default: every request. */
  route?: 'read' | 'write';
  /** Abort when availability (0..1) drops below this. */
  below: number;
  /** The sliding window each reading covers. Default `'1s'`. */
  window?: Duration;
  /** Fewer requests than this (the window widened back up to 10 s) are no reading. Default 5. */
  minSamples?: number;
  /** A request unanswered this long counts as failed. Default `'500ms'`. */
  stallAfter?: Duration;
}

/** Options of {@link latencyGuardrail}. */
export interface LatencyGuardrailOptions extends LoadSelector, GuardrailTiming {
  quantile: number;
  /** Abort when the quantile exceeds this. */
  above: Duration;
  /** The lookback each reading covers. Default `'10s'`. */
  over?: Duration;
}

/** Options of {@link replicaLagGuardrail}. */
export interface ReplicaLagGuardrailOptions extends GuardrailTiming {
  region: string;
  /** Abort when the replica lags more than this. */
  above: Duration;
}

/** Options of {@link capacityGuardrail}. */
export interface CapacityGuardrailOptions extends GuardrailTiming {
  region: string;
  /** Default: every service in the region. */
  service?: string;
  /** Abort when fewer replicas than this are up. */
  below: number;
}

/** Aborts when the region's client-side availability over the last `over` (default 10 s) drops below `below` (0..1). */
export function availabilityGuardrail(name: string, opts: AvailabilityGuardrailOptions): PrometheusGuardrail {
  return withTiming(
    { name, query: availabilityQuery(opts, opts.over ?? DEFAULT_LOOKBACK), comparator: '<', threshold: opts.below },
    opts,
  );
}

/**
 * Aborts when the region's availability as k6 itself sees it, request by request, drops below `below` (0..1): read
 * from the request stream every 100 ms over a 1 s window, a request unanswered for 500 ms counting as failed, at least
 * 5 requests per reading, held 250 ms (REQUEST_GUARDRAIL_DEFAULTS). A frozen region is caught in about a second.
 * Where the load generator streams no requests (k6-operator), the same floor is read from Prometheus over the last
 * 10 s, held 3 s.
 */
export function requestAvailabilityGuardrail(name: string, opts: RequestAvailabilityGuardrailOptions): RequestGuardrail {
  const requests: RequestSignal = {
    sli: 'availability',
    region: opts.region,
    ...(opts.route && { route: opts.route }),
    ...(opts.window !== undefined && { window: opts.window }),
    ...(opts.minSamples !== undefined && { minSamples: opts.minSamples }),
    ...(opts.stallAfter !== undefined && { stallAfter: opts.stallAfter }),
  };
  const fallback = { query: availabilityQuery({ region: opts.region, route: opts.route }, DEFAULT_LOOKBACK), for: FALLBACK_FOR };
  return withTiming({ name, requests, fallback, comparator: '<', threshold: opts.below }, opts);
}

/** How long the Prometheus fallback of a request guardrail must breach: its 10 s window already smooths a blip. */
const FALLBACK_FOR = '3s';

/** Aborts when the region's latency `quantile` over the last `over` (default 10 s) exceeds `above`. */
export function latencyGuardrail(name: string, opts: LatencyGuardrailOptions): PrometheusGuardrail {
  return withTiming(
    {
      name,
      query: latencyQuantileQuery(opts, opts.quantile, opts.over ?? DEFAULT_LOOKBACK),
      comparator: '>',
      threshold: parseDuration(opts.above, 'above') / 1_000,
    },
    opts,
  );
}

/** Aborts when the region's replica lags more than `above`. */
export function replicaLagGuardrail(name: string, opts: ReplicaLagGuardrailOptions): PrometheusGuardrail {
  return withTiming(
    { name, query: replicaLagQuery(opts.region), comparator: '>', threshold: parseDuration(opts.above, 'above') / 1_000 },
    opts,
  );
}

/** Aborts when fewer than `below` replicas of the service (every service when none is named) are up in the region. */
export function capacityGuardrail(name: string, opts: CapacityGuardrailOptions): PrometheusGuardrail {
  return withTiming({ name, query: capacityQuery(opts.region, opts.service), comparator: '<', threshold: opts.below }, opts);
}

function withTiming<G extends PrometheusGuardrail | RequestGuardrail>(g: G, t: GuardrailTiming): G {
  return { ...g, ...(t.for !== undefined && { for: t.for }), ...(t.every !== undefined && { every: t.every }) };
}
