import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiextensionsV1Api, CoreV1Api, KubernetesObjectApi, loadAllYaml, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubernetesBinding } from '../chaos/mesh/index.ts';
import { FaultlineError, formatDuration } from '../core/index.ts';
import { isPortFree, repoRoot, spawnDaemon, waitFor } from '../lab/process/index.ts';
import { base64Of, ensurePki, type KubePki } from './certificates.ts';
import { chaosMeshWebhooks, chaosRoleBindings, deploymentManifest, namespaceManifest, namespacesFor, nodeManifest, workloadsFor, type KubeManifest } from './cluster-objects.ts';
import { AUDIT_POLICY, auditLogOf, auditPolicyFile, apiserverSpec, chaosControllerSpec, controllerManagerSpec, etcdPrefixOf, etcdSpec, kwokSpec, schedulerSpec, type ComponentSpec } from './components.ts';
import { httpsGet } from './https-probe.ts';
import { chaosMeshCrdFile, kubeBinaries } from './kube-binaries.ts';
import { isKubeAlive, stopKubeProcesses } from './kube-down.ts';
import { KWOK_STAGES, kwokStagesFile } from './kwok-stages.ts';
import { readKubeState, writeKubeState, type KubeProcess, type KubeState } from './kube-files.ts';
import { planKube, type KubePlan, type PlannedCluster } from './kube-plan.ts';
import { loadKubeConfig, writeAdminKubeconfig, writeTokenKubeconfig } from './kubeconfigs.ts';

export interface KubeUpOptions {
  /** One binding, or several whose contexts are brought up together (one cluster per distinct context). */
  binding: KubernetesBinding | KubernetesBinding[];
  /** Default `.faultline/kube`. */
  runDir?: string;
  /** Default 16000: etcd on +0/+1, cluster N on +100+20N… (see `ClusterPorts`). */
  portBase?: number;
  /** Progress lines; default none. */
  log?: (line: string) => void;
  /** Aborting stops what was started so far and rejects. */
  signal?: AbortSignal;
}

export interface KubeUpResult {
  state: KubeState;
  /** False when a control plane was already running there: nothing was changed. */
  started: boolean;
  elapsedMs: number;
  /** Wall time of each phase, for the benchmark. */
  phases: Record<string, number>;
}

/** faultline's identity, as deploy/rbac/service-account.yaml declares it. */
export const FAULTLINE_SERVICE_ACCOUNT = { namespace: 'faultline', name: 'faultline' } as const;
/** Where the k6-operator TestRun CRD is vendored (the module is not served here; see kube/crds/PROVENANCE.md). */
const TESTRUN_CRD = join(repoRoot, 'kube', 'crds', 'k6-operator', 'k6.io_testruns.yaml');
const RBAC_DIR = join(repoRoot, 'deploy', 'rbac');
const TOKEN_SECONDS = 7 * 24 * 3600;
const READY_TIMEOUT_MS = 120_000;

/**
 * Starts one loopback Kubernetes control plane per context of the binding: a shared etcd (one prefix per API
 * server), and per cluster kube-apiserver (RBAC, TLS, ServiceAccount tokens), kube-controller-manager,
 * kube-scheduler, kwok (nodes and pod lifecycle, no containers) and the real Chaos Mesh controller-manager with its
 * webhooks registered. Installs every Chaos Mesh CRD and the k6-operator TestRun CRD, applies deploy/rbac/, deploys
 * the workloads the binding selects and waits until every pod is Running. Writes a least-privilege kubeconfig
 * (the faultline ServiceAccount's tokens) and an admin one. Refuses before starting anything on a missing binary or a
 * busy port; stops what it started if a step fails.
 */
export async function kubeUp(options: KubeUpOptions): Promise<KubeUpResult> {
  const t0 = Date.now();
  const log = options.log ?? (() => {});
  const plan = planKube(options.binding, options);
  const existing = readKubeState(plan.runDir);
  if (existing && isKubeAlive(existing)) {
    log(`a control plane is already running in ${plan.runDir}; nothing changed`);
    return { state: existing, started: false, elapsedMs: Date.now() - t0, phases: {} };
  }
  const binaries = kubeBinaries();
  for (const port of plan.ports) {
    if (await isPortFree(port)) continue;
    throw new FaultlineError(
      'FAULTLINE_PORT_IN_USE',
      `port ${port} is already in use on 127.0.0.1; nothing was started`,
      `stop what holds it (ss -ltnp 'sport = :${port}'), or choose another range: --port-base ${plan.portBase + 1000} (a control plane already running here: faultline kube status)`,
    );
  }
  // Every start is fresh: old cluster data would carry pods and chaos objects of a previous session.
  rmSync(join(plan.runDir, 'etcd'), { recursive: true, force: true });
  rmSync(join(plan.runDir, 'logs'), { recursive: true, force: true });
  rmSync(join(plan.runDir, 'audit'), { recursive: true, force: true });
  mkdirSync(join(plan.runDir, 'kubeconfigs'), { recursive: true });
  mkdirSync(join(plan.runDir, 'audit'), { recursive: true });
  writeFileSync(auditPolicyFile(plan.runDir), AUDIT_POLICY);
  writeFileSync(kwokStagesFile(plan.runDir), KWOK_STAGES);

  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    options.signal?.throwIfAborted();
    const started = Date.now();
    const value = await work();
    phases[name] = Date.now() - started;
    log(`  ${name} (${formatDuration(phases[name])})`);
    return value;
  };

  const state: KubeState = {
    topology: [options.binding].flat().map((b) => b.topology).join(', '),
    runDir: plan.runDir,
    portBase: plan.portBase,
    ports: plan.ports,
    kubeconfig: join(plan.runDir, 'kubeconfig'),
    adminKubeconfig: join(plan.runDir, 'admin.kubeconfig'),
    clusters: plan.clusters.map((c) => ({ context: c.context, regions: c.regions, server: `https://127.0.0.1:${c.ports.apiserver}`, etcdPrefix: etcdPrefixOf(c), auditLog: auditLogOf(plan.runDir, c) })),
    processes: [],
    ready: false,
    startedAt: new Date().toISOString(),
  };
  const start = async (spec: ComponentSpec): Promise<KubeProcess> => {
    const logFile = join(plan.runDir, 'logs', `${spec.name.replace(/\s+/g, '-')}.log`);
    const proc: KubeProcess = {
      name: spec.name,
      pid: 0,
      expect: spec.binary,
      ...(spec.port ? { port: spec.port } : {}),
      ...(spec.context ? { context: spec.context } : {}),
      command: binaries[spec.binary],
      args: spec.args,
      env: spec.env ?? {},
      logFile,
    };
    proc.pid = await spawnProcess(proc);
    state.processes.push(proc);
    writeKubeState(state);
    return proc;
  };

  log(`faultline kube up: ${plan.clusters.length} clusters (${plan.clusters.map((c) => c.context).join(', ')}) on ports ${plan.portBase}-${Math.max(...plan.ports)}`);
  try {
    const pki = await phase('certificates', () => ensurePki(plan.runDir));
    await phase('etcd', async () => {
      const etcd = await start(etcdSpec(plan));
      await waitFor('etcd health', async () => ((await (await fetch(`http://127.0.0.1:${plan.etcd.client}/health`)).json()) as { health?: string }).health === 'true' || undefined, { timeoutMs: 30_000, pid: etcd.pid, intervalMs: 100 });
    });
    await phase('API servers ready', () =>
      Promise.all(
        plan.clusters.map(async (c) => {
          const proc = await start(apiserverSpec(plan, c, pki));
          await waitFor(`kube-apiserver ${c.context} /readyz`, async () => ((await httpsGet(`https://127.0.0.1:${c.ports.apiserver}/readyz`, { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey })).status === 200 ? true : undefined), {
            timeoutMs: READY_TIMEOUT_MS,
            pid: proc.pid,
            intervalMs: 200,
          });
        }),
      ),
    );
    writeAdminKubeconfig(state.adminKubeconfig, pki, state.clusters);
    const perCluster = (c: PlannedCluster) => {
      const path = join(plan.runDir, 'kubeconfigs', `${c.key}-admin.kubeconfig`);
      writeAdminKubeconfig(path, pki, [state.clusters[c.index]!]);
      return path;
    };
    const componentKubeconfigs = plan.clusters.map(perCluster);

    await phase('CRDs, RBAC, namespaces, nodes', () => Promise.all(plan.clusters.map((c) => installBase(c, admin(state, c)))));
    await phase('controllers, scheduler, kwok, Chaos Mesh started', async () => {
      for (const c of plan.clusters) {
        const kubeconfig = componentKubeconfigs[c.index]!;
        await start(controllerManagerSpec(c, pki, kubeconfig));
        await start(schedulerSpec(c, kubeconfig));
        await start(kwokSpec(plan, c, kubeconfig));
        await start(chaosControllerSpec(c, pki, kubeconfig));
      }
    });
    await phase('Chaos Mesh webhooks registered', () => Promise.all(plan.clusters.map((c) => registerWebhooks(c, pki, admin(state, c), state))));
    await phase('workloads Running', () => Promise.all(plan.clusters.map((c) => deployWorkloads(c, admin(state, c)))));
    const tokens = await phase('faultline ServiceAccount tokens', async () =>
      Object.fromEntries(await Promise.all(plan.clusters.map(async (c) => [c.context, await serviceAccountToken(admin(state, c))] as const))),
    );
    writeTokenKubeconfig(state.kubeconfig, pki, state.clusters, tokens);
    state.ready = true;
    writeKubeState(state);
    log(`ready in ${formatDuration(Date.now() - t0)}: KUBECONFIG=${state.kubeconfig} (faultline's ServiceAccount), admin: ${state.adminKubeconfig}`);
    return { state, started: true, elapsedMs: Date.now() - t0, phases };
  } catch (e) {
    log(`kube up failed: stopping the ${state.processes.length} processes started so far (logs kept in ${join(plan.runDir, 'logs')})`);
    await stopKubeProcesses(state.processes);
    state.processes = [];
    writeKubeState(state);
    if (e instanceof FaultlineError) throw e;
    throw new FaultlineError('FAULTLINE_HARNESS', `kube up failed: ${(e as Error).message}`, `read the component logs in ${join(plan.runDir, 'logs')}`, { cause: e });
  }
}

export async function spawnProcess(p: KubeProcess): Promise<number> {
  return (await spawnDaemon({ command: p.command, args: p.args, logFile: p.logFile, env: { ...process.env, ...p.env } })).pid;
}

/** The admin KubeConfig pinned to one cluster. */
export function admin(state: KubeState, cluster: { context: string }): KubeConfig {
  return loadKubeConfig(state.adminKubeconfig, cluster.context);
}

/**
 * Creates objects given as plain wire-format data. client-node serializes through its typed models, which drop
 * wire keys they do not recognise (`x-kubernetes-int-or-string` in a CRD, say), so each object is first loaded
 * into its typed model the way client-node reads YAML.
 */
async function createAll(kc: KubeConfig, plain: KubernetesObject[], options: { parallel?: boolean } = {}): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const objects = loadAllYaml(plain.map((o) => stringify(o)).join('---\n')) as KubernetesObject[];
  const create = async (obj: KubernetesObject) => {
    try {
      await api.create(obj);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw new Error(`creating ${obj.kind} ${obj.metadata?.name}: ${(e as { body?: string }).body ?? (e as Error).message}`);
    }
  };
  if (options.parallel) await Promise.all(objects.map(create));
  else for (const obj of objects) await create(obj);
}

/** Plain wire-format objects from a YAML file (createAll does the typed loading). */
function yamlObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => !!o && typeof o === 'object' && 'kind' in o);
}

async function installBase(cluster: PlannedCluster, kc: KubeConfig): Promise<void> {
  const rbac = readdirSync(RBAC_DIR).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) => yamlObjects(join(RBAC_DIR, f)));
  // deploy/rbac/ names seed 003's namespaces; a cluster of another binding gets them too, so it applies unchanged.
  const rbacNamespaces = rbac.flatMap((o) => (o.metadata?.namespace ? [o.metadata.namespace] : []));
  await createAll(kc, [...new Set([...namespacesFor(cluster), ...rbacNamespaces])].map(namespaceManifest));
  const crds = [...yamlObjects(chaosMeshCrdFile()), ...yamlObjects(TESTRUN_CRD)];
  // One at a time: each CRD makes the API server rebuild its OpenAPI document, and parallel creates only contend.
  await createAll(kc, crds);
  await createAll(kc, [...rbac, ...(chaosRoleBindings(cluster) as KubernetesObject[])]);
  await createAll(kc, [nodeManifest(cluster, 0)]);
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const names = new Set(crds.map((c) => c.metadata!.name!));
  await waitFor(`CRDs established in ${cluster.context}`, async () => {
    const list = await ext.listCustomResourceDefinition();
    const established = list.items.filter((c) => names.has(c.metadata!.name!) && c.status?.conditions?.some((k) => k.type === 'Established' && k.status === 'True'));
    return established.length === names.size ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });
}

async function registerWebhooks(cluster: PlannedCluster, pki: KubePki, kc: KubeConfig, state: KubeState): Promise<void> {
  const chaos = state.processes.find((p) => p.name === `chaos-controller-manager ${cluster.context}`)!;
  // The webhook server answers 404 on / once it serves; only then may the API server route admissions to it.
  await waitFor(`Chaos Mesh webhook ${cluster.context}`, async () => ((await httpsGet(`https://127.0.0.1:${cluster.ports.chaosWebhook}/`, { ca: pki.caCert })).status > 0 ? true : undefined), {
    timeoutMs: READY_TIMEOUT_MS,
    pid: chaos.pid,
    intervalMs: 250,
  });
  await createAll(kc, chaosMeshWebhooks(cluster.ports.chaosWebhook, base64Of(pki.caCert)) as KubeManifest[] as KubernetesObject[]);
}

async function deployWorkloads(cluster: PlannedCluster, kc: KubeConfig): Promise<void> {
  const workloads = workloadsFor(cluster);
  await createAll(kc, workloads.map(deploymentManifest) as KubernetesObject[]);
  const core = kc.makeApiClient(CoreV1Api);
  const want = workloads.reduce((n, w) => n + w.replicas, 0);
  await waitFor(`${want} pods Running in ${cluster.context}`, async () => {
    const pods = await core.listPodForAllNamespaces();
    const running = pods.items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp && workloads.some((w) => w.namespace === p.metadata?.namespace));
    return running.length >= want ? true : undefined;
  }, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250 });
}

async function serviceAccountToken(kc: KubeConfig): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const answer = await core.createNamespacedServiceAccountToken({
    ...FAULTLINE_SERVICE_ACCOUNT,
    body: { spec: { audiences: [], expirationSeconds: TOKEN_SECONDS } },
  });
  const token = answer.status?.token;
  if (!token) throw new Error('the API server issued no token for the faultline ServiceAccount');
  return token;
}

export type { KubePlan };
