import type { LabBinding } from '../../lab/contract/index.ts';

/**
 * Seed 004 on the embedded active/passive lab (ports 19800-19849, beside the garage slices' 19500/19600/19700),
 * reduced to what its game days need:
 * - core-services, two replicas in aws-primary and a warm standby in gcp-dr, behind the region's ingress, which plays
 *   the API gateway; in aws-primary a route proxy (the mesh's sidecar layer) sits between them and carries the HTTP
 *   faults of the route aws-primary → core-services;
 * - Aurora → Cloud SQL as PostgreSQL with a streaming replica (the seed's copy is CDC into another engine; both are
 *   asynchronous and promoted on failover), MSK → Pub/Sub as a NATS JetStream stream and its mirror;
 * - the DR service, its watcher and runbook, and a global entry standing in for Route 53 → Cloud DNS.
 * DynamoDB → Bigtable and ElastiCache → Memorystore are left out: no lab game day of this seed reads them.
 */
export const multiCloudMeshLab: LabBinding = {
  portBase: 19800,
  mainReplicas: { 'aws-primary': 2, 'gcp-dr': 1 },
  backupReplicas: 0,
  restartDelayMs: 3_000,
  runDir: '.faultline/lab-multi-cloud-mesh',
  serviceTimeoutMs: 800,
  activePassive: {
    service: 'core-services',
    replicated: 'aurora',
    mirror: 'msk',
    meshRoute: true,
    // The DR automation declares aws-primary dead after 3 missed checks 500 ms apart, as on the garage slices.
    watcher: { intervalMs: 500, missed: 3 },
  },
};
