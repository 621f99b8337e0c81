import { absoluteRunDir } from './contract/index.ts';
import { readStarted } from './lab-files.ts';
import { cpuTicksOf, withDescendants } from './process/index.ts';
import { readSupervised } from './supervisor/index.ts';

/** Linux reports CPU time in USER_HZ ticks, 100 per second on every mainstream kernel. */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The lab's processes grouped by kind (services, postgres, nginx…), each with its children: PostgreSQL backends and
 * NGINX workers do the work, not their parents.
 */
export function labProcessGroups(runDir: string): Record<string, number[]> {
  const dir = absoluteRunDir(runDir);
  // Supervised units first: they are the supervisor's children, and must count as themselves, not as it.
  const roots: [string, number][] = [
    ...readSupervised(dir).map((u): [string, number] => [u.kind === 'service' ? 'services' : u.kind, u.pid]),
    ...(readStarted(dir)?.components.map((c): [string, number] => [c.kind, c.pid]) ?? []),
  ];
  const groups: Record<string, number[]> = {};
  const counted = new Set<number>();
  for (const [kind, pid] of roots) {
    const fresh = withDescendants([pid]).filter((p) => !counted.has(p));
    for (const p of fresh) counted.add(p);
    (groups[kind] ??= []).push(...fresh);
  }
  return groups;
}

/** Every process of the lab, children included. */
export function labPids(runDir: string): number[] {
  return Object.values(labProcessGroups(runDir)).flat();
}

/** CPU time used so far by the lab's processes, in clock ticks, per group. */
export function labCpuTicks(runDir: string): Record<string, number> {
  return Object.fromEntries(Object.entries(labProcessGroups(runDir)).map(([kind, pids]) => [kind, pids.reduce((sum, pid) => sum + cpuTicksOf(pid), 0)]));
}
