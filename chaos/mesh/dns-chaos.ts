import type { Duration } from '../../core/index.ts';
import { CHAOS_API_VERSION, targetSpec, type ChaosResource, type ChaosTarget, type ModeSpec, type ObjectMeta, type PodSelectorSpec } from './chaos-resource.ts';
import { goDuration } from './go-duration.ts';

export interface DnsOptions {
  target: ChaosTarget;
  duration: Duration;
  /** `error`: lookups fail; `random`: lookups return random IPs. */
  action: 'error' | 'random';
  /** Host-name patterns affected, e.g. `['*.rds.amazonaws.com']`. Default: every lookup. */
  patterns?: string[];
}

export type DnsChaosSpec = { action: 'error' | 'random'; selector: PodSelectorSpec; duration: string; patterns?: string[] } & ModeSpec;

export function dnsChaos(metadata: ObjectMeta, o: DnsOptions): ChaosResource<DnsChaosSpec> {
  const spec: DnsChaosSpec = { action: o.action, ...targetSpec(o.target), duration: goDuration(o.duration) };
  if (o.patterns?.length) spec.patterns = [...o.patterns];
  return { apiVersion: CHAOS_API_VERSION, kind: 'DNSChaos', metadata, spec };
}
