import {
  K6Metrics,
  Labels,
  SecretStoreMetrics,
  SECRET_STORE_JOB,
  SERVICE_JOB,
  ServiceMetrics,
  parseDuration,
  toPromDuration,
  type Duration,
  type Route,
} from '../core/index.ts';

/*
 * PromQL for every SLI faultline judges. Metric and label names come from core/metric-names.ts only, so a rename
 * there reaches every SLO and guardrail at once. The few names below are fixed by the tools, not by faultline.
 */

/** Prometheus's label names for a scrape job and a classic histogram bucket's upper bound. */
const JOB = 'job';
const BUCKET_BOUND = 'le';

/** Which client-side requests an SLI counts: one region's load, optionally one route and one outcome. */
export interface LoadSelector {
  region: string;
  route?: Route;
  outcome?: 'failed' | 'succeeded';
}

/** `{a="x",b="y"}` with values escaped for a PromQL string; undefined values are left out. */
export function matchers(labels: Record<string, string | undefined>, regex: Record<string, string> = {}): string {
  const parts = Object.entries(labels)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  for (const [k, v] of Object.entries(regex)) parts.push(`${k}=~"${escapeLabelValue(v)}"`);
  return `{${parts.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function loadMatchers(sel: LoadSelector, outcome = sel.outcome): string {
  const expected = outcome === undefined ? undefined : outcome === 'succeeded' ? 'true' : 'false';
  return matchers({ [Labels.region]: sel.region, [Labels.route]: sel.route, [Labels.expectedResponse]: expected });
}

/**
 * A range selector exactly as long as the window. Rounding up to whole seconds would pull up to a second of the
 * previous phase into the window: fault-time errors into "after recovery", for instance.
 */
function range(over: Duration): string {
  return `[${toPromDuration(parseDuration(over, 'window'))}]`;
}

/**
 * Share of requests that succeeded over `over` (0..1), client-side. When every request failed the success series
 * does not exist at all, so it defaults to 0 rather than turning a total outage into "no data"; no requests at
 * all still gives no data.
 */
export function availabilityQuery(sel: LoadSelector, over: Duration): string {
  const ok = `sum(increase(${K6Metrics.requests}${loadMatchers(sel, 'succeeded')}${range(over)}))`;
  const all = `sum(increase(${K6Metrics.requests}${loadMatchers(sel, undefined)}${range(over)}))`;
  return `(${ok} or vector(0)) / ${all}`;
}

/**
 * The `quantile` (0..1) of client-side request duration over `over`, in seconds, from k6's native histogram.
 * Native only, on purpose: k6's remote write sends trends either as a native histogram or as precomputed
 * percentile gauges, never as classic `_bucket` series, so a classic fallback would have nothing to read.
 * Needs Prometheus with `--enable-feature=native-histograms` (lab/components/prometheus.ts sets it).
 */
export function latencyQuantileQuery(sel: LoadSelector, quantile: number, over: Duration): string {
  return `histogram_quantile(${quantile}, sum(increase(${K6Metrics.duration}${loadMatchers(sel)}${range(over)})))`;
}

/** Achieved request rate (req/s) over `over`, client-side. */
export function throughputQuery(sel: LoadSelector, over: Duration): string {
  return `sum(rate(${K6Metrics.requests}${loadMatchers(sel)}${range(over)}))`;
}

/** Replication lag of the region's replica now, in seconds: the worst of what its service replicas report. */
export function replicaLagQuery(region: string): string {
  return `max(${ServiceMetrics.replicationLag}${matchers({ [Labels.region]: region })})`;
}

/** The highest replication lag seen over `over`, in seconds. */
export function replicaLagMaxQuery(region: string, over: Duration): string {
  return `max(max_over_time(${ServiceMetrics.replicationLag}${matchers({ [Labels.region]: region })}${range(over)}))`;
}

/**
 * Share of reads (0..1) served data older than `staleAfter`, over `over`. `staleAfter` must be one of the staleness
 * histogram's bucket bounds; otherwise the query has no data, which preflight reports.
 */
export function staleReadShareQuery(region: string, staleAfter: Duration, over: Duration): string {
  const name = ServiceMetrics.readStaleness;
  const sel = { [Labels.region]: region };
  const fresh = `sum(increase(${name}_bucket${matchers(sel, { [BUCKET_BOUND]: bucketBoundPattern(staleAfter) })}${range(over)}))`;
  const all = `sum(increase(${name}_count${matchers(sel)}${range(over)}))`;
  return `1 - ${fresh} / ${all}`;
}

/** The bucket bounds the read-staleness histogram has in `region`, one series per bound, labelled `le`. */
export function staleBucketBoundsQuery(region: string): string {
  return `count by (${BUCKET_BOUND}) (${ServiceMetrics.readStaleness}_bucket${matchers({ [Labels.region]: region })})`;
}

/** The numeric bound of a series returned by staleBucketBoundsQuery. */
export function bucketBound(labels: Record<string, string>): number {
  return Number(labels[BUCKET_BOUND]);
}

/**
 * A bucket bound as exposed: prom-client writes `5`, Prometheus 3 normalises it to `5.0`; both must match.
 */
function bucketBoundPattern(staleAfter: Duration): string {
  const seconds = String(parseDuration(staleAfter, 'staleAfter') / 1_000);
  const escaped = seconds.replace(/\./g, '\\.');
  return seconds.includes('.') ? escaped : `${escaped}(\\.0)?`;
}

/** Healthy (scraped, up) replicas of `service` in `region` now; every service of the region when none is named. */
export function capacityQuery(region: string, service?: string): string {
  return `sum(up${serviceMatchers(region, service)})`;
}

/** All known replicas (scrape targets), healthy or not: what "full capacity" means. */
export function capacityTargetsQuery(region: string, service?: string): string {
  return `count(up${serviceMatchers(region, service)})`;
}

function serviceMatchers(region: string, service?: string): string {
  return matchers({ [JOB]: SERVICE_JOB, [Labels.region]: region, [Labels.service]: service });
}

/**
 * Whether the secret store's cluster in `region` has an active leader now: the most any of its nodes there reports
 * of Vault's `core.active` gauge (1 on the leader). Only that region's nodes: the other regions run clusters of their
 * own, each always its own leader, which would hide the election. A killed leader's series goes stale at its next
 * failed scrape, so the value drops to 0 until another node is elected and reports 1.
 */
export function secretStoreLeaderQuery(store: string, region: string): string {
  return `max(${SecretStoreMetrics.active}${matchers({ [JOB]: SECRET_STORE_JOB, [Labels.store]: store, [Labels.region]: region })})`;
}

/** Secret reads the agents made that failed over `over` (all regions when none is named). */
export function secretReadsFailedQuery(region: string | undefined, over: Duration): string {
  return `sum(increase(${SecretStoreMetrics.reads}${matchers({ [Labels.region]: region, outcome: 'failed' })}${range(over)}))`;
}

/**
 * When the lease the region's agent held as its store went away at `lostAtMs` expires, epoch seconds (0 while it held
 * none): the latest expiry its gauge showed up to `visibleAfterMs` past that moment. No renewal completes once the
 * store is gone, but one completed just before reaches Prometheus only at the next scrape: read at the moment alone,
 * a CI run saw the lease 10 s shorter than the agent held it (the renewal before it) and failed a region that had
 * failed on time.
 */
export function secretLeaseExpiryAtQuery(region: string, lostAtMs: number, visibleAfterMs: number): string {
  const lookbackS = Math.round(10 + visibleAfterMs / 1000);
  return `max(max_over_time(${SecretStoreMetrics.leaseExpiry}${matchers({ [Labels.region]: region })}[${lookbackS}s] @ ${((lostAtMs + visibleAfterMs) / 1000).toFixed(3)}))`;
}
