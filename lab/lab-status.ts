import { join } from 'node:path';
import { requireRegion, requireService, type Topology } from '../core/index.ts';
import { redisPing } from './components/redis.ts';
import { isMounted } from './components/slow-disk.ts';
import { listProxies } from './components/toxiproxy.ts';
import { pgQuery } from './components/postgres.ts';
import { cdcStatus } from './active-passive/stores.ts';
import { absoluteRunDir, labNotRunning, readJsonFile, vaultHealth, LAB_STATE_FILE, type LabState } from './contract/index.ts';
import { readStarted, type StartedComponent } from './lab-files.ts';
import { labSafety, type LabSafety } from './lab-safety-status.ts';
import { cmdlineOf, databaseUser, isAlive, procState } from './process/index.ts';
import { readSupervised, UNIT_COMMAND_WORD, type SupervisedProcess } from './supervisor/index.ts';

export interface ComponentStatus {
  /** e.g. `postgres bdg`, `service-main jkt#1`, `link bdg-jkt-replication`. */
  component: string;
  kind: StartedComponent['kind'] | SupervisedProcess['kind'] | 'link';
  region?: string;
  pid?: number;
  port?: number;
  healthy: boolean;
  /** What was checked and what it said, e.g. `streaming from jkt`, `toxics: partition-jkt-bdg`. */
  detail: string;
}

export interface LabStatus {
  runDir: string;
  topology: string;
  /** state.json exists: `lab up` finished. False while it runs, or after it failed and left something behind. */
  complete: boolean;
  prometheusUrl?: string;
  components: ComponentStatus[];
  /** Every component healthy. */
  healthy: boolean;
  /** Experiments holding the lab, faults in its ledger, and what to do about them. */
  safety: LabSafety;
}

export interface LabStatusOptions {
  /** Default `.faultline/lab`, relative to the working directory. */
  runDir: string;
  /** Only this region's components; checked against the topology when one is given. */
  region?: string;
  /** Only this service's replicas (and the shared components of the region filter). */
  service?: string;
  topology?: Topology;
}

/** Probes every component of the lab, in parallel. Throws FAULTLINE_LAB_NOT_RUNNING when there is no lab there. */
export async function labStatus(options: LabStatusOptions): Promise<LabStatus> {
  if (options.topology) {
    if (options.region) requireRegion(options.topology, options.region);
    if (options.service) requireService(options.topology, options.service);
  }
  const runDir = absoluteRunDir(options.runDir);
  const started = readStarted(runDir);
  if (!started) throw labNotRunning(runDir);
  const state = readJsonFile<LabState>(join(runDir, LAB_STATE_FILE));
  const dbUser = databaseUser();

  const checks: Promise<ComponentStatus[]>[] = started.components.map(async (c) => [await checkComponent(c, state, dbUser)]);
  const toxiproxy = started.components.find((c) => c.kind === 'toxiproxy');
  if (state && toxiproxy) checks.push(checkLinks(state, isAlive(toxiproxy.pid)));
  checks.push(...readSupervised(runDir).map(async (u) => [await checkUnit(u)]));
  let components = (await Promise.all(checks)).flat();

  const safety = labSafety(runDir, state, toxiproxy !== undefined && isAlive(toxiproxy.pid));
  if (safety.watchdog) {
    const row = components.find((c) => c.kind === 'supervisor');
    if (row?.healthy) Object.assign(row, { healthy: false, detail: safety.watchdog });
  }
  if (options.region) components = components.filter((c) => c.region === options.region);
  if (options.service) components = components.filter((c) => c.kind !== 'service' || c.component.startsWith(`${options.service} `));
  return {
    runDir,
    topology: started.topology,
    complete: state !== undefined,
    prometheusUrl: state?.prometheus.url,
    components,
    healthy: state !== undefined && components.every((c) => c.healthy),
    safety,
  };
}

async function checkComponent(c: StartedComponent, state: LabState | undefined, dbUser: ReturnType<typeof databaseUser>): Promise<ComponentStatus> {
  const base = { component: c.name, kind: c.kind, region: c.region, pid: c.pid, port: c.port };
  const dead = processProblem(c.pid, c.expect);
  if (dead) return { ...base, healthy: false, detail: dead };
  try {
    switch (c.kind) {
      case 'prometheus': {
        const res = await fetch(`http://127.0.0.1:${c.port}/-/ready`, { signal: AbortSignal.timeout(2_000) });
        return { ...base, healthy: res.ok, detail: res.ok ? 'ready' : `/-/ready answered ${res.status}` };
      }
      case 'toxiproxy': {
        const proxies = await listProxies(`http://127.0.0.1:${c.port}`);
        return { ...base, healthy: true, detail: `API up, ${proxies.length} links` };
      }
      case 'postgres': {
        const role = state?.postgres.find((p) => p.port === c.port)?.role;
        if (role === 'cdc') {
          const cdc = await cdcStatus(c.port!, dbUser);
          return { ...base, healthy: cdc === 'streaming', detail: `CDC copy, subscription ${cdc}` };
        }
        if (role === 'replica') {
          const rows = await pgQuery(c.port!, dbUser, 'SELECT status FROM pg_stat_wal_receiver');
          const status = rows?.[0]?.status as string | undefined;
          return { ...base, healthy: status === 'streaming', detail: `replica, WAL receiver ${status ?? (rows ? 'not running' : 'unreachable')}` };
        }
        const rows = await pgQuery(c.port!, dbUser, "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'");
        if (!rows) return { ...base, healthy: false, detail: 'not accepting connections' };
        return { ...base, healthy: true, detail: `primary, streaming to ${rows.map((r) => r.application_name).join(', ') || 'no replica'}` };
      }
      case 'redis': {
        const ok = await redisPing(c.port!);
        return { ...base, healthy: ok, detail: ok ? 'PONG' : 'no answer to PING' };
      }
      case 'nginx': {
        const res = await fetch(`http://127.0.0.1:${c.port}/items/1`, { signal: AbortSignal.timeout(3_000) });
        return { ...base, healthy: res.status === 200, detail: `GET /items/1 → ${res.status}${res.headers.get('x-faultline-service') ? ` from ${res.headers.get('x-faultline-service')}#${res.headers.get('x-faultline-replica')}` : ''}` };
      }
      case 'nats': {
        const res = await fetch(`http://127.0.0.1:${c.port}/healthz?js-enabled-only=true`, { signal: AbortSignal.timeout(2_000) });
        return { ...base, healthy: res.ok, detail: res.ok ? 'JetStream up' : `/healthz answered ${res.status}` };
      }
      case 'supervisor':
        return { ...base, healthy: true, detail: 'running (restarts services, reverts expired faults)' };
      case 'alertmanager': {
        const res = await fetch(`http://127.0.0.1:${c.port}/-/ready`, { signal: AbortSignal.timeout(2_000) });
        return { ...base, healthy: res.ok, detail: res.ok ? 'ready' : `/-/ready answered ${res.status}` };
      }
      case 'dnsmasq':
        return { ...base, healthy: true, detail: 'resolving the lab’s names' };
      case 'slowfs': {
        const mount = state?.slowDisk?.mount;
        const mounted = mount !== undefined && isMounted(mount);
        return { ...base, healthy: mounted, detail: mounted ? `the databases' disk, mounted on ${mount}` : 'not mounted' };
      }
    }
  } catch (e) {
    return { ...base, healthy: false, detail: (e as Error).message };
  }
}

async function checkUnit(u: SupervisedProcess): Promise<ComponentStatus> {
  const base = { component: u.name, kind: u.kind, region: u.region, pid: u.pid, port: u.port };
  const restarts = u.restarts ? `, ${u.restarts} restart${u.restarts === 1 ? '' : 's'}` : '';
  const dead = processProblem(u.pid, UNIT_COMMAND_WORD[u.kind]);
  if (dead) return { ...base, healthy: false, detail: dead + restarts };
  if (u.port === undefined) return { ...base, healthy: true, detail: `running${restarts}` };
  if (u.kind === 'vault') {
    const health = await vaultHealth(`http://127.0.0.1:${u.port}`, 2_000);
    return { ...base, healthy: health === 'active' || health === 'standby', detail: `${health}${restarts}` };
  }
  try {
    if (u.kind === 'secret-agent') {
      const res = await fetch(`http://127.0.0.1:${u.port}/metrics`, { signal: AbortSignal.timeout(2_000) });
      return { ...base, healthy: res.ok, detail: `/metrics ${res.status}${restarts}` };
    }
    const res = await fetch(`http://127.0.0.1:${u.port}/healthz`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { lagSeconds?: number | null };
    const lag = typeof body.lagSeconds === 'number' ? `, lag ${body.lagSeconds.toFixed(1)}s` : '';
    return { ...base, healthy: res.ok, detail: `/healthz ${res.status}${lag}${restarts}` };
  } catch (e) {
    return { ...base, healthy: false, detail: `/healthz: ${(e as Error).message}${restarts}` };
  }
}

async function checkLinks(state: LabState, toxiproxyAlive: boolean): Promise<ComponentStatus[]> {
  let live: Awaited<ReturnType<typeof listProxies>> = [];
  try {
    if (toxiproxyAlive) live = await listProxies(state.toxiproxy.apiUrl);
  } catch {
    // reported on the toxiproxy row
  }
  return state.toxiproxy.proxies.map((p) => {
    const found = live.find((l) => l.name === p.name);
    const faults = [...(found && !found.enabled ? ['disabled'] : []), ...(found?.toxics.length ? [`toxics: ${found.toxics.join(', ')}`] : [])];
    return {
      component: `link ${p.name}`,
      kind: 'link' as const,
      region: p.from,
      port: Number(p.listen.split(':')[1]),
      healthy: found !== undefined && faults.length === 0,
      detail: !found ? 'unknown to toxiproxy' : faults.length ? faults.join('; ') : `clean → ${p.upstream}`,
    };
  });
}

/** Why a process cannot be healthy, or undefined when it runs. */
function processProblem(pid: number, expect: string): string | undefined {
  if (!isAlive(pid)) return 'not running';
  if (!(cmdlineOf(pid) ?? '').includes(expect)) return `pid ${pid} now belongs to another program`;
  if (procState(pid) === 'T') return 'frozen (SIGSTOP)';
  return undefined;
}
