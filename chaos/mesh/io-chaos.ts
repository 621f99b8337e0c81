import type { Duration } from '../../core/index.ts';
import { CHAOS_API_VERSION, targetSpec, type ChaosResource, type ChaosTarget, type ModeSpec, type ObjectMeta, type PodSelectorSpec } from './chaos-resource.ts';
import { goDuration } from './go-duration.ts';

export interface IoLatencyOptions {
  target: ChaosTarget;
  duration: Duration;
  /** Mount point of the volume inside the container (the webhook requires it), e.g. `/var/lib/postgresql/data`. */
  volumePath: string;
  /** Added to every matching I/O call. */
  delay: Duration;
  /** Glob of the files affected. Default: everything under volumePath. */
  path?: string;
  /** Share of matching calls delayed, 0..100. Default 100. */
  percent?: number;
  /** File-system calls affected, e.g. `['write', 'fsync']`. Default: all. */
  methods?: string[];
  containerNames?: string[];
}

export type IoChaosSpec = {
  action: 'latency';
  selector: PodSelectorSpec;
  duration: string;
  volumePath: string;
  delay: string;
  path?: string;
  percent?: number;
  methods?: string[];
  containerNames?: string[];
} & ModeSpec;

/** IOChaos `latency`: slow file-system calls on one volume. */
export function ioLatencyChaos(metadata: ObjectMeta, o: IoLatencyOptions): ChaosResource<IoChaosSpec> {
  const spec: IoChaosSpec = {
    action: 'latency',
    ...targetSpec(o.target),
    duration: goDuration(o.duration),
    volumePath: o.volumePath,
    delay: goDuration(o.delay, 'delay'),
  };
  if (o.path !== undefined) spec.path = o.path;
  if (o.percent !== undefined) spec.percent = o.percent;
  if (o.methods?.length) spec.methods = [...o.methods];
  if (o.containerNames?.length) spec.containerNames = [...o.containerNames];
  return { apiVersion: CHAOS_API_VERSION, kind: 'IOChaos', metadata, spec };
}
