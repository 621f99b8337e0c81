import type { ActivePassiveShape, LabBinding } from '../../lab/contract/index.ts';

/**
 * A garage slice on the embedded active/passive lab. Each slice gets its own port range and run folder, so labs of
 * different slices never collide (the tri-region lab sits at 19000). The lab runs one workload per region, two
 * replicas in the primary and one warm-standby replica in the secondary, and only the stores its game days need.
 */
export function garageSliceLab(portBase: number, slice: string, shape: Omit<ActivePassiveShape, 'watcher'>): LabBinding {
  return {
    portBase,
    mainReplicas: { primary: 2, secondary: 1 },
    backupReplicas: 0,
    restartDelayMs: 3_000,
    runDir: `.faultline/lab-${slice}`,
    serviceTimeoutMs: 800,
    // The DR automation declares the primary dead after 3 missed checks 500 ms apart: detection in about 1.5 s.
    activePassive: { ...shape, watcher: { intervalMs: 500, missed: 3 } },
  };
}
