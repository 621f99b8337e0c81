import type { Duration } from '../../core/index.ts';
import { CHAOS_API_VERSION, modeSpec, targetSpec, type ChaosResource, type ChaosTarget, type ModeSpec, type ObjectMeta, type PodSelectorSpec } from './chaos-resource.ts';
import { goDuration } from './go-duration.ts';

export type NetworkDirection = 'to' | 'from' | 'both';

interface NetworkChaosCommon {
  target: ChaosTarget;
  duration: Duration;
  /** Default `to`: only traffic leaving the selected pods is affected. */
  direction?: NetworkDirection;
  /** The other side, as pods the same cluster can select (Chaos Mesh's `spec.target`). */
  peer?: ChaosTarget;
  /** The other side, as IPs, CIDRs or host names: how a cluster reaches pods in another cluster. */
  externalTargets?: string[];
}

export type NetworkChaosOptions = NetworkChaosCommon &
  (
    | { action: 'partition' }
    | { action: 'delay'; latency: Duration; jitter?: Duration; /** Percent, 0..100. */ correlation?: number }
    | { action: 'loss'; /** Percent, 0..100. */ loss: number; correlation?: number }
  );

export type NetworkChaosSpec = {
  action: NetworkChaosOptions['action'];
  selector: PodSelectorSpec;
  direction: NetworkDirection;
  duration: string;
  target?: { selector: PodSelectorSpec } & ModeSpec;
  externalTargets?: string[];
  delay?: { latency: string; jitter?: string; correlation?: string };
  loss?: { loss: string; correlation?: string };
} & ModeSpec;

export function networkChaos(metadata: ObjectMeta, o: NetworkChaosOptions): ChaosResource<NetworkChaosSpec> {
  const spec: NetworkChaosSpec = {
    action: o.action,
    ...targetSpec(o.target),
    direction: o.direction ?? 'to',
    duration: goDuration(o.duration),
  };
  if (o.peer) spec.target = { selector: o.peer.selector, ...modeSpec(o.peer.selection) };
  if (o.externalTargets?.length) spec.externalTargets = [...o.externalTargets];
  if (o.action === 'delay') {
    spec.delay = { latency: goDuration(o.latency, 'latency') };
    if (o.jitter !== undefined) spec.delay.jitter = goDuration(o.jitter, 'jitter');
    if (o.correlation !== undefined) spec.delay.correlation = String(o.correlation);
  }
  if (o.action === 'loss') {
    spec.loss = { loss: String(o.loss) };
    if (o.correlation !== undefined) spec.loss.correlation = String(o.correlation);
  }
  return { apiVersion: CHAOS_API_VERSION, kind: 'NetworkChaos', metadata, spec };
}
