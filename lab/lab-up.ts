import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError, formatDuration, Labels, SERVICE_JOB, ServiceMetrics, type Topology } from '../core/index.ts';
import { startAlertmanager } from './components/alertmanager.ts';
import { startDnsResolver } from './components/dns-resolver.ts';
import { startIngress } from './components/nginx.ts';
import { startRouteProxy } from './components/route-proxy.ts';
import { labAlertRules } from './alert-rules.ts';
import { prepareSchema, preparePrimary, prepareReplica, databaseUserName, startPostgres, storageOf, streamingReplicas, type PostgresInstance } from './components/postgres.ts';
import { startPrometheus, type ScrapeConfig } from './components/prometheus.ts';
import { waitForPrometheusData } from './components/prometheus-query.ts';
import { startRedis } from './components/redis.ts';
import { slowDiskUnavailable, startSlowDisk } from './components/slow-disk.ts';
import { startToxiproxy } from './components/toxiproxy.ts';
import { clockFileOf, labHostname, readLabState, writeJsonAtomic, LAB_SERVICES_FILE, LAB_STATE_FILE, LAB_WATCHDOG_FILE, type LabBinding, type LabRouteProxy, type LabSlowDisk, type LabState } from './contract/index.ts';
import { writeLabState, writeStarted, STARTED_FILE, type StartedComponent, type StartedFile } from './lab-files.ts';
import { LAB_DATABASE, planLab, plannedPorts, resolveBinding, SEED_ITEM_COUNT, type LabOverrides, type LabPlan } from './lab-plan.ts';
import { isLabAlive, stopComponents } from './lab-down.ts';
import { assertPortsFree, assertUserCanReach, databaseUser, findBinary, LIBFAKETIME, NGINX_NJS_MODULE, repoRoot, requireLibrary, spawnDaemon, waitFor, waitForHttp, type RunAsUser } from './process/index.ts';
import { REFERENCE_SERVICE_MAIN, serviceEnv } from './reference-service/index.ts';
import { HEARTBEAT_MAIN, SUPERVISED_FILE, SUPERVISOR_CONFIG_FILE, SUPERVISOR_MAIN, type SupervisorConfig, type SupervisedUnit } from './supervisor/index.ts';
import { startFailure } from './start-failure.ts';
import { planActivePassive } from './active-passive/plan.ts';
import { upActivePassive } from './active-passive/up.ts';
import { requirePasswordsForIssuedUsers } from './vault/database-access.ts';
import { configureSecretStore, formSecretStore, secretStoreScrapeConfigs, secretStoreState, secretStoreUnits } from './vault/up.ts';

export interface LabUpOptions extends LabOverrides {
  topology: Topology;
  /** The topology's lab binding (targets/); overrides apply on top. */
  binding: LabBinding;
  /** Progress lines; default: none. */
  log?: (line: string) => void;
  /** Aborting stops what was started so far and rejects. */
  signal?: AbortSignal;
}

export interface LabUpResult {
  state: LabState;
  /** False when a lab was already running there: nothing was changed. */
  started: boolean;
  /** Wall time of this call. */
  elapsedMs: number;
  /** Whether PostgreSQL was created (cold) or reused from kept data (warm). */
  databases: 'created' | 'reused' | 'running';
}

const SERVICE_READY_TIMEOUT_MS = 90_000;

/**
 * Brings the topology up as real processes on 127.0.0.1 and waits until it is really usable: replicas streaming,
 * every ingress answering 200 from the database, Prometheus holding scraped samples. Refuses (changing nothing) on a
 * missing binary, a busy port or a folder PostgreSQL cannot reach; undoes what it started if a component fails.
 */
export async function labUp(options: LabUpOptions): Promise<LabUpResult> {
  const t0 = Date.now();
  const log = options.log ?? (() => {});
  const binding = resolveBinding(options.topology, options.binding, options);
  if (binding.activePassive) return labUpActivePassive(options.topology, binding, log, options.signal, t0);
  const noSlowDisk = (binding.slowDisk ?? true) ? slowDiskUnavailable() : undefined;
  const plan = planLab(options.topology, binding, { canMountSlowDisk: !noSlowDisk });

  if (isLabAlive(plan.runDir)) {
    const state = runningState(plan.runDir);
    log(`a lab is already running in ${plan.runDir}; nothing changed`);
    return { state, started: false, elapsedMs: Date.now() - t0, databases: 'running' };
  }

  // Preflight: everything that can refuse the run is checked before the first process starts.
  for (const binary of ['prometheus', 'toxiproxy', 'postgres', 'initdb', 'pg_basebackup', 'redis-server', 'nginx', 'dnsmasq', 'prometheus-alertmanager'] as const) findBinary(binary);
  requireLibrary(LIBFAKETIME, 'libfaketime');
  requireLibrary(NGINX_NJS_MODULE, 'libnginx-mod-http-js');
  if (plan.secretStore) findBinary('vault');
  if (noSlowDisk) log(`  databases on the plain disk: ${noSlowDisk}; ioLatency is refused on this lab`);
  const dbUser = databaseUser();
  assertUserCanReach(plan.dataDir, dbUser);
  await assertPortsFree(plannedPorts(plan), plan.binding.portBase);

  mkdirSync(plan.logDir, { recursive: true });
  mkdirSync(plan.ledgerDir, { recursive: true });
  for (const stale of [LAB_STATE_FILE, LAB_SERVICES_FILE, SUPERVISED_FILE, STARTED_FILE, LAB_WATCHDOG_FILE]) rmSync(join(plan.runDir, stale), { force: true });
  // A hold a crashed run left would keep a node down forever.
  rmSync(join(plan.runDir, 'holds'), { recursive: true, force: true });
  // An earlier lab's rendered database credentials may name a user this lab never issued: services wait for new ones.
  for (const agent of plan.secretStore?.agents ?? []) rmSync(agent.credentialsFile, { force: true });

  const started: StartedFile = {
    topology: plan.topology.name,
    portBase: plan.binding.portBase,
    ports: plannedPorts(plan).map((p) => p.port),
    dataDirs: [
      join(plan.dataDir, 'prometheus'),
      join(plan.dataDir, 'alertmanager'),
      ...(plan.slowDisk ? [plan.slowDisk.backing, plan.slowDisk.mount] : plan.postgres.map((p) => p.dataDir)),
      ...plan.redis.map((r) => join(plan.dataDir, `redis-${r.region}`)),
      ...(plan.secretStore?.clusters.flatMap((c) => c.nodes.map((n) => n.dataDir)) ?? []),
    ],
    components: [],
  };
  const track = (component: StartedComponent) => {
    started.components.push(component);
    writeStarted(plan.runDir, started);
  };
  writeStarted(plan.runDir, started);

  let current = { name: 'preflight', logFile: plan.logDir };
  const step = async <T>(name: string, logFile: string, fn: () => Promise<T>): Promise<T> => {
    if (options.signal?.aborted) throw new FaultlineError('FAULTLINE_HARNESS', 'lab up was interrupted', 'nothing of it is left running');
    current = { name, logFile };
    const s0 = Date.now();
    log(`  ${name} …`);
    const result = await fn();
    log(`  ${name} ready (${formatDuration(Date.now() - s0)})`);
    return result;
  };

  let databases: 'created' | 'reused' = 'created';
  const stopForming = new AbortController();
  try {
    const amLog = join(plan.logDir, 'alertmanager.log');
    const alertmanager = await step(`alertmanager :${plan.alertmanager.port}`, amLog, () =>
      startAlertmanager({ port: plan.alertmanager.port, dataDir: join(plan.dataDir, 'alertmanager'), logFile: amLog }),
    );
    track({ name: 'alertmanager', kind: 'alertmanager', port: plan.alertmanager.port, pid: alertmanager.pid, expect: 'alertmanager', stopSignal: 'SIGTERM' });

    const promLog = join(plan.logDir, 'prometheus.log');
    const rulesFile = join(plan.runDir, 'alert-rules.yml');
    writeFileSync(rulesFile, labAlertRules());
    // First, because its first scraped sample is queryable only seconds after it starts: it warms up meanwhile.
    const prometheus = await step(`prometheus :${plan.prometheus.port}`, promLog, () =>
      startPrometheus({
        port: plan.prometheus.port,
        dataDir: join(plan.dataDir, 'prometheus'),
        logFile: promLog,
        scrapeConfigs: scrapeConfigs(plan),
        ruleFiles: [rulesFile],
        alertmanagers: [`127.0.0.1:${plan.alertmanager.port}`],
      }),
    );
    track({ name: 'prometheus', kind: 'prometheus', port: plan.prometheus.port, pid: prometheus.pid, expect: 'prometheus', stopSignal: 'SIGTERM' });

    const toxLog = join(plan.logDir, 'toxiproxy.log');
    const toxiproxy = await step(`toxiproxy :${plan.toxiproxy.port} (${plan.toxiproxy.proxies.length} links)`, toxLog, () =>
      startToxiproxy({ port: plan.toxiproxy.port, logFile: toxLog, proxies: plan.toxiproxy.proxies }),
    );
    track({ name: 'toxiproxy', kind: 'toxiproxy', port: plan.toxiproxy.port, pid: toxiproxy.pid, expect: 'toxiproxy', stopSignal: 'SIGTERM' });

    let slowDisk: LabSlowDisk | undefined;
    if (plan.slowDisk) {
      const disk = plan.slowDisk;
      const { pid } = await step(`slow disk (FUSE) on ${disk.mount}`, disk.logFile, () => startSlowDisk(disk));
      track({ name: 'slowfs', kind: 'slowfs', pid, expect: 'slowfs', stopSignal: 'SIGTERM' });
      slowDisk = { mount: disk.mount, backing: disk.backing, controlDir: disk.controlDir, pid };
    }

    const dns: NonNullable<LabState['dns']> = [];
    const names = Object.fromEntries(plan.topology.services.flatMap((svc) => svc.regions.map((r) => [labHostname(svc.name, r), '127.0.0.1'])));
    for (const d of plan.dns) {
      const logFile = join(plan.logDir, `dns-${d.region}.log`);
      const hostsDir = join(plan.runDir, 'dns', d.region);
      const { pid } = await step(`dns resolver ${d.region} :${d.port}`, logFile, () => startDnsResolver({ region: d.region, port: d.port, hostsDir, names, logFile }));
      track({ name: `dns ${d.region}`, kind: 'dnsmasq', region: d.region, port: d.port, pid, expect: 'dnsmasq', stopSignal: 'SIGTERM' });
      dns.push({ region: d.region, port: d.port, pid, hostsDir });
    }
    const clockDir = join(plan.runDir, 'clocks');
    mkdirSync(clockDir, { recursive: true });
    for (const s of plan.services) writeFileSync(clockFileOf(clockDir, s.region, s.service, s.replica), '+0\n');

    // The services start now, in the background: compiling TypeScript in a dozen Node processes is the slowest part
    // of lab up, and they need nothing to listen (they reach PostgreSQL and Redis lazily, retrying), so it overlaps
    // with the databases' start. Their readiness is awaited once the databases are up.
    const supLog = join(plan.logDir, 'supervisor.log');
    const supervisorPid = await step(`supervisor (starts ${plan.services.length} service replicas + heartbeat)`, supLog, async () => {
      writeJsonAtomic(join(plan.runDir, SUPERVISOR_CONFIG_FILE), supervisorConfig(plan, dbUser, clockDir));
      const proc = await spawnDaemon({ command: process.execPath, args: ['--import', 'tsx', SUPERVISOR_MAIN, plan.runDir], cwd: repoRoot, logFile: supLog });
      track({ name: 'supervisor', kind: 'supervisor', pid: proc.pid, expect: SUPERVISOR_MAIN, stopSignal: 'SIGTERM' });
      return proc.pid;
    });
    // The Vault clusters initialize and elect while the databases start; what they serve is configured after.
    const forming = plan.secretStore ? formSecretStore(plan.secretStore, stopForming.signal) : Promise.resolve();
    forming.catch(() => {});

    const pgPids = new Map<string, number>();
    for (const pg of plan.postgres) {
      const instance: PostgresInstance = { ...pg, logFile: join(plan.logDir, `postgres-${pg.region}.log`) };
      const { pid, how } = await step(`postgres ${pg.region} (${pg.role}) :${pg.port}`, instance.logFile, async () => {
        const how = pg.role === 'primary' ? await preparePrimary(instance, dbUser) : await prepareReplica(instance, dbUser);
        if (plan.secretStore) requirePasswordsForIssuedUsers(storageOf(instance));
        const { pid } = await startPostgres(instance, dbUser);
        track({ name: `postgres ${pg.region}`, kind: 'postgres', region: pg.region, port: pg.port, pid, expect: 'postgres', stopSignal: 'SIGINT' });
        if (pg.role === 'primary') {
          const slots = plan.postgres.flatMap((p) => (p.slot ? [p.slot] : []));
          await prepareSchema(pg.port, dbUser, LAB_DATABASE, slots, SEED_ITEM_COUNT);
        }
        return { pid, how };
      });
      if (how === 'reused') databases = 'reused';
      pgPids.set(pg.region, pid);
    }

    const redisPids = new Map<string, number>();
    for (const r of plan.redis) {
      const logFile = join(plan.logDir, `redis-${r.region}.log`);
      const { pid } = await step(`redis ${r.region} :${r.port}`, logFile, () => startRedis({ port: r.port, dir: join(plan.dataDir, `redis-${r.region}`), logFile }));
      track({ name: `redis ${r.region}`, kind: 'redis', region: r.region, port: r.port, pid, expect: 'redis-server', stopSignal: 'SIGTERM' });
      redisPids.set(r.region, pid);
    }

    if (plan.secretStore) {
      const store = plan.secretStore;
      const primaryPg = plan.postgres.find((p) => p.role === 'primary')!;
      await step(`secret store: ${store.clusters.map((c) => `${c.region} ×${c.nodes.length}`).join(', ')} Vault, database leases of ${formatDuration(store.leaseTtlMs)}`, store.clusters[0]!.nodes[0]!.logFile, async () => {
        await forming;
        await configureSecretStore(store, { primaryPort: primaryPg.port, user: dbUser, userName: databaseUserName(dbUser), database: LAB_DATABASE });
      });
    }

    await step(`service replicas answering /healthz (${plan.services.length})`, supLog, () =>
      Promise.all(
        plan.services.map((s) => waitForHttp(`http://127.0.0.1:${s.port}/healthz`, { timeoutMs: SERVICE_READY_TIMEOUT_MS, intervalMs: 250, pid: supervisorPid })),
      ),
    );

    const nginxPids = new Map<string, number>();
    for (const n of plan.nginx) {
      const logFile = join(plan.logDir, `nginx-${n.region}.log`);
      const pid = await step(`nginx ingress ${n.region} :${n.port}`, logFile, async () => {
        const services = plan.services.filter((s) => s.region === n.region);
        const { pid } = await startIngress({
          region: n.region,
          port: n.port,
          mainPorts: services.filter((s) => !s.backup).map((s) => s.port),
          backupPorts: services.filter((s) => s.backup).map((s) => s.port),
          dir: join(plan.runDir, 'nginx', n.region),
          logFile,
          accessLogFile: join(plan.logDir, `nginx-${n.region}.access.log`),
          serviceTimeoutMs: plan.binding.serviceTimeoutMs,
        });
        track({ name: `nginx ${n.region}`, kind: 'nginx', region: n.region, port: n.port, pid, expect: 'nginx', stopSignal: 'SIGTERM' });
        // Through the ingress, a service and the region's database: the whole read path answers.
        await waitForHttp(`http://127.0.0.1:${n.port}/items/1`, { timeoutMs: 30_000, intervalMs: 250, pid });
        return pid;
      });
      nginxPids.set(n.region, pid);
    }

    const rpLog = join(plan.logDir, `route-proxy-${plan.routeProxy.region}.log`);
    const routeProxy: LabRouteProxy = await step(`route proxy in front of ${plan.routeProxy.region}'s API (${plan.routeProxy.routes.length} routes)`, rpLog, async () => {
      const { pid, proxy } = await startRouteProxy({
        region: plan.routeProxy.region,
        upstreamPorts: [plan.nginx.find((n) => n.region === plan.routeProxy.region)!.port],
        routes: plan.routeProxy.routes,
        dir: join(plan.runDir, 'route-proxy'),
        logFile: rpLog,
        serviceTimeoutMs: plan.binding.serviceTimeoutMs,
      });
      const port = plan.routeProxy.routes[0]?.port;
      track({ name: `route proxy ${plan.routeProxy.region}`, kind: 'nginx', region: plan.routeProxy.region, port, pid, expect: 'nginx', stopSignal: 'SIGTERM' });
      if (port !== undefined) await waitForHttp(`http://127.0.0.1:${port}/items/1`, { timeoutMs: 30_000, intervalMs: 250, pid });
      return { ...proxy, pid };
    });

    const primary = plan.postgres.find((p) => p.role === 'primary')!;
    const replicaRegions = plan.postgres.filter((p) => p.role === 'replica').map((p) => p.region);
    await step(`replication streaming to ${replicaRegions.join(', ')}`, join(plan.logDir, `postgres-${primary.region}.log`), () =>
      waitFor(
        'replicas streaming',
        async () => {
          const streaming = await streamingReplicas(primary.port, dbUser);
          return replicaRegions.every((r) => streaming.includes(r)) ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      ),
    );

    const regions = plan.topology.regions.map((r) => r.name);
    await step('prometheus has scraped the lag gauge of every region', promLog, () =>
      waitForPrometheusData(prometheus.url, `count by (region) (${ServiceMetrics.replicationLag})`, {
        timeoutMs: 60_000,
        accept: (samples) => regions.every((r) => samples.some((s) => s.metric.region === r)),
      }),
    );

    const state: LabState = {
      topology: plan.topology.name,
      startedAt: t0,
      runDir: plan.runDir,
      portBase: plan.binding.portBase,
      restartDelayMs: plan.binding.restartDelayMs,
      prometheus: { url: prometheus.url, port: plan.prometheus.port, pid: prometheus.pid },
      toxiproxy: { apiUrl: toxiproxy.apiUrl, port: plan.toxiproxy.port, pid: toxiproxy.pid, proxies: plan.toxiproxy.proxies },
      postgres: plan.postgres.map((p) => ({ region: p.region, role: p.role, port: p.port, pid: pgPids.get(p.region)!, dataDir: p.dataDir })),
      redis: plan.redis.map((r) => ({ region: r.region, port: r.port, pid: redisPids.get(r.region)! })),
      nginx: plan.nginx.map((n) => ({ region: n.region, port: n.port, pid: nginxPids.get(n.region)!, url: `http://127.0.0.1:${n.port}` })),
      supervisor: { pid: supervisorPid },
      ledgerDir: plan.ledgerDir,
      alertmanager: { url: alertmanager.url, port: plan.alertmanager.port, pid: alertmanager.pid },
      dns,
      routeProxy,
      clockDir,
      ...(plan.secretStore && { secretStore: secretStoreState(plan.secretStore) }),
      ...(slowDisk && { slowDisk }),
    };
    writeLabState(plan.runDir, state);
    log(`lab up in ${formatDuration(Date.now() - t0)} (databases ${databases})`);
    return { state, started: true, elapsedMs: Date.now() - t0, databases };
  } catch (e) {
    log(`  ${current.name} FAILED; stopping what was started`);
    stopForming.abort();
    await stopComponents(plan.runDir, started, { log: () => {} });
    // Everything is stopped: nothing is left for `lab down` to find. Logs and data stay for the diagnosis.
    for (const file of [STARTED_FILE, SUPERVISED_FILE, LAB_SERVICES_FILE]) rmSync(join(plan.runDir, file), { force: true });
    throw startFailure(current.name, current.logFile, e);
  }
}

async function labUpActivePassive(topology: Topology, binding: LabBinding, log: (line: string) => void, signal: AbortSignal | undefined, t0: number): Promise<LabUpResult> {
  const plan = planActivePassive(topology, binding);
  if (isLabAlive(plan.runDir)) {
    log(`a lab is already running in ${plan.runDir}; nothing changed`);
    return { state: runningState(plan.runDir), started: false, elapsedMs: Date.now() - t0, databases: 'running' };
  }
  const { state, databases } = await upActivePassive(plan, log, signal);
  log(`lab up in ${formatDuration(Date.now() - t0)} (databases ${databases})`);
  return { state, started: true, elapsedMs: Date.now() - t0, databases };
}

/** The running lab's state; a lab whose processes live but whose state.json is missing is half up. */
function runningState(runDir: string): LabState {
  try {
    return readLabState(runDir);
  } catch {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      `a lab in ${runDir} is partly up (its processes run, but lab up never finished)`,
      `stop it with \`faultline lab down --run-dir ${runDir}\`, then run lab up again`,
    );
  }
}

function scrapeConfigs(plan: LabPlan): ScrapeConfig[] {
  return [
    ...(plan.secretStore ? secretStoreScrapeConfigs(plan.secretStore) : []),
    {
      jobName: SERVICE_JOB,
      targets: plan.services.map((s) => ({
        address: `127.0.0.1:${s.port}`,
        labels: { [Labels.region]: s.region, [Labels.service]: s.service, [Labels.replica]: String(s.replica) },
      })),
    },
  ];
}

function supervisorConfig(plan: LabPlan, dbUser: RunAsUser | undefined, clockDir: string): SupervisorConfig {
  const pgPort = (region: string) => plan.postgres.find((p) => p.region === region)!.port;
  const redisPort = (region: string) => plan.redis.find((r) => r.region === region)!.port;
  const apiProxy = (region: string) => plan.toxiproxy.proxies.find((p) => p.from === region && p.purpose === 'api');
  const dbUserName = databaseUserName(dbUser);
  const dnsPort = (region: string) => plan.dns.find((d) => d.region === region)!.port;
  // The primary's API by name: a DNS fault in the calling region makes exactly this lookup fail.
  const apiService = plan.topology.routes?.[0]?.service ?? plan.topology.services.find((svc) => svc.role === 'main')!.name;
  const units: SupervisedUnit[] = plan.services.map((s) => {
    const proxy = apiProxy(s.region);
    const apiPort = proxy?.listen.split(':')[1];
    return {
      name: `${s.service} ${s.region}#${s.replica}`,
      kind: 'service',
      region: s.region,
      service: s.service,
      replica: s.replica,
      port: s.port,
      entry: REFERENCE_SERVICE_MAIN,
      logFile: join(plan.logDir, `service-${s.region}-${s.service}-${s.replica}.log`),
      env: {
        ...serviceEnv({
          region: s.region,
          service: s.service,
          replica: s.replica,
          port: s.port,
          redisPort: redisPort(s.region),
          // Each region reads its own database: the replica in regional regions, the primary in the primary one.
          dbPort: pgPort(s.region),
          dbUser: dbUserName,
          dbName: LAB_DATABASE,
          primaryApiUrl: proxy ? `http://${labHostname(apiService, plan.primaryRegion)}:${apiPort}` : undefined,
          timeoutMs: plan.binding.serviceTimeoutMs,
          lagPollMs: 500,
          dnsServer: `127.0.0.1:${dnsPort(s.region)}`,
          storeName: plan.topology.datastores[0]!.name,
          dbCredentialsFile: plan.secretStore?.agents.find((a) => a.region === s.region)?.credentialsFile,
        }),
        // libfaketime moves this process's wall clock by the offset in its clock file (timeSkew); monotonic time
        // stays real, as with Chaos Mesh's default CLOCK_REALTIME-only TimeChaos, so timers are not disturbed.
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME_TIMESTAMP_FILE: clockFileOf(clockDir, s.region, s.service, s.replica),
        FAKETIME_CACHE_DURATION: '1',
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
      },
    };
  });
  units.push({
    name: `heartbeat ${plan.primaryRegion}`,
    kind: 'heartbeat',
    region: plan.primaryRegion,
    service: 'heartbeat',
    replica: 0,
    entry: HEARTBEAT_MAIN,
    logFile: join(plan.logDir, 'heartbeat.log'),
    env: {
      FAULTLINE_DB_PORT: String(pgPort(plan.primaryRegion)),
      FAULTLINE_DB_USER: dbUserName,
      FAULTLINE_DB_NAME: LAB_DATABASE,
      FAULTLINE_HEARTBEAT_MS: '500',
      FAULTLINE_TIMEOUT_MS: String(plan.binding.serviceTimeoutMs),
    },
  });
  if (plan.secretStore) units.push(...secretStoreUnits(plan.secretStore, plan.binding.serviceTimeoutMs));
  return { runDir: plan.runDir, ledgerDir: plan.ledgerDir, restartDelayMs: plan.binding.restartDelayMs, watchdogIntervalMs: 500, units };
}
