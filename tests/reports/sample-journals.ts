import { join } from 'node:path';
import { Journal, type JournalEntry, type SloResult } from '../../core/index.ts';

/** All sample runs start here; the builder's clock is in seconds from it. */
export const T0 = Date.UTC(2026, 10, 20, 3, 0, 0);
const at = (s: number) => T0 + s * 1_000;

/** A journal written through core's Journal, with a clock the test sets so times are known exactly. */
class SampleRun {
  private now = T0;
  readonly journal: Journal;

  constructor(path: string) {
    this.journal = new Journal(path, () => this.now);
  }

  at(seconds: number, event: Parameters<Journal['append']>[0]): this {
    this.now = at(seconds);
    this.journal.append(event);
    return this;
  }
}

function slo(partial: Partial<SloResult> & Pick<SloResult, 'name' | 'kind' | 'window' | 'verdict' | 'objective' | 'unit'>, range: [number, number]): SloResult {
  return {
    informational: false,
    severity: 'critical',
    query: 'sum(rate(k6_http_reqs_total{region="jkt",expected_response="true"}[60s]))',
    reason: `${partial.verdict === 'pass' ? 'met' : 'missed'} its objective`,
    range: { start: at(range[0]), end: at(range[1]) },
    ...partial,
  };
}

/** One sample per second over [from, to], `f(t)` giving the value at t seconds. */
function points(from: number, to: number, f: (t: number) => number): [number, number][] {
  const out: [number, number][] = [];
  for (let t = from; t <= to; t++) out.push([at(t), +f(t).toFixed(4)]);
  return out;
}

const REGIONS = ['jkt', 'bdg', 'sby'] as const;

function loadSummary(failed: Record<string, number>) {
  return {
    tool: 'k6',
    durationMs: 125_000,
    regions: REGIONS.map((region) => ({
      region,
      requests: 1875,
      failed: failed[region] ?? 0,
      achievedRate: 14.98,
      targetRate: 15,
      droppedIterations: region === 'sby' ? 3 : 0,
      latencyMs: { avg: 21.4, p50: 12.1, p95: 84.3, p99: 212.7, max: 1402 },
    })),
  };
}

function common(run: SampleRun, runId: string, scenario: string, description: string): SampleRun {
  return run
    .at(0, { type: 'run-start', runId, scenario, topology: 'tri-region-tgw', target: 'lab', description })
    .at(0.2, { type: 'phase', phase: 'preflight', status: 'start', detail: 'Preflight: scenario, targets, queries' })
    .at(0.6, { type: 'preflight', ok: true, problems: [] })
    .at(0.6, { type: 'phase', phase: 'preflight', status: 'end' })
    .at(1, { type: 'phase', phase: 'load', status: 'start', detail: 'Load: k6 in jkt, bdg, sby' })
    .at(6, { type: 'phase', phase: 'load', status: 'end' })
    .at(6, { type: 'phase', phase: 'steady-state', status: 'start' })
    .at(30, { type: 'phase', phase: 'steady-state', status: 'end' });
}

/** jkt-pod-loss, passed: 50% of jkt service-main killed 30s→90s, availability held. */
export function passingRun(dir: string): JournalEntry[] {
  const run = common(new SampleRun(join(dir, 'passing.jsonl')), 'run-pass-1', 'jkt-pod-loss', 'Kill 50% of jkt service-main under load');
  run
    .at(30, { type: 'slo', result: slo({ name: 'jkt availability (steady state)', kind: 'availability', window: 'baseline', verdict: 'pass', observed: 100, objective: '≥ 99%', unit: '%' }, [6, 30]) })
    .at(30.4, {
      type: 'inject',
      fault: 'pod-kill-jkt-service-main',
      spec: { kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'fixed-percent', value: 50 },
      description: 'podKill jkt/service-main (fixed-percent 50)',
      detail: { killed: ['service-main-jkt-0', 'service-main-jkt-2'], authorization: 'Bearer abcdefghijklmnop' },
      latencyMs: 12,
    })
    .at(90, { type: 'revert', fault: 'pod-kill-jkt-service-main', reason: 'schedule', ok: true, latencyMs: 3 })
    .at(120, { type: 'load-summary', summary: loadSummary({ jkt: 4 }) })
    .at(123, {
      type: 'windows',
      windows: { baseline: { start: at(6), end: at(30) }, during: { start: at(30), end: at(90) }, after: { start: at(90), end: at(120) }, whole: { start: at(1), end: at(120) } },
      faults: [{ name: 'pod-kill-jkt-service-main', range: { start: at(30), end: at(90) } }],
    })
    .at(124, { type: 'slo', result: slo({ name: 'jkt availability during pod loss', kind: 'availability', window: 'during', verdict: 'pass', observed: 99.787, objective: '≥ 99%', unit: '%' }, [30, 90]) })
    .at(124, { type: 'slo', result: slo({ name: 'jkt p95 latency during pod loss', kind: 'latency', window: 'during', verdict: 'pass', observed: 0.184, objective: '≤ 500ms', unit: 's' }, [30, 90]) })
    .at(124, { type: 'slo', result: slo({ name: 'jkt service-main back to full capacity', kind: 'rto', window: 'during', verdict: 'pass', observed: 6.2, objective: '≤ 20s', unit: 's', severity: 'normal' }, [30, 90]) });
  seriesFor(run, (region, t) => (region === 'jkt' && t >= 30 && t < 38 ? 0.97 : 1));
  return run.at(125, { type: 'verdict', outcome: 'passed', exitCode: 0, reason: 'all 4 SLOs passed' }).journal.entries;
}

/** tgw-partition-jkt-bdg, failed: bdg reads dropped to 97.12% during the 30s→90s partition. */
export function breachRun(dir: string): JournalEntry[] {
  const run = common(new SampleRun(join(dir, 'breach.jsonl')), 'run-breach-2', 'tgw-partition-jkt-bdg', 'Partition the TGW link jkt↔bdg for 60 s');
  run
    .at(30.2, { type: 'inject', fault: 'partition-jkt-bdg', spec: { kind: 'partition', regions: ['jkt', 'bdg'] }, description: 'partition jkt↔bdg', detail: { links: 3 }, latencyMs: 40 })
    .at(90.1, { type: 'revert', fault: 'partition-jkt-bdg', reason: 'schedule', ok: true, latencyMs: 25 })
    .at(120, { type: 'load-summary', summary: loadSummary({ bdg: 301 }) })
    .at(123, {
      type: 'windows',
      windows: { baseline: { start: at(6), end: at(30) }, during: { start: at(30), end: at(90) }, after: { start: at(90), end: at(120) }, whole: { start: at(1), end: at(120) } },
      faults: [{ name: 'partition-jkt-bdg', range: { start: at(30), end: at(90) } }],
    })
    .at(124, { type: 'slo', result: slo({ name: 'control: jkt availability', kind: 'availability', window: 'during', verdict: 'pass', observed: 100, objective: '≥ 99%', unit: '%' }, [30, 90]) })
    .at(124, {
      type: 'slo',
      result: slo({ name: 'bdg read availability during partition', kind: 'availability', window: 'during', verdict: 'fail', observed: 97.12, objective: '≥ 99.5%', unit: '%', reason: 'bdg read availability was 97.12%, below 99.5%' }, [30, 90]),
    })
    .at(124, { type: 'slo', result: slo({ name: 'bdg failed writes fail fast (p99)', kind: 'latency', window: 'during', verdict: 'pass', observed: 0.0421, objective: '≤ 2s', unit: 's' }, [30, 90]) })
    .at(124, { type: 'slo', result: slo({ name: 'bdg write availability during partition', kind: 'availability', window: 'during', verdict: 'fail', observed: 0, objective: '≥ 99%', unit: '%', informational: true }, [30, 90]) });
  seriesFor(run, (region, t) => (region === 'bdg' && t >= 30 && t < 90 ? 0.9712 : 1));
  return run
    .at(125, { type: 'verdict', outcome: 'failed', exitCode: 1, reason: 'SLO failed: bdg read availability during partition (bdg read availability was 97.12%, below 99.5%)' })
    .journal.entries;
}

/** jkt-total-outage, aborted: two faults from 30s, guardrail breached at 41s, both reverted at once at 41.5s. */
export function abortRun(dir: string): JournalEntry[] {
  const run = common(new SampleRun(join(dir, 'abort.jsonl')), 'run-abort-3', 'jkt-total-outage', 'Freeze every jkt service process');
  run
    .at(30.1, { type: 'inject', fault: 'pod-failure-jkt-service-main', spec: { kind: 'podFailure', service: 'service-main', region: 'jkt', mode: 'all' }, description: 'podFailure jkt/service-main (all)', detail: {}, latencyMs: 8 })
    .at(30.2, { type: 'inject', fault: 'pod-failure-jkt-service-backup', spec: { kind: 'podFailure', service: 'service-backup', region: 'jkt', mode: 'all' }, description: 'podFailure jkt/service-backup (all)', detail: {}, latencyMs: 7 })
    .at(38, { type: 'guardrail', name: 'jkt availability floor 50%', value: 0.62, threshold: 0.5, breached: false })
    .at(41, { type: 'guardrail', name: 'jkt availability floor 50%', value: 0.08, threshold: 0.5, breached: true })
    .at(41.5, { type: 'revert', fault: 'pod-failure-jkt-service-main', reason: 'guardrail', ok: true, latencyMs: 4 })
    .at(41.5, { type: 'revert', fault: 'pod-failure-jkt-service-backup', reason: 'guardrail', ok: true, latencyMs: 4 })
    .at(60, { type: 'load-summary', summary: loadSummary({ jkt: 160 }) })
    .at(62, {
      type: 'windows',
      windows: { baseline: { start: at(6), end: at(30) }, during: { start: at(30), end: at(41.5) }, after: { start: at(41.5), end: at(60) }, whole: { start: at(1), end: at(60) } },
      faults: [
        { name: 'pod-failure-jkt-service-main', range: { start: at(30.1), end: at(41.5) } },
        { name: 'pod-failure-jkt-service-backup', range: { start: at(30.2), end: at(41.5) } },
      ],
    })
    .at(63, { type: 'slo', result: slo({ name: 'jkt availability during outage', kind: 'availability', window: 'during', verdict: 'fail', observed: 41.3, objective: '≥ 99%', unit: '%', severity: 'blocker' }, [30, 41.5]) });
  seriesFor(run, (region, t) => (region === 'jkt' && t >= 31 && t < 42 ? 0.05 : 1), 60);
  return run
    .at(64, { type: 'verdict', outcome: 'aborted', exitCode: 3, reason: 'guardrail "jkt availability floor 50%" breached (0.08 < 0.5 for 3s); faults reverted early' })
    .journal.entries;
}

/** bdg-replica-lag-5s, inconclusive: the lag gauge returned no data for the window. */
export function inconclusiveRun(dir: string): JournalEntry[] {
  const run = common(new SampleRun(join(dir, 'inconclusive.jsonl')), 'run-inconclusive-4', 'bdg-replica-lag-5s', 'Lag the bdg read replica by 5 s');
  run
    .at(30.3, { type: 'inject', fault: 'replica-lag-rds-bdg', spec: { kind: 'replicaLag', store: 'rds', region: 'bdg', by: '5s' }, description: 'replicaLag rds@bdg by 5s', detail: {}, latencyMs: 30 })
    .at(90.2, { type: 'revert', fault: 'replica-lag-rds-bdg', reason: 'schedule', ok: true, latencyMs: 20 })
    .at(120, { type: 'load-summary', summary: loadSummary({}) })
    .at(123, {
      type: 'windows',
      windows: { baseline: { start: at(6), end: at(30) }, during: { start: at(30), end: at(90) }, after: { start: at(90), end: at(120) }, whole: { start: at(1), end: at(120) } },
      faults: [{ name: 'replica-lag-rds-bdg', range: { start: at(30.3), end: at(90.2) } }],
    })
    .at(124, {
      type: 'slo',
      result: slo({ name: 'bdg replica lag at most 7 s', kind: 'replicaLag', window: 'during', verdict: 'inconclusive', objective: '≤ 7s', unit: 's', severity: 'normal', reason: 'no service in region bdg reported its replication lag' }, [30, 90]),
    })
    .at(124, { type: 'slo', result: slo({ name: 'control: jkt availability', kind: 'availability', window: 'during', verdict: 'pass', observed: 100, objective: '≥ 99%', unit: '%', severity: 'normal' }, [30, 90]) });
  return run
    .at(125, { type: 'verdict', outcome: 'inconclusive', exitCode: 4, reason: 'could not judge: bdg replica lag at most 7 s (no service in region bdg reported its replication lag)' })
    .journal.entries;
}

/** Availability per region (`availability:<region>`, %), jkt p95 latency and bdg replica lag, one sample a second. */
function seriesFor(run: SampleRun, availability: (region: string, t: number) => number, until = 120): void {
  for (const region of REGIONS) {
    run.at(124.5, { type: 'series', name: `availability:${region}`, unit: '%', points: points(1, until, (t) => 100 * availability(region, t)) });
  }
  run.at(124.5, { type: 'series', name: 'p95 latency:jkt', unit: 's', points: points(1, until, (t) => 0.08 + 0.02 * Math.sin(t / 5)) });
  // A scrape gap from 70s to 80s: the chart must break the line there, not bridge it.
  run.at(124.5, {
    type: 'series',
    name: 'replica lag:bdg',
    unit: 's',
    points: points(1, until, (t) => 2 + Math.cos(t / 7)).filter(([t]) => t < at(70) || t > at(80)),
  });
}

export const SAMPLE_RUNS = { passingRun, breachRun, abortRun, inconclusiveRun };
