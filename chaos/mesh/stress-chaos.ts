import type { Duration } from '../../core/index.ts';
import { CHAOS_API_VERSION, targetSpec, type ChaosResource, type ChaosTarget, type ModeSpec, type ObjectMeta, type PodSelectorSpec } from './chaos-resource.ts';
import { goDuration } from './go-duration.ts';

export interface StressOptions {
  target: ChaosTarget;
  duration: Duration;
  /** CPU stressors; `load` is the percent each worker keeps busy. Default load: 100. */
  cpu?: { workers: number; load?: number };
  /** Memory stressors; `size` like `256MB` or `50%`. */
  memory?: { workers: number; size?: string };
  containerNames?: string[];
}

export type StressChaosSpec = {
  selector: PodSelectorSpec;
  duration: string;
  stressors: { cpu?: { workers: number; load?: number }; memory?: { workers: number; size?: string } };
  containerNames?: string[];
} & ModeSpec;

export function stressChaos(metadata: ObjectMeta, o: StressOptions): ChaosResource<StressChaosSpec> {
  const stressors: StressChaosSpec['stressors'] = {};
  if (o.cpu) stressors.cpu = o.cpu.load === undefined ? { workers: o.cpu.workers } : { workers: o.cpu.workers, load: o.cpu.load };
  if (o.memory) stressors.memory = o.memory.size === undefined ? { workers: o.memory.workers } : { ...o.memory };
  const spec: StressChaosSpec = { ...targetSpec(o.target), duration: goDuration(o.duration), stressors };
  if (o.containerNames?.length) spec.containerNames = [...o.containerNames];
  return { apiVersion: CHAOS_API_VERSION, kind: 'StressChaos', metadata, spec };
}
