/** One API resource the simulator serves. */
export interface ResourceType {
  /** `''` for the core group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

const chaos = (kind: string, plural: string): ResourceType => ({ group: 'chaos-mesh.org', version: 'v1alpha1', plural, kind, namespaced: true });

/** Enough of Kubernetes for faultline: core objects, the Chaos Mesh kinds and k6-operator's TestRun. */
export const RESOURCE_TYPES: ResourceType[] = [
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  chaos('PodChaos', 'podchaos'),
  chaos('NetworkChaos', 'networkchaos'),
  chaos('IOChaos', 'iochaos'),
  chaos('StressChaos', 'stresschaos'),
  chaos('DNSChaos', 'dnschaos'),
  chaos('HTTPChaos', 'httpchaos'),
  chaos('TimeChaos', 'timechaos'),
  { group: 'k6.io', version: 'v1alpha1', plural: 'testruns', kind: 'TestRun', namespaced: true },
];

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function findType(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}

export function typeKey(t: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${t.group}/${t.plural}`;
}
