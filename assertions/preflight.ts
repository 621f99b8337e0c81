import {
  isEvidenceSlo,
  type PromSlo,
  FaultlineError,
  formatDuration,
  isFaultlineError,
  K6Metrics,
  Labels,
  parseDuration,
  SecretStoreMetrics,
  ServiceMetrics,
  type Duration,
  type Guardrail,
  type SloSpec,
} from '../core/index.ts';
import { about } from './format.ts';
import type { PrometheusClient, Sample } from './prometheus-client.ts';
import {
  capacityTargetsQuery,
  latencyQuantileQuery,
  bucketBound,
  replicaLagQuery,
  staleBucketBoundsQuery,
  throughputQuery,
} from './sli-queries.ts';
import { alertFiringQuery, alertRuleProblems, type AlertSlo } from './alert-slo.ts';
import { rtoSliQuery } from './rto.ts';
import { planSlo } from './slo-plan.ts';
import { duplicateGuardrails, guardrailProblems, judgeProblems, shapeProblems } from './slo-validation.ts';

export interface PreflightOptions {
  /** How far back "data now" may look, in ms. */
  probeWindowMs: number;
  /** Also demand data from SLIs the load generator feeds, and from custom SLOs and guardrails. */
  checkLoadData: boolean;
}

/**
 * Every problem preflight can find, all at once, so a user fixes them in one pass: an unreachable Prometheus,
 * queries that do not parse, SLIs without data now, and input only the judge can see is wrong (an RTO without the
 * threshold it needs, a staleAfter that is no bucket bound). Every message names its SLO or guardrail.
 * Input mistakes core's validateScenario reports are not repeated here.
 */
export async function preflight(
  client: PrometheusClient,
  slos: SloSpec[],
  guardrails: Guardrail[],
  options: PreflightOptions,
): Promise<FaultlineError[]> {
  const problems = duplicateGuardrails(guardrails);
  const judgeable = slos.filter((slo): slo is PromSlo => {
    // Judged from the run's own evidence after recovery; Prometheus has nothing to check for them.
    if (isEvidenceSlo(slo)) return false;
    // Shape problems are core's validateScenario's to report; an SLO with one cannot be queried, so it is skipped.
    if (shapeProblems(slo).length > 0) return false;
    const found = judgeProblems(slo);
    problems.push(...found);
    return found.length === 0;
  });
  // A request-stream guardrail reads no PromQL, except its fallback where the load generator streams nothing.
  const watchable = guardrails.flatMap((g) => {
    const found = guardrailProblems(g);
    problems.push(...found);
    const query = g.query ?? g.fallback?.query;
    return found.length === 0 && query?.trim() ? [{ name: g.name, query }] : [];
  });

  try {
    await client.ping();
  } catch (e) {
    if (!isFaultlineError(e)) throw e;
    // Nothing else can be checked against a Prometheus that does not answer.
    return [...problems, e];
  }
  for (const slo of judgeable) problems.push(...(await probe(client, `SLO "${slo.name}"`, sloProbe(slo, options), options)));
  // A lease SLO is judged from the run's requests, but the lease it times comes from the region's secret agent.
  for (const slo of slos.filter((s): s is Extract<SloSpec, { kind: 'secretLease' }> => s.kind === 'secretLease')) {
    problems.push(...(await probe(client, `SLO "${slo.name}"`, secretLeaseProbe(slo.region), options)));
  }
  try {
    problems.push(...(await alertRuleProblems(client, judgeable.filter((s): s is AlertSlo => s.kind === 'alert'))));
  } catch (e) {
    if (!isFaultlineError(e)) throw e;
    problems.push(about('alerting rules', e));
  }
  for (const g of watchable) {
    const p: Probe = { parse: [g.query], query: g.query, fedByLoad: true, single: true, missing: guardrailMissing };
    problems.push(...(await probe(client, `guardrail "${g.name}"`, p, options)));
  }
  return problems;
}

/** What preflight asks of one SLI: queries that must parse, and one that must return data now. */
interface Probe {
  parse: string[];
  query: string;
  /** Data only flows while k6 runs (or, for user PromQL, faultline cannot tell). */
  fedByLoad: boolean;
  /** User PromQL: must come back as one series. */
  single: boolean;
  missing: { message: string; hint: string };
  /** A more precise diagnosis when there is no data. */
  explain?: (client: PrometheusClient) => Promise<FaultlineError | undefined>;
}

async function probe(client: PrometheusClient, subject: string, p: Probe, options: PreflightOptions): Promise<FaultlineError[]> {
  try {
    for (const q of p.parse) await client.checkSyntax(q);
    const explained = await p.explain?.(client);
    if (explained) return [about(subject, explained)];
    if (p.fedByLoad && !options.checkLoadData) return [];
    const samples = (await client.query(p.query)).filter((s) => !Number.isNaN(s.value));
    if (p.single && samples.length > 1) return [about(subject, manySeries(p.query, samples))];
    if (samples.length === 0) {
      const message = `${p.missing.message} (over the last ${formatDuration(options.probeWindowMs)})\n  query: ${p.query}`;
      return [new FaultlineError('FAULTLINE_NO_DATA', `${subject}: ${message}`, p.missing.hint)];
    }
    return [];
  } catch (e) {
    if (!isFaultlineError(e)) throw e;
    return [about(subject, e)];
  }
}

const LOAD_HINT =
  'start load in that region (k6 must remote-write to this Prometheus), or fix the region/route name';

function sloProbe(slo: PromSlo, options: PreflightOptions): Probe {
  const w = options.probeWindowMs;
  const own = slo.kind === 'rto' ? undefined : slo.kind === 'alert' ? alertFiringQuery(slo.alert) : planSlo(slo, w).query;
  const base = { parse: own ? [own] : [], single: false };
  switch (slo.kind) {
    case 'availability':
    case 'throughput':
    case 'errorBudget':
      return {
        ...base,
        query: throughputQuery({ region: slo.region, route: slo.route }, w),
        fedByLoad: true,
        missing: loadMissing(slo.region, slo.route),
      };
    case 'latency':
      // Without the outcome filter: a healthy system has no failed requests to time, and that is fine.
      return {
        ...base,
        query: latencyQuantileQuery({ region: slo.region, route: slo.route }, slo.quantile, w),
        fedByLoad: true,
        missing: {
          message: `no request durations from region ${slo.region} in ${K6Metrics.duration}`,
          hint: `${LOAD_HINT}; k6 must send trends as native histograms (K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true) and Prometheus must run with --enable-feature=native-histograms`,
        },
      };
    case 'replicaLag':
      return { ...base, query: replicaLagQuery(slo.region), fedByLoad: false, missing: lagMissing(slo.region) };
    case 'freshness':
      return {
        ...base,
        query: own!,
        fedByLoad: true,
        missing: { message: `no reads with a recorded staleness in region ${slo.region}`, hint: LOAD_HINT },
        explain: (client) => staleBoundProblem(client, slo.region, slo.staleAfter),
      };
    case 'secretReads':
      return {
        ...base,
        query: own!,
        fedByLoad: false,
        missing: { message: `no secret agent${slo.region ? ` in region ${slo.region}` : ''} reports ${SecretStoreMetrics.reads}`, hint: 'check the region name; the lab runs a secret agent per region of a topology with a secret store' },
      };
    case 'custom':
      return {
        ...base,
        query: slo.query,
        fedByLoad: true,
        single: true,
        missing: { message: 'the query returns no data now', hint: 'check the metric and label names against Prometheus (its /graph page helps)' },
      };
    case 'alert':
      // The alert is not firing before the fault, so its series has no data now; the rule's existence is checked instead.
      return { ...base, query: 'vector(1)', fedByLoad: false, missing: { message: '', hint: '' } };
    case 'rto': {
      // The clock's own query must parse; the data check reads the same SLI over the probe window.
      const parse = [rtoSliQuery(slo, w)];
      if (slo.sli === 'replicaLag') {
        return { ...base, parse, query: replicaLagQuery(slo.region), fedByLoad: false, missing: lagMissing(slo.region) };
      }
      if (slo.sli === 'leader') {
        return {
          ...base,
          parse,
          query: parse[0]!,
          fedByLoad: false,
          missing: { message: `no node of secret store "${slo.store}" in ${slo.region} reports ${SecretStoreMetrics.active}`, hint: 'check the store name and the region (one where the store has nodes); Prometheus scrapes every Vault node of the lab (job vault)' },
        };
      }
      if (slo.sli === 'capacity') {
        const who = `region ${slo.region}${slo.service ? `, service ${slo.service}` : ''}`;
        return {
          ...base,
          parse,
          query: capacityTargetsQuery(slo.region, slo.service),
          fedByLoad: false,
          missing: { message: `no service replica is scraped for ${who}`, hint: 'check the region and service names against the topology' },
        };
      }
      return { ...base, parse, query: throughputQuery({ region: slo.region }, w), fedByLoad: true, missing: loadMissing(slo.region) };
    }
  }
}

function secretLeaseProbe(region: string): Probe {
  const query = `max(${SecretStoreMetrics.leaseExpiry}{${Labels.region}="${region}"})`;
  return {
    parse: [query],
    query,
    fedByLoad: false,
    single: false,
    missing: { message: `no secret agent in region ${region} reports ${SecretStoreMetrics.leaseExpiry}`, hint: 'check the region name; the lab runs a secret agent per region of a topology with a secret store' },
  };
}

function loadMissing(region: string, route?: string) {
  return { message: `no k6 requests from region ${region}${route ? ` (route ${route})` : ''}`, hint: LOAD_HINT };
}

function lagMissing(region: string) {
  return {
    message: `no service in region ${region} reports ${ServiceMetrics.replicationLag}`,
    hint: 'check the region name; the reference service exposes the lag gauge once it reaches its database',
  };
}

const guardrailMissing = {
  message: 'the query returns no data now',
  hint: 'a guardrail that cannot be read aborts the run: check metric and label names, and run preflight once load flows',
};

function manySeries(query: string, samples: Sample[]): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_BAD_PROMQL',
    `the query returns ${samples.length} series but must return one\n  query: ${query}`,
    'aggregate it to one number, e.g. wrap it in sum(…) or max(…)',
  );
}

/**
 * The staleness histogram has a fixed set of bucket bounds; a staleAfter between them would leave the SLO without
 * data for the whole run. Said now, with the bounds that do exist.
 */
async function staleBoundProblem(client: PrometheusClient, region: string, staleAfter: Duration): Promise<FaultlineError | undefined> {
  const bounds = await client.query(staleBucketBoundsQuery(region));
  if (bounds.length === 0) return undefined;
  const wanted = parseDuration(staleAfter, 'staleAfter') / 1_000;
  const available = bounds.map((b) => bucketBound(b.labels)).filter(Number.isFinite).sort((a, b) => a - b);
  if (available.includes(wanted)) return undefined;
  return new FaultlineError(
    'FAULTLINE_BAD_INPUT',
    `staleAfter ${wanted}s is not a bucket bound of ${ServiceMetrics.readStaleness} (bounds: ${available.join(', ')})`,
    'pick one of those bounds for staleAfter, or add the bound to the service histogram',
  );
}
