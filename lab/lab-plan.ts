import { isAbsolute, join, resolve } from 'node:path';
import { FaultlineError, primaryRegion, type Topology } from '../core/index.ts';
import { slowDiskFolder, type LabBinding, type LabProxy } from './contract/index.ts';
import { planSecretStore, type PlannedSecretStore } from './vault/plan.ts';

/**
 * Where every lab component listens, as fixed offsets from the port base, so a port seen in a log or `ss` output
 * tells what it is:
 *   +0 Prometheus   +1 toxiproxy API   +2…+9 toxiproxy links
 *   +10… NGINX ingress, +15… PostgreSQL, +20… Redis: one per region, in topology order (jkt, bdg, sby)
 *   +25… reference-service replicas: a block of 10 per region, service-main first, then service-backup
 *   +75 Alertmanager   +76… DNS resolver (dnsmasq), one per region   +81… route proxy listeners, one per calling region
 *   +86…+90 Vault API, +91…+95 Vault cluster (raft), one per node   +96…+98 secret agents, one per region
 *   +99 free
 * Everything fits in 100 ports, so two labs 100 apart never collide.
 */
export const PortOffsets = { prometheus: 0, toxiproxy: 1, proxies: 2, ingress: 10, postgres: 15, redis: 20, services: 25, alertmanager: 75, dns: 76, routeProxy: 81 } as const;
export const MAX_REGIONS = 5;
export const MAX_PROXIES = 8;
export const SERVICE_SLOTS_PER_REGION = 10;
/** Items with these ids exist from `lab up` on, so load can read random ids that hit. */
export const SEED_ITEM_COUNT = 1000;
/** The database the reference service uses on every PostgreSQL of the lab. */
export const LAB_DATABASE = 'faultline';

export interface PlannedService {
  region: string;
  service: string;
  replica: number;
  port: number;
  backup: boolean;
}

/** Every component of one lab, fully resolved: nothing is started from anything else. */
export interface LabPlan {
  topology: Topology;
  binding: LabBinding;
  /** Absolute. */
  runDir: string;
  logDir: string;
  dataDir: string;
  ledgerDir: string;
  primaryRegion: string;
  prometheus: { port: number };
  toxiproxy: { port: number; proxies: LabProxy[] };
  /** `dataDir` is where PostgreSQL runs; `storageDir`, when the slow disk is on, where initdb and pg_basebackup write. */
  postgres: { region: string; role: 'primary' | 'replica'; port: number; dataDir: string; storageDir?: string; slot?: string; upstreamPort?: number }[];
  redis: { region: string; port: number }[];
  nginx: { region: string; port: number }[];
  services: PlannedService[];
  alertmanager: { port: number };
  /** One resolver per region: what its services resolve the other regions' names through. */
  dns: { region: string; port: number }[];
  /** The proxy layer in front of the primary region's API: one listener per calling region. */
  routeProxy: { region: string; routes: { from: string; port: number }[] };
  /** The secret store (Vault clusters and agents), when the topology has one. */
  secretStore?: PlannedSecretStore;
  /** The delaying FUSE disk under the databases, when the binding asks for it and this machine can mount it. */
  slowDisk?: { mount: string; backing: string; controlDir: string; logFile: string };
}

/** Overrides a caller may apply to a topology's default lab binding. */
export interface LabOverrides {
  /** Default: the binding's (19000). */
  portBase?: number;
  /** Default: the binding's (`.faultline/lab`), relative to the working directory. */
  runDir?: string;
  /** service-main replicas: one number for every region, or per region. Default: the binding's (2 each). */
  replicas?: number | Record<string, number>;
}

export function resolveBinding(topology: Topology, binding: LabBinding, overrides: LabOverrides = {}): LabBinding {
  const regions = topology.regions.map((r) => r.name);
  let mainReplicas = { ...binding.mainReplicas };
  if (typeof overrides.replicas === 'number') {
    mainReplicas = Object.fromEntries(regions.map((r) => [r, overrides.replicas as number]));
  } else if (overrides.replicas) {
    for (const [region, n] of Object.entries(overrides.replicas)) {
      if (!regions.includes(region)) {
        throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `unknown region "${region}" in --replicas for topology "${topology.name}"`, `use one of: ${regions.join(', ')}`);
      }
      mainReplicas[region] = n;
    }
  }
  const resolved = { ...binding, mainReplicas, portBase: overrides.portBase ?? binding.portBase, runDir: overrides.runDir ?? binding.runDir };
  const maxMain = SERVICE_SLOTS_PER_REGION - resolved.backupReplicas;
  for (const region of regions) {
    const n = resolved.mainReplicas[region] ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > maxMain) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `service-main replicas for ${region} must be a whole number from 1 to ${maxMain}, got ${n}`, 'for example --replicas 3 or --replicas jkt=3,bdg=2');
    }
  }
  if (!Number.isInteger(resolved.portBase) || resolved.portBase < 1024 || resolved.portBase > 65_435) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `port base must be a whole number from 1024 to 65435, got ${resolved.portBase}`, 'for example --port-base 19000');
  }
  return resolved;
}

/** Lays the topology out on ports and folders. Pure: reads no files, starts nothing. */
export function planLab(topology: Topology, binding: LabBinding, machine: { canMountSlowDisk?: boolean } = {}): LabPlan {
  if (topology.regions.length > MAX_REGIONS) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `the lab fits at most ${MAX_REGIONS} regions; topology "${topology.name}" has ${topology.regions.length}`);
  }
  if (topology.datastores.length !== 1) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `the lab runs exactly one PostgreSQL cluster; topology "${topology.name}" has ${topology.datastores.length} datastores`);
  }
  const base = binding.portBase;
  const runDir = isAbsolute(binding.runDir) ? binding.runDir : resolve(binding.runDir);
  const dataDir = join(runDir, 'data');
  const primary = primaryRegion(topology).name;
  const regionIndex = (name: string) => topology.regions.findIndex((r) => r.name === name);
  const store = topology.datastores[0]!;
  const pgPort = (region: string) => base + PortOffsets.postgres + regionIndex(region);
  // On the slow disk, PostgreSQL runs on the FUSE mount while initdb and pg_basebackup write the backing folder
  // directly: they create the cluster at full speed, and only the running database's I/O can be slowed.
  const slowDisk = (binding.slowDisk ?? true) && machine.canMountSlowDisk
    ? { mount: join(dataDir, 'disk'), backing: join(dataDir, 'disk-backing'), controlDir: join(runDir, 'slow-disk'), logFile: join(runDir, 'logs', 'slowfs.log') }
    : undefined;
  const pgDirs = (region: string) =>
    slowDisk
      ? { dataDir: join(slowDisk.mount, slowDiskFolder(region)), storageDir: join(slowDisk.backing, slowDiskFolder(region)) }
      : { dataDir: join(dataDir, `postgres-${region}`) };
  const ingressPort = (region: string) => base + PortOffsets.ingress + regionIndex(region);

  const proxies: LabProxy[] = [];
  const addProxy = (from: string, to: string, purpose: LabProxy['purpose'], upstreamPort: number) => {
    proxies.push({
      name: `${from}-${to}-${purpose}`,
      from,
      to,
      purpose,
      listen: `127.0.0.1:${base + PortOffsets.proxies + proxies.length}`,
      upstream: `127.0.0.1:${upstreamPort}`,
    });
  };
  for (const replica of store.replicas) addProxy(replica.region, store.primaryRegion, 'replication', pgPort(store.primaryRegion));
  // Regional services send their writes to the primary region's API, across the TGW link (seed 003: "Write via API"),
  // arriving at the route proxy in front of that API, where HTTP faults are injected.
  const routePort = (from: string) => base + PortOffsets.routeProxy + regionIndex(from);
  for (const region of topology.regions) {
    if (region.name !== primary) addProxy(region.name, primary, 'api', routePort(region.name));
  }
  if (proxies.length > MAX_PROXIES) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `the lab fits at most ${MAX_PROXIES} cross-region links; topology "${topology.name}" needs ${proxies.length}`);
  }
  const proxyPort = (name: string) => Number(proxies.find((p) => p.name === name)!.listen.split(':')[1]);

  const services: PlannedService[] = [];
  for (const region of topology.regions) {
    let slot = 0;
    for (const role of ['main', 'backup'] as const) {
      for (const spec of topology.services.filter((s) => s.role === role && s.regions.includes(region.name))) {
        const count = role === 'main' ? (binding.mainReplicas[region.name] ?? 1) : binding.backupReplicas;
        for (let replica = 0; replica < count; replica++) {
          const port = base + PortOffsets.services + SERVICE_SLOTS_PER_REGION * regionIndex(region.name) + slot++;
          services.push({ region: region.name, service: spec.name, replica, port, backup: role === 'backup' });
        }
      }
    }
    if (slot > SERVICE_SLOTS_PER_REGION) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `region ${region.name} needs ${slot} service ports; the lab has ${SERVICE_SLOTS_PER_REGION} per region`, 'lower --replicas');
    }
  }

  return {
    topology,
    binding: { ...binding, runDir },
    runDir,
    logDir: join(runDir, 'logs'),
    dataDir,
    ledgerDir: join(runDir, 'ledger'),
    primaryRegion: primary,
    prometheus: { port: base + PortOffsets.prometheus },
    toxiproxy: { port: base + PortOffsets.toxiproxy, proxies },
    postgres: [
      { region: store.primaryRegion, role: 'primary', port: pgPort(store.primaryRegion), ...pgDirs(store.primaryRegion) },
      ...store.replicas.map((r) => ({
        region: r.region,
        role: 'replica' as const,
        port: pgPort(r.region),
        ...pgDirs(r.region),
        slot: `replica_${r.region}`,
        upstreamPort: proxyPort(`${r.region}-${store.primaryRegion}-replication`),
      })),
    ],
    redis: topology.caches.flatMap((c) => c.regions).map((region) => ({ region, port: base + PortOffsets.redis + regionIndex(region) })),
    nginx: topology.regions.map((r) => ({ region: r.name, port: ingressPort(r.name) })),
    services,
    alertmanager: { port: base + PortOffsets.alertmanager },
    dns: topology.regions.map((r) => ({ region: r.name, port: base + PortOffsets.dns + regionIndex(r.name) })),
    routeProxy: {
      region: primary,
      routes: topology.regions.filter((r) => r.name !== primary).map((r) => ({ from: r.name, port: routePort(r.name) })),
    },
    secretStore: planSecretStore(topology, { portBase: base, runDir, dataDir, logDir: join(runDir, 'logs'), leaseTtlMs: binding.secretLeaseTtlMs }),
    slowDisk,
  };
}

/** Every port the plan will listen on, with its owner, for the port-in-use preflight. */
export function plannedPorts(plan: LabPlan): { port: number; component: string }[] {
  return [
    { port: plan.prometheus.port, component: 'prometheus' },
    { port: plan.toxiproxy.port, component: 'toxiproxy API' },
    ...plan.toxiproxy.proxies.map((p) => ({ port: Number(p.listen.split(':')[1]), component: `toxiproxy link ${p.name}` })),
    ...plan.nginx.map((n) => ({ port: n.port, component: `nginx ingress ${n.region}` })),
    ...plan.postgres.map((p) => ({ port: p.port, component: `postgres ${p.region} (${p.role})` })),
    ...plan.redis.map((r) => ({ port: r.port, component: `redis ${r.region}` })),
    ...plan.services.map((s) => ({ port: s.port, component: `${s.service} ${s.region}#${s.replica}` })),
    { port: plan.alertmanager.port, component: 'alertmanager' },
    ...plan.dns.map((d) => ({ port: d.port, component: `dns resolver ${d.region}` })),
    ...plan.routeProxy.routes.map((r) => ({ port: r.port, component: `route proxy ${r.from}→${plan.routeProxy.region}` })),
    ...(plan.secretStore?.clusters.flatMap((c) => c.nodes).flatMap((n) => [
      { port: n.port, component: `${n.name} API` },
      { port: n.clusterPort, component: `${n.name} cluster` },
    ]) ?? []),
    ...(plan.secretStore?.agents.map((a) => ({ port: a.port, component: `secret agent ${a.region}` })) ?? []),
  ];
}
