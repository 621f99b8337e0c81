import { requestAvailabilityGuardrail } from '../../assertions/index.ts';
import { constantRate, scenario, type Scenario } from '../../core/index.ts';

/** Traffic each seed-003 game day drives: the same modest arrival rate in every region, 20% writes. */
export const traffic = constantRate(15, ['jkt', 'bdg', 'sby'], { writeRatio: 0.2, requestTimeout: '3s' });

/** Abort when a region's availability, request by request as k6 sees it, drops below `floor` (caught in about 1 s). */
export const availabilityFloor = (region: string, floor: number) =>
  requestAvailabilityGuardrail(`${region} availability floor ${floor * 100}%`, { region, below: floor });

/** Kill half of Jakarta's service-main under load; NGINX fails over and the supervisor restores capacity. */
export const jktPodLoss: Scenario = scenario('jkt-pod-loss', 'tri-region-tgw')
  .describe('Kill 50% of jkt service-main under load; jkt stays available and capacity comes back on its own')
  .severity('critical')
  .load(traffic)
  .inject({ kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'fixed-percent', value: 50 }, { for: '60s' })
  .expect(
    { name: 'jkt availability (steady state)', kind: 'availability', region: 'jkt', window: 'baseline', objective: 0.99 },
    { name: 'jkt availability during pod loss', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
    { name: 'jkt p95 latency during pod loss', kind: 'latency', region: 'jkt', quantile: 0.95, window: 'during', objective: '500ms' },
    { name: 'jkt service-main back to full capacity', kind: 'rto', region: 'jkt', sli: 'capacity', service: 'service-main', from: 'faultStart', window: 'during', objective: '20s' },
  )
  .guardrail(availabilityFloor('jkt', 0.5))
  .build();

/** Cut the transit-gateway peering between Jakarta and Bandung in both directions, replication included. */
export const tgwPartitionJktBdg: Scenario = scenario('tgw-partition-jkt-bdg', 'tri-region-tgw')
  .describe('Partition the TGW link jkt↔bdg for 60 s: bdg keeps serving reads locally, its writes fail fast, the replica catches up after the heal')
  .severity('critical')
  .load(traffic)
  .inject({ kind: 'partition', regions: ['jkt', 'bdg'] }, { for: '60s' })
  .expect(
    { name: 'bdg read availability (steady state)', kind: 'availability', region: 'bdg', route: 'read', window: 'baseline', objective: 0.995 },
    { name: 'bdg read availability during partition', kind: 'availability', region: 'bdg', route: 'read', window: 'during', objective: 0.995 },
    { name: 'bdg failed writes fail fast (p99)', kind: 'latency', region: 'bdg', route: 'write', outcome: 'failed', quantile: 0.99, window: 'during', objective: '2s' },
    { name: 'control: jkt availability', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
    { name: 'control: sby availability', kind: 'availability', region: 'sby', window: 'during', objective: 0.99 },
    { name: 'bdg replica catches up after heal', kind: 'rto', region: 'bdg', sli: 'replicaLag', threshold: 2, from: 'faultEnd', window: 'after', objective: '20s' },
    { name: 'bdg write availability during partition', kind: 'availability', region: 'bdg', route: 'write', window: 'during', objective: 0.99, informational: true },
  )
  .guardrail(availabilityFloor('jkt', 0.5))
  .build();

/** Delay WAL apply on Bandung's replica by 5 s: lag is real, visible and contained to bdg. */
export const bdgReplicaLag: Scenario = scenario('bdg-replica-lag-5s', 'tri-region-tgw')
  .describe('Lag the bdg read replica by 5 s: the measured lag matches, jkt and sby are unaffected, stale reads are reported')
  .severity('normal')
  .load(traffic)
  .inject({ kind: 'replicaLag', store: 'rds', region: 'bdg', by: '5s' }, { for: '60s' })
  .expect(
    { name: 'bdg replica lag at most 7 s', kind: 'replicaLag', region: 'bdg', window: 'during', objective: '7s' },
    {
      name: 'bdg replica lag reaches the injected 5 s',
      kind: 'custom',
      query: 'max(faultline_replication_lag_seconds{region="bdg"})',
      aggregate: 'max',
      comparator: '>=',
      threshold: 4.5,
      unit: 's',
      window: 'during',
    },
    {
      // Informational: the mean over the fault says how close the lab's lag is to the 5 s injected.
      name: 'bdg mean replica lag during the fault (injected 5 s)',
      kind: 'custom',
      query: 'max(faultline_replication_lag_seconds{region="bdg"})',
      aggregate: 'avg',
      comparator: '>=',
      threshold: 4.5,
      unit: 's',
      window: 'during',
      informational: true,
    },
    // Healthy lag is heartbeat period (0.5 s) + scrape skew; 2 s leaves room without hiding a real spill-over.
    { name: 'control: sby replica lag under 2 s', kind: 'replicaLag', region: 'sby', window: 'during', objective: '2s' },
    { name: 'control: jkt availability', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
    { name: 'control: sby availability', kind: 'availability', region: 'sby', window: 'during', objective: 0.99 },
    { name: 'bdg stale reads (older than 2 s)', kind: 'freshness', region: 'bdg', staleAfter: '2s', objective: 0.05, window: 'during', informational: true },
    // "Recovered" is the healthy ceiling the sby control uses (2 s): a healthy replica's lag reads up to about 1 s
    // (sby's max was 987 ms in a loaded run), so a 1 s line let one healthy sample restart the clock (a CI run read 25 s).
    { name: 'bdg replica recovers after revert', kind: 'rto', region: 'bdg', sli: 'replicaLag', threshold: 2, from: 'faultEnd', window: 'after', objective: '15s' },
  )
  .guardrail(availabilityFloor('jkt', 0.5))
  .build();

/** The three seed-003 game days `npm run gameday` runs. */
export const triRegionGameDays: Scenario[] = [jktPodLoss, tgwPartitionJktBdg, bdgReplicaLag];

/**
 * A game day the lab cannot survive: every jkt service process frozen for 30 s. It exists to prove the gate can
 * fail; it is not part of the regular game days.
 */
export const jktTotalOutage: Scenario = scenario('jkt-total-outage', 'tri-region-tgw')
  .describe('Freeze every jkt service-main and service-backup process: jkt cannot serve, and the gate must fail')
  .severity('blocker')
  .load(traffic)
  .timeline({ recovery: '15s' })
  .inject({ kind: 'podFailure', service: 'service-main', region: 'jkt', mode: 'all' }, { for: '30s' })
  .inject({ kind: 'podFailure', service: 'service-backup', region: 'jkt', mode: 'all' }, { for: '30s' })
  .expect(
    { name: 'jkt availability (steady state)', kind: 'availability', region: 'jkt', window: 'baseline', objective: 0.99 },
    { name: 'jkt availability during outage', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
  )
  .build();
