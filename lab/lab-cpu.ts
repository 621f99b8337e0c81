import { cpuTicksOf, withDescendants } from './process/index.ts';
import { readStarted } from './lab-files.ts';
import { readSupervised } from './supervisor/index.ts';
import { absoluteRunDir } from './lab-files.ts';

/** Every process of the lab: what `lab up` started, the supervised units, and their children (postgres backends, nginx workers). */
export function labPids(runDir: string): number[] {
  const dir = absoluteRunDir(runDir);
  const roots = [...(readStarted(dir)?.components.map((c) => c.pid) ?? []), ...readSupervised(dir).map((u) => u.pid)];
  return withDescendants(roots);
}

/** CPU time used so far by the lab's processes, in clock ticks (USER_HZ, 100 per second on Linux). */
export function labCpuTicks(runDir: string): number {
  return labPids(runDir).reduce((sum, pid) => sum + cpuTicksOf(pid), 0);
}
