import type { Duration } from '../../core/index.ts';
import { CHAOS_API_VERSION, targetSpec, type ChaosResource, type ChaosTarget, type ModeSpec, type ObjectMeta, type PodSelectorSpec } from './chaos-resource.ts';
import { goDuration } from './go-duration.ts';

export type PodChaosAction = 'pod-kill' | 'pod-failure' | 'container-kill';

export interface PodChaosOptions {
  action: PodChaosAction;
  target: ChaosTarget;
  /** The TTL: Chaos Mesh ends the experiment after it even if faultline is gone. */
  duration: Duration;
  /** Required by the webhook for `container-kill`. */
  containerNames?: string[];
  /** Seconds the killed pod gets to shut down (`pod-kill`). Default 0: a kill, not a drain. */
  gracePeriod?: number;
}

export type PodChaosSpec = { action: PodChaosAction; selector: PodSelectorSpec; duration: string; containerNames?: string[]; gracePeriod?: number } & ModeSpec;

export function podChaos(metadata: ObjectMeta, o: PodChaosOptions): ChaosResource<PodChaosSpec> {
  const spec: PodChaosSpec = { action: o.action, ...targetSpec(o.target), duration: goDuration(o.duration) };
  if (o.containerNames?.length) spec.containerNames = [...o.containerNames];
  if (o.gracePeriod !== undefined) spec.gracePeriod = o.gracePeriod;
  return { apiVersion: CHAOS_API_VERSION, kind: 'PodChaos', metadata, spec };
}
