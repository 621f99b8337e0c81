import { FaultlineError } from './errors.ts';
import type { SecretStore } from './secret-store.ts';
import type { ServiceRoute } from './service-route.ts';

/** The logical shape of one system: what exists, where, and how regions are joined. Target-independent. */
export interface Topology {
  /** Named after what the system is, e.g. `tri-region-tgw`. */
  name: string;
  description: string;
  regions: Region[];
  services: ServiceSpec[];
  datastores: Datastore[];
  caches: CacheSpec[];
  /** Network links between regions, e.g. transit-gateway peerings. */
  links: Link[];
  /** HTTP routes one region's services call on another's (what HTTP and DNS faults aim at). Default: none. */
  routes?: ServiceRoute[];
  /** Secret stores (Vault) the services read their credentials from. Default: none. */
  secretStores?: SecretStore[];
}

export interface Region {
  name: string;
  role: 'primary' | 'regional' | 'secondary';
  description?: string;
}

export interface ServiceSpec {
  name: string;
  /** `main` takes traffic; `backup` only receives it when every main replica is down (NGINX backup upstream). */
  role: 'main' | 'backup';
  regions: string[];
}

export interface Datastore {
  name: string;
  /** What it is; only `postgres` runs in the embedded lab, every kind can be targeted on Kubernetes. */
  engine: 'postgres' | 'mysql' | 'aurora' | 'dynamodb' | 'bigtable' | 'kafka' | 'queue' | 'object-storage' | 'document';
  primaryRegion: string;
  /** How each copy follows the primary: streaming replica, change data capture, or a mirrored topic/queue/bucket. */
  replicas: { region: string; mode: 'async' | 'sync' | 'cdc' | 'mirror' }[];
}

export interface CacheSpec {
  name: string;
  engine: 'redis';
  regions: string[];
}

export interface Link {
  name: string;
  kind: 'tgw-peering' | 'interconnect';
  between: [string, string];
}

/** Looks a region up, or says which regions exist. */
export function requireRegion(topology: Topology, name: string): Region {
  const region = topology.regions.find((r) => r.name === name);
  if (!region) throw unknownName('region', name, topology.regions.map((r) => r.name), topology.name);
  return region;
}

export function requireService(topology: Topology, name: string, region?: string): ServiceSpec {
  const service = topology.services.find((s) => s.name === name);
  if (!service) throw unknownName('service', name, topology.services.map((s) => s.name), topology.name);
  if (region !== undefined) {
    requireRegion(topology, region);
    if (!service.regions.includes(region)) {
      throw new FaultlineError(
        'FAULTLINE_UNKNOWN_NAME',
        `service "${name}" does not run in region "${region}" of topology "${topology.name}"`,
        `it runs in: ${service.regions.join(', ')}`,
      );
    }
  }
  return service;
}

export function requireDatastore(topology: Topology, name: string): Datastore {
  const store = topology.datastores.find((d) => d.name === name);
  if (!store) throw unknownName('datastore', name, topology.datastores.map((d) => d.name), topology.name);
  return store;
}

/** The link joining two regions, in either order. */
export function linkBetween(topology: Topology, a: string, b: string): Link {
  requireRegion(topology, a);
  requireRegion(topology, b);
  const link = topology.links.find((l) => l.between.includes(a) && l.between.includes(b) && a !== b);
  if (!link) {
    throw new FaultlineError(
      'FAULTLINE_UNKNOWN_NAME',
      `no link joins regions "${a}" and "${b}" in topology "${topology.name}"`,
      `links: ${topology.links.map((l) => `${l.between[0]}↔${l.between[1]}`).join(', ')}`,
    );
  }
  return link;
}

export function primaryRegion(topology: Topology): Region {
  const primary = topology.regions.find((r) => r.role === 'primary');
  if (!primary) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${topology.name}" has no primary region`);
  return primary;
}

function unknownName(kind: string, name: string, known: string[], topology: string): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_UNKNOWN_NAME',
    `unknown ${kind} "${name}" in topology "${topology}"`,
    `use one of: ${known.join(', ') || '(none defined)'}`,
  );
}
