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

/** Ctrl-C or SIGTERM: faults were reverted, the run is incomplete (128 + SIGINT, as shells report it). */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Several runs, one exit code: the most actionable wins. A harness failure or a refused run means the gate did not
 * really run; after those, a broken SLO is the signal a release pipeline exists to catch.
 */
const PRECEDENCE: number[] = [
  ExitCode.harnessError,
  INTERRUPTED_EXIT_CODE,
  ExitCode.preflight,
  ExitCode.sloFailed,
  ExitCode.guardrailAbort,
  ExitCode.inconclusive,
  ExitCode.ok,
];

export function combineExitCodes(codes: number[]): number {
  if (codes.length === 0) return ExitCode.ok;
  return PRECEDENCE.find((c) => codes.includes(c)) ?? Math.max(...codes);
}
