import type { FaultlineError } from './errors.ts';
import type { FailoverPlan, Runbook, RunbookOutcome } from './failover.ts';

/** Runs a scenario's runbooks on one target. The engine knows runbook runners only through this. */
export interface FailoverDriver {
  /** Preflight: the runbook can run here (the command exists, the lab has a DR service, the Job's cluster is bound). */
  check(plan: FailoverPlan): Promise<FaultlineError[]>;
  /**
   * Before any fault: lets the system's own DR automation act (automatic trigger) or holds it back (manual), and
   * returns how to put it back as it was. Default: nothing to arm.
   */
  arm?(plan: FailoverPlan): Promise<() => Promise<void>>;
  /** Runs one runbook to its end, or gives up at `timeoutMs` or when `signal` aborts. Never throws: failure is an outcome. */
  run(runbook: Runbook, context: { action: 'failover' | 'failback'; timeoutMs: number; signal: AbortSignal }): Promise<RunbookOutcome>;
  /** Automatic trigger: waits until the system reports a failover it ran itself, up to `timeoutMs`. */
  awaitAutomatic?(context: { since: number; timeoutMs: number; signal: AbortSignal }): Promise<RunbookOutcome>;
}
