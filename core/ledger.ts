import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultSpec } from './fault.ts';
import { runRevertAction, type DriverRevertHandler, type RevertAction } from './revert-action.ts';

/** One fault that is, or may be, applied to a target. Written before the fault is applied; removed after revert. */
export interface LedgerEntry {
  id: string;
  runId: string;
  scenario: string;
  target: string;
  fault: string;
  spec: FaultSpec;
  createdAt: number;
  /** After this instant a watchdog or `faultline cleanup` reverts the fault even if the harness is gone. */
  expiresAt: number;
  /** Run in order to undo the fault. */
  revert: RevertAction[];
}

/**
 * The on-disk list of faults that may still be applied: one JSON file per fault in one folder, each written
 * atomically (write then rename) so a crash never leaves a half entry for the watchdog to misread.
 */
export class Ledger {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  record(entry: LedgerEntry): void {
    const tmp = join(this.dir, `.${entry.id}.tmp`);
    writeFileSync(tmp, JSON.stringify(entry, null, 2));
    renameSync(tmp, this.pathOf(entry.id));
  }

  /**
   * Writes a probe entry the way `record` writes a fault, and removes it: throws (EPERM, EROFS, ENOSPC…) when faults
   * could not be recorded. Preflight calls it so a ledger that cannot be written is refused before anything starts.
   */
  probe(): void {
    const id = `.probe-${process.pid}-${Date.now()}`;
    const tmp = join(this.dir, `${id}.tmp`);
    try {
      writeFileSync(tmp, '{}');
      renameSync(tmp, this.pathOf(id));
    } finally {
      rmSync(tmp, { force: true });
      rmSync(this.pathOf(id), { force: true });
    }
  }

  remove(id: string): void {
    rmSync(this.pathOf(id), { force: true });
  }

  list(): LedgerEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const entries: LedgerEntry[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      try {
        entries.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as LedgerEntry);
      } catch {
        // removed between readdir and read: already reverted
      }
    }
    return entries.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Carries out an entry's revert actions, then forgets it. Throws (and keeps the entry) if any action fails. */
  async revert(entry: LedgerEntry, drivers: Record<string, DriverRevertHandler> = {}): Promise<void> {
    const errors: string[] = [];
    for (const action of entry.revert) {
      try {
        await runRevertAction(action, drivers);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    if (errors.length) throw new Error(`revert of ${entry.fault} (${entry.id}) failed: ${errors.join('; ')}`);
    this.remove(entry.id);
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}
