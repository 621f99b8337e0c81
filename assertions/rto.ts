import { formatDuration, parseDuration, type RunWindows, type SloSpec, type TimeRange } from '../core/index.ts';
import { formatObjective, formatValue, windowText } from './format.ts';
import type { Judgement } from './judgement.ts';
import type { PrometheusClient } from './prometheus-client.ts';

/** The one read an RTO clock needs; the judge binds its deadline to it. */
export type RangeReader = Pick<PrometheusClient, 'queryRange'>;
import { findRecovery } from './recovery.ts';
import { availabilityQuery, capacityQuery, capacityTargetsQuery, replicaLagQuery, secretStoreLeaderQuery } from './sli-queries.ts';
import { DEFAULT_RTO_AVAILABILITY } from './slo-validation.ts';

export type RtoSlo = Extract<SloSpec, { kind: 'rto' }>;

/** RTO is measured at this resolution; the scrape and k6 push intervals bound it anyway. */
const RTO_STEP = '1s';

/**
 * Recovery time: from the fault's start (or revert) until the SLI is back within its threshold and stays there
 * until the window ends, read from a fine-step range query.
 * `lookback` is the rolling window of the availability SLI. A rolling availability turns healthy only once its
 * whole lookback is clean, so the recovery is dated to the start of that first clean lookback, never before the clock.
 */
export async function judgeRto(
  client: RangeReader,
  slo: RtoSlo,
  windows: RunWindows,
  lookback: number,
): Promise<Judgement> {
  const objectiveS = parseDuration(slo.objective, 'objective') / 1_000;
  const objective = formatObjective('<=', objectiveS, 's');
  const end = windows[slo.window].end;
  const fault = slo.fault === undefined ? windows.faults[0] : windows.faults.find((f) => f.name === slo.fault);
  const clockText = slo.from === 'faultStart' ? 'the fault started' : 'the fault was reverted';
  const base = { objective, unit: 's' };

  if (!fault) {
    const why = slo.fault === undefined ? 'no fault ran' : `no fault named "${slo.fault}" ran`;
    return { ...base, range: windows[slo.window], query: '', verdict: 'inconclusive', reason: `${why}, so the RTO clock never started.` };
  }
  const clock = slo.from === 'faultStart' ? fault.range.start : fault.range.end;
  const range: TimeRange = { start: clock, end };
  if (end <= clock) {
    return { ...base, range, query: '', verdict: 'inconclusive', reason: `the ${slo.window} window ends before ${clockText}, so there is no time to recover in.` };
  }
  const sli = await rtoSli(client, slo, windows, range, lookback);
  if (sli.threshold === undefined) {
    return { ...base, range, query: sli.query, verdict: 'inconclusive', reason: `no scrape target was ever seen for ${sli.subject}, so "all replicas" cannot be counted.` };
  }

  const { stepMs, series } = await client.queryRange(sli.query, range, RTO_STEP);
  const recovery = findRecovery(series[0]?.points ?? [], { ...range, stepMs }, sli.healthy);
  const target = `${sli.subject} ${sli.targetText}`;
  switch (recovery.state) {
    case 'no-data':
      return { ...base, range, query: sli.query, verdict: 'inconclusive', reason: `no data for ${sli.subject} after ${clockText}; an SLO without data is never a pass.` };
    case 'never-left':
      return { ...base, range, query: sli.query, verdict: 'pass', observed: 0, reason: `${target} held at every step after ${clockText}, so the RTO is 0s.` };
    case 'not-recovered': {
      const within = formatDuration(end - clock);
      return { ...base, range, query: sli.query, verdict: 'fail', reason: `${target} did not recover within ${within} of ${clockText} (${windowText(slo.window)} ended first).` };
    }
    case 'recovered': {
      const rto = (Math.max(clock, recovery.at - sli.lookbackMs) - clock) / 1_000;
      const meets = rto <= objectiveS;
      return {
        ...base,
        range,
        query: sli.query,
        verdict: meets ? 'pass' : 'fail',
        observed: rto,
        reason: `${target} ${formatValue(rto, 's')} after ${clockText} and stayed there, ${meets ? 'meeting' : 'breaking'} the objective ${objective}.`,
      };
    }
  }
}

interface RtoSli {
  query: string;
  subject: string;
  /** Undefined only when "all replicas" was asked for and no replica is known. */
  threshold: number | undefined;
  targetText: string;
  healthy(value: number): boolean;
  /** How far back each sample of the SLI looks: 0 for an instant gauge. */
  lookbackMs: number;
}

/** The PromQL an RTO clock follows: a rolling availability, the healthy replica count, or the replica's lag. */
export function rtoSliQuery(slo: RtoSlo, lookback: number): string {
  switch (slo.sli) {
    case 'availability':
      return availabilityQuery({ region: slo.region }, lookback);
    case 'replicaLag':
      return replicaLagQuery(slo.region);
    case 'capacity':
      return capacityQuery(slo.region, slo.service);
    case 'leader':
      return secretStoreLeaderQuery(slo.store ?? '', slo.region);
  }
}

async function rtoSli(client: RangeReader, slo: RtoSlo, windows: RunWindows, range: TimeRange, lookback: number): Promise<RtoSli> {
  const query = rtoSliQuery(slo, lookback);
  switch (slo.sli) {
    case 'availability': {
      const threshold = slo.threshold ?? DEFAULT_RTO_AVAILABILITY;
      return {
        query,
        subject: `${slo.region} availability`,
        threshold,
        targetText: `was back to ${formatObjective('>=', threshold * 100, '%')}`,
        healthy: (v) => v >= threshold,
        lookbackMs: lookback,
      };
    }
    case 'leader':
      // Recovered once a node reports itself the active leader (and keeps one): from a leader loss, the re-election.
      return {
        query,
        subject: `${slo.store} leader in ${slo.region}`,
        threshold: 1,
        targetText: 'was elected again',
        healthy: (v) => v >= 1,
        lookbackMs: 0,
      };
    case 'replicaLag': {
      const threshold = slo.threshold ?? 0;
      return {
        query,
        subject: `${slo.region} replica lag`,
        threshold,
        targetText: `was back to ${formatObjective('<=', threshold, 's')}`,
        healthy: (v) => v <= threshold,
        lookbackMs: 0,
      };
    }
    case 'capacity': {
      const threshold = slo.threshold ?? (await knownReplicas(client, slo, { start: Math.min(windows.whole.start, range.start), end: range.end }));
      const who = slo.service ? `${slo.region}/${slo.service}` : `${slo.region} services`;
      return {
        query,
        subject: `${who} capacity`,
        threshold,
        targetText: `was back to ${threshold} healthy replica${threshold === 1 ? '' : 's'}`,
        healthy: (v) => threshold !== undefined && v >= threshold,
        lookbackMs: 0,
      };
    }
  }
}

/** "All replicas": the most scrape targets seen for the service over the run, healthy or not. */
async function knownReplicas(client: RangeReader, slo: RtoSlo, range: TimeRange): Promise<number | undefined> {
  const { series } = await client.queryRange(capacityTargetsQuery(slo.region, slo.service), range);
  const counts = series.flatMap((s) => s.points.map(([, v]) => v));
  return counts.length === 0 ? undefined : Math.max(...counts);
}
