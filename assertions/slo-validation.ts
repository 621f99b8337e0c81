import { FaultlineError, isFaultlineError, parseDuration, type Duration, type Guardrail, type SloSpec } from '../core/index.ts';

const WINDOWS = new Set(['baseline', 'during', 'after', 'whole']);
const COMPARATORS = new Set(['<', '<=', '>', '>=', '==', '!=']);
const AGGREGATES = new Set(['max', 'min', 'avg', 'last']);

/** Default availability an RTO clock waits for when the SLO names no threshold. */
export const DEFAULT_RTO_AVAILABILITY = 0.99;

/** Problems in an SLO that need no Prometheus to find. Every message names the SLO. */
export function validateSlo(slo: SloSpec): FaultlineError[] {
  const problems: string[][] = [];
  const bad = (message: string, hint: string) => problems.push([message, hint]);
  const duration = (value: Duration, what: string) => {
    try {
      parseDuration(value, what);
    } catch (e) {
      if (!isFaultlineError(e)) throw e;
      bad(`${what} "${value}" is not a duration`, "write it as '500ms', '90s' or '2m'");
    }
  };
  const share = (value: number, what: string) => {
    if (!(value >= 0 && value <= 1)) bad(`${what} ${value} is not a share between 0 and 1`, 'write 0.99 for 99%');
  };

  if (!slo.name?.trim()) bad('an SLO has no name', 'give every SLO a unique name; it names the report step and the JUnit case');
  if (!WINDOWS.has(slo.window)) bad(`window "${slo.window}" is unknown`, 'use baseline, during, after or whole');
  if ('region' in slo && !slo.region?.trim()) bad('no region given', "name one of the topology's regions, e.g. jkt");

  switch (slo.kind) {
    case 'availability':
      share(slo.objective, 'objective');
      break;
    case 'latency':
      if (!(slo.quantile > 0 && slo.quantile < 1)) bad(`quantile ${slo.quantile} is not between 0 and 1`, 'write 0.95 for p95');
      duration(slo.objective, 'objective');
      break;
    case 'replicaLag':
      duration(slo.objective, 'objective');
      break;
    case 'freshness':
      duration(slo.staleAfter, 'staleAfter');
      share(slo.objective, 'objective');
      break;
    case 'throughput':
      if (!(slo.objective >= 0)) bad(`objective ${slo.objective} is not a request rate`, 'give requests per second, e.g. 50');
      break;
    case 'rto':
      duration(slo.objective, 'objective');
      if (slo.sli === 'availability' && slo.threshold !== undefined) share(slo.threshold, 'threshold');
      if (slo.sli === 'replicaLag' && !(slo.threshold !== undefined && slo.threshold >= 0)) {
        bad('a replicaLag RTO needs a threshold', 'give the lag in seconds the replica counts as caught up at, e.g. threshold: 5');
      }
      if (slo.sli === 'capacity' && slo.threshold !== undefined && !(slo.threshold >= 1)) {
        bad(`threshold ${slo.threshold} is not a replica count`, 'give how many replicas count as recovered, or leave it out for all');
      }
      break;
    case 'custom':
      if (!slo.query?.trim()) bad('the custom SLO has no query', 'give PromQL that returns one series');
      if (!COMPARATORS.has(slo.comparator)) bad(`comparator "${slo.comparator}" is unknown`, 'use <, <=, >, >=, == or !=');
      if (!AGGREGATES.has(slo.aggregate)) bad(`aggregate "${slo.aggregate}" is unknown`, 'use max, min, avg or last');
      if (!Number.isFinite(slo.threshold)) bad(`threshold ${slo.threshold} is not a number`, 'give the number to compare with');
      break;
  }
  return problems.map(([m, h]) => new FaultlineError('FAULTLINE_BAD_INPUT', `SLO "${slo.name}": ${m}`, h));
}

/** Problems in a guardrail that need no Prometheus to find. */
export function validateGuardrail(g: Guardrail): FaultlineError[] {
  const out: FaultlineError[] = [];
  const bad = (m: string, h: string) => out.push(new FaultlineError('FAULTLINE_BAD_INPUT', `guardrail "${g.name}": ${m}`, h));
  if (!g.name?.trim()) bad('a guardrail has no name', 'give every guardrail a unique name');
  if (!g.query?.trim()) bad('no query', 'give PromQL that returns one number, or use a builder such as availabilityGuardrail');
  if (!COMPARATORS.has(g.comparator)) bad(`comparator "${g.comparator}" is unknown`, 'use <, <=, >, >=, == or !=');
  if (!Number.isFinite(g.threshold)) bad(`threshold ${g.threshold} is not a number`, 'give the number to compare with');
  for (const key of ['for', 'every'] as const) {
    const value = g[key];
    if (value === undefined) continue;
    try {
      parseDuration(value, key);
    } catch {
      bad(`${key} "${value}" is not a duration`, "write it as '500ms', '10s' or '1m'");
    }
  }
  return out;
}

/** Names must be unique: they name report steps, JUnit cases and journal entries. */
export function duplicateNames(kind: 'SLO' | 'guardrail', names: string[]): FaultlineError[] {
  const seen = new Set<string>();
  const dupes = new Set(names.filter((n) => (seen.has(n) ? true : (seen.add(n), false))));
  return [...dupes].map(
    (n) => new FaultlineError('FAULTLINE_BAD_INPUT', `${kind} name "${n}" is used more than once`, `rename one; ${kind} names must be unique`),
  );
}
