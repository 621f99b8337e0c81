import type { Topology } from '../../core/index.ts';

const BOTH = ['aws-primary', 'gcp-dr'];

/**
 * Seed 004: a microservice platform on an Istio mesh, AWS primary with a GCP disaster-recovery region, deployed by
 * GitOps (ArgoCD/Flux on EKS, Config Sync on GKE). The AWS Transit Gateway and GCP Dedicated Interconnect join the
 * two clouds; every cross-cloud replication rides that link.
 *
 * A datastore's engine is that of its primary; the seed replicates each into a different GCP engine, which is why
 * the Aurora and DynamoDB copies follow by change data capture rather than as native replicas.
 */
export const multiCloudMesh: Topology = {
  name: 'multi-cloud-mesh',
  description: 'AWS primary + GCP DR on an Istio mesh; Aurora→Cloud SQL and DynamoDB→Bigtable by CDC, MSK mirrored to Pub/Sub, over TGW↔Interconnect',
  regions: [
    { name: 'aws-primary', role: 'primary', description: 'AWS: EKS + Istio, Aurora, DynamoDB, MSK, ElastiCache; takes all writes' },
    { name: 'gcp-dr', role: 'secondary', description: 'GCP DR: GKE + Anthos Service Mesh on Cloud SQL, Bigtable, Pub/Sub, Memorystore' },
  ],
  // The GKE "DR Workloads" are the same four workloads, synced from the same Git repository.
  services: [
    { name: 'api-gateway', role: 'main', regions: BOTH },
    { name: 'auth-services', role: 'main', regions: BOTH },
    { name: 'core-services', role: 'main', regions: BOTH },
    { name: 'auxiliary-services', role: 'main', regions: BOTH },
  ],
  datastores: [
    { name: 'aurora', engine: 'aurora', primaryRegion: 'aws-primary', replicas: [{ region: 'gcp-dr', mode: 'cdc' }] },
    { name: 'dynamodb', engine: 'dynamodb', primaryRegion: 'aws-primary', replicas: [{ region: 'gcp-dr', mode: 'cdc' }] },
    { name: 'msk', engine: 'kafka', primaryRegion: 'aws-primary', replicas: [{ region: 'gcp-dr', mode: 'mirror' }] },
  ],
  // ElastiCache in AWS, Memorystore in GCP: one Redis per region.
  caches: [{ name: 'redis', engine: 'redis', regions: BOTH }],
  links: [{ name: 'tgw-interconnect', kind: 'interconnect', between: ['aws-primary', 'gcp-dr'] }],
  // The API gateway's calls on Core Services inside AWS, through the Envoy proxies: where the mesh HTTP faults aim.
  routes: [
    { from: 'aws-primary', service: 'core-services', region: 'aws-primary', method: 'POST', path: '/items' },
    { from: 'aws-primary', service: 'core-services', region: 'aws-primary', method: 'GET', path: '/items/*' },
  ],
};
