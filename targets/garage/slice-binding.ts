import type { Topology } from '../../core/index.ts';
import type { DatabasePods, KubernetesBinding, RegionCluster } from '../../chaos/mesh/index.ts';

/**
 * The garage platform's two EKS clusters, which every slice shares. Edit the contexts to what
 * `kubectl config get-contexts` lists for you. The VPC CIDRs are invented, plausible private ranges (the seeds give
 * none); replace them with yours, or partitions will aim at the wrong addresses. EKS pods take VPC addresses, so the
 * VPC CIDR covers every pod of the region.
 */
export const GARAGE_CLUSTERS: Record<'primary' | 'secondary', { context: string; vpcCidrs: string[] }> = {
  primary: { context: 'garage-staging-primary', vpcCidrs: ['10.20.0.0/16'] },
  secondary: { context: 'garage-staging-secondary', vpcCidrs: ['10.30.0.0/16'] },
};

/**
 * Managed services Chaos Mesh cannot select pods of (S3 cross-region replication, for one). Left out of the binding
 * so that a replicaLag on them is refused at preflight rather than silently doing nothing.
 */
const MANAGED_ENGINES = new Set(['object-storage']);

/**
 * Binds one slice onto the shared clusters. Each slice lives in its own namespace pair, `<slice>` for its pods and
 * `<slice>-data` for its stores, so a slice's game day can only ever touch that slice: the allowlist is exactly
 * those two namespaces.
 *
 * Stores are assumed to run in-cluster under operators (CloudNativePG, Strimzi, RabbitMQ), labelled with their
 * topology name and `faultline.dev/db-role`. For CDC and mirrored stores the `primary` pods are still the source:
 * the CDC connector and the mirror maker fetch from it, so delaying its egress toward the secondary delays every
 * change by exactly the injected amount.
 */
export function garageSliceBinding(topology: Topology): KubernetesBinding {
  const apps = topology.name;
  const data = `${apps}-data`;
  const region = (name: 'primary' | 'secondary'): RegionCluster => ({
    ...GARAGE_CLUSTERS[name],
    // A partition isolates this slice's pods in the region, app and data alike; other slices keep their links.
    network: { namespaces: [apps, data], labels: { 'app.kubernetes.io/part-of': apps } },
    services: Object.fromEntries(
      topology.services
        .filter((s) => s.regions.includes(name))
        // The app container is assumed to carry the service's name, so containerKill never hits a mesh sidecar.
        .map((s) => [s.name, { namespace: apps, labels: { 'app.kubernetes.io/name': s.name }, container: s.name }]),
    ),
    databases: Object.fromEntries(
      topology.datastores
        .filter((d) => !MANAGED_ENGINES.has(d.engine))
        .flatMap((d): [string, DatabasePods][] => {
          const role = d.primaryRegion === name ? 'primary' : d.replicas.some((r) => r.region === name) ? 'replica' : undefined;
          if (!role) return [];
          return [[d.name, { [role]: { namespace: data, labels: { 'app.kubernetes.io/name': d.name, 'faultline.dev/db-role': role } } }]];
        }),
    ),
    load: { namespace: 'k6', ingressUrl: `http://auth-proxy.${apps}.svc.cluster.local:8080` },
  });
  return {
    topology: topology.name,
    regions: { primary: region('primary'), secondary: region('secondary') },
    allowedNamespaces: [apps, data],
    // Bound to the staging copy of the platform. A binding to the clusters that carry garages' real work must say
    // productionLike: true, so that every fault there needs an explicit go-ahead.
    productionLike: false,
  };
}
