import { hostname } from 'node:os';
import { FaultlineError } from './errors.ts';

/**
 * One experiment at a time per target: a run holds the target's lease from preflight to its last revert, so a second
 * run cannot judge SLOs the first is disturbing. The lease has a TTL, renewed while the run lives, so a killed harness
 * never holds it for long. The driver keeps it where the target lives (a file in the lab's run folder, a Lease object
 * in the cluster).
 */
export interface LeaseHolder {
  runId: string;
  scenario: string;
  /** The holding harness's process and machine: a dead pid on this host frees the lease before its TTL. */
  pid: number;
  host: string;
  since: number;
  /** Renewed every few seconds; past it the holder is gone. */
  expiresAt: number;
  /** Took the lease alongside another run (`--allow-concurrent`). */
  concurrent?: boolean;
}

export interface LeaseRequest {
  runId: string;
  scenario: string;
  /** Run anyway if another run holds the target, and say so in both journals. */
  allowConcurrent: boolean;
  /** Called once per other run seen holding the target: at acquisition, or when one joins later. */
  onOther(holder: LeaseHolder): void;
}

/** A held lease; disposing releases it. */
export interface TargetLease extends AsyncDisposable {
  /** Runs holding the target alongside this one, as last seen. */
  readonly others: readonly LeaseHolder[];
  release(): Promise<void>;
}

/** How long a lease lives without renewal, and how often it is renewed. */
export const LEASE_TTL_MS = 15_000;
export const LEASE_RENEW_MS = 3_000;

/** This process as a lease holder. */
export function leaseHolder(runId: string, scenario: string, now = Date.now()): LeaseHolder {
  return { runId, scenario, pid: process.pid, host: hostname(), since: now, expiresAt: now + LEASE_TTL_MS };
}

/** The refusal a second run gets: who holds the target, and what to do. */
export function targetBusy(target: string, holders: readonly LeaseHolder[]): FaultlineError {
  const who = holders.map((h) => `run ${h.runId} (scenario ${h.scenario}, pid ${h.pid} on ${h.host}, since ${new Date(h.since).toISOString()})`).join('; ');
  return new FaultlineError(
    'FAULTLINE_TARGET_BUSY',
    `another experiment holds the ${target}: ${who}; nothing was started`,
    'wait for it to end, or add --allow-concurrent to run both at once (each then judges SLOs the other may disturb, and both journals say so)',
  );
}

/**
 * The engine's slot for the run's lease: empty until preflight acquires it, released when disposed (after every
 * fault, since it is declared before them). Remembers every other run it saw, for the verdict.
 */
export class LeaseSlot implements AsyncDisposable {
  #lease?: TargetLease;
  readonly concurrentWith = new Map<string, LeaseHolder>();

  async acquire(lease: (request: LeaseRequest) => Promise<TargetLease>, request: Omit<LeaseRequest, 'onOther'>, onOther: (holder: LeaseHolder) => void): Promise<void> {
    this.#lease = await lease({
      ...request,
      onOther: (holder) => {
        if (this.concurrentWith.has(holder.runId)) return;
        this.concurrentWith.set(holder.runId, holder);
        onOther(holder);
      },
    });
  }

  /** Runs holding the target now besides this one: their ledger entries are theirs, not leftovers. */
  activeRunIds(): string[] {
    return (this.#lease?.others ?? []).map((h) => h.runId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#lease?.release();
  }
}
