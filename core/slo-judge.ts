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
}

/** Reads metrics and judges SLOs. Implemented in assertions/ over Prometheus; the engine sees only this. */
export interface SloJudge {
  /** Preflight: every query parses, the source is reachable, and the SLIs return data now. */
  check(slos: SloSpec[], guardrails: Guardrail[]): Promise<FaultlineError[]>;
  /** Judges one SLO over its window. Never throws for missing data: that is an `inconclusive` result. */
  judge(slo: SloSpec, windows: RunWindows): Promise<SloResult>;
  /** Current value of a guardrail query; undefined when there is no data. Throws when the source is unreadable. */
  read(query: string): Promise<number | undefined>;
  /** Samples of the key SLIs over the run, for the report's chart. */
  series?(slos: SloSpec[], range: TimeRange): Promise<{ name: string; unit: string; points: [number, number][] }[]>;
}
