import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration, Labels, SERVICE_JOB, ServiceMetrics } from '../../core/index.ts';
import { startGlobalEntry, startIngress } from '../components/nginx.ts';
import { startNats } from '../components/nats.ts';
import { startRouteProxy } from '../components/route-proxy.ts';
import { databaseUserName, preparePrimary, prepareReplica, prepareSchema, replicationSlot, startPostgres, streamingReplicas, type PostgresInstance } from '../components/postgres.ts';
import { startPrometheus } from '../components/prometheus.ts';
import { waitForPrometheusData } from '../components/prometheus-query.ts';
import { startToxiproxy } from '../components/toxiproxy.ts';
import { LAB_FAILOVER_FILE, LAB_SERVICES_FILE, LAB_STATE_FILE, writeJsonAtomic, type LabFailoverRecord, type LabRouteProxy, type LabState } from '../contract/index.ts';
import { DR_CONFIG_FILE, type DrServiceConfig } from '../dr-service/dr-config.ts';
import { writeLabState, writeStarted, STARTED_FILE, type StartedComponent, type StartedFile } from '../lab-files.ts';
import { stopComponents } from '../lab-down.ts';
import { LAB_DATABASE, SEED_ITEM_COUNT } from '../lab-plan.ts';
import { assertPortsFree, assertUserCanReach, databaseUser, findBinary, repoRoot, spawnDaemon, waitFor, waitForHttp, type RunAsUser } from '../process/index.ts';
import { REFERENCE_SERVICE_MAIN, serviceEnv } from '../reference-service/index.ts';
import { startFailure } from '../start-failure.ts';
import { DR_SERVICE_MAIN, HEARTBEAT_MAIN, SUPERVISED_FILE, SUPERVISOR_CONFIG_FILE, SUPERVISOR_MAIN, type SupervisorConfig, type SupervisedUnit } from '../supervisor/index.ts';
import { activePassivePorts, type ActivePassivePlan } from './plan.ts';
import { cdcStatus, prepareLedgerCopy, prepareLedgerSource, prepareMirror, streamName } from './stores.ts';

const SERVICE_READY_TIMEOUT_MS = 90_000;

export interface ActivePassiveUp {
  state: LabState;
  databases: 'created' | 'reused';
}

/**
 * Brings an active/passive topology up as real processes: the primary's PostgreSQL with a streaming replica and a
 * CDC copy in the secondary, a JetStream stream and its mirror, an ingress per region behind a global entry, the
 * reference service in both regions (the secondary as a read-only warm standby), the DR service and Prometheus.
 * Every cross-region connection crosses toxiproxy. Waits until replication, CDC and the mirror all flow.
 */
export async function upActivePassive(plan: ActivePassivePlan, log: (line: string) => void, signal?: AbortSignal): Promise<ActivePassiveUp> {
  const t0 = Date.now();
  for (const binary of ['prometheus', 'toxiproxy', 'postgres', 'initdb', 'pg_basebackup', 'nginx', ...(plan.nats ? ['nats-server' as const] : [])] as const) findBinary(binary);
  const dbUser = databaseUser();
  assertUserCanReach(plan.dataDir, dbUser);
  await assertPortsFree(activePassivePorts(plan), plan.binding.portBase);

  mkdirSync(plan.logDir, { recursive: true });
  mkdirSync(plan.ledgerDir, { recursive: true });
  for (const stale of [LAB_STATE_FILE, LAB_SERVICES_FILE, SUPERVISED_FILE, STARTED_FILE]) rmSync(join(plan.runDir, stale), { force: true });
  const started: StartedFile = {
    topology: plan.topology.name,
    portBase: plan.binding.portBase,
    ports: activePassivePorts(plan).map((p) => p.port),
    dataDirs: [join(plan.dataDir, 'prometheus'), ...pgDirs(plan), ...(plan.nats ? Object.keys(plan.nats.ports).map((r) => join(plan.dataDir, `nats-${r}`)) : [])],
    components: [],
  };
  const track = (c: StartedComponent) => {
    started.components.push(c);
    writeStarted(plan.runDir, started);
  };
  writeStarted(plan.runDir, started);
  let current = { name: 'preflight', logFile: plan.logDir };
  const step = async <T>(name: string, logFile: string, fn: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new Error('lab up was interrupted');
    current = { name, logFile };
    const s0 = Date.now();
    log(`  ${name} …`);
    const result = await fn();
    log(`  ${name} ready (${formatDuration(Date.now() - s0)})`);
    return result;
  };

  try {
    const promLog = join(plan.logDir, 'prometheus.log');
    const prometheus = await step(`prometheus :${plan.prometheus}`, promLog, () =>
      startPrometheus({ port: plan.prometheus, dataDir: join(plan.dataDir, 'prometheus'), logFile: promLog, scrapeConfigs: scrapeConfigs(plan) }),
    );
    track({ name: 'prometheus', kind: 'prometheus', port: plan.prometheus, pid: prometheus.pid, expect: 'prometheus', stopSignal: 'SIGTERM' });

    const toxLog = join(plan.logDir, 'toxiproxy.log');
    const toxiproxy = await step(`toxiproxy :${plan.toxiproxy.port} (${plan.toxiproxy.proxies.length} links)`, toxLog, () =>
      startToxiproxy({ port: plan.toxiproxy.port, logFile: toxLog, proxies: plan.toxiproxy.proxies }),
    );
    track({ name: 'toxiproxy', kind: 'toxiproxy', port: plan.toxiproxy.port, pid: toxiproxy.pid, expect: 'toxiproxy', stopSignal: 'SIGTERM' });

    // Every region starts as the lab left it: the primary active, the watcher as the binding says.
    const record: LabFailoverRecord = { active: plan.primary, history: [] };
    writeJsonAtomic(join(plan.runDir, LAB_FAILOVER_FILE), record);
    writeJsonAtomic(join(plan.runDir, DR_CONFIG_FILE), drConfig(plan, dbUser));
    const supLog = join(plan.logDir, 'supervisor.log');
    const supervisorPid = await step(`supervisor (${plan.services.length} service replicas, heartbeat, DR service)`, supLog, async () => {
      writeJsonAtomic(join(plan.runDir, SUPERVISOR_CONFIG_FILE), supervisorConfig(plan, dbUser));
      const proc = await spawnDaemon({ command: process.execPath, args: ['--import', 'tsx', SUPERVISOR_MAIN, plan.runDir], cwd: repoRoot, logFile: supLog });
      track({ name: 'supervisor', kind: 'supervisor', pid: proc.pid, expect: SUPERVISOR_MAIN, stopSignal: 'SIGTERM' });
      return proc.pid;
    });

    const link = (purpose: string) => Number(plan.toxiproxy.proxies.find((p) => p.purpose === purpose)!.listen.split(':')[1]);
    const instances: (PostgresInstance & { store: string })[] = [
      { region: plan.primary, role: 'primary', port: plan.postgres.primary, dataDir: join(plan.dataDir, `postgres-${plan.primary}`), logFile: join(plan.logDir, `postgres-${plan.primary}.log`), logical: plan.shape.cdc !== undefined, store: plan.shape.replicated },
      {
        region: plan.secondary,
        role: 'replica',
        port: plan.postgres.replica,
        dataDir: join(plan.dataDir, `postgres-${plan.secondary}`),
        logFile: join(plan.logDir, `postgres-${plan.secondary}.log`),
        slot: replicationSlot(plan.secondary),
        upstreamPort: link('replication'),
        logical: plan.shape.cdc !== undefined,
        store: plan.shape.replicated,
      },
    ];
    if (plan.postgres.cdc !== undefined) {
      instances.push({ region: plan.secondary, role: 'cdc', port: plan.postgres.cdc, dataDir: join(plan.dataDir, `postgres-${plan.secondary}-cdc`), logFile: join(plan.logDir, `postgres-${plan.secondary}-cdc.log`), store: plan.shape.cdc! });
    }
    let databases: 'created' | 'reused' = 'created';
    const pgPids = new Map<number, number>();
    for (const pg of instances) {
      const pid = await step(`postgres ${pg.region} (${pg.role === 'cdc' ? 'CDC copy' : pg.role}) :${pg.port}`, pg.logFile, async () => {
        const how = pg.role === 'replica' ? await prepareReplica(pg, dbUser) : await preparePrimary(pg, dbUser);
        if (how === 'reused') databases = 'reused';
        const { pid } = await startPostgres(pg, dbUser);
        track({ name: `postgres ${pg.region}${pg.role === 'cdc' ? ' cdc' : ''}`, kind: 'postgres', region: pg.region, port: pg.port, pid, expect: 'postgres', stopSignal: 'SIGINT' });
        if (pg.role === 'primary') {
          await prepareSchema(pg.port, dbUser, LAB_DATABASE, [replicationSlot(plan.secondary)], SEED_ITEM_COUNT);
          if (plan.shape.cdc) await prepareLedgerSource(pg.port, dbUser);
        }
        if (pg.role === 'cdc') await prepareLedgerCopy(pg.port, dbUser, link('cdc'));
        return pid;
      });
      pgPids.set(pg.port, pid);
    }

    const natsPids = new Map<string, number>();
    if (plan.nats) {
      for (const region of [plan.primary, plan.secondary]) {
        const logFile = join(plan.logDir, `nats-${region}.log`);
        const { pid } = await step(`nats ${region} :${plan.nats.ports[region]}`, logFile, () =>
          startNats({
            region,
            port: plan.nats!.ports[region]!,
            monitorPort: plan.nats!.monitor[region]!,
            dir: join(plan.dataDir, `nats-${region}`),
            logFile,
            ...(region === plan.primary ? { leafListenPort: plan.nats!.leaf } : { leafRemotePort: link('mirror') }),
          }),
        );
        track({ name: `nats ${region}`, kind: 'nats', region, port: plan.nats.monitor[region], pid, expect: 'nats-server', stopSignal: 'SIGTERM' });
        natsPids.set(region, pid);
      }
      const nats = plan.nats;
      await step(`stream ${streamName(plan.shape.mirror!)} mirrored to ${plan.secondary}`, join(plan.logDir, `nats-${plan.secondary}.log`), () =>
        waitFor('the leaf-node link and the mirror', async () => {
          await prepareMirror({ store: plan.shape.mirror!, primaryPort: nats.ports[plan.primary]!, secondaryPort: nats.ports[plan.secondary]!, primaryDomain: plan.primary });
          return true;
        }, { timeoutMs: 30_000, intervalMs: 500 }),
      );
    }

    await step(`service replicas answering /healthz (${plan.services.length})`, supLog, () =>
      Promise.all(plan.services.map((s) => waitForHttp(`http://127.0.0.1:${s.port}/healthz`, { timeoutMs: SERVICE_READY_TIMEOUT_MS, intervalMs: 250, pid: supervisorPid }))),
    );

    let routeProxy: LabRouteProxy | undefined;
    if (plan.routeProxy !== undefined) {
      const port = plan.routeProxy;
      const logFile = join(plan.logDir, `route-proxy-${plan.primary}.log`);
      routeProxy = await step(`route proxy ${plan.primary} gateway → ${plan.shape.service} :${port}`, logFile, async () => {
        const { pid, proxy } = await startRouteProxy({
          region: plan.primary,
          service: plan.shape.service,
          upstreamPorts: servicePorts(plan, plan.primary),
          routes: [{ from: plan.primary, port }],
          dir: join(plan.runDir, 'route-proxy'),
          logFile,
          serviceTimeoutMs: plan.binding.serviceTimeoutMs,
        });
        track({ name: `route proxy ${plan.primary}`, kind: 'nginx', region: plan.primary, port, pid, expect: 'nginx', stopSignal: 'SIGTERM' });
        await waitForHttp(`http://127.0.0.1:${port}/items/1`, { timeoutMs: 30_000, intervalMs: 250, pid });
        return { ...proxy, pid };
      });
    }

    const ingressPids = new Map<string, number>();
    for (const region of [plan.primary, plan.secondary]) {
      const logFile = join(plan.logDir, `nginx-${region}.log`);
      const gateway = region === plan.primary && plan.routeProxy !== undefined;
      const pid = await step(`nginx ingress ${region} :${plan.ingress[region]}`, logFile, async () => {
        const { pid } = await startIngress({
          region,
          port: plan.ingress[region]!,
          // With a mesh route the primary's ingress is the API gateway, and its one upstream the route proxy.
          mainPorts: gateway ? [plan.routeProxy!] : servicePorts(plan, region),
          // The DR watcher checks the gateway; an HTTP fault on the route behind it must not look like a dead region.
          ownHealth: gateway,
          backupPorts: [],
          dir: join(plan.runDir, 'nginx', region),
          logFile,
          accessLogFile: join(plan.logDir, `nginx-${region}.access.log`),
          serviceTimeoutMs: plan.binding.serviceTimeoutMs,
        });
        track({ name: `nginx ${region}`, kind: 'nginx', region, port: plan.ingress[region], pid, expect: 'nginx', stopSignal: 'SIGTERM' });
        await waitForHttp(`http://127.0.0.1:${plan.ingress[region]}/items/1`, { timeoutMs: 30_000, intervalMs: 250, pid });
        return pid;
      });
      ingressPids.set(region, pid);
    }
    const entryLog = join(plan.logDir, 'nginx-global.log');
    const entry = await step(`global entry :${plan.globalEntry} → ${plan.primary}`, entryLog, async () => {
      const entry = await startGlobalEntry(globalEntryOptions(plan, plan.primary));
      track({ name: 'global entry', kind: 'nginx', port: plan.globalEntry, pid: entry.pid, expect: 'nginx', stopSignal: 'SIGTERM' });
      await waitForHttp(`http://127.0.0.1:${plan.globalEntry}/items/1`, { timeoutMs: 30_000, intervalMs: 250, pid: entry.pid });
      return entry;
    });

    await step(`replication, CDC and mirror flowing to ${plan.secondary}`, join(plan.logDir, `postgres-${plan.primary}.log`), () =>
      waitFor(
        'copies in the secondary',
        async () => {
          if (!(await streamingReplicas(plan.postgres.primary, dbUser)).includes(plan.secondary)) return undefined;
          if (plan.postgres.cdc !== undefined && (await cdcStatus(plan.postgres.cdc, dbUser)) !== 'streaming') return undefined;
          return true;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      ),
    );
    const stores = [plan.shape.replicated, plan.shape.cdc, plan.shape.mirror].filter((s): s is string => s !== undefined);
    await step(`prometheus has the lag of ${stores.join(', ')} in ${plan.secondary}`, promLog, () =>
      waitForPrometheusData(prometheus.url, `count by (store) (${ServiceMetrics.replicationLag}{region="${plan.secondary}"})`, {
        timeoutMs: 60_000,
        accept: (samples) => stores.every((s) => samples.some((x) => x.metric.store === s)),
      }),
    );

    const state: LabState = {
      topology: plan.topology.name,
      startedAt: t0,
      runDir: plan.runDir,
      portBase: plan.binding.portBase,
      restartDelayMs: plan.binding.restartDelayMs,
      prometheus: { url: prometheus.url, port: plan.prometheus, pid: prometheus.pid },
      toxiproxy: { apiUrl: toxiproxy.apiUrl, port: plan.toxiproxy.port, pid: toxiproxy.pid, proxies: plan.toxiproxy.proxies },
      postgres: instances.map((p) => ({ region: p.region, role: p.role, port: p.port, pid: pgPids.get(p.port)!, dataDir: p.dataDir, store: p.store })),
      redis: [],
      nginx: [plan.primary, plan.secondary].map((region) => ({ region, port: plan.ingress[region]!, pid: ingressPids.get(region)!, url: `http://127.0.0.1:${plan.ingress[region]}` })),
      supervisor: { pid: supervisorPid },
      ledgerDir: plan.ledgerDir,
      ...(routeProxy ? { routeProxy } : {}),
      activePassive: {
        primary: plan.primary,
        secondary: plan.secondary,
        globalEntry: { url: `http://127.0.0.1:${plan.globalEntry}`, port: plan.globalEntry, pid: entry.pid, configFile: entry.configFile },
        nats: plan.nats ? [plan.primary, plan.secondary].map((region) => ({ region, port: plan.nats!.ports[region]!, monitorPort: plan.nats!.monitor[region]!, pid: natsPids.get(region)! })) : [],
        stores: [
          { name: plan.shape.replicated, mode: 'async', engine: 'postgres', database: LAB_DATABASE },
          ...(plan.shape.cdc ? [{ name: plan.shape.cdc, mode: 'cdc' as const, engine: 'postgres' as const, database: 'ledger' }] : []),
          ...(plan.shape.mirror ? [{ name: plan.shape.mirror, mode: 'mirror' as const, engine: 'nats' as const, stream: streamName(plan.shape.mirror) }] : []),
        ],
        drService: { url: `http://127.0.0.1:${plan.drService}`, port: plan.drService },
      },
    };
    writeLabState(plan.runDir, state);
    return { state, databases };
  } catch (e) {
    log(`  ${current.name} FAILED; stopping what was started`);
    await stopComponents(plan.runDir, started, { log: () => {} });
    for (const file of [STARTED_FILE, SUPERVISED_FILE, LAB_SERVICES_FILE]) rmSync(join(plan.runDir, file), { force: true });
    throw startFailure(current.name, current.logFile, e);
  }
}

function servicePorts(plan: ActivePassivePlan, region: string): number[] {
  return plan.services.filter((s) => s.region === region).map((s) => s.port);
}

function pgDirs(plan: ActivePassivePlan): string[] {
  return [join(plan.dataDir, `postgres-${plan.primary}`), join(plan.dataDir, `postgres-${plan.secondary}`), ...(plan.postgres.cdc ? [join(plan.dataDir, `postgres-${plan.secondary}-cdc`)] : [])];
}

export function globalEntryOptions(plan: ActivePassivePlan, active: string) {
  return {
    port: plan.globalEntry,
    activeIngressPort: plan.ingress[active]!,
    activeRegion: active,
    dir: join(plan.runDir, 'nginx', 'global'),
    logFile: join(plan.logDir, 'nginx-global.log'),
    accessLogFile: join(plan.logDir, 'nginx-global.access.log'),
    serviceTimeoutMs: plan.binding.serviceTimeoutMs,
  };
}

function scrapeConfigs(plan: ActivePassivePlan) {
  return [
    {
      jobName: SERVICE_JOB,
      targets: plan.services.map((s) => ({ address: `127.0.0.1:${s.port}`, labels: { [Labels.region]: s.region, [Labels.service]: s.service, [Labels.replica]: String(s.replica) } })),
    },
  ];
}

function drConfig(plan: ActivePassivePlan, dbUser: RunAsUser | undefined): DrServiceConfig {
  const { activeIngressPort: _a, activeRegion: _r, ...entry } = globalEntryOptions(plan, plan.primary);
  return {
    runDir: plan.runDir,
    port: plan.drService,
    primary: plan.primary,
    secondary: plan.secondary,
    intervalMs: plan.shape.watcher.intervalMs,
    missed: plan.shape.watcher.missed,
    armed: true,
    ingress: plan.ingress,
    globalEntry: entry,
    dbUser: databaseUserName(dbUser),
    replicaPort: plan.postgres.replica,
    ...(plan.postgres.cdc !== undefined ? { cdcPort: plan.postgres.cdc } : {}),
    ...(plan.nats ? { natsPort: plan.nats.ports[plan.secondary], mirrorStore: plan.shape.mirror } : {}),
    servicePorts: Object.fromEntries([plan.primary, plan.secondary].map((r) => [r, servicePorts(plan, r)])),
  };
}

function supervisorConfig(plan: ActivePassivePlan, dbUser: RunAsUser | undefined): SupervisorConfig {
  const user = databaseUserName(dbUser);
  const failoverFile = join(plan.runDir, LAB_FAILOVER_FILE);
  // Each region reads and writes its own copies: the primary's stores there, the replica, CDC copy and mirror here.
  const local = (region: string) =>
    region === plan.primary
      ? { db: plan.postgres.primary, ledger: plan.shape.cdc ? plan.postgres.primary : undefined, nats: plan.nats?.ports[region] }
      : { db: plan.postgres.replica, ledger: plan.postgres.cdc, nats: plan.nats?.ports[region] };
  const units: SupervisedUnit[] = plan.services.map((s) => ({
    name: `${s.service} ${s.region}#${s.replica}`,
    kind: 'service',
    region: s.region,
    service: s.service,
    replica: s.replica,
    port: s.port,
    entry: REFERENCE_SERVICE_MAIN,
    logFile: join(plan.logDir, `service-${s.region}-${s.service}-${s.replica}.log`),
    env: serviceEnv({
      region: s.region,
      service: s.service,
      replica: s.replica,
      port: s.port,
      dbPort: local(s.region).db,
      dbUser: user,
      dbName: LAB_DATABASE,
      timeoutMs: plan.binding.serviceTimeoutMs,
      lagPollMs: 250,
      storeName: plan.shape.replicated,
      failoverFile,
      ...(plan.shape.cdc ? { ledgerPort: local(s.region).ledger, cdcStore: plan.shape.cdc } : {}),
      ...(plan.shape.mirror ? { natsPort: local(s.region).nats, mirrorStore: plan.shape.mirror } : {}),
    }),
  }));
  units.push({
    name: 'heartbeat',
    kind: 'heartbeat',
    // A lab instrument that follows the active region; it belongs to no region, so no region loss freezes it.
    region: 'lab',
    service: 'heartbeat',
    replica: 0,
    entry: HEARTBEAT_MAIN,
    logFile: join(plan.logDir, 'heartbeat.log'),
    env: {
      FAULTLINE_DB_USER: user,
      FAULTLINE_DB_NAME: LAB_DATABASE,
      FAULTLINE_HEARTBEAT_MS: '250',
      FAULTLINE_TIMEOUT_MS: String(plan.binding.serviceTimeoutMs),
      FAULTLINE_HEARTBEAT_TARGETS: JSON.stringify({ failoverFile, regions: { [plan.primary]: local(plan.primary), [plan.secondary]: local(plan.secondary) } }),
    },
  });
  units.push({
    name: `dr-service ${plan.secondary}`,
    kind: 'dr-service',
    region: plan.secondary,
    service: 'dr-service',
    replica: 0,
    port: plan.drService,
    entry: DR_SERVICE_MAIN,
    args: [plan.runDir],
    logFile: join(plan.logDir, 'dr-service.log'),
    env: {},
  });
  return { runDir: plan.runDir, ledgerDir: plan.ledgerDir, restartDelayMs: plan.binding.restartDelayMs, watchdogIntervalMs: 500, units };
}
