import {
  parseDuration,
  requireDatastore,
  scenario,
  type Duration,
  type LoadProfile,
  type Scenario,
  type Topology,
} from '../../core/index.ts';
import { availabilityGuardrail, capacityGuardrail, latencyGuardrail, replicaLagGuardrail, replicaLagQuery } from '../../assertions/index.ts';

/*
 * The game days every garage slice shares, as builders over the slice's topology. Each slice picks the ones that
 * matter to it and names its own service or store; the SLOs and guardrails are the platform's, so a change of
 * objective reaches all three slices at once.
 *
 * A passive standby holds read-only replicas, so its writes fail by design: every SLO on the secondary is on reads.
 */

/** Users land on the primary; the warm standby carries a trickle of read traffic (DR probes, read-only clients). */
export const ACTIVE_PASSIVE_TRAFFIC: LoadProfile = {
  regions: {
    primary: { executor: 'constant-arrival-rate', rate: 20 },
    secondary: { executor: 'constant-arrival-rate', rate: 5 },
  },
  writeRatio: 0.2,
  requestTimeout: '3s',
};

/** Protects the users a game day must never hurt for long: the primary's. */
const primaryGuardrails = [
  availabilityGuardrail('primary availability floor 90%', { region: 'primary', below: 0.9, for: '5s' }),
  latencyGuardrail('primary p99 latency ceiling 2s', { region: 'primary', quantile: 0.99, above: '2s', for: '10s' }),
];

const secondaryReads = (name: string, window: 'baseline' | 'during') =>
  ({ name, kind: 'availability', region: 'secondary', route: 'read', window, objective: 0.99 }) as const;

/**
 * Kill (or, with `podFailure`, fail in place) half of a service's primary pods under load. The primary stays
 * available through the remaining pods, and the service is back to full capacity on its own.
 */
export function primaryPodLoss(topology: Topology, service: string, kind: 'podKill' | 'podFailure' = 'podKill'): Scenario {
  const killed = kind === 'podKill';
  const verb = killed ? 'killed' : 'failed';
  return scenario(`${topology.name}-${service}-pod-${killed ? 'loss' : 'failure'}`, topology.name)
    .describe(
      `${killed ? 'Kill' : 'Fail'} 50% of the primary's ${service} pods under load: the primary stays available and ${service} is back to full capacity ${killed ? 'on its own' : 'once the fault ends'}`,
    )
    .severity('critical')
    .load(ACTIVE_PASSIVE_TRAFFIC)
    .inject({ kind, service, region: 'primary', mode: 'fixed-percent', value: 50 }, { for: '60s' })
    .expect(
      { name: 'primary availability (steady state)', kind: 'availability', region: 'primary', window: 'baseline', objective: 0.99 },
      { name: `primary availability while ${service} pods are ${verb}`, kind: 'availability', region: 'primary', window: 'during', objective: 0.99 },
      { name: `primary p95 latency while ${service} pods are ${verb}`, kind: 'latency', region: 'primary', quantile: 0.95, window: 'during', objective: '800ms' },
      killed
        ? { name: `${service} back to full capacity in primary`, kind: 'rto', region: 'primary', sli: 'capacity', service, from: 'faultStart', window: 'during', objective: '60s' }
        : { name: `${service} back to full capacity in primary`, kind: 'rto', region: 'primary', sli: 'capacity', service, from: 'faultEnd', window: 'after', objective: '60s' },
      secondaryReads('control: secondary read availability', 'during'),
    )
    .guardrail(
      ...primaryGuardrails,
      capacityGuardrail(`${service} keeps at least one pod in primary`, { region: 'primary', service, below: 1, for: '10s' }),
    )
    .build();
}

/**
 * Partition the regions for two minutes, replication included. The standby keeps serving reads from its own
 * replicas, the primary does not notice (replication is asynchronous), and the replicas catch up after the heal.
 */
export function standbyPartition(topology: Topology): Scenario {
  return scenario(`${topology.name}-standby-partition`, topology.name)
    .describe('Partition primary↔secondary for 2 min: the standby keeps serving reads, the primary is unaffected, the replicas catch up after the heal')
    .severity('critical')
    .load(ACTIVE_PASSIVE_TRAFFIC)
    .timeline({ recovery: '90s' })
    .inject({ kind: 'partition', regions: ['primary', 'secondary'] }, { for: '2m' })
    .expect(
      secondaryReads('secondary read availability (steady state)', 'baseline'),
      secondaryReads('secondary read availability during partition', 'during'),
      { name: 'control: primary availability during partition', kind: 'availability', region: 'primary', window: 'during', objective: 0.99 },
      { name: 'primary p95 latency unaffected by the partition', kind: 'latency', region: 'primary', quantile: 0.95, window: 'during', objective: '800ms' },
      { name: 'secondary replicas catch up after the heal', kind: 'rto', region: 'secondary', sli: 'replicaLag', threshold: 5, from: 'faultEnd', window: 'after', objective: '60s' },
      { name: 'secondary writes during partition', kind: 'availability', region: 'secondary', route: 'write', window: 'during', objective: 0.99, informational: true },
    )
    .guardrail(...primaryGuardrails)
    .build();
}

/**
 * Lag one store's copy in the secondary by `by`. The lag shows up as injected, reads keep being served (stale, not
 * failed), the primary is untouched, and the copy catches up after the revert.
 *
 * The replica-lag SLOs read the region's lag gauge: on Kubernetes, export it for this store's copy.
 */
export function secondaryStoreLag(topology: Topology, store: string, by: Duration): Scenario {
  const mode = requireDatastore(topology, store).replicas.find((r) => r.region === 'secondary')?.mode ?? 'async';
  const what = { async: 'replica', sync: 'replica', cdc: 'CDC', mirror: 'mirror' }[mode];
  const seconds = parseDuration(by, 'by') / 1_000;
  return scenario(`${topology.name}-${store}-${what.toLowerCase()}-lag`, topology.name)
    .describe(`Lag the ${store} ${what} in the secondary by ${by}: the lag is real and bounded, reads stay up, the primary is untouched, it catches up after the revert`)
    .severity('normal')
    .load(ACTIVE_PASSIVE_TRAFFIC)
    .inject({ kind: 'replicaLag', store, region: 'secondary', by }, { for: '60s' })
    .expect(
      { name: `secondary ${store} lag at most ${seconds + 5}s`, kind: 'replicaLag', region: 'secondary', window: 'during', objective: `${seconds + 5}s` },
      {
        // Proves the fault took: without it, "lag within bounds" would pass on a fault that did nothing.
        name: `secondary ${store} lag reaches the injected ${by}`,
        kind: 'custom',
        query: replicaLagQuery('secondary'),
        aggregate: 'max',
        comparator: '>=',
        threshold: seconds * 0.9,
        unit: 's',
        window: 'during',
      },
      secondaryReads('secondary read availability while lagging', 'during'),
      { name: 'control: primary availability', kind: 'availability', region: 'primary', window: 'during', objective: 0.99 },
      { name: `secondary ${store} catches up after the revert`, kind: 'rto', region: 'secondary', sli: 'replicaLag', threshold: 2, from: 'faultEnd', window: 'after', objective: '30s' },
    )
    .guardrail(
      ...primaryGuardrails,
      replicaLagGuardrail(`secondary ${store} lag runaway (over ${seconds * 3}s)`, { region: 'secondary', above: `${seconds * 3}s`, for: '10s' }),
    )
    .build();
}
