import type { KubernetesBinding, RegionCluster } from '../../chaos/mesh/index.ts';

/** The Istio workload namespaces, one per workload as the seed draws them; the same on EKS and GKE (GitOps-synced). */
const WORKLOADS = {
  'api-gateway': 'edge',
  'auth-services': 'auth',
  'core-services': 'core',
  'auxiliary-services': 'aux',
} as const;

const region = (context: string, vpcCidrs: string[]): RegionCluster => ({
  context,
  vpcCidrs,
  // A partition isolates every pod in the workload namespaces; the mesh's own namespaces stay out of reach.
  network: { namespaces: Object.values(WORKLOADS) },
  services: Object.fromEntries(
    Object.entries(WORKLOADS).map(([service, namespace]) => [
      service,
      // Istio's recommended `app` label. Every pod also runs `istio-proxy`; containerKill aims at the app container.
      { namespace, labels: { app: service }, container: service },
    ]),
  ),
  load: { namespace: 'k6', ingressUrl: 'http://istio-ingressgateway.istio-system.svc.cluster.local' },
});

/**
 * Seed 004 on Kubernetes: EKS in AWS, GKE in GCP. Edit the contexts, namespaces and CIDRs for your clusters.
 *
 * The CIDRs are invented, plausible private ranges that do not overlap, as the Interconnect requires. EKS pods take
 * VPC addresses, so one VPC CIDR covers them; GKE (VPC-native) pods take a secondary range, so the GCP side lists
 * its node subnet and its pod range. Its Service range is left out: ClusterIPs are not routed over the Interconnect.
 *
 * Aurora, DynamoDB, MSK, ElastiCache and their GCP counterparts are managed services with no pods to select, so
 * no `databases` or `cache` are bound: replicaLag and cacheLoss are refused at preflight instead of silently doing
 * nothing. Lag the cross-cloud replication with a latency fault on the link instead.
 *
 * The seed runs the DR workloads on GKE Autopilot, where Chaos Mesh does not install: Autopilot refuses its
 * privileged chaos-daemon and its webhooks (chaos-mesh/chaos-mesh#2174). A cross-cluster partition is cut from both
 * ends, so a partition game day, and any fault on gcp-dr pods, needs the gke-dr context to be a GKE Standard cluster
 * with Chaos Mesh installed. Faults on aws-primary pods alone need only EKS.
 */
export const multiCloudMeshKubernetes: KubernetesBinding = {
  topology: 'multi-cloud-mesh',
  regions: {
    'aws-primary': region('eks-primary', ['10.40.0.0/16']),
    'gcp-dr': region('gke-dr', ['10.80.0.0/20', '10.84.0.0/14']),
  },
  allowedNamespaces: Object.values(WORKLOADS),
  // These clusters carry real users, and the seed runs Chaos Mesh against them on purpose, inside error budgets:
  // every fault must be explicitly allowed for the run (--allow-production) once the game day is agreed.
  productionLike: true,
};
