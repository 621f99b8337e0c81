import type { JudgeOptions, RunWindows, SloJudge } from './slo-judge.ts';
import type { SloResult, SloSpec } from './slo.ts';

/**
 * Each read of the verdict gets this long once a run failed closed: the source was already seen failing, and the
 * run is inconclusive whatever the SLOs say, so waiting out a full query timeout would only delay the exit.
 */
export const READ_DEADLINE_AFTER_FAIL_CLOSED_MS = 2_000;

/**
 * Judges the SLOs one by one, bounded: once one comes back because its source could not be read at all, the rest are
 * not asked (each would wait out the same dead source) and are inconclusive with that reason. So a Prometheus that
 * stopped answering costs one read's timeout, not one per SLO.
 */
export async function judgeBounded(
  judge: Pick<SloJudge, 'judge'>,
  slos: SloSpec[],
  windows: RunWindows,
  options: JudgeOptions & { onResult?: (result: SloResult) => void; down?: SloResult } = {},
): Promise<{ results: SloResult[]; down?: SloResult }> {
  const results: SloResult[] = [];
  let down = options.down;
  for (const slo of slos) {
    const result = down ? notAsked(slo, windows, down) : await judge.judge(slo, windows, options);
    if (result.unreadable && !down) down = result;
    options.onResult?.(result);
    results.push(result);
  }
  return { results, ...(down ? { down } : {}) };
}

function notAsked(slo: SloSpec, windows: RunWindows, down: SloResult): SloResult {
  return {
    name: slo.name,
    kind: slo.kind,
    window: slo.window,
    range: windows[slo.window],
    verdict: 'inconclusive',
    informational: slo.informational ?? false,
    severity: slo.severity ?? 'critical',
    objective: '',
    unit: '',
    query: '',
    reason: `not judged: the source did not answer for "${down.name}" (${down.reason.replace(/\.$/, '')}), so it was not asked again.`,
    unreadable: true,
  };
}
