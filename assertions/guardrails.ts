import { parseDuration, type Duration, type Guardrail } from '../core/index.ts';
import {
  availabilityQuery,
  capacityQuery,
  latencyQuantileQuery,
  replicaLagQuery,
  type LoadSelector,
} from './sli-queries.ts';

/** What every guardrail builder takes besides its threshold. */
interface GuardrailTiming {
  /** The breach must hold this long before the abort. Default `'0s'`. */
  for?: Duration;
  /** How often it is evaluated. Default `'1s'`. */
  every?: Duration;
}

/** Short enough to react within seconds, long enough to hold several k6 pushes at a 1 s push interval. */
const DEFAULT_LOOKBACK = '10s';

/** Aborts when the region's client-side availability over the last `over` (default 10 s) drops below `below` (0..1). */
export function availabilityGuardrail(
  name: string,
  opts: LoadSelector & GuardrailTiming & { below: number; over?: Duration },
): Guardrail {
  return withTiming(
    { name, query: availabilityQuery(opts, opts.over ?? DEFAULT_LOOKBACK), comparator: '<', threshold: opts.below },
    opts,
  );
}

/** Aborts when the region's latency `quantile` over the last `over` (default 10 s) exceeds `above`. */
export function latencyGuardrail(
  name: string,
  opts: LoadSelector & GuardrailTiming & { quantile: number; above: Duration; over?: Duration },
): Guardrail {
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
export function replicaLagGuardrail(name: string, opts: GuardrailTiming & { region: string; above: Duration }): Guardrail {
  return withTiming(
    { name, query: replicaLagQuery(opts.region), comparator: '>', threshold: parseDuration(opts.above, 'above') / 1_000 },
    opts,
  );
}

/** Aborts when fewer than `below` replicas of the service (every service when none is named) are up in the region. */
export function capacityGuardrail(
  name: string,
  opts: GuardrailTiming & { region: string; service?: string; below: number },
): Guardrail {
  return withTiming({ name, query: capacityQuery(opts.region, opts.service), comparator: '<', threshold: opts.below }, opts);
}

function withTiming(g: Guardrail, t: GuardrailTiming): Guardrail {
  return { ...g, ...(t.for !== undefined && { for: t.for }), ...(t.every !== undefined && { every: t.every }) };
}
