import { setTimeout as sleep } from 'node:timers/promises';
import {
  FaultlineError,
  isEvidenceSlo,
  type JudgeOptions,
  isFaultlineError,
  parseDuration,
  type Duration,
  type Guardrail,
  type RunWindows,
  type SloJudge,
  type SloResult,
  type SloSpec,
  type TimeRange,
} from '../core/index.ts';
import { firstLine, formatObjective, formatValue, windowText } from './format.ts';
import { toResult, type Judgement } from './judgement.ts';
import type { PrometheusClient, ReadOptions } from './prometheus-client.ts';
import { preflight } from './preflight.ts';
import { chooseStep } from './query-step.ts';
import { alertFiringQuery, judgeAlert, type AlertSlo } from './alert-slo.ts';
import { judgeRto, rtoSliQuery, type RangeReader, type RtoSlo } from './rto.ts';
import { availabilityQuery, latencyQuantileQuery, replicaLagQuery } from './sli-queries.ts';
import { planSlo, type SloPlan, type WindowedSlo } from './slo-plan.ts';
import { validateSlo } from './slo-validation.ts';

export interface PrometheusSloJudgeOptions {
  /**
   * Wait this long past a window's end before judging it, so its last scrape and k6 push have landed.
   * Must exceed the scrape interval and the k6 push interval. Default `'2s'`.
   */
  settle?: Duration;
  /**
   * Rolling window of the availability an RTO clock follows. It must hold at least two k6 pushes; the recovery is
   * dated to the start of the first clean window, so its length does not add to the RTO. Default `'5s'`.
   */
  rtoLookback?: Duration;
  /** How far back preflight looks for "data now". Default `'1m'`. */
  probeWindow?: Duration;
  /**
   * Preflight also demands data now from SLIs fed by the load generator, and from custom SLOs and guardrails
   * (faultline cannot tell what feeds those). Set false when check() runs before load starts: those queries are
   * then only parsed. Default `true`.
   */
  checkLoadData?: boolean;
}

/** Most points a report chart needs; a finer series only makes the attachment heavier. */
const CHART_POINTS = 600;
const CHART_QUANTILE = 0.95;

/** The SloJudge over Prometheus: preflight, window verdicts, RTO clocks, guardrail reads and report series. */
export class PrometheusSloJudge implements SloJudge {
  readonly sourceName = 'Prometheus';
  readonly #settleMs: number;
  readonly #rtoLookbackMs: number;
  readonly #probeWindowMs: number;
  readonly #checkLoadData: boolean;

  constructor(
    readonly client: PrometheusClient,
    options: PrometheusSloJudgeOptions = {},
  ) {
    this.#settleMs = parseDuration(options.settle ?? '2s', 'settle');
    this.#rtoLookbackMs = parseDuration(options.rtoLookback ?? '5s', 'rtoLookback');
    this.#probeWindowMs = parseDuration(options.probeWindow ?? '1m', 'probeWindow');
    this.#checkLoadData = options.checkLoadData ?? true;
  }

  check(slos: SloSpec[], guardrails: Guardrail[]): Promise<FaultlineError[]> {
    return preflight(this.client, slos, guardrails, { probeWindowMs: this.#probeWindowMs, checkLoadData: this.#checkLoadData });
  }

  async judge(slo: SloSpec, windows: RunWindows, options: JudgeOptions = {}): Promise<SloResult> {
    const range: TimeRange = windows[slo.window] ?? { start: 0, end: 0 };
    const invalid = validateSlo(slo);
    if (invalid.length > 0) {
      const reason = `the SLO cannot be judged as written: ${invalid.map((e) => firstLine(e)).join('; ')}.`;
      return toResult(slo, { range, verdict: 'inconclusive', objective: '', unit: '', query: '', reason });
    }
    if (isEvidenceSlo(slo)) {
      const reason = `a ${slo.kind} SLO is judged from the run's own evidence (acknowledged writes, per-request results), which this Prometheus judge does not hold.`;
      return toResult(slo, { range, verdict: 'inconclusive', objective: '', unit: '', query: '', reason });
    }
    await this.#settle(range.end);
    const reads = readOptions(options);
    if (slo.kind === 'rto') return toResult(slo, await this.#judgeRto(slo, windows, reads));
    if (slo.kind === 'alert') return toResult(slo, await this.#judgeAlert(slo, windows, reads));
    return toResult(slo, await this.#judgeWindowed(slo, range, reads));
  }

  async ping(signal: AbortSignal): Promise<void> {
    await this.client.ping({ signal });
  }

  async read(query: string, options: ReadOptions = {}): Promise<number | undefined> {
    const samples = (await this.client.query(query, undefined, options)).filter((s) => !Number.isNaN(s.value));
    if (samples.length > 1) {
      throw new FaultlineError(
        'FAULTLINE_BAD_PROMQL',
        `the guardrail query returns ${samples.length} series but must return one\n  query: ${query}`,
        'aggregate it to one number, e.g. wrap it in sum(…) or min(…)',
      );
    }
    return samples[0]?.value;
  }

  /** Availability and p95 per region the SLOs name, and replica lag per region, over `range`. Empty series are left out. */
  async series(slos: SloSpec[], range: TimeRange, options: JudgeOptions = {}): Promise<{ name: string; unit: string; points: [number, number][] }[]> {
    const regions = [...new Set(slos.flatMap((s) => ('region' in s && s.region !== undefined ? [s.region] : [])))];
    const stepMs = chooseStep(range.end - range.start, this.client.minStepMs, (range.end - range.start) / CHART_POINTS);
    // Each point summarises the time since the previous one, but never less than a few pushes' worth.
    const lookback = Math.max(10_000, 2 * stepMs);
    const wanted = regions.flatMap((region) => [
      { name: `availability ${region}`, unit: '%', query: availabilityQuery({ region }, lookback), scale: 100 },
      { name: `p95 latency ${region}`, unit: 's', query: latencyQuantileQuery({ region }, CHART_QUANTILE, lookback), scale: 1 },
      { name: `replica lag ${region}`, unit: 's', query: replicaLagQuery(region), scale: 1 },
    ]);
    const out: { name: string; unit: string; points: [number, number][] }[] = [];
    for (const w of wanted) {
      const { series } = await this.client.queryRange(w.query, range, stepMs, readOptions(options));
      const points = (series[0]?.points ?? [])
        .filter(([, v]) => Number.isFinite(v))
        .map(([t, v]): [number, number] => [t, v * w.scale]);
      if (points.length > 0) out.push({ name: w.name, unit: w.unit, points });
    }
    return out;
  }

  async #judgeWindowed(slo: WindowedSlo, range: TimeRange, options: ReadOptions): Promise<Judgement> {
    const plan = planSlo(slo, Math.max(0, range.end - range.start));
    const head = { range, objective: plan.objective, unit: plan.unit, query: plan.query };
    if (range.end <= range.start) {
      return { ...head, verdict: 'inconclusive', reason: `the ${slo.window} window is empty, so there is nothing to judge.` };
    }
    let values: number[];
    try {
      values = await this.#measure(plan, range, options);
    } catch (e) {
      return { ...head, ...unreadable(e) };
    }
    if (values.length > 1) {
      return { ...head, verdict: 'inconclusive', reason: `the query returned ${values.length} series where one was expected; aggregate it.` };
    }
    const raw = values[0];
    if (raw === undefined) {
      return { ...head, verdict: 'inconclusive', reason: `no data ${windowText(slo.window)}: ${plan.noData}; an SLO without data is never a pass.` };
    }
    const observed = plan.observe(raw);
    const meets = plan.meets(raw);
    return {
      ...head,
      verdict: meets ? 'pass' : 'fail',
      observed,
      reason:
        `${plan.subject} ${windowText(slo.window)} was ${formatValue(observed, plan.unit)}, ` +
        `${meets ? 'meeting' : 'breaking'} the objective ${plan.objective}.`,
    };
  }

  /** One value per series: the instant answer at the window's end, or the series folded by its aggregate. */
  async #measure(plan: SloPlan, range: TimeRange, options: ReadOptions): Promise<number[]> {
    if (plan.evaluation.mode === 'instant') {
      return (await this.client.query(plan.query, range.end, options)).map((s) => s.value).filter((v) => !Number.isNaN(v));
    }
    const aggregate = plan.evaluation.aggregate;
    const { series } = await this.client.queryRange(plan.query, range, undefined, options);
    return series
      .map((s) => s.points.map(([, v]) => v).filter((v) => !Number.isNaN(v)))
      .filter((vs) => vs.length > 0)
      .map((vs) => fold(vs, aggregate));
  }

  async #judgeRto(slo: RtoSlo, windows: RunWindows, options: ReadOptions): Promise<Judgement> {
    const reader: RangeReader = { queryRange: (query, range, step) => this.client.queryRange(query, range, step, options) };
    try {
      return await judgeRto(reader, slo, windows, this.#rtoLookbackMs);
    } catch (e) {
      const objective = formatObjective('<=', parseDuration(slo.objective) / 1_000, 's');
      const query = rtoSliQuery(slo, this.#rtoLookbackMs);
      return { range: windows[slo.window], objective, unit: 's', query, ...unreadable(e) };
    }
  }

  async #judgeAlert(slo: AlertSlo, windows: RunWindows, options: ReadOptions): Promise<Judgement> {
    const reader: RangeReader = { queryRange: (query, range, step) => this.client.queryRange(query, range, step, options) };
    try {
      return await judgeAlert(reader, slo, windows);
    } catch (e) {
      return { range: windows[slo.window], objective: '', unit: 's', query: alertFiringQuery(slo.alert), ...unreadable(e) };
    }
  }

  async #settle(end: number): Promise<void> {
    const wait = end + this.#settleMs - Date.now();
    if (wait > 0) await sleep(wait);
  }
}

function readOptions(o: JudgeOptions): ReadOptions {
  return { ...(o.signal && { signal: o.signal }), ...(o.readDeadlineMs !== undefined && { timeoutMs: o.readDeadlineMs }) };
}

function fold(values: number[], aggregate: 'max' | 'min' | 'avg' | 'last'): number {
  switch (aggregate) {
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'last':
      return values[values.length - 1]!;
  }
}

/**
 * Fail closed: a Prometheus that cannot answer makes the SLO inconclusive, never a pass, and says the source was
 * unreadable (the engine then stops asking it). Bugs still throw.
 */
function unreadable(error: unknown): Pick<Judgement, 'verdict' | 'reason' | 'unreadable'> {
  if (!isFaultlineError(error)) throw error;
  if (error.code === 'FAULTLINE_BAD_PROMQL') return { verdict: 'inconclusive', reason: `the query failed: ${firstLine(error)}.` };
  return { verdict: 'inconclusive', reason: `Prometheus could not be read: ${firstLine(error)}.`, unreadable: true };
}
