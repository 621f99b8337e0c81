import type { SloResult, SloSpec } from '../core/index.ts';

/** The part of an SLO's result that judging produces; the rest comes from the spec. */
export type Judgement = Pick<SloResult, 'range' | 'verdict' | 'observed' | 'objective' | 'unit' | 'query' | 'reason' | 'timings' | 'unreadable' | 'evidence'>;

export function toResult(slo: SloSpec, judgement: Judgement): SloResult {
  return {
    name: slo.name,
    kind: slo.kind,
    window: slo.window,
    // Informational SLOs keep their real verdict; the flag tells the engine not to fail the run on it.
    informational: slo.informational ?? false,
    severity: slo.severity ?? 'critical',
    ...judgement,
  };
}
