import { expect } from '@playwright/test';
import { LabFaultDriver } from '../../chaos/index.ts';
import { Ledger, parseDuration, type FaultSpec, type LedgerEntry } from '../../core/index.ts';
import type { LabState } from '../../lab/index.ts';
import { triRegionTgw } from '../../targets/index.ts';

/**
 * Applies one fault through the lab driver with its ledger entry written first, runs `during`, and reverts it from the
 * ledger the way the engine and the watchdog do, on failure too. `runId` tells the suites' entries apart; `hold` is
 * the fault's planned duration (its TTL adds 30 s).
 */
export async function withLabFault(
  lab: LabState,
  spec: FaultSpec,
  during: (detail: Record<string, unknown>) => Promise<void>,
  options: { runId: string; hold?: string },
): Promise<void> {
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  const ledger = new Ledger(lab.ledgerDir);
  const plan = { name: `test-${spec.kind}`, spec, at: '0s', duration: options.hold ?? '30s' };
  const ttlMs = parseDuration(plan.duration) + 30_000;
  expect((await driver.check(plan)).map((p) => p.message)).toEqual([]);
  const prepared = await driver.prepare(plan, { runId: options.runId, scenario: options.runId, ttlMs });
  const entry: LedgerEntry = { id: `${options.runId}-${spec.kind}`, runId: options.runId, scenario: options.runId, target: 'lab', fault: plan.name, spec, createdAt: Date.now(), expiresAt: Date.now() + ttlMs, revert: prepared.revert };
  ledger.record(entry);
  try {
    await prepared.apply();
    await during(prepared.detail);
  } finally {
    await ledger.revert(entry);
  }
}
