import { FaultlineError, parseDuration, type Duration, type Guardrail, type SloSpec } from '../core/index.ts';

const WINDOWS = new Set(['baseline', 'during', 'after', 'whole']);
const COMPARATORS = new Set(['<', '<=', '>', '>=', '==', '!=']);
const AGGREGATES = new Set(['max', 'min', 'avg', 'last']);

/** Default availability an RTO clock waits for when the SLO names no threshold. */
export const DEFAULT_RTO_AVAILABILITY = 0.99;

type Problem = [message: string, hint: string];

/**
 * Problems core's validateScenario also reports (objective ranges, quantiles, durations). The engine and the CLI run
 * it before preflight, so check() skips such an SLO rather than report the same mistake twice; judge() still turns
 * them into an inconclusive result with the reason.
 */
export function shapeProblems(slo: SloSpec): FaultlineError[] {
  const found: Problem[] = [];
  const share = (value: number, what: string) => {
    if (!(value >= 0 && value <= 1)) found.push([`${what} ${value} is not a share between 0 and 1`, 'write 0.99 for 99%']);
  };
  const duration = (value: Duration, what: string) => {
    const problem = durationProblem(value, what);
    if (problem) found.push(problem);
  };
  switch (slo.kind) {
    case 'availability':
      share(slo.objective, 'objective');
      break;
    case 'latency':
      if (!(slo.quantile > 0 && slo.quantile < 1)) found.push([`quantile ${slo.quantile} is not between 0 and 1`, 'write 0.95 for p95']);
      duration(slo.objective, 'objective');
      break;
    case 'replicaLag':
    case 'rto':
      duration(slo.objective, 'objective');
      break;
    case 'freshness':
      duration(slo.staleAfter, 'staleAfter');
      share(slo.objective, 'objective');
      break;
  }
  return found.map(([m, h]) => sloProblem(slo, m, h));
}

/** Problems only the judge knows about: what it needs to measure an SLO that core's shape checks let through. */
export function judgeProblems(slo: SloSpec): FaultlineError[] {
  const found: Problem[] = [];
  if (!WINDOWS.has(slo.window)) found.push([`window "${slo.window}" is unknown`, 'use baseline, during, after or whole']);
  switch (slo.kind) {
    case 'throughput':
      if (!(slo.objective >= 0)) found.push([`objective ${slo.objective} is not a request rate`, 'give requests per second, e.g. 50']);
      break;
    case 'rto':
      if (slo.sli === 'availability' && slo.threshold !== undefined && !(slo.threshold >= 0 && slo.threshold <= 1)) {
        found.push([`threshold ${slo.threshold} is not a share between 0 and 1`, 'write 0.99 for 99%']);
      }
      if (slo.sli === 'replicaLag' && !(slo.threshold !== undefined && slo.threshold >= 0)) {
        found.push(['a replicaLag RTO needs a threshold', 'give the lag in seconds at which the replica counts as caught up, e.g. threshold: 5']);
      }
      if (slo.sli === 'capacity' && slo.threshold !== undefined && !(slo.threshold >= 1)) {
        found.push([`threshold ${slo.threshold} is not a replica count`, 'give how many replicas count as recovered, or leave it out for all']);
      }
      break;
    case 'custom':
      if (!slo.query?.trim()) found.push(['the custom SLO has no query', 'give PromQL that returns one series']);
      found.push(...comparisonProblems(slo.comparator, slo.threshold));
      if (!AGGREGATES.has(slo.aggregate)) found.push([`aggregate "${slo.aggregate}" is unknown`, 'use max, min, avg or last']);
      break;
  }
  return found.map(([m, h]) => sloProblem(slo, m, h));
}

/** Everything that keeps an SLO from being judged. */
export function validateSlo(slo: SloSpec): FaultlineError[] {
  return [...shapeProblems(slo), ...judgeProblems(slo)];
}

/** Guardrail problems core does not check (it checks `for`, `every` and an empty query). */
export function guardrailProblems(g: Guardrail): FaultlineError[] {
  return comparisonProblems(g.comparator, g.threshold).map(
    ([m, h]) => new FaultlineError('FAULTLINE_BAD_INPUT', `guardrail "${g.name}": ${m}`, h),
  );
}

/** Guardrail names must be unique: they name journal entries and the abort message. Core checks SLO names. */
export function duplicateGuardrails(guardrails: Guardrail[]): FaultlineError[] {
  const seen = new Set<string>();
  const dupes = new Set(guardrails.map((g) => g.name).filter((n) => (seen.has(n) ? true : (seen.add(n), false))));
  return [...dupes].map(
    (n) => new FaultlineError('FAULTLINE_BAD_INPUT', `guardrail name "${n}" is used more than once`, 'rename one; guardrail names must be unique'),
  );
}

function comparisonProblems(comparator: string, threshold: number): Problem[] {
  const found: Problem[] = [];
  if (!COMPARATORS.has(comparator)) found.push([`comparator "${comparator}" is unknown`, 'use <, <=, >, >=, == or !=']);
  if (!Number.isFinite(threshold)) found.push([`threshold ${threshold} is not a number`, 'give the number to compare with']);
  return found;
}

function durationProblem(value: Duration, what: string): Problem | undefined {
  try {
    parseDuration(value, what);
    return undefined;
  } catch {
    return [`${what} "${value}" is not a duration`, "write it as '500ms', '90s' or '2m'"];
  }
}

function sloProblem(slo: SloSpec, message: string, hint: string): FaultlineError {
  return new FaultlineError('FAULTLINE_BAD_INPUT', `SLO "${slo.name}": ${message}`, hint);
}
