import { Ledger, type LedgerEntry } from '../../core/index.ts';

/**
 * Reverts every ledger entry whose TTL has passed. The harness reverts its own faults on every exit path it can see;
 * this catches the one it cannot (SIGKILL, a crashed machine session): a fault never outlives its TTL by more than
 * one tick while the lab runs. Reverts are idempotent, so racing the harness's own revert is harmless.
 */
export class Watchdog {
  private readonly ledger: Ledger;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** When a failing entry was last reported, so a stubborn revert is retried every tick but logged rarely. */
  private readonly reportedAt = new Map<string, number>();

  constructor(
    ledgerDir: string,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
    /** Called after every pass over the ledger: the heartbeat preflight and `lab status` read. */
    private readonly onPass: () => void = () => {},
  ) {
    this.ledger = new Ledger(ledgerDir);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async tick(now = Date.now()): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const entry of this.ledger.list()) {
        if (entry.expiresAt <= now) await this.revert(entry, now);
      }
      this.onPass();
    } finally {
      this.busy = false;
    }
  }

  private async revert(entry: LedgerEntry, now: number): Promise<void> {
    const late = Math.round((now - entry.expiresAt) / 1000);
    try {
      await this.ledger.revert(entry);
      this.reportedAt.delete(entry.id);
      this.log(`watchdog: reverted ${entry.fault} (${entry.id}) of run ${entry.runId}, TTL passed ${late}s ago`);
    } catch (e) {
      if (now - (this.reportedAt.get(entry.id) ?? 0) >= 10_000) {
        this.reportedAt.set(entry.id, now);
        this.log(`watchdog: could not revert ${entry.fault} (${entry.id}), will keep trying: ${(e as Error).message}`);
      }
    }
  }
}
