import { readdirSync, readFileSync } from 'node:fs';
import { procStatFields } from '../../core/index.ts';

/**
 * Reads of /proc: the lab tracks its processes by pid alone (they are not our children once the CLI that started
 * them has exited), so liveness, identity and CPU use all come from here.
 */

/** Alive and not a zombie. A SIGSTOPped process is alive. */
export function isAlive(pid: number): boolean {
  const state = procState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** One-letter state from /proc/<pid>/stat (R, S, T for stopped, Z...), undefined when gone. */
export function procState(pid: number): string | undefined {
  const fields = procStatFields(pid);
  return fields?.[0];
}

/** The command line joined by spaces, or undefined when the process is gone. */
export function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** utime + stime of one process, in clock ticks. */
export function cpuTicksOf(pid: number): number {
  const fields = procStatFields(pid);
  if (!fields) return 0;
  // After the command name: state is field 3, utime 14 and stime 15 (1-based), i.e. offsets 0, 11 and 12 here.
  return Number(fields[11]) + Number(fields[12]);
}

/** The given pids plus every process descending from them (PostgreSQL backends, NGINX workers...). */
export function withDescendants(pids: number[]): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = procStatFields(Number(name));
    if (fields) parentOf.set(Number(name), Number(fields[1]));
  }
  const wanted = new Set(pids.filter((p) => parentOf.has(p)));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (!wanted.has(pid) && wanted.has(ppid)) {
        wanted.add(pid);
        grew = true;
      }
    }
  }
  return [...wanted];
}
