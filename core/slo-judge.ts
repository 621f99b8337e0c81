import type { FaultlineError } from './errors.ts';
import type { Guardrail } from './guardrail.ts';
import type { SloResult, SloSpec, TimeRange } from './slo.ts';

export interface RunWindows {
  baseline: TimeRange;
  during: TimeRange;
  after: TimeRange;
  whole: TimeRange;
  /** Each fault's actual applied interval, for RTO clocks. */
  faults: { name: string; range: TimeRange }[];
  /** The load generator's per-request stream kept for this run (a JSON-lines file), when it kept one. */
  requestStream?: string;
  /** The failover runbook's run, when the scenario has one: the RTO phases and the RPO clock read it. */
  failover?: FailoverWindow;
  failback?: FailoverWindow;
}

/** When a runbook ran, as the timeline recorded it. */
export interface FailoverWindow extends TimeRange {
  ok: boolean;
  /** The fault the failover answered (its trigger's): RTO clocks start at its injection. */
  fault?: string;
  /** Automatic failovers: when the system's DR automation declared the region lost. */
  detectedAt?: number;
}

/** How long a judge may spend: `signal` cancels everything, `readDeadlineMs` bounds each read from when it is sent. */
export interface JudgeOptions {
  signal?: AbortSignal;
  readDeadlineMs?: number;
}

/** Reads metrics and judges SLOs. Implemented in assertions/ over Prometheus; the engine sees only this. */
export interface SloJudge {
  /** Preflight: every query parses, the source is reachable, and the SLIs return data now. */
  check(slos: SloSpec[], guardrails: Guardrail[]): Promise<FaultlineError[]>;
  /**
   * Judges one SLO over its window. Never throws for missing data or an unreadable source: those are `inconclusive`
   * results (with `unreadable` set when the source did not answer). Gives up when `signal` aborts.
   */
  judge(slo: SloSpec, windows: RunWindows, options?: JudgeOptions): Promise<SloResult>;
  /** Current value of a guardrail query; undefined when there is no data. Throws when the source is unreadable or `signal` aborts. */
  read(query: string, options?: { signal?: AbortSignal }): Promise<number | undefined>;
  /** Resolves when the source answers now; throws otherwise. The engine watches it while faults are on. */
  ping?(signal: AbortSignal): Promise<void>;
  /** How reports and messages name the source, e.g. `Prometheus`. */
  readonly sourceName?: string;
  /** Samples of the key SLIs over the run, for the report's chart. */
  series?(slos: SloSpec[], range: TimeRange, options?: JudgeOptions): Promise<{ name: string; unit: string; points: [number, number][] }[]>;
}
