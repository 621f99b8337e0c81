import { LabFaultDriver } from '../chaos/index.ts';
import { Ledger, parseDuration, type FaultSpec, type LedgerEntry } from '../core/index.ts';
import type { LabState } from '../lab/index.ts';
import { triRegionTgw } from '../targets/index.ts';

export interface AppliedBenchFault {
  detail: Record<string, unknown>;
  /** Driver prepare + ledger entry + apply, in ms: what a game day waits before its fault is on. */
  injectMs: number;
  /** Reverts from the ledger, as the engine and the watchdog do; resolves with the time it took, in ms. */
  revert: () => Promise<number>;
}

/**
 * One fault applied the way the engine applies it (ledger entry written before apply), so the benchmarks time the
 * real path; the lab test suites apply theirs with it too (tests/support/lab-fault.ts). A failed apply is reverted
 * before the error goes on; a caller reverts on every other exit path, and the TTL (hold + 30 s) lets the lab's
 * watchdog take it back if the benchmark itself dies.
 */
export async function applyBenchFault(lab: LabState, spec: FaultSpec, name: string, hold = '60s', runId = 'bench'): Promise<AppliedBenchFault> {
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  const ledger = new Ledger(lab.ledgerDir);
  const plan = { name, spec, at: '0s', duration: hold };
  const ttlMs = parseDuration(hold) + 30_000;
  const t0 = performance.now();
  const prepared = await driver.prepare(plan, { runId, scenario: runId, ttlMs });
  const entry: LedgerEntry = { id: name, runId, scenario: runId, target: 'lab', fault: name, spec, createdAt: Date.now(), expiresAt: Date.now() + ttlMs, revert: prepared.revert };
  ledger.record(entry);
  const revert = async () => {
    const t1 = performance.now();
    await ledger.revert(entry);
    return performance.now() - t1;
  };
  try {
    await prepared.apply();
  } catch (e) {
    await revert();
    throw e;
  }
  return { detail: prepared.detail, injectMs: performance.now() - t0, revert };
}
