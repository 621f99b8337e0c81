import type { Duration } from './duration.ts';
import { FaultlineError } from './errors.ts';
import { describeFault, type FaultPlan } from './fault.ts';
import type { FaultDriver, PreparedFault } from './fault-driver.ts';
import type { Journal, RevertReason } from './journal.ts';
import type { Ledger, LedgerEntry } from './ledger.ts';
import { faultTtlMs } from './scenario.ts';
import type { TimeRange } from './slo.ts';

export interface AppliedFaultsContext {
  driver: FaultDriver;
  ledger: Ledger;
  journal: Journal;
  runId: string;
  scenario: string;
  /** Added to each fault's duration to make its TTL. Default: the scenario default (`DEFAULT_TTL_GRACE`). */
  ttlGrace?: Duration;
  /** Progress lines for humans. */
  say?: (line: string) => void;
}

/**
 * A fault that was written to the ledger and applied to the target. It knows its plan, its ledger entry and when it
 * was on; disposing it reverts it, so `await using fault = await faults.inject(plan)` cannot leave it behind.
 */
export class AppliedFault implements AsyncDisposable {
  #reverting?: Promise<void>;
  #appliedAt: number;
  #applied = false;
  #revertedAt?: number;

  /** @internal created by {@link AppliedFaults.inject} only. */
  constructor(
    readonly plan: FaultPlan,
    readonly entry: LedgerEntry,
    readonly detail: Record<string, unknown>,
    /** Settles when the driver's apply does; a revert waits for it, or it would run first and then be undone. */
    private readonly applying: Promise<void>,
    private readonly owner: AppliedFaults,
    requestedAt: number,
  ) {
    this.#appliedAt = requestedAt;
  }

  get name(): string {
    return this.plan.name;
  }

  /** When the fault was on the target: from the end of its apply to the end of its revert (or now, while held). */
  get range(): TimeRange {
    return { start: this.#appliedAt, end: this.#revertedAt ?? Date.now() };
  }

  get reverted(): boolean {
    return this.#revertedAt !== undefined;
  }

  /** True once the apply finished: `range.start` is then the instant the fault went on. */
  get applied(): boolean {
    return this.#applied;
  }

  /** @internal the apply finished: the fault is on from this instant. */
  markApplied(at: number): void {
    this.#appliedAt = at;
    this.#applied = true;
  }

  /**
   * Carries out the ledger entry's revert and forgets the entry. Idempotent: a second call returns the first one's
   * promise. Never throws: a failed revert is journaled and its ledger entry kept for the watchdog and cleanup.
   */
  revert(reason: RevertReason): Promise<void> {
    this.#reverting ??= this.owner.carryOutRevert(this, reason, this.applying).finally(() => {
      this.#revertedAt = Date.now();
    });
    return this.#reverting;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.revert(this.owner.disposeReason);
  }
}

/**
 * Owns every fault a run applies. Each injection is written to the ledger before it is applied; `revertAll` and
 * disposal revert whatever is still on, including an injection still in flight. The engine holds it with
 * `await using`, so the revert-on-every-path guarantee is the language's, not a `finally` someone can forget.
 */
export class AppliedFaults implements AsyncDisposable {
  readonly #faults = new Map<string, AppliedFault>();
  /** Why faults still on at disposal are reverted; the engine sets it when it learns how the run ends. */
  disposeReason: RevertReason = 'error';
  /** Reverts that failed: those faults may still be on, and their ledger entries are kept. */
  readonly failedReverts: { fault: string; error: string }[] = [];

  constructor(private readonly context: AppliedFaultsContext) {}

  /** Prepares the fault, writes its revert to the ledger, then applies it. A failed apply is reverted and rethrown. */
  async inject(plan: FaultPlan): Promise<AppliedFault> {
    const { driver, ledger, journal, runId, scenario } = this.context;
    const ttlMs = faultTtlMs(plan, this.context.ttlGrace);
    const t0 = Date.now();
    const prepared: PreparedFault = await driver.prepare(plan, { runId, scenario, ttlMs });
    const entry: LedgerEntry = {
      id: `${runId}-${plan.name}`,
      runId,
      scenario,
      target: driver.target,
      fault: plan.name,
      spec: plan.spec,
      createdAt: Date.now(),
      expiresAt: Date.now() + ttlMs,
      revert: prepared.revert,
    };
    // The ledger learns how to undo the fault before the fault exists.
    ledger.record(entry);
    const applying = prepared.apply();
    const fault = new AppliedFault(plan, entry, prepared.detail, applying, this, t0);
    this.#faults.set(plan.name, fault);
    try {
      await applying;
    } catch (error) {
      await fault.revert('error');
      throw new FaultlineError('FAULTLINE_INJECTION_FAILED', `injecting ${describeFault(plan.spec)} failed: ${(error as Error).message}`, undefined, { cause: error });
    }
    fault.markApplied(Date.now());
    const latencyMs = fault.range.start - t0;
    journal.append({ type: 'inject', fault: plan.name, spec: plan.spec, description: describeFault(plan.spec), detail: prepared.detail, latencyMs });
    this.context.say?.(`injected ${describeFault(plan.spec)} in ${latencyMs} ms`);
    return fault;
  }

  /** Reverts every fault still on (and any injection in flight), in parallel. */
  async revertAll(reason: RevertReason): Promise<void> {
    await Promise.all([...this.#faults.values()].map((f) => f.revert(reason)));
  }

  /** Each fault's time on the target, for SLO windows and RTO clocks. */
  ranges(): { name: string; range: TimeRange }[] {
    return [...this.#faults.values()].map((f) => ({ name: f.name, range: f.range }));
  }

  /** The fault of that name, once its injection has begun. */
  find(name: string): AppliedFault | undefined {
    return this.#faults.get(name);
  }

  /** Faults applied and not reverted yet. */
  get active(): AppliedFault[] {
    return [...this.#faults.values()].filter((f) => !f.reverted);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.revertAll(this.disposeReason);
  }

  /** @internal the revert itself, shared by every handle. */
  async carryOutRevert(fault: AppliedFault, reason: RevertReason, applying: Promise<void>): Promise<void> {
    const { ledger, journal, driver } = this.context;
    await applying.catch(() => undefined);
    const t0 = Date.now();
    try {
      await ledger.revert(fault.entry, driver.revertHandlers);
      journal.append({ type: 'revert', fault: fault.name, reason, ok: true, latencyMs: Date.now() - t0 });
      this.context.say?.(`reverted ${fault.name} (${reason}) in ${Date.now() - t0} ms`);
    } catch (error) {
      this.failedReverts.push({ fault: fault.name, error: (error as Error).message });
      journal.append({ type: 'revert', fault: fault.name, reason, ok: false, latencyMs: Date.now() - t0, error: (error as Error).message });
      this.context.say?.(`REVERT FAILED for ${fault.name}: ${(error as Error).message}; the watchdog reverts it when its TTL passes, or run faultline cleanup`);
    }
  }
}
