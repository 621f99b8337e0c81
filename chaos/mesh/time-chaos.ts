import type { Duration } from '../../core/index.ts';
import { CHAOS_API_VERSION, targetSpec, type ChaosResource, type ChaosTarget, type ModeSpec, type ObjectMeta, type PodSelectorSpec } from './chaos-resource.ts';
import { goDuration } from './go-duration.ts';

export interface ClockSkewOptions {
  target: ChaosTarget;
  duration: Duration;
  /** How far the pods' clocks move. */
  offset: Duration;
  /** Move clocks back instead of forward. Default false. */
  backwards?: boolean;
  /** Default: CLOCK_REALTIME only. */
  clockIds?: string[];
  containerNames?: string[];
}

export type TimeChaosSpec = { selector: PodSelectorSpec; duration: string; timeOffset: string; clockIds?: string[]; containerNames?: string[] } & ModeSpec;

export function timeChaos(metadata: ObjectMeta, o: ClockSkewOptions): ChaosResource<TimeChaosSpec> {
  const offset = goDuration(o.offset, 'offset');
  const spec: TimeChaosSpec = { ...targetSpec(o.target), duration: goDuration(o.duration), timeOffset: o.backwards ? `-${offset}` : offset };
  if (o.clockIds?.length) spec.clockIds = [...o.clockIds];
  if (o.containerNames?.length) spec.containerNames = [...o.containerNames];
  return { apiVersion: CHAOS_API_VERSION, kind: 'TimeChaos', metadata, spec };
}
