import type { Duration } from './duration.ts';
import type { RequestRoute } from './request-event.ts';
import type { Comparator } from './slo.ts';

/**
 * An abort condition watched all through the fault window. When the reading compared to `threshold` holds for
 * `for`, every fault is reverted at once and the run is marked aborted. A reading that cannot be taken twice in a
 * row fails closed: every fault reverted, the run inconclusive.
 */
export type Guardrail = PrometheusGuardrail | RequestGuardrail;

interface GuardrailBase {
  name: string;
  /** Abort when `value comparator threshold` is true. */
  comparator: Comparator;
  threshold: number;
  /**
   * The condition must hold this long before the abort. Default `'0s'` for a PromQL guardrail (its query already
   * spans a window), {@link REQUEST_GUARDRAIL_DEFAULTS}`.for` for a request-stream one.
   */
  for?: Duration;
  /**
   * How often it is evaluated. Default `'1s'` for a PromQL guardrail, {@link REQUEST_GUARDRAIL_DEFAULTS}`.every` for a
   * request-stream one. A PromQL read that takes longer than this has missed its deadline.
   */
  every?: Duration;
}

/** Read from Prometheus: PromQL that returns a single number. */
export interface PrometheusGuardrail extends GuardrailBase {
  /** PromQL returning a single number. assertions/ has builders for the common SLIs. */
  query: string;
  requests?: never;
}

/** Read from the load generator's request stream: milliseconds from a region failing to the harness knowing. */
export interface RequestGuardrail extends GuardrailBase {
  requests: RequestSignal;
  /**
   * Read instead when the load generator streams no requests (k6-operator runs in clusters), with its own timing.
   * Without one, such a run is refused at preflight.
   */
  fallback?: { query: string; for?: Duration; every?: Duration };
  query?: never;
}

/** What a request-stream guardrail reads, per region. */
export interface RequestSignal {
  /** `availability`: the share of requests answered OK (0..1); a request unanswered past `stallAfter` counts as failed. */
  sli: 'availability';
  region: string;
  /** Only this route. Default: every request. */
  route?: RequestRoute;
  /** The sliding window. Default {@link REQUEST_GUARDRAIL_DEFAULTS}`.window`. */
  window?: Duration;
  /**
   * Fewer requests than this are no reading: the window is widened back (up to 10 s) to hold them, so one failed
   * request never trips it. Default {@link REQUEST_GUARDRAIL_DEFAULTS}`.minSamples`.
   */
  minSamples?: number;
  /**
   * A request still unanswered this long counts as failed, before k6's own timeout ends it. Raise it above any
   * latency the scenario injects on purpose. Default {@link REQUEST_GUARDRAIL_DEFAULTS}`.stallAfter`.
   */
  stallAfter?: Duration;
}

/**
 * Defaults of a request-stream guardrail, chosen so that a region whose ingress freezes is caught in about a
 * second at 10 requests/s, and a clean run under load never trips (README, "Safety", for the measured figures).
 */
export const REQUEST_GUARDRAIL_DEFAULTS = {
  window: '1s',
  minSamples: 5,
  stallAfter: '500ms',
  for: '250ms',
  every: '100ms',
} as const satisfies Record<string, Duration | number>;

/** The longest a request guardrail's window is widened to find `minSamples`; fewer than that is no reading. */
export const REQUEST_GUARDRAIL_MAX_LOOKBACK: Duration = '10s';

/** Default `every` of a PromQL guardrail. */
export const PROMETHEUS_GUARDRAIL_EVERY: Duration = '1s';

export function isRequestGuardrail(g: Guardrail): g is RequestGuardrail {
  return g.requests !== undefined;
}
