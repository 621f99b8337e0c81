/**
 * The lab's delaying disk: faultline-slowfs (lab/go/slowfs), a loopback FUSE filesystem mounted over the folder that
 * holds the PostgreSQL data directories. Each database's folder is a top-level entry of the mount; a rule file per
 * folder in the control folder says which operations wait and for how long. The filesystem re-reads the folder
 * within a few milliseconds of a change, so writing a rule file applies an ioLatency fault while the database runs,
 * and emptying it reverts the fault.
 */
export interface LabSlowDisk {
  /** What PostgreSQL sees: its data directories live below it. */
  mount: string;
  /** Where the bytes are. */
  backing: string;
  /** Holds one rule file per database folder (slowDiskRuleFile). */
  controlDir: string;
  pid: number;
}

/** What one database folder's operations suffer. `methods` as in Chaos Mesh IOChaos (read, write, fsync, flush, open). */
export interface SlowDiskRule {
  delayUs: number;
  /** Share of operations delayed, 1..100. */
  percent: number;
  methods: string[];
}

/** The rule file of one database folder; empty (or absent) means nothing is delayed there. */
export function slowDiskRuleFile(controlDir: string, folder: string): string {
  return `${controlDir}/${folder}.json`;
}

export function slowDiskRule(rule: SlowDiskRule): string {
  return `${JSON.stringify(rule)}\n`;
}

/** The folder below the mount that holds one region's PostgreSQL data directory. */
export function slowDiskFolder(region: string): string {
  return `postgres-${region}`;
}

/** The operations a database's disk latency slows when a fault names none: reading and writing data and the WAL. */
export const SLOW_DISK_METHODS = ['read', 'write', 'fsync'];
