import { expect } from '@playwright/test';
import { applyBenchFault } from '../../bench/bench-fault.ts';
import { LabFaultDriver } from '../../chaos/index.ts';
import type { FaultSpec } from '../../core/index.ts';
import type { LabState } from '../../lab/index.ts';
import { triRegionTgw } from '../../targets/index.ts';

/**
 * Applies one fault through the lab driver with its ledger entry written first (the benchmarks' path, which is the
 * engine's), runs `during`, and reverts it from the ledger the way the engine and the watchdog do, on failure too.
 * `runId` tells the suites' entries apart; `hold` is the fault's planned duration (its TTL adds 30 s).
 */
export async function withLabFault(
  lab: LabState,
  spec: FaultSpec,
  during: (detail: Record<string, unknown>) => Promise<void>,
  options: { runId: string; hold?: string },
): Promise<void> {
  const name = `${options.runId}-${spec.kind}`;
  const hold = options.hold ?? '30s';
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  expect((await driver.check({ name, spec, at: '0s', duration: hold })).map((p) => p.message)).toEqual([]);
  const fault = await applyBenchFault(lab, spec, name, hold, options.runId);
  try {
    await during(fault.detail);
  } finally {
    await fault.revert();
  }
}
