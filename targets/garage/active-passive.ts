import type { Datastore, Link, Region, ServiceSpec } from '../../core/index.ts';

/*
 * The shape seeds 000, 001 and 002 share: they are three slices of one garage-management platform, deployed on the
 * same pair of regions. The primary takes all traffic and writes; the secondary runs a warm standby of every
 * service against replicas and mirrors, and takes over on failover.
 */

/** The two regions every slice runs in. The seeds place the primary in the Middle East and name the secondary by role only. */
export const GARAGE_REGIONS: Region[] = [
  { name: 'primary', role: 'primary', description: 'Primary region (Middle East): takes all traffic and every write' },
  { name: 'secondary', role: 'secondary', description: 'Warm standby: standby pods on replicas and mirrors, promoted on failover' },
];

/**
 * The seeds draw replication arrows between the regions but no network; the platform is AWS-shaped (regional ALBs,
 * a global load balancer), so the regions are assumed to be joined the way the rest of the seeds join AWS regions.
 */
export const GARAGE_LINKS: Link[] = [{ name: 'tgw-primary-secondary', kind: 'tgw-peering', between: ['primary', 'secondary'] }];

/** Services that run in the primary and, as the same workload, as warm standby pods in the secondary. */
export function warmStandby(...names: string[]): ServiceSpec[] {
  return names.map((name) => ({ name, role: 'main', regions: GARAGE_REGIONS.map((r) => r.name) }));
}

/** A store written in the primary and followed by one copy in the secondary. */
export function replicatedToSecondary(name: string, engine: Datastore['engine'], mode: Datastore['replicas'][number]['mode']): Datastore {
  return { name, engine, primaryRegion: 'primary', replicas: [{ region: 'secondary', mode }] };
}
