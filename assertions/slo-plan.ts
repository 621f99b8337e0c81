import { compare, formatDuration, parseDuration, type Comparator, type Duration, type PromSlo } from '../core/index.ts';
import { formatObjective, formatValue, type SloUnit } from './format.ts';
import {
  availabilityQuery,
  latencyQuantileQuery,
  replicaLagMaxQuery,
  secretReadsFailedQuery,
  staleReadShareQuery,
  throughputQuery,
  type LoadSelector,
} from './sli-queries.ts';
import { budgetSpentQuery } from './error-budget.ts';

/** Every SLO kind judged by one number over its window; RTO follows its own clock (see recovery.ts), alerts theirs. */
export type WindowedSlo = Exclude<PromSlo, { kind: 'rto' | 'alert' }>;

/**
 * How one SLO is judged over a window: the PromQL, how its raw answer maps to the reported value, and the test.
 * Built-in kinds are one instant query at the window's end whose range selector spans the window; a custom query
 * is a range query folded by its aggregate.
 */
export interface SloPlan {
  query: string;
  evaluation: { mode: 'instant' } | { mode: 'fold'; aggregate: 'max' | 'min' | 'avg' | 'last' };
  unit: SloUnit;
  objective: string;
  /** What is measured, for the reason sentence: `jkt availability`. */
  subject: string;
  /** Raw PromQL value → reported value in `unit`. */
  observe(raw: number): number;
  meets(raw: number): boolean;
  /** Why there may be no data, for the reason sentence. */
  noData: string;
}

export function planSlo(slo: WindowedSlo, windowMs: Duration): SloPlan {
  switch (slo.kind) {
    case 'availability': {
      const sel: LoadSelector = { region: slo.region, route: slo.route };
      return {
        query: availabilityQuery(sel, windowMs),
        evaluation: { mode: 'instant' },
        unit: '%',
        objective: formatObjective('>=', slo.objective * 100, '%'),
        subject: `${slo.region}${routeText(slo.route)} availability`,
        observe: (raw) => raw * 100,
        meets: (raw) => raw >= slo.objective,
        noData: noLoadData(sel),
      };
    }
    case 'latency': {
      const sel: LoadSelector = { region: slo.region, route: slo.route, outcome: slo.outcome };
      const objectiveS = parseDuration(slo.objective, 'objective') / 1_000;
      const what = slo.route ? `${slo.route}s` : 'requests';
      const who = slo.outcome ? ` of ${slo.outcome} ${what}` : slo.route ? ` of ${what}` : '';
      return {
        query: latencyQuantileQuery(sel, slo.quantile, windowMs),
        evaluation: { mode: 'instant' },
        unit: 's',
        objective: formatObjective('<=', objectiveS, 's'),
        subject: `${slo.region} p${+(slo.quantile * 100).toFixed(2)} latency${who}`,
        observe: (raw) => raw,
        meets: (raw) => raw <= objectiveS,
        noData: slo.outcome
          ? `no ${slo.outcome} ${slo.route ? `${slo.route} ` : ''}requests were recorded in region ${slo.region}, so there is no latency to judge`
          : noLoadData(sel),
      };
    }
    case 'throughput': {
      const sel: LoadSelector = { region: slo.region, route: slo.route };
      return {
        query: throughputQuery(sel, windowMs),
        evaluation: { mode: 'instant' },
        unit: 'req/s',
        objective: formatObjective('>=', slo.objective, 'req/s'),
        subject: `${slo.region}${routeText(slo.route)} throughput`,
        observe: (raw) => raw,
        meets: (raw) => raw >= slo.objective,
        noData: noLoadData(sel),
      };
    }
    case 'replicaLag': {
      const objectiveS = parseDuration(slo.objective, 'objective') / 1_000;
      return {
        query: replicaLagMaxQuery(slo.region, windowMs),
        evaluation: { mode: 'instant' },
        unit: 's',
        objective: formatObjective('<=', objectiveS, 's'),
        subject: `${slo.region} replica lag (max)`,
        observe: (raw) => raw,
        meets: (raw) => raw <= objectiveS,
        noData: `no service in region ${slo.region} reported its replication lag`,
      };
    }
    case 'freshness': {
      const staleAfter = formatValue(parseDuration(slo.staleAfter, 'staleAfter') / 1_000, 's');
      return {
        query: staleReadShareQuery(slo.region, slo.staleAfter, windowMs),
        evaluation: { mode: 'instant' },
        unit: '%',
        objective: formatObjective('<=', slo.objective * 100, '%'),
        subject: `${slo.region} share of reads older than ${staleAfter}`,
        observe: (raw) => raw * 100,
        meets: (raw) => raw <= slo.objective,
        noData:
          `no reads were recorded in region ${slo.region}, or ${staleAfter} is not a bucket bound of the ` +
          'read-staleness histogram',
      };
    }
    case 'errorBudget': {
      const sel: LoadSelector = { region: slo.region, route: slo.route };
      return {
        query: budgetSpentQuery(sel, slo, windowMs),
        evaluation: { mode: 'instant' },
        unit: '%',
        objective: formatObjective('<=', slo.objective * 100, '%'),
        subject: `${slo.region}${routeText(slo.route)} error budget spent (SLO ${+(slo.target * 100).toFixed(4)}% over ${formatDuration(parseDuration(slo.period, 'period'))})`,
        observe: (raw) => raw * 100,
        meets: (raw) => raw <= slo.objective,
        noData: noLoadData(sel),
      };
    }
    case 'secretReads': {
      const where = slo.region ? ` in ${slo.region}` : '';
      return {
        query: secretReadsFailedQuery(slo.region, windowMs),
        evaluation: { mode: 'instant' },
        unit: 'reads',
        objective: formatObjective(slo.comparator, slo.threshold, 'reads'),
        subject: `failed secret reads${where}`,
        // increase() extrapolates to the window's edges; a count of reads is a whole number.
        observe: (raw) => Math.round(raw),
        meets: (raw) => compare(Math.round(raw), slo.comparator as Comparator, slo.threshold),
        noData: `no secret agent${where} reported its reads (does this lab run a secret store?)`,
      };
    }
    case 'custom': {
      const unit = slo.unit ?? '';
      return {
        query: slo.query,
        evaluation: { mode: 'fold', aggregate: slo.aggregate },
        unit,
        objective: formatObjective(slo.comparator, slo.threshold, unit),
        subject: `the ${slo.aggregate} of the query`,
        observe: (raw) => raw,
        meets: (raw) => compare(raw, slo.comparator as Comparator, slo.threshold),
        noData: 'the query returned no samples',
      };
    }
  }
}

function routeText(route: string | undefined): string {
  return route ? ` ${route}` : '';
}

function noLoadData(sel: LoadSelector): string {
  return (
    `no k6 requests${routeText(sel.route)} from region ${sel.region} reached Prometheus ` +
    '(is load running there and remote-writing to this Prometheus?)'
  );
}
