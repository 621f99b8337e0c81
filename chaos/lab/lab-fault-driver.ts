import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import {
  FaultlineError,
  parseDuration,
  processStartTime,
  runRevertAction,
  selectionCount,
  validateFaultNames,
  type FaultDriver,
  type FaultPlan,
  type FaultSpec,
  type LeaseRequest,
  type TargetLease,
  type PreparedFault,
  type RevertAction,
  type SelectionMode,
  type Topology,
} from '../../core/index.ts';
import { readLabSnapshot, watchdogProblem, type LabProxy, type LabSecretStoreNode, type LabServiceProcess, type LabSnapshot } from '../../lab/contract/index.ts';
import { checkCatalogueFault, isCatalogueFault, prepareCatalogueFault } from './catalogue-faults.ts';
import { takeLabLease } from './lab-lease.ts';
import { prepareSecretStoreLoss, selectSecretStoreNodes } from './secret-store-fault.ts';
import { addToxic, removeToxicAction, type Toxic } from './toxiproxy-toxics.ts';

export interface LabDriverOptions {
  /** The lab's run folder (where `state.json` lives). */
  runDir: string;
  topology: Topology;
}

/**
 * Faults on the embedded lab, with real primitives: signals for pods, toxiproxy toxics for links, PostgreSQL's
 * recovery_min_apply_delay for replica lag, Redis commands for cache loss, stress-ng for CPU stress.
 */
export class LabFaultDriver implements FaultDriver {
  readonly target = 'lab';

  constructor(private readonly options: LabDriverOptions) {}

  async check(plan: FaultPlan): Promise<FaultlineError[]> {
    try {
      validateFaultNames(plan.spec, this.options.topology);
      parseDuration(plan.duration, `fault "${plan.name}" duration`);
      this.select(plan.spec, readLabSnapshot(this.options.runDir));
      return [];
    } catch (e) {
      if (e instanceof FaultlineError) return [new FaultlineError(e.code, `fault "${plan.name}": ${e.message}`)];
      throw e;
    }
  }

  /** The supervisor's TTL watchdog must be working: it alone reverts the faults of a harness killed with -9. */
  async checkSafetyNet(): Promise<FaultlineError[]> {
    const problem = watchdogProblem(this.options.runDir);
    if (!problem) return [];
    return [
      new FaultlineError(
        'FAULTLINE_WATCHDOG_DOWN',
        `${problem}: a harness killed now would leave its faults applied for good, so none is injected`,
        'restart the lab: `faultline lab down && faultline lab up` (`faultline lab status` shows the supervisor)',
      ),
    ];
  }

  lease(request: LeaseRequest): Promise<TargetLease> {
    return takeLabLease(this.options.runDir, request);
  }

  async prepare(plan: FaultPlan, context: { ttlMs: number; runId: string; scenario: string }): Promise<PreparedFault> {
    const lab = readLabSnapshot(this.options.runDir);
    const spec = plan.spec;
    const id = `${context.runId}-${plan.name}`.replace(/[^A-Za-z0-9_.-]/g, '-');
    const selected = this.select(spec, lab);
    if (isCatalogueFault(spec)) return prepareCatalogueFault({ ...plan, spec }, lab, selected as LabServiceProcess[]);
    switch (spec.kind) {
      case 'podKill':
      case 'containerKill': {
        const pids = (selected as LabServiceProcess[]).map((p) => p.pid);
        // Nothing to undo: the supervisor restarts killed processes after the restart delay, like a ReplicaSet.
        return prepared(plan, { pids }, [], async () => signalAll(pids, 'SIGKILL'));
      }
      case 'podFailure': {
        const procs = selected as LabServiceProcess[];
        const revert: RevertAction[] = procs.map((p) => ({ type: 'signal', pid: p.pid, signal: 'SIGCONT', startTime: processStartTime(p.pid) }));
        return prepared(plan, { pids: procs.map((p) => p.pid) }, revert, async () => signalAll(procs.map((p) => p.pid), 'SIGSTOP'));
      }
      case 'partition':
      case 'latency': {
        const proxies = selected as LabProxy[];
        const api = lab.state.toxiproxy.apiUrl;
        const toxics = proxies.flatMap((p) => linkToxics(spec, id).map((t) => ({ proxy: p.name, toxic: t })));
        const revert = toxics.map(({ proxy, toxic }) => removeToxicAction(api, proxy, toxic.name));
        return prepared(plan, { proxies: proxies.map((p) => p.name) }, revert, async () => {
          for (const { proxy, toxic } of toxics) await addToxic(api, proxy, toxic);
        });
      }
      case 'replicaLag': {
        const link = storeLink(spec.store, spec.region, lab);
        if (link) {
          // Delayed on the wire, not in apply: a copy held back this way has really not received the newest data, so a
          // region lost now loses it, as a lagging cross-region replica would. (An apply delay keeps the WAL, and
          // pg_promote would replay it.)
          const api = lab.state.toxiproxy.apiUrl;
          const toxic: Toxic = { name: `${id}-lag`, type: 'latency', stream: 'downstream', attributes: { latency: parseDuration(spec.by), jitter: 0 } };
          return prepared(plan, { link: link.name, delayMs: parseDuration(spec.by) }, [removeToxicAction(api, link.name, toxic.name)], () => addToxic(api, link.name, toxic));
        }
        const [pg] = selected as LabSnapshot['state']['postgres'];
        const delayMs = parseDuration(spec.by);
        const apply = psql(pg!.port, `ALTER SYSTEM SET recovery_min_apply_delay = '${delayMs}ms'`);
        const reset = psql(pg!.port, 'ALTER SYSTEM RESET recovery_min_apply_delay');
        return prepared(plan, { replicaPort: pg!.port, delayMs }, [reset], () => runRevertAction(apply));
      }
      case 'cacheLoss': {
        const [redis] = selected as LabSnapshot['state']['redis'];
        const flush: RevertAction = { type: 'exec', argv: ['redis-cli', '-h', '127.0.0.1', '-p', String(redis!.port), 'FLUSHALL'] };
        // Emptied, then frozen like a lost node: clients time out and fall back to the database. Redis's own
        // CLIENT PAUSE would be simpler, but a paused Redis refuses the CLIENT UNPAUSE that would revert it.
        const revert: RevertAction[] = [{ type: 'signal', pid: redis!.pid, signal: 'SIGCONT', startTime: processStartTime(redis!.pid) }];
        return prepared(plan, { redisPort: redis!.port, pid: redis!.pid }, revert, async () => {
          await runRevertAction(flush);
          signalAll([redis!.pid], 'SIGSTOP');
        });
      }
      case 'regionLoss': {
        const { processes, proxies } = selected[0] as RegionSelection;
        const api = lab.state.toxiproxy.apiUrl;
        const toxics = proxies.flatMap((p) => linkToxics({ kind: 'partition', regions: [p.from, p.to] }, `${id}-${p.name}`).map((t) => ({ proxy: p.name, toxic: t })));
        // One revert undoes it all: every link healed first, then every process continued, so the region comes back whole.
        const revert: RevertAction[] = [
          ...toxics.map(({ proxy, toxic }) => removeToxicAction(api, proxy, toxic.name)),
          ...processes.map((p): RevertAction => ({ type: 'signal', pid: p.group ? -p.pid : p.pid, signal: 'SIGCONT', startTime: processStartTime(p.pid) })),
        ];
        const detail = { processes: processes.map((p) => `${p.name} (pid ${p.pid})`), links: proxies.map((p) => p.name) };
        return prepared(plan, detail, revert, async () => {
          for (const { proxy, toxic } of toxics) await addToxic(api, proxy, toxic);
          for (const p of processes) signalAll([p.group ? -p.pid : p.pid], 'SIGSTOP');
        });
      }
      case 'secretStoreLoss':
        return prepareSecretStoreLoss({ ...plan, spec }, lab, selected as LabSecretStoreNode[]);
      case 'storeLoss': {
        const [p] = selected as FrozenProcess[];
        const revert: RevertAction[] = [{ type: 'signal', pid: -p!.pid, signal: 'SIGCONT', startTime: processStartTime(p!.pid) }];
        return prepared(plan, { process: p!.name, pid: p!.pid }, revert, async () => signalAll([-p!.pid], 'SIGSTOP'));
      }
      case 'stress': {
        const marker = `faultline-stress-${id}`;
        // The pattern '[f]aultline-…' matches the stress process but not the shell running pkill, whose own
        // command line holds the pattern text.
        const seconds = Math.ceil(context.ttlMs / 1000);
        const load = spec.load ?? 100;
        return prepared(plan, { workers: spec.cpuWorkers, load, marker }, [{ type: 'exec', argv: ['bash', '-c', `pkill -TERM -f '[${marker[0]}]${marker.slice(1)}' || true`] }], async () => {
          // exec -a names the process after the fault so a revert (or cleanup) can find it without a pid file;
          // stress-ng's own --timeout is a second TTL that needs no watchdog at all.
          const child = spawn('bash', ['-c', `exec -a ${marker} stress-ng --cpu ${spec.cpuWorkers} --cpu-load ${load} --timeout ${seconds}s --quiet`], {
            detached: true,
            stdio: 'ignore',
          });
          child.unref();
        });
      }
    }
  }

  /** Resolves a fault to concrete lab objects; zero matches is an error, never a silent no-op. */
  private select(spec: FaultSpec, lab: LabSnapshot): unknown[] {
    switch (spec.kind) {
      case 'timeSkew':
      case 'podKill':
      case 'podFailure':
      case 'containerKill':
      case 'stress': {
        const matched = lab.services.filter((p) => p.region === spec.region && p.service === spec.service && isAlive(p.pid));
        if (matched.length === 0) throw noTargets(`no live ${spec.service} process in region ${spec.region}`, 'check `faultline lab status`');
        if (spec.kind === 'stress') return matched.slice(0, 1);
        // The skewed processes are chosen like a pod fault's, once the clock mechanism accepts the offset.
        if (spec.kind === 'timeSkew') checkCatalogueFault(spec, lab);
        return pick(matched, spec as SelectionMode);
      }
      case 'partition':
      case 'latency': {
        const [a, b] = spec.regions;
        const proxies = lab.state.toxiproxy.proxies.filter((p) => (p.from === a && p.to === b) || (p.from === b && p.to === a));
        if (proxies.length === 0) {
          throw noTargets(`no lab connection crosses the ${a}↔${b} link`, 'in this topology only links to the primary region carry traffic (replication and the write API)');
        }
        return proxies;
      }
      case 'replicaLag': {
        const link = storeLink(spec.store, spec.region, lab);
        if (link) return [link];
        const pg = lab.state.postgres.filter((p) => p.region === spec.region && p.role === 'replica');
        if (pg.length === 0) throw noTargets(`no PostgreSQL replica runs in region ${spec.region}`, 'replicas run in: ' + lab.state.postgres.filter((p) => p.role === 'replica').map((p) => p.region).join(', '));
        return pg;
      }
      case 'cacheLoss': {
        const redis = lab.state.redis.filter((r) => r.region === spec.region);
        if (redis.length === 0) throw noTargets(`no Redis runs in region ${spec.region}`);
        return redis;
      }
      case 'httpFault':
      case 'dnsFault':
      case 'ioLatency':
        checkCatalogueFault(spec, lab);
        return [];
      case 'regionLoss':
        return [regionOf(spec.region, lab)];
      case 'storeLoss':
        return [storePrimary(spec.store, lab)];
      case 'secretStoreLoss':
        return selectSecretStoreNodes(spec, lab);
    }
  }
}

/** A process a fault freezes; `group` when it leads a process group of its own (a server and its workers). */
interface FrozenProcess {
  name: string;
  pid: number;
  group: boolean;
}

interface RegionSelection {
  processes: FrozenProcess[];
  proxies: LabProxy[];
}

/**
 * Everything of one region: its databases, brokers, caches, ingress and service replicas, and every link that touches
 * it. Components `lab up` started lead their own process group (PostgreSQL's backends, nginx's workers), so the group
 * is frozen; service replicas are single processes.
 */
function regionOf(region: string, lab: LabSnapshot): RegionSelection {
  const s = lab.state;
  const processes: FrozenProcess[] = [
    ...s.postgres.filter((p) => p.region === region).map((p) => ({ name: `postgres ${p.region} (${p.role})`, pid: p.pid, group: true })),
    ...(s.activePassive?.nats ?? []).filter((n) => n.region === region).map((n) => ({ name: `nats ${n.region}`, pid: n.pid, group: true })),
    ...s.redis.filter((r) => r.region === region).map((r) => ({ name: `redis ${r.region}`, pid: r.pid, group: true })),
    ...s.nginx.filter((n) => n.region === region).map((n) => ({ name: `nginx ${n.region}`, pid: n.pid, group: true })),
    ...(s.dns ?? []).filter((d) => d.region === region).map((d) => ({ name: `dns ${d.region}`, pid: d.pid, group: true })),
    ...(s.routeProxy?.region === region ? [{ name: `route proxy ${region}`, pid: s.routeProxy.pid, group: true }] : []),
    ...lab.services.filter((p) => p.region === region && isAlive(p.pid)).map((p) => ({ name: `${p.service} ${p.region}#${p.replica}`, pid: p.pid, group: false })),
  ];
  if (processes.length === 0) throw noTargets(`no lab process runs in region ${region}`, 'check `faultline lab status`');
  return { processes, proxies: s.toxiproxy.proxies.filter((p) => p.from === region || p.to === region) };
}

/** The link that carries a store's replication (streaming, CDC or mirror) into a region, in an active/passive lab. */
function storeLink(store: string, region: string, lab: LabSnapshot): LabProxy | undefined {
  if (!lab.state.activePassive) return undefined;
  const link = lab.state.toxiproxy.proxies.find((p) => p.store === store && p.from === region && p.purpose !== 'api');
  if (!link) {
    const carried = lab.state.toxiproxy.proxies.filter((p) => p.store).map((p) => `${p.store} → ${p.from}`);
    throw noTargets(`no replication link carries store "${store}" into region ${region} in this lab`, `the lab's links carry: ${carried.join(', ')}`);
  }
  return link;
}

/** The process serving a store's primary: its PostgreSQL server, or its broker for a mirrored stream. */
function storePrimary(store: string, lab: LabSnapshot): FrozenProcess {
  const s = lab.state;
  const ap = s.activePassive?.stores.find((x) => x.name === store);
  if (ap?.engine === 'nats') {
    const broker = s.activePassive!.nats.find((n) => n.region === s.activePassive!.primary);
    if (broker) return { name: `nats ${broker.region}`, pid: broker.pid, group: true };
  }
  // The lab's relational stores share the primary region's one PostgreSQL server (in separate databases).
  const pg = s.postgres.find((p) => p.role === 'primary' && (ap !== undefined || !p.store || p.store === store));
  if (!pg) {
    const runs = [...(s.activePassive?.stores.map((x) => x.name) ?? []), ...s.postgres.filter((p) => p.role === 'primary').map((p) => p.store ?? 'the primary database')];
    throw noTargets(`store "${store}" has no primary in this lab`, `the lab runs: ${[...new Set(runs)].join(', ')}`);
  }
  return { name: `postgres ${pg.region} (primary)`, pid: pg.pid, group: true };
}

function prepared(plan: FaultPlan, detail: Record<string, unknown>, revert: RevertAction[], apply: () => Promise<void>): PreparedFault {
  return { plan, detail, revert, apply };
}

/** A partition blackholes both directions (data is held, never delivered) like a dropped TGW route; latency delays replies. */
function linkToxics(spec: { kind: 'partition'; regions: [string, string] } | Extract<FaultSpec, { kind: 'latency' }>, id: string): Toxic[] {
  if (spec.kind === 'partition') {
    return [
      { name: `${id}-up`, type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } },
      { name: `${id}-down`, type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } },
    ];
  }
  const latency = parseDuration(spec.latency);
  const jitter = spec.jitter === undefined ? 0 : parseDuration(spec.jitter);
  return [{ name: `${id}-latency`, type: 'latency', stream: 'downstream', attributes: { latency, jitter } }];
}

/** Chaos Mesh picks targets at random; so does the lab. */
function pick<T>(items: T[], mode: SelectionMode): T[] {
  const shuffled = [...items].sort(() => Math.random() - 0.5);
  return shuffled.slice(0, selectionCount(mode, items.length));
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
}

function isAlive(pid: number): boolean {
  return processStartTime(pid) !== undefined;
}

/** The lab's PostgreSQL superuser is whoever ran initdb: `postgres` when the lab runs as root. */
function psql(port: number, sql: string): RevertAction {
  const user = process.getuid?.() === 0 ? 'postgres' : userInfo().username;
  return {
    type: 'exec',
    // Two -c flags run as two statements: ALTER SYSTEM cannot run inside the one transaction a single -c makes.
    argv: ['psql', '-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql, '-c', 'SELECT pg_reload_conf()'],
  };
}

function noTargets(message: string, hint?: string): FaultlineError {
  return new FaultlineError('FAULTLINE_NO_TARGETS', `selector matched nothing: ${message}`, hint);
}
