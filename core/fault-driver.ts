import type { FaultlineError } from './errors.ts';
import type { FaultPlan } from './fault.ts';
import type { RevertAction, DriverRevertHandler } from './revert-action.ts';
import type { LeaseRequest, TargetLease } from './target-lease.ts';

/**
 * A fault resolved against the live target but not yet applied. The engine writes `revert` to the ledger and only
 * then calls `apply`, so no fault can exist that the ledger does not know how to undo.
 */
export interface PreparedFault {
  plan: FaultPlan;
  /** What was selected (pids, proxies, resource names); goes to the journal. */
  detail: Record<string, unknown>;
  /** How to undo it, as data the watchdog and `faultline cleanup` can run without this process. */
  revert: RevertAction[];
  apply(): Promise<void>;
}

/** Translates logical faults into one target's primitives. The engine knows drivers only through this. */
export interface FaultDriver {
  /** `lab` or `kubernetes`. */
  readonly target: string;
  /**
   * Resolves the plan against the target without changing it. Returns every problem found (unknown names, zero
   * matched targets, blast radius not allowed) rather than the first.
   */
  check(plan: FaultPlan): Promise<FaultlineError[]>;
  /** Selects concrete targets and computes the revert. Must not change the target. */
  prepare(plan: FaultPlan, context: { runId: string; scenario: string; ttlMs: number }): Promise<PreparedFault>;
  /** Handlers for `driver` revert actions this driver writes. */
  readonly revertHandlers?: Record<string, DriverRevertHandler>;
  /**
   * Preflight: what reverts faults if this harness is killed (the lab's TTL watchdog, Chaos Mesh's controller) answers
   * now. Each problem is a FAULTLINE_WATCHDOG_DOWN refusal.
   */
  checkSafetyNet?(): Promise<FaultlineError[]>;
  /** Takes the target's lease for the run, or throws FAULTLINE_TARGET_BUSY naming who holds it. */
  lease?(request: LeaseRequest): Promise<TargetLease>;
}
