import { isAbsolute, join, resolve } from 'node:path';
import { FaultlineError, requireDatastore, requireService, type Topology } from '../../core/index.ts';
import type { ActivePassiveShape, LabBinding, LabProxy } from '../contract/index.ts';

/**
 * Ports of an active/passive lab, as fixed offsets from its port base:
 *   +0 Prometheus  +1 toxiproxy API  +2… links (replication, CDC, broker mirroring)
 *   +10 global entry  +11 primary ingress  +12 secondary ingress
 *   +15 PostgreSQL primary  +16 its streaming replica  +17 the CDC copy
 *   +20/+21 brokers (primary, secondary)  +22 the primary broker's leaf-node port  +23/+24 brokers' monitoring
 *   +25 DR service  +26 the mesh route proxy (gateway → service in the primary)
 *   +30… primary service replicas  +40… secondary service replicas
 * 50 ports in all, so the slices' labs (19500, 19600, 19700) sit side by side without colliding.
 */
export const ActivePassivePorts = {
  prometheus: 0,
  toxiproxy: 1,
  links: 2,
  globalEntry: 10,
  ingress: 11,
  pgPrimary: 15,
  pgReplica: 16,
  pgCdc: 17,
  nats: 20,
  natsLeaf: 22,
  natsMonitor: 23,
  drService: 25,
  routeProxy: 26,
  services: 30,
  servicesPerRegion: 10,
} as const;

export interface ActivePassivePlan {
  topology: Topology;
  binding: LabBinding;
  shape: ActivePassiveShape;
  runDir: string;
  logDir: string;
  dataDir: string;
  ledgerDir: string;
  primary: string;
  secondary: string;
  prometheus: number;
  toxiproxy: { port: number; proxies: LabProxy[] };
  globalEntry: number;
  ingress: Record<string, number>;
  postgres: { primary: number; replica: number; cdc?: number };
  nats?: { ports: Record<string, number>; monitor: Record<string, number>; leaf: number };
  drService: number;
  /** The mesh route proxy's listener, for calls from the primary's gateway to the service there (shape.meshRoute). */
  routeProxy?: number;
  services: { region: string; service: string; replica: number; port: number }[];
}

/** Lays an active/passive topology out on ports and folders. Pure: reads no files, starts nothing. */
export function planActivePassive(topology: Topology, binding: LabBinding): ActivePassivePlan {
  const shape = binding.activePassive;
  if (!shape) throw new FaultlineError('FAULTLINE_BAD_INPUT', `the lab binding of "${topology.name}" has no active/passive shape`);
  const primary = topology.regions.find((r) => r.role === 'primary')?.name;
  const secondary = topology.regions.find((r) => r.role === 'secondary')?.name;
  if (!primary || !secondary || topology.regions.length !== 2) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `an active/passive lab needs exactly one primary and one secondary region; "${topology.name}" has ${topology.regions.map((r) => `${r.name} (${r.role})`).join(', ')}`);
  }
  requireService(topology, shape.service);
  const storeMode = (name: string | undefined, ...modes: ('async' | 'cdc' | 'mirror')[]) => {
    if (!name) return;
    const store = requireDatastore(topology, name);
    const copy = store.replicas.find((r) => r.region === secondary);
    if (store.primaryRegion !== primary || !copy || !modes.includes(copy.mode as (typeof modes)[number])) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `store "${name}" must be written in ${primary} and followed in ${secondary} by ${modes.join(' or ')} replication to play that part in the lab`);
    }
  };
  // A CDC copy into another engine (Aurora → Cloud SQL) is stood in for by the streaming replica: both are async.
  storeMode(shape.replicated, 'async', 'cdc');
  storeMode(shape.cdc, 'cdc');
  storeMode(shape.mirror, 'mirror');

  const base = binding.portBase;
  const P = ActivePassivePorts;
  const runDir = isAbsolute(binding.runDir) ? binding.runDir : resolve(binding.runDir);
  const dataDir = join(runDir, 'data');
  const proxies: LabProxy[] = [];
  const link = (purpose: LabProxy['purpose'], store: string, upstream: number) =>
    proxies.push({ name: `${secondary}-${primary}-${purpose}`, from: secondary, to: primary, purpose, store, listen: `127.0.0.1:${base + P.links + proxies.length}`, upstream: `127.0.0.1:${upstream}` });
  link('replication', shape.replicated, base + P.pgPrimary);
  if (shape.cdc) link('cdc', shape.cdc, base + P.pgPrimary);
  if (shape.mirror) link('mirror', shape.mirror, base + P.natsLeaf);

  const services: ActivePassivePlan['services'] = [];
  [primary, secondary].forEach((region, i) => {
    const count = binding.mainReplicas[region] ?? 1;
    if (count > P.servicesPerRegion) throw new FaultlineError('FAULTLINE_BAD_INPUT', `at most ${P.servicesPerRegion} service replicas per region, got ${count} in ${region}`, 'lower --replicas');
    for (let replica = 0; replica < count; replica++) services.push({ region, service: shape.service, replica, port: base + P.services + P.servicesPerRegion * i + replica });
  });

  return {
    topology,
    binding: { ...binding, runDir },
    shape,
    runDir,
    logDir: join(runDir, 'logs'),
    dataDir,
    ledgerDir: join(runDir, 'ledger'),
    primary,
    secondary,
    prometheus: base + P.prometheus,
    toxiproxy: { port: base + P.toxiproxy, proxies },
    globalEntry: base + P.globalEntry,
    ingress: { [primary]: base + P.ingress, [secondary]: base + P.ingress + 1 },
    postgres: { primary: base + P.pgPrimary, replica: base + P.pgReplica, ...(shape.cdc ? { cdc: base + P.pgCdc } : {}) },
    ...(shape.mirror
      ? { nats: { ports: { [primary]: base + P.nats, [secondary]: base + P.nats + 1 }, monitor: { [primary]: base + P.natsMonitor, [secondary]: base + P.natsMonitor + 1 }, leaf: base + P.natsLeaf } }
      : {}),
    drService: base + P.drService,
    ...(shape.meshRoute ? { routeProxy: base + P.routeProxy } : {}),
    services,
  };
}

/** Every port the plan listens on, with its owner, for the port-in-use preflight. */
export function activePassivePorts(plan: ActivePassivePlan): { port: number; component: string }[] {
  const ports = [
    { port: plan.prometheus, component: 'prometheus' },
    { port: plan.toxiproxy.port, component: 'toxiproxy API' },
    ...plan.toxiproxy.proxies.map((p) => ({ port: Number(p.listen.split(':')[1]), component: `toxiproxy link ${p.name}` })),
    { port: plan.globalEntry, component: 'global entry' },
    ...Object.entries(plan.ingress).map(([region, port]) => ({ port, component: `nginx ingress ${region}` })),
    { port: plan.postgres.primary, component: `postgres ${plan.primary} (primary)` },
    { port: plan.postgres.replica, component: `postgres ${plan.secondary} (replica)` },
    ...(plan.postgres.cdc ? [{ port: plan.postgres.cdc, component: `postgres ${plan.secondary} (CDC copy)` }] : []),
    { port: plan.drService, component: 'DR service' },
    ...(plan.routeProxy !== undefined ? [{ port: plan.routeProxy, component: `route proxy ${plan.primary}→${plan.shape.service}` }] : []),
    ...plan.services.map((s) => ({ port: s.port, component: `${s.service} ${s.region}#${s.replica}` })),
  ];
  if (plan.nats) {
    for (const [region, port] of Object.entries(plan.nats.ports)) ports.push({ port, component: `nats ${region}` });
    for (const [region, port] of Object.entries(plan.nats.monitor)) ports.push({ port, component: `nats ${region} monitoring` });
    ports.push({ port: plan.nats.leaf, component: 'nats leaf-node listener' });
  }
  return ports;
}
