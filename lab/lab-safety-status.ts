import { hostname } from 'node:os';
import { join } from 'node:path';
import { Ledger, type LeaseHolder } from '../core/index.ts';
import { isLiveHolder, LAB_LEDGER_DIR, readLeaseHolders, watchdogProblem, type LabState } from './contract/index.ts';

/** One fault in the lab's ledger, as `lab status` shows it. */
export interface LedgerRow {
  fault: string;
  kind: string;
  runId: string;
  /** Its run still holds the lab: it will revert the fault itself. */
  runActive: boolean;
  ageS: number;
  /** Seconds until its TTL passes (negative: passed that long ago). */
  ttlS: number;
}

/** Who is experimenting on the lab, what is still applied, and what to do about it. */
export interface LabSafety {
  experiments: LeaseHolder[];
  ledger: LedgerRow[];
  /** Set when the TTL watchdog would not revert anything: why. */
  watchdog?: string;
  /** What to do, when something needs doing. */
  advice: string[];
}

export function labSafety(runDir: string, state: LabState | undefined, toxiproxyUp: boolean, now = Date.now()): LabSafety {
  const experiments = readLeaseHolders(runDir).filter((h) => isLiveHolder(h, hostname(), now));
  const active = new Set(experiments.map((h) => h.runId));
  const ledger = new Ledger(join(runDir, LAB_LEDGER_DIR)).list().map((e) => ({
    fault: e.fault,
    kind: e.spec.kind,
    runId: e.runId,
    runActive: active.has(e.runId),
    ageS: Math.round((now - e.createdAt) / 1000),
    ttlS: Math.round((e.expiresAt - now) / 1000),
  }));
  const watchdog = state ? watchdogProblem(runDir, now) : undefined;
  const orphans = ledger.filter((r) => !r.runActive);
  const advice: string[] = [];
  if (watchdog) advice.push(`${watchdog}: faults of a killed harness are never reverted. Restart the lab: faultline lab down && faultline lab up`);
  if (orphans.length) {
    const list = orphans.map((r) => `${r.fault} of ${r.runId}`).join(', ');
    const later = !watchdog && orphans.every((r) => r.ttlS > 0) ? ' (the watchdog would revert them when their TTL passes)' : '';
    advice.push(`${orphans.length} fault(s) in the ledger belong to no running experiment (${list}): faultline cleanup reverts them now${later}`);
  }
  if (!toxiproxyUp && state && ledger.some((r) => r.kind === 'partition' || r.kind === 'latency')) {
    advice.push(
      'toxiproxy is not running: every cross-region link is down and the link faults in the ledger cannot be reverted. ' +
        'Restart the lab (faultline lab down && faultline lab up: a new toxiproxy carries no toxics), then faultline cleanup clears the ledger',
    );
  }
  return { experiments, ledger, ...(watchdog ? { watchdog } : {}), advice };
}
