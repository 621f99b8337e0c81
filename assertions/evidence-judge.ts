import {
  formatDuration,
  isEvidenceSlo,
  parseDuration,
  readRequestEvents,
  type EvidenceSlo,
  type FaultlineError,
  type Guardrail,
  type JudgeOptions,
  type RequestEvent,
  type RunWindows,
  type SloJudge,
  type SloResult,
  type SloSpec,
  type TimeRange,
} from '../core/index.ts';
import { computeDataLoss, writesIn, type DataLossReport } from './data-loss.ts';
import { RTO_WINDOW_MS } from './availability-windows.ts';
import { rtoPhases } from './failover-rto.ts';
import { DEFAULT_LEASE_FAIL_BELOW, judgeSecretLease } from './secret-lease.ts';
import { formatObjective, formatValue, windowText } from './format.ts';
import { toResult, type Judgement } from './judgement.ts';

/** What a run leaves behind beyond Prometheus and the request stream: the surviving primary's stores. */
export interface RunEvidence {
  /** How many copies of each write id the surviving primary's copy of `store` holds now (default store: the one every write lands in). */
  readBack(store: string | undefined, ids: string[]): Promise<{ store: string; counts: Record<string, number> }>;
}

/** Default availability a failover RTO waits for. */
export const DEFAULT_FAILOVER_RTO_THRESHOLD = 0.99;

/**
 * Judges the SLO kinds only the run's own evidence can answer (rpo, dataLoss, failoverRto) and hands every other
 * kind, preflight, guardrail reads and report series to the Prometheus judge it wraps.
 */
export class EvidenceJudge implements SloJudge {
  #requests?: RequestEvent[];
  readonly #readBacks = new Map<string, Promise<{ store: string; counts: Record<string, number> }>>();

  constructor(
    private readonly inner: SloJudge,
    private readonly evidence: RunEvidence,
  ) {
    if (inner.series) this.series = (slos, range, options) => inner.series!(slos, range, options);
    if (inner.ping) this.ping = (signal) => inner.ping!(signal);
    this.sourceName = inner.sourceName;
  }

  series?: SloJudge['series'];
  ping?: SloJudge['ping'];
  readonly sourceName?: string;

  check(slos: SloSpec[], guardrails: Guardrail[]): Promise<FaultlineError[]> {
    return this.inner.check(slos, guardrails);
  }

  read(query: string, options?: { signal?: AbortSignal }): Promise<number | undefined> {
    return this.inner.read(query, options);
  }

  async judge(slo: SloSpec, windows: RunWindows, options?: JudgeOptions): Promise<SloResult> {
    if (!isEvidenceSlo(slo)) return this.inner.judge(slo, windows, options);
    const range: TimeRange = windows[slo.window] ?? { start: 0, end: 0 };
    try {
      if (slo.kind === 'secretLease') {
        return toResult(slo, await judgeSecretLease(slo, windows, range, () => this.#allRequests(windows), (q) => this.inner.read(q, options)));
      }
      return toResult(slo, slo.kind === 'failoverRto' ? await this.#rto(slo, windows, range) : await this.#dataLoss(slo, windows, range));
    } catch (e) {
      const reason = `the evidence could not be read: ${(e as Error).message}; an SLO without evidence is never a pass.`;
      return toResult(slo, { range, verdict: 'inconclusive', objective: objectiveOf(slo), unit: unitOf(slo), query: '', reason });
    }
  }

  async #dataLoss(slo: Extract<EvidenceSlo, { kind: 'rpo' | 'dataLoss' }>, windows: RunWindows, range: TimeRange): Promise<Judgement> {
    const head = { range, objective: objectiveOf(slo), unit: unitOf(slo), query: `read back acknowledged writes (${slo.store ?? 'default store'})` };
    const writes = writesIn(this.#allRequests(windows), range);
    if (!writes.some((w) => w.ok)) {
      return { ...head, verdict: 'inconclusive', reason: `no write was acknowledged ${windowText(slo.window)} (${writes.length} sent), so there is nothing to read back; an RPO without evidence is never a pass.` };
    }
    const { store, counts } = await this.#readBack(slo.store, writes.map((w) => w.id!));
    const report = computeDataLoss(store, writes, counts);
    const evidence = { dataLoss: report };
    const lostText = `${report.lost} of ${report.acknowledged} acknowledged writes lost in ${store}`;
    if (slo.kind === 'dataLoss') {
      const meets = report.lost <= slo.objective;
      return { ...head, verdict: meets ? 'pass' : 'fail', observed: report.lost, evidence, reason: `${lostText}, ${meets ? 'meeting' : 'breaking'} the objective ${head.objective}.` };
    }
    const rpo = report.rpoMs / 1_000;
    const meets = report.rpoMs <= parseDuration(slo.objective, 'objective');
    const span = report.lost ? ` spanning ${formatValue(rpo, 's')} (sent from ${iso(report.lostFrom!)}, acknowledged until ${iso(report.lostUntil!)})` : '';
    return { ...head, verdict: meets ? 'pass' : 'fail', observed: rpo, evidence, reason: `${lostText}${span}: RPO ${formatValue(rpo, 's')}, ${meets ? 'meeting' : 'breaking'} the objective ${head.objective}.` };
  }

  async #rto(slo: Extract<EvidenceSlo, { kind: 'failoverRto' }>, windows: RunWindows, range: TimeRange): Promise<Judgement> {
    const head = { range, objective: objectiveOf(slo), unit: 's', query: `per-request results of ${slo.region}, ${RTO_WINDOW_MS} ms sliding availability` };
    const name = slo.fault ?? windows.failover?.fault;
    const fault = name === undefined ? windows.faults[0] : windows.faults.find((f) => f.name === name);
    if (!fault) return { ...head, verdict: 'inconclusive', reason: 'no fault ran, so the RTO clock never started.' };
    const requests = this.#allRequests(windows).filter((r) => r.region === slo.region);
    const threshold = slo.threshold ?? DEFAULT_FAILOVER_RTO_THRESHOLD;
    const phases = rtoPhases(requests, { faultStart: fault.range.start, end: range.end, threshold, ...(windows.failover ? { failover: windows.failover } : {}) });
    const evidence = { phases, threshold, windowMs: RTO_WINDOW_MS };
    if (phases.requests === 0) return { ...head, verdict: 'inconclusive', evidence, reason: `no request from ${slo.region} after the fault started; an RTO without data is never a pass.` };
    const target = `${slo.region} availability back to ${formatObjective('>=', threshold * 100, '%')}`;
    if (phases.rtoMs === undefined) {
      return { ...head, verdict: 'fail', evidence, reason: `${target} never came and stayed within ${formatDuration(range.end - fault.range.start)} of the fault's start.` };
    }
    const rto = phases.rtoMs / 1_000;
    const meets = phases.rtoMs <= parseDuration(slo.objective, 'objective');
    return { ...head, verdict: meets ? 'pass' : 'fail', observed: rto, evidence, reason: `${target} ${formatValue(rto, 's')} after the fault started (${phaseText(phases)}), ${meets ? 'meeting' : 'breaking'} the objective ${head.objective}.` };
  }

  /** The load generator's own record of every request that came back: the run's request stream, read once. */
  #allRequests(windows: RunWindows): RequestEvent[] {
    if (!windows.requestStream) throw new Error('the load generator kept no request stream for this run (the local k6 runner keeps one; k6-operator does not)');
    return (this.#requests ??= readRequestEvents(windows.requestStream));
  }

  #readBack(store: string | undefined, ids: string[]) {
    const key = store ?? '';
    if (!this.#readBacks.has(key)) this.#readBacks.set(key, this.evidence.readBack(store, ids));
    return this.#readBacks.get(key)!;
  }
}

function objectiveOf(slo: EvidenceSlo): string {
  if (slo.kind === 'secretLease') return `${formatObjective('>=', slo.objective * 100, '%')} until the lease expires, then below ${formatValue((slo.failBelow ?? DEFAULT_LEASE_FAIL_BELOW) * 100, '%')}`;
  return slo.kind === 'dataLoss' ? formatObjective('<=', slo.objective, 'writes') : formatObjective('<=', parseDuration(slo.objective, 'objective') / 1_000, 's');
}

function unitOf(slo: EvidenceSlo): string {
  return slo.kind === 'dataLoss' ? 'writes' : 's';
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** `detected +1.52s, failover 0.41s, first write +2.1s` */
function phaseText(p: ReturnType<typeof rtoPhases>): string {
  const rel = (t: number | undefined) => (t === undefined ? '—' : `+${((t - p.faultStart) / 1_000).toFixed(3)}s`);
  const parts = [`detected ${rel(p.detectedAt)}`];
  if (p.failoverStart !== undefined && p.failoverEnd !== undefined) parts.push(`runbook ${rel(p.failoverStart)}→${rel(p.failoverEnd)}`);
  parts.push(`first write ${rel(p.firstWrite)}`);
  return parts.join(', ');
}

export type { DataLossReport };
