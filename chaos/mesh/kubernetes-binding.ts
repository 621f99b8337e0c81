import { FaultlineError } from '../../core/index.ts';
import type { PodSelectorSpec } from './chaos-resource.ts';

/** The pods of one workload: the namespace they run in and the labels that select them. */
export interface WorkloadSelector {
  namespace: string;
  labels: Record<string, string>;
  /** The container `containerKill` hits when the fault names none. Required for containerKill on this workload. */
  container?: string;
  /** The port its container serves HTTP on, where HTTPChaos intercepts. Required for httpFault on this workload. */
  httpPort?: number;
  /** Names other regions resolve to reach it (DNSChaos patterns, `*` allowed). Required for dnsFault on it. */
  hostnames?: string[];
  /** Mount path of its data volume in the container, where IOChaos injects. Required for ioLatency on a database. */
  volumePath?: string;
}

/** A set of pods spread over namespaces, for faults that isolate a whole region (partition, link latency). */
export interface PodScope {
  /** The first namespace also holds the NetworkChaos resource. */
  namespaces: string[];
  /** Default: every pod in those namespaces. */
  labels?: Record<string, string>;
}

/** Where one datastore's pods run in a region. Only in-cluster databases can be hit by Chaos Mesh. */
export interface DatabasePods {
  primary?: WorkloadSelector;
  replica?: WorkloadSelector;
}

/** Where a secret store's nodes run in a region. */
export interface SecretStorePods extends WorkloadSelector {
  /**
   * The labels only the active (leader) pod carries, e.g. `vault-active: "true"`, which Vault's Kubernetes service
   * registration (the Vault Helm chart's default) keeps on the active pod. Required for a leader loss.
   */
  leaderLabels?: Record<string, string>;
}

/** One region's cluster. */
export interface RegionCluster {
  /** The kubeconfig context that reaches this region's cluster. Several regions may share one. */
  context: string;
  /** The region's VPC CIDRs: what other regions' partitions and latency faults aim at across clusters. */
  vpcCidrs: string[];
  /** Every pod of the system in this region: what a partition isolates and a link latency slows. */
  network: PodScope;
  /** Service name (as in the topology) → its pods. */
  services: Record<string, WorkloadSelector>;
  /** The region's cache pods (cacheLoss). */
  cache?: WorkloadSelector;
  /** Datastore name (as in the topology) → its pods in this region (replicaLag). */
  databases?: Record<string, DatabasePods>;
  /** Secret store name (as in the topology) → its pods in this region (secretStoreLoss). */
  secretStores?: Record<string, SecretStorePods>;
  /** Where k6-operator runs this region's load and which URL its runners hit. Needed only for distributed load. */
  load?: { namespace: string; ingressUrl: string };
}

/**
 * How a topology maps onto Kubernetes clusters: a plain configuration users edit for their own clusters.
 * Defined here because core has no Kubernetes notion; targets/<topology>/kubernetes.ts holds the instances.
 */
export interface KubernetesBinding {
  /** Name of the topology this binds, e.g. `tri-region-tgw`. */
  topology: string;
  /** Region name → its cluster. */
  regions: Record<string, RegionCluster>;
  /** The blast radius: no fault may select pods, or create resources, outside these namespaces. */
  allowedNamespaces: string[];
  /** Marks clusters that carry real users. Faults are refused unless the run explicitly allows it. Default false. */
  productionLike: boolean;
}

export function requireRegionCluster(binding: KubernetesBinding, region: string): RegionCluster {
  const cluster = binding.regions[region];
  if (!cluster) {
    throw new FaultlineError(
      'FAULTLINE_UNKNOWN_NAME',
      `region "${region}" has no cluster in the kubernetes binding of "${binding.topology}"`,
      `bound regions: ${Object.keys(binding.regions).join(', ') || '(none)'}; add it under regions in the binding`,
    );
  }
  return cluster;
}

/** Each distinct context once, with the regions it serves. */
export function contextsOf(binding: KubernetesBinding): { context: string; regions: string[] }[] {
  const byContext = new Map<string, string[]>();
  for (const [region, cluster] of Object.entries(binding.regions)) {
    byContext.set(cluster.context, [...(byContext.get(cluster.context) ?? []), region]);
  }
  return [...byContext].map(([context, regions]) => ({ context, regions }));
}

export function workloadSelector(w: WorkloadSelector): PodSelectorSpec {
  return { namespaces: [w.namespace], labelSelectors: { ...w.labels } };
}

export function scopeSelector(scope: PodScope): PodSelectorSpec {
  return scope.labels && Object.keys(scope.labels).length
    ? { namespaces: [...scope.namespaces], labelSelectors: { ...scope.labels } }
    : { namespaces: [...scope.namespaces] };
}
