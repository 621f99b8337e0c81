import type { KubernetesBinding, RegionCluster } from '../../chaos/mesh/index.ts';

/**
 * Seed 003 on Kubernetes: one EKS cluster per region, as the diagram draws it. Edit this for your clusters:
 * context names as `kubectl config get-contexts` lists them, your namespaces and labels, your VPC CIDRs.
 *
 * The databases in the seed are RDS, which Chaos Mesh cannot reach; the `databases` selectors assume the
 * PostgreSQL primary and replicas run in-cluster (e.g. CloudNativePG). With RDS, leave them out and replicaLag
 * will be refused at preflight instead of silently doing nothing.
 */
const region = (context: string, vpcCidr: string, role: 'primary' | 'replica'): RegionCluster => ({
  context,
  vpcCidrs: [vpcCidr],
  // A partition or link latency isolates everything of the system in the region, app and data alike.
  network: { namespaces: ['shop', 'shop-data'], labels: { 'app.kubernetes.io/part-of': 'tri-region' } },
  services: {
    'service-main': {
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'service-main' },
      container: 'service',
      httpPort: 8080,
      // What the other regions call for "Write via API" (dnsFault makes these fail to resolve).
      hostnames: [`api.${context.replace(/^eks-/, '')}.shop.internal`],
    },
    'service-backup': { namespace: 'shop', labels: { 'app.kubernetes.io/name': 'service-backup' }, container: 'service' },
  },
  cache: { namespace: 'shop-data', labels: { 'app.kubernetes.io/name': 'redis' } },
  databases: {
    rds: {
      [role]: {
        namespace: 'shop-data',
        labels: { 'app.kubernetes.io/name': 'postgres', 'faultline.dev/db-role': role },
        container: 'postgres',
        volumePath: '/var/lib/postgresql/data',
      },
    },
  },
  load: { namespace: 'k6', ingressUrl: `http://ingress-nginx-controller.ingress-nginx.svc.cluster.local` },
  // Vault from its Helm chart: Jakarta's raft group, and the DR region's performance replicas. Kubernetes service
  // registration labels the active pod vault-active=true, which is how a leader loss finds the leader.
  secretStores: {
    vault: {
      namespace: 'vault',
      labels: { 'app.kubernetes.io/name': 'vault' },
      container: 'vault',
      ...(role === 'primary' ? { leaderLabels: { 'vault-active': 'true' } } : {}),
    },
  },
});

export const triRegionTgwKubernetes: KubernetesBinding = {
  topology: 'tri-region-tgw',
  regions: {
    jkt: region('eks-jakarta', '10.4.0.0/16', 'primary'),
    bdg: region('eks-bandung', '10.5.0.0/16', 'replica'),
    sby: region('eks-surabaya', '10.2.0.0/16', 'replica'),
  },
  // The blast radius: faults never select or create anything outside these.
  allowedNamespaces: ['shop', 'shop-data', 'vault'],
  productionLike: false,
};
