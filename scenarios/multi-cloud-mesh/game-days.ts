import { scenario, type LoadProfile, type Scenario } from '../../core/index.ts';
import { availabilityGuardrail, capacityGuardrail, latencyGuardrail } from '../../assertions/index.ts';

/*
 * Seed 004 game days. Its binding is production-like: these run on clusters that carry real users, inside the
 * error budget, so the guardrails abort sooner and the pod faults hit fewer pods than on the staging slices.
 */

/** Users, partners and mobile apps land on AWS; the GCP DR region carries read traffic only (DR probes). */
const traffic: LoadProfile = {
  regions: {
    'aws-primary': { executor: 'constant-arrival-rate', rate: 30 },
    'gcp-dr': { executor: 'constant-arrival-rate', rate: 5 },
  },
  writeRatio: 0.2,
  requestTimeout: '3s',
};

/** Abort before the run spends a visible share of the month's error budget. */
const protectUsers = [
  availabilityGuardrail('aws-primary availability floor 97%', { region: 'aws-primary', below: 0.97, for: '5s' }),
  latencyGuardrail('aws-primary p99 latency ceiling 1.5s', { region: 'aws-primary', quantile: 0.99, above: '1500ms', for: '10s' }),
];

const awsBaseline = { name: 'aws-primary availability (steady state)', kind: 'availability', region: 'aws-primary', window: 'baseline', objective: 0.995 } as const;

/**
 * Cut the TGW↔Interconnect link for 2 min, replication included. The DR region keeps answering reads from its own
 * Cloud SQL and Bigtable copies, AWS does not notice, and the cross-cloud copies catch up after the heal.
 */
export const interconnectPartition: Scenario = scenario('multi-cloud-interconnect-partition', 'multi-cloud-mesh')
  .describe('Partition the TGW↔Interconnect link for 2 min: gcp-dr keeps serving reads, aws-primary is unaffected, the GCP copies catch up after the heal')
  .severity('critical')
  .load(traffic)
  .timeline({ recovery: '2m' })
  .inject({ kind: 'partition', regions: ['aws-primary', 'gcp-dr'] }, { for: '2m' })
  .expect(
    awsBaseline,
    { name: 'gcp-dr read availability (steady state)', kind: 'availability', region: 'gcp-dr', route: 'read', window: 'baseline', objective: 0.99 },
    { name: 'gcp-dr read availability during partition', kind: 'availability', region: 'gcp-dr', route: 'read', window: 'during', objective: 0.99 },
    { name: 'control: aws-primary availability during partition', kind: 'availability', region: 'aws-primary', window: 'during', objective: 0.995 },
    { name: 'aws-primary p95 latency unaffected by the partition', kind: 'latency', region: 'aws-primary', quantile: 0.95, window: 'during', objective: '400ms' },
    { name: 'gcp-dr copies catch up after the heal', kind: 'rto', region: 'gcp-dr', sli: 'replicaLag', threshold: 10, from: 'faultEnd', window: 'after', objective: '90s' },
    { name: 'gcp-dr writes during partition', kind: 'availability', region: 'gcp-dr', route: 'write', window: 'during', objective: 0.99, informational: true },
  )
  .guardrail(...protectUsers)
  .build();

/** Kill 30% of Core Services in AWS: Istio retries and the remaining pods carry the load while the ReplicaSet refills. */
export const coreServicesPodLoss: Scenario = scenario('multi-cloud-core-services-pod-loss', 'multi-cloud-mesh')
  .describe('Kill 30% of core-services pods in aws-primary under load: availability holds through mesh retries and capacity returns on its own')
  .severity('critical')
  .load(traffic)
  .inject({ kind: 'podKill', service: 'core-services', region: 'aws-primary', mode: 'fixed-percent', value: 30 }, { for: '60s' })
  .expect(
    awsBaseline,
    { name: 'aws-primary availability while core-services pods are killed', kind: 'availability', region: 'aws-primary', window: 'during', objective: 0.995 },
    { name: 'aws-primary p95 latency while core-services pods are killed', kind: 'latency', region: 'aws-primary', quantile: 0.95, window: 'during', objective: '500ms' },
    { name: 'core-services back to full capacity in aws-primary', kind: 'rto', region: 'aws-primary', sli: 'capacity', service: 'core-services', from: 'faultStart', window: 'during', objective: '60s' },
  )
  .guardrail(
    ...protectUsers,
    capacityGuardrail('core-services keeps at least two pods in aws-primary', { region: 'aws-primary', service: 'core-services', below: 2, for: '10s' }),
  )
  .build();

/** Saturate the API gateway's CPU: every request passes it, so its headroom is the platform's headroom. */
export const apiGatewayCpuStress: Scenario = scenario('multi-cloud-api-gateway-cpu-stress', 'multi-cloud-mesh')
  .describe('Stress every api-gateway pod in aws-primary with 2 CPU workers at 80% for 2 min: latency degrades within bounds and nothing fails')
  .severity('normal')
  .load(traffic)
  .inject({ kind: 'stress', service: 'api-gateway', region: 'aws-primary', cpuWorkers: 2, load: 80 }, { for: '2m' })
  .expect(
    awsBaseline,
    { name: 'aws-primary availability under gateway CPU stress', kind: 'availability', region: 'aws-primary', window: 'during', objective: 0.995 },
    { name: 'aws-primary p95 latency under gateway CPU stress', kind: 'latency', region: 'aws-primary', quantile: 0.95, window: 'during', objective: '600ms' },
    { name: 'aws-primary p95 latency after the stress', kind: 'latency', region: 'aws-primary', quantile: 0.95, window: 'after', objective: '400ms' },
    { name: 'aws-primary throughput holds under stress', kind: 'throughput', region: 'aws-primary', window: 'during', objective: 28.5 },
  )
  .guardrail(...protectUsers)
  .build();

/** The game days of the multi-cloud mesh (seed 004). */
export const multiCloudMeshGameDays: Scenario[] = [interconnectPartition, coreServicesPodLoss, apiGatewayCpuStress];
