import { isFaultlineError } from './errors.ts';

/** Exit codes of every faultline command; documented in the README and in `faultline --help`. */
export const ExitCode = {
  /** Every SLO passed. */
  ok: 0,
  /** At least one SLO failed: the system under test broke its objective. */
  sloFailed: 1,
  /** Preflight or bad input: nothing was injected. Fix the scenario, target or environment. */
  preflight: 2,
  /** A guardrail breached: every fault was reverted early and the run was aborted. */
  guardrailAbort: 3,
  /** No SLO failed but at least one could not be judged (no data, Prometheus unreadable). */
  inconclusive: 4,
  /** faultline itself failed (a bug, or an injection/revert the target refused). */
  harnessError: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeForError(error: unknown): ExitCode {
  if (isFaultlineError(error) && error.isPreflight) return ExitCode.preflight;
  return ExitCode.harnessError;
}
