import { readFileSync } from 'node:fs';

/**
 * The fields of /proc/<pid>/stat after the command name (so index 0 is the state, field 3 in `man proc`),
 * or undefined when the process is gone. The command name may hold spaces and parentheses; everything after
 * the last ')' is fixed-position.
 */
export function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Start time in clock ticks since boot (field 22): with the pid, it tells a process from a later one reusing it. */
export function processStartTime(pid: number): string | undefined {
  return procStatFields(pid)?.[19];
}
