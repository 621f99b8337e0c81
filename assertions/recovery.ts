/** Where an SLI stands at the end of an RTO clock. Times are epoch ms. */
export type Recovery =
  | { state: 'no-data' }
  /** Healthy at every step: the fault never pushed it out of bounds. */
  | { state: 'never-left' }
  /** Healthy from `at` until the end, and not healthy at the step before. */
  | { state: 'recovered'; at: number }
  /** Still unhealthy (or silent) at the last step. */
  | { state: 'not-recovered' };

export interface StepGrid {
  start: number;
  end: number;
  stepMs: number;
}

/**
 * Walks a range query's steps from the clock's start to the window's end and finds the moment the SLI came back
 * and stayed back. A step without a sample counts as unhealthy: a dead service stops reporting, and silence must
 * never look like recovery.
 */
export function findRecovery(points: [number, number][], grid: StepGrid, healthy: (value: number) => boolean): Recovery {
  if (points.length === 0) return { state: 'no-data' };
  const byStep = new Map<number, number>();
  for (const [t, v] of points) byStep.set(Math.round((t - grid.start) / grid.stepMs), v);
  const steps = Math.floor((grid.end - grid.start) / grid.stepMs) + 1;
  let lastUnhealthy = -1;
  for (let i = 0; i < steps; i++) {
    const v = byStep.get(i);
    if (v === undefined || !healthy(v)) lastUnhealthy = i;
  }
  if (lastUnhealthy === -1) return { state: 'never-left' };
  if (lastUnhealthy === steps - 1) return { state: 'not-recovered' };
  return { state: 'recovered', at: grid.start + (lastUnhealthy + 1) * grid.stepMs };
}
