import { ExitCode } from './exit-codes.ts';
import type { LoadSummary } from './load-runner.ts';
import type { SloResult } from './slo.ts';
import type { RunWindows } from './slo-judge.ts';

/**
 * How a run ended. Each outcome is its own story in reports and has exactly one exit code:
 * - `passed` / `failed`: every gating SLO was judged; one or more failed.
 * - `aborted`: a guardrail breached and every fault was reverted early.
 * - `interrupted`: Ctrl-C, SIGTERM or the caller's AbortSignal; every fault was reverted, the run is incomplete.
 * - `inconclusive`: no SLO failed but one could not be judged, or a guardrail could not be read (fail closed).
 * - `refused`: preflight said no; nothing was injected.
 * - `error`: faultline itself failed, or the target refused an injection.
 */
export type RunOutcome = 'passed' | 'failed' | 'aborted' | 'interrupted' | 'inconclusive' | 'refused' | 'error';

/** The one map from outcome to exit code; the CLI, reports and JUnit all read it. */
export const EXIT_CODE_OF: Readonly<Record<RunOutcome, ExitCode>> = {
  passed: ExitCode.ok,
  failed: ExitCode.sloFailed,
  aborted: ExitCode.guardrailAbort,
  interrupted: ExitCode.interrupted,
  inconclusive: ExitCode.inconclusive,
  refused: ExitCode.preflight,
  error: ExitCode.harnessError,
};

export interface RunResult {
  runId: string;
  scenario: string;
  outcome: RunOutcome;
  exitCode: ExitCode;
  /** One sentence: why the outcome is what it is. */
  reason: string;
  slos: SloResult[];
  windows?: RunWindows;
  load?: LoadSummary;
  journalPath: string;
}
