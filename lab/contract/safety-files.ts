import { join } from 'node:path';
import { processStartTime, procStatFields, type LeaseHolder } from '../../core/index.ts';
import { readJsonFile } from './json-file.ts';
import { readLabState } from './lab-readers.ts';

/**
 * The lab's safety files, beside state.json in the run folder:
 * - `watchdog.json`: the supervisor's TTL watchdog writes it after every pass over the ledger, so a reader can tell a
 *   watchdog that works from one that is dead, frozen or stuck.
 * - `lease.json`: the runs holding the lab (one experiment at a time, unless allowed to share).
 */
export const LAB_WATCHDOG_FILE = 'watchdog.json';
export const LAB_LEASE_FILE = 'lease.json';

export interface WatchdogHeartbeat {
  pid: number;
  /** The end of its last pass over the ledger, epoch ms. */
  at: number;
  intervalMs: number;
}

export interface LeaseFile {
  holders: LeaseHolder[];
}

/** A watchdog that has not passed over the ledger for this long is not watching it. */
const HEARTBEAT_STALE_MS = 5_000;

export function readWatchdogHeartbeat(runDir: string): WatchdogHeartbeat | undefined {
  return readJsonFile<WatchdogHeartbeat>(join(runDir, LAB_WATCHDOG_FILE));
}

/**
 * Why the lab's TTL watchdog would not revert a fault left by a killed harness, or undefined when it would: the
 * supervisor gone, frozen, or its watchdog silent for too long.
 */
export function watchdogProblem(runDir: string, now = Date.now()): string | undefined {
  const { supervisor } = readLabState(runDir);
  if (processStartTime(supervisor.pid) === undefined) return `the lab supervisor (its TTL watchdog, pid ${supervisor.pid}) is not running`;
  if (procStatFields(supervisor.pid)?.[0] === 'T') return `the lab supervisor (its TTL watchdog, pid ${supervisor.pid}) is frozen (SIGSTOP)`;
  const beat = readWatchdogHeartbeat(runDir);
  if (!beat) return undefined; // a lab started before heartbeats: alive and not frozen is all that can be told
  const silent = now - beat.at;
  if (beat.pid === supervisor.pid && silent > Math.max(HEARTBEAT_STALE_MS, 10 * beat.intervalMs)) {
    return `the lab's TTL watchdog (supervisor pid ${supervisor.pid}) has not checked the ledger for ${Math.round(silent / 1000)}s`;
  }
  return undefined;
}

/** Holders of the lab's lease, live or not (see {@link isLiveHolder}). */
export function readLeaseHolders(runDir: string): LeaseHolder[] {
  return readJsonFile<LeaseFile>(join(runDir, LAB_LEASE_FILE))?.holders ?? [];
}

/** A holder whose lease has not expired and, on this machine, whose harness still runs. */
export function isLiveHolder(h: LeaseHolder, host: string, now = Date.now()): boolean {
  if (h.expiresAt <= now) return false;
  return h.host !== host || processStartTime(h.pid) !== undefined;
}
