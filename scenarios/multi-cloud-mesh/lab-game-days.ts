import { scenario, type FaultSpec, type LoadProfile, type Scenario, type SloSpec } from '../../core/index.ts';
import { availabilityGuardrail, availabilityQuery, latencyQuantileQuery, replicaLagQuery } from '../../assertions/index.ts';

/*
 * Seed 004's game days on its embedded active/passive lab (targets/multi-cloud-mesh/lab.ts): the mesh's HTTP faults
 * on the route from the API gateway to Core Services in aws-primary, the Interconnect partition, and the loss of
 * aws-primary with the DR runbook failing over to gcp-dr. Each is judged against the service's own SLO as an error
 * budget (99.9 % over 30 days), besides the usual objectives. Holds are short (20-30 s) so the suite costs about
 * five minutes; the Kubernetes game days (game-days.ts) keep their longer holds for real clusters.
 */

const PRIMARY = 'aws-primary';
const DR = 'gcp-dr';

/** Users land on AWS through the global entry; the GCP DR region answers its own read probes. */
const LAB_TRAFFIC: LoadProfile = {
  regions: {
    [PRIMARY]: { executor: 'constant-arrival-rate', rate: 20 },
    [DR]: { executor: 'constant-arrival-rate', rate: 5 },
  },
  writeRatio: 0.2,
  requestTimeout: '3s',
};

/** The short timeline of every lab game day here. */
const SHORT = { warmup: '5s', baseline: '10s', recovery: '15s' } as const;

/** The mesh route the HTTP faults aim at: the API gateway's calls on Core Services, inside aws-primary. */
const gatewayToCore = (fault: { share: number; abort: number } | { share: number; delay: string }): FaultSpec => ({
  kind: 'httpFault',
  from: PRIMARY,
  service: 'core-services',
  region: PRIMARY,
  ...fault,
});

const primaryBaseline: SloSpec = { name: 'aws-primary availability (steady state)', kind: 'availability', region: PRIMARY, window: 'baseline', objective: 0.99 };
const primaryAfter: SloSpec = { name: 'aws-primary availability after the revert', kind: 'availability', region: PRIMARY, window: 'after', objective: 0.99 };
const drReads = (window: 'during' | 'whole'): SloSpec => ({ name: `gcp-dr read availability (${window})`, kind: 'availability', region: DR, route: 'read', window, objective: 0.99 });

/** The service's SLO is 99.9 % over 30 days; one game day may spend at most 2 % of that month's budget. */
const budget = (window: 'whole' = 'whole'): SloSpec => ({ name: 'aws-primary error budget spent at most 2%', kind: 'errorBudget', region: PRIMARY, target: 0.999, period: '30d', window, objective: 0.02 });

/** Never leave aws-primary's users mostly failing: the abort's 30 % is expected, a collapse is not. */
const primaryFloor = availabilityGuardrail('aws-primary availability floor 50%', { region: PRIMARY, below: 0.5, for: '5s' });

/**
 * 30 % of the gateway's calls on Core Services answer 503 at the proxy layer for 30 s. The errors stay on that route
 * (gcp-dr is untouched), are the share injected (no amplification by retries or by the gateway marking Core
 * Services down), cost a small, bounded share of the month's error budget, and stop with the revert.
 */
export const meshHttpAbort: Scenario = scenario('multi-cloud-mesh-http-abort', 'multi-cloud-mesh')
  .describe('Abort 30% of api-gateway → core-services calls in aws-primary with 503 for 30 s: errors stay at the injected share, gcp-dr is untouched, at most 2% of the error budget is spent')
  .severity('critical')
  .load(LAB_TRAFFIC)
  .timeline(SHORT)
  .inject(gatewayToCore({ share: 0.3, abort: 503 }), { for: '30s', name: 'abort-gateway-core' })
  .expect(
    primaryBaseline,
    {
      // Proves the fault took: an abort that hit nothing would pass every objective below.
      name: 'aws-primary errors reach the injected 30% during the abort',
      kind: 'custom',
      query: `1 - (${availabilityQuery({ region: PRIMARY }, '10s')})`,
      aggregate: 'max',
      comparator: '>=',
      threshold: 0.25,
      window: 'during',
    },
    { name: 'aws-primary availability holds above 65% (no amplification)', kind: 'availability', region: PRIMARY, window: 'during', objective: 0.65 },
    budget(),
    drReads('during'),
    primaryAfter,
  )
  .guardrail(primaryFloor)
  .build();

/**
 * Half of the gateway's calls on Core Services are delayed 400 ms at the proxy layer for 30 s. Nothing fails (the
 * delay stays inside every timeout), the tail latency shows the delay, and it is gone after the revert.
 */
export const meshHttpDelay: Scenario = scenario('multi-cloud-mesh-http-delay', 'multi-cloud-mesh')
  .describe('Delay 50% of api-gateway → core-services calls in aws-primary by 400 ms for 30 s: nothing fails, p95 latency shows the delay and stays under 1 s, it is gone after the revert')
  .severity('normal')
  .load(LAB_TRAFFIC)
  .timeline(SHORT)
  .inject(gatewayToCore({ share: 0.5, delay: '400ms' }), { for: '30s', name: 'delay-gateway-core' })
  .expect(
    primaryBaseline,
    {
      // Proves the delay took: half the requests 400 ms slower puts the p95 well above the lab's few milliseconds.
      name: 'aws-primary p95 latency shows the 400 ms delay',
      kind: 'custom',
      query: latencyQuantileQuery({ region: PRIMARY }, 0.95, '10s'),
      aggregate: 'max',
      comparator: '>=',
      threshold: 0.35,
      unit: 's',
      window: 'during',
    },
    { name: 'aws-primary availability during the delay', kind: 'availability', region: PRIMARY, window: 'during', objective: 0.99 },
    { name: 'aws-primary p95 latency during the delay at most 1s', kind: 'latency', region: PRIMARY, quantile: 0.95, window: 'during', objective: '1s' },
    { name: 'aws-primary p95 latency after the revert at most 300ms', kind: 'latency', region: PRIMARY, quantile: 0.95, window: 'after', objective: '300ms' },
    budget(),
    drReads('during'),
  )
  .guardrail(primaryFloor)
  .build();

/**
 * The TGW↔Interconnect link is cut for 30 s, replication and the event mirror included. gcp-dr keeps answering reads
 * from its own copies (stale, not failed), aws-primary does not notice, and the copies catch up after the heal.
 */
export const meshInterconnectPartition: Scenario = scenario('multi-cloud-mesh-interconnect-partition', 'multi-cloud-mesh')
  .describe('Partition the TGW↔Interconnect link for 30 s: gcp-dr keeps serving reads while its copies lag, aws-primary is unaffected, the copies catch up after the heal')
  .severity('critical')
  .load(LAB_TRAFFIC)
  .timeline({ ...SHORT, recovery: '20s' })
  .inject({ kind: 'partition', regions: [PRIMARY, DR] }, { for: '30s' })
  .expect(
    {
      // Proves the cut took: replication really stopped, so gcp-dr's reads were served from a lagging copy.
      name: 'gcp-dr copies lag at least 15 s during the partition',
      kind: 'custom',
      query: replicaLagQuery(DR),
      aggregate: 'max',
      comparator: '>=',
      threshold: 15,
      unit: 's',
      window: 'during',
    },
    drReads('during'),
    { name: 'control: aws-primary availability during the partition', kind: 'availability', region: PRIMARY, window: 'during', objective: 0.99 },
    { name: 'gcp-dr copies catch up within 15 s of the heal', kind: 'rto', region: DR, sli: 'replicaLag', threshold: 5, from: 'faultEnd', window: 'after', objective: '15s' },
    budget(),
  )
  .guardrail(primaryFloor)
  .build();

/**
 * aws-primary is lost under load (every process frozen, the Interconnect blackholed) for 30 s; 3 s later the lab's DR
 * runbook promotes gcp-dr's Cloud SQL replica and Pub/Sub mirror and repoints the global entry. Users are back within
 * 15 s, acknowledged writes lost span at most 5 s in each promoted copy, and the outage fits the error budget.
 */
export const meshRegionFailover: Scenario = scenario('multi-cloud-mesh-region-failover', 'multi-cloud-mesh')
  .describe('Lose aws-primary under load; the DR runbook promotes gcp-dr 3 s later: users back within 15 s, RPO at most 5 s for aurora and msk, gcp-dr reads served throughout, at most 2% of the error budget spent')
  .severity('blocker')
  .load(LAB_TRAFFIC)
  .timeline(SHORT)
  .inject({ kind: 'regionLoss', region: PRIMARY }, { for: '30s' })
  .failover({ from: PRIMARY, to: DR, trigger: { mode: 'manual', after: '3s' }, runbook: { kind: 'lab' }, timeout: '30s' })
  .expect(
    primaryBaseline,
    { name: 'users back at 99% within 15s of the region loss', kind: 'failoverRto', region: PRIMARY, window: 'whole', objective: '15s' },
    { name: 'RPO of aurora (Cloud SQL promoted) at most 5s', kind: 'rpo', store: 'aurora', window: 'whole', objective: '5s' },
    { name: 'acknowledged writes lost in aurora', kind: 'dataLoss', store: 'aurora', window: 'whole', objective: 100, informational: true },
    { name: 'RPO of the msk mirror (Pub/Sub) at most 5s', kind: 'rpo', store: 'msk', window: 'whole', objective: '5s' },
    drReads('whole'),
    budget(),
    primaryAfter,
  )
  .guardrail(availabilityGuardrail('users back within 20 s of the region loss', { region: PRIMARY, below: 0.5, for: '20s' }))
  .build();

/**
 * The negative case: every call of the gateway on Core Services aborted for 20 s, judged against the availability
 * aws-primary promises. It must fail, on that objective: the suite can tell a broken system from a healthy one.
 * No guardrail, so the run is judged rather than aborted.
 */
export const meshTotalAbort: Scenario = scenario('multi-cloud-mesh-total-abort', 'multi-cloud-mesh')
  .describe('Abort 100% of api-gateway → core-services calls in aws-primary for 20 s: aws-primary availability (99%) must fail')
  .severity('blocker')
  .load(LAB_TRAFFIC)
  .timeline(SHORT)
  .inject(gatewayToCore({ share: 1, abort: 503 }), { for: '20s', name: 'abort-all-gateway-core' })
  .expect(
    { name: 'aws-primary availability during the abort', kind: 'availability', region: PRIMARY, window: 'during', objective: 0.99 },
    drReads('during'),
    { name: 'aws-primary error budget spent', kind: 'errorBudget', region: PRIMARY, target: 0.999, period: '30d', window: 'whole', objective: 0.02, informational: true },
  )
  .build();

/** The lab game days of seed 004 (the negative case is left out: it fails by design). */
export const multiCloudMeshLabGameDays: Scenario[] = [meshHttpAbort, meshHttpDelay, meshInterconnectPartition, meshRegionFailover];
