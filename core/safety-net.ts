import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { FaultlineError } from './errors.ts';
import type { Journal } from './journal.ts';
import type { Ledger } from './ledger.ts';
import type { LoadProfile } from './load-profile.ts';

/** Free space every run needs beside its own estimate: the journal, k6's logs and summary, the report. */
const BASE_FREE_BYTES = 64 * 1024 * 1024;
/** One request-stream line (start or end) on disk, generously. */
const STREAM_LINE_BYTES = 250;

/**
 * What a run writes must be writable before anything starts: the ledger (a probe entry written and removed, the way
 * a fault is recorded) and free disk for the journal and the request stream. Each problem is a coded refusal.
 * `FAULTLINE_MIN_FREE_DISK_MB` raises the floor (for machines whose disk is shared, and to test the check).
 */
export function safetyNetProblems(c: { ledger: Ledger; journal: Journal; load: LoadProfile; loadDurationMs: number }): FaultlineError[] {
  const problems: FaultlineError[] = [];
  try {
    c.ledger.probe();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    problems.push(
      new FaultlineError(
        'FAULTLINE_LEDGER_UNWRITABLE',
        `the fault ledger in ${c.ledger.dir} cannot be written (${err.code ?? 'error'}: ${err.message.split('\n')[0]}); every fault is written there before it is applied, so none can be`,
        `check the folder's owner, mode and attributes (ls -ld, lsattr -d ${c.ledger.dir}) and its free space, then start again`,
      ),
    );
  }
  const folder = dirname(c.journal.path);
  const need = neededBytes(c.load, c.loadDurationMs);
  let free: number | undefined;
  try {
    const fs = statfsSync(folder);
    free = fs.bavail * fs.bsize;
  } catch {
    // an unreadable filesystem shows up as the journal's own write error
  }
  if (free !== undefined && free < need) {
    problems.push(
      new FaultlineError(
        'FAULTLINE_DISK_FULL',
        `only ${mb(free)} free where the journal goes (${folder}); this run needs about ${mb(need)} (journal, k6 output and the request stream)`,
        'free some space, or point the session folder elsewhere (FAULTLINE_SESSION_DIR)',
      ),
    );
  }
  return problems;
}

function neededBytes(load: LoadProfile, durationMs: number): number {
  const floor = Number(process.env.FAULTLINE_MIN_FREE_DISK_MB ?? 0) * 1024 * 1024;
  const rate = Object.values(load.regions).reduce((sum, r) => {
    if (r.executor === 'constant-arrival-rate') return sum + r.rate;
    if (r.executor === 'ramping-arrival-rate') return sum + Math.max(r.startRate, ...r.stages.map((s) => s.target));
    return sum + r.vus * 100; // a VU on loopback makes at most about a hundred requests a second
  }, 0);
  return Math.max(floor, BASE_FREE_BYTES + rate * (durationMs / 1_000) * 2 * STREAM_LINE_BYTES);
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
