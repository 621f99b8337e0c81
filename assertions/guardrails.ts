import { parseDuration, type Duration, type Guardrail } from '../core/index.ts';
import {
  availabilityQuery,
  capacityQuery,
  latencyQuantileQuery,
  replicaLagQuery,
  type LoadSelector,
} from './sli-queries.ts';

/** What every guardrail builder takes besides its threshold. */
export interface GuardrailTiming {
  /** The breach must hold this long before the abort. Default `'0s'`. */
  for?: Duration;
  /** How often it is evaluated. Default `'1s'`. */
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
export function availabilityGuardrail(name: string, opts: AvailabilityGuardrailOptions): Guardrail {
  return withTiming(
    { name, query: availabilityQuery(opts, opts.over ?? DEFAULT_LOOKBACK), comparator: '<', threshold: opts.below },
    opts,
  );
}

/** Aborts when the region's latency `quantile` over the last `over` (default 10 s) exceeds `above`. */
export function latencyGuardrail(name: string, opts: LatencyGuardrailOptions): Guardrail {
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
export function replicaLagGuardrail(name: string, opts: ReplicaLagGuardrailOptions): Guardrail {
  return withTiming(
    { name, query: replicaLagQuery(opts.region), comparator: '>', threshold: parseDuration(opts.above, 'above') / 1_000 },
    opts,
  );
}

/** Aborts when fewer than `below` replicas of the service (every service when none is named) are up in the region. */
export function capacityGuardrail(name: string, opts: CapacityGuardrailOptions): Guardrail {
  return withTiming({ name, query: capacityQuery(opts.region, opts.service), comparator: '<', threshold: opts.below }, opts);
}

function withTiming(g: Guardrail, t: GuardrailTiming): Guardrail {
  return { ...g, ...(t.for !== undefined && { for: t.for }), ...(t.every !== undefined && { every: t.every }) };
}
