import { isFaultlineError } from './errors.ts';
import { LoadShortfall } from './generator-watch.ts';
import type { GuardrailBreach } from './guardrail-watch.ts';
import { Interrupted } from './interrupts.ts';
import type { RevertReason } from './journal.ts';
import type { RunOutcome } from './run-result.ts';
import type { SloResult } from './slo.ts';

export interface RunVerdict {
  outcome: RunOutcome;
  reason: string;
}

/** The outcome of a run that reached its verdict: a guardrail first, then failed SLOs, then unjudged ones. */
export function verdictOf(slos: SloResult[], breach?: GuardrailBreach): RunVerdict {
  const gating = slos.filter((s) => !s.informational);
  const failed = gating.filter((s) => s.verdict === 'fail');
  const inconclusive = gating.filter((s) => s.verdict === 'inconclusive');
  if (breach?.unreadable) return { outcome: 'inconclusive', reason: `${breach.message}; failed closed: every fault reverted early` };
  if (breach) return { outcome: 'aborted', reason: `guardrail "${breach.guardrail}" breached (${breach.message}); faults reverted early` };
  if (failed.length) return { outcome: 'failed', reason: `SLO failed: ${failed.map((s) => `${s.name} (${s.reason})`).join('; ')}` };
  if (inconclusive.length) return { outcome: 'inconclusive', reason: `could not judge: ${inconclusive.map((s) => `${s.name} (${s.reason})`).join('; ')}` };
  return { outcome: 'passed', reason: `all ${gating.length} SLOs passed` };
}

/** The outcome of a run that ended by an exception: an interruption, a preflight refusal or a harness error. */
export function verdictOfError(cause: unknown): RunVerdict {
  if (cause instanceof Interrupted) return { outcome: 'interrupted', reason: `interrupted (${cause.why}); every fault was reverted` };
  if (cause instanceof LoadShortfall) {
    return { outcome: 'inconclusive', reason: `${cause.message}; ended early, every fault reverted: lower the rate, or run the load generator on a bigger machine` };
  }
  if (isFaultlineError(cause) && cause.isPreflight) return { outcome: 'refused', reason: cause.message };
  if (isFaultlineError(cause)) return { outcome: 'error', reason: `[${cause.code}] ${cause.message}` };
  return { outcome: 'error', reason: `harness error: ${(cause as Error)?.stack ?? String(cause)}` };
}

/**
 * A revert that failed outranks every other outcome: the fault may still be on. Its ledger entry is kept, so the
 * target's watchdog retries it and `faultline cleanup` can run it now.
 */
export function verdictOfFailedReverts(failures: { fault: string; error: string }[]): RunVerdict {
  return {
    outcome: 'error',
    reason:
      `[FAULTLINE_REVERT_FAILED] ${failures.map((f) => f.error).join('; ')}: the fault may still be applied. Its ledger entry is kept: ` +
      'the TTL watchdog retries it until it succeeds, `faultline cleanup` retries it now, and `faultline lab status` shows which component is down',
  };
}

/** What the journal says a fault still on at the end was reverted for. */
export function revertReasonFor(outcome: RunOutcome): RevertReason {
  return outcome === 'interrupted' ? 'interrupted' : 'error';
}
