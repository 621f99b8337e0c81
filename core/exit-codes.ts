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
  /** Ctrl-C or SIGTERM: faults were reverted, the run is incomplete (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What each exit code means, in the words `--help`, the README and CI summaries use. */
export const EXIT_CODE_MEANING: Readonly<Record<ExitCode, string>> = {
  0: 'every SLO passed',
  1: 'an SLO failed: the system under test broke its objective',
  2: 'preflight refused or bad input: nothing was injected',
  3: 'a guardrail aborted the run: every fault was reverted early',
  4: 'inconclusive: an SLO could not be judged (no data, Prometheus unreadable)',
  5: 'harness error: faultline itself, or an injection or revert the target refused',
  130: 'interrupted (Ctrl-C or SIGTERM): every fault was reverted, the run is incomplete',
};

export function exitCodeForError(error: unknown): ExitCode {
  if (isFaultlineError(error) && error.isPreflight) return ExitCode.preflight;
  return ExitCode.harnessError;
}

/**
 * Several runs, one exit code: the most actionable wins. A harness failure or a refused run means the gate did not
 * really run; after those, a broken SLO is the signal a release pipeline exists to catch.
 */
const PRECEDENCE: readonly ExitCode[] = [
  ExitCode.harnessError,
  ExitCode.interrupted,
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
