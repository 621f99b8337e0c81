import { resolve } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { cmdlineOf, isAlive } from '../lab/process/index.ts';
import { pkiPaths } from './certificates.ts';
import { httpsGet } from './https-probe.ts';
import { kubeNotRunning, readKubeState, type KubeState } from './kube-files.ts';
import { KUBE_RUN_DIR } from './kube-plan.ts';
import { loadKubeConfig } from './kubeconfigs.ts';

export interface ClusterStatus {
  context: string;
  regions: string[];
  server: string;
  /** /readyz answered 200. */
  apiserverReady: boolean;
  /** pid alive per component of this cluster. */
  components: { name: string; pid: number; alive: boolean; port?: number }[];
  nodesReady: number;
  podsRunning: number;
  podsTotal: number;
  /** Chaos Mesh resources present (any kind faultline creates), by kind. */
  chaos: Record<string, number>;
}

export interface KubeStatus {
  runDir: string;
  topology: string;
  healthy: boolean;
  kubeconfig: string;
  adminKubeconfig: string;
  etcd: { pid: number; alive: boolean; port?: number };
  clusters: ClusterStatus[];
}

const CHAOS_PLURALS = ['podchaos', 'networkchaos', 'stresschaos', 'iochaos', 'dnschaos', 'httpchaos', 'timechaos'];

/** Probes every process and every cluster: pids, /readyz, nodes, pods and chaos objects. */
export async function kubeStatus(options: { runDir?: string } = {}): Promise<KubeStatus> {
  const runDir = resolve(options.runDir ?? KUBE_RUN_DIR);
  const state = readKubeState(runDir);
  if (!state || state.processes.length === 0) throw kubeNotRunning(runDir);
  const pki = pkiPaths(runDir);
  const alive = (pid: number, expect: string) => isAlive(pid) && (cmdlineOf(pid) ?? '').includes(expect);
  const etcdProc = state.processes.find((p) => p.expect === 'etcd');
  const clusters = await Promise.all(state.clusters.map((c) => clusterStatus(state, c, pki, alive)));
  const etcd = { pid: etcdProc?.pid ?? 0, alive: etcdProc ? alive(etcdProc.pid, 'etcd') : false, ...(etcdProc?.port ? { port: etcdProc.port } : {}) };
  const healthy = state.ready && etcd.alive && clusters.every((c) => c.apiserverReady && c.components.every((x) => x.alive) && c.nodesReady > 0 && c.podsRunning === c.podsTotal);
  return { runDir, topology: state.topology, healthy, kubeconfig: state.kubeconfig, adminKubeconfig: state.adminKubeconfig, etcd, clusters };
}

async function clusterStatus(state: KubeState, c: KubeState['clusters'][number], pki: ReturnType<typeof pkiPaths>, alive: (pid: number, expect: string) => boolean): Promise<ClusterStatus> {
  const components = state.processes.filter((p) => p.context === c.context).map((p) => ({ name: p.name.split(' ')[0]!, pid: p.pid, alive: alive(p.pid, p.expect), ...(p.port ? { port: p.port } : {}) }));
  const status: ClusterStatus = { context: c.context, regions: c.regions, server: c.server, apiserverReady: false, components, nodesReady: 0, podsRunning: 0, podsTotal: 0, chaos: {} };
  try {
    status.apiserverReady = (await httpsGet(`${c.server}/readyz`, { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey })).status === 200;
  } catch {
    return status;
  }
  const kc = loadKubeConfig(state.adminKubeconfig, c.context);
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const [nodes, pods] = await Promise.all([core.listNode(), core.listPodForAllNamespaces()]);
  status.nodesReady = nodes.items.filter((n) => n.status?.conditions?.some((k) => k.type === 'Ready' && k.status === 'True')).length;
  const workloadPods = pods.items.filter((p) => !p.metadata?.deletionTimestamp);
  status.podsTotal = workloadPods.length;
  status.podsRunning = workloadPods.filter((p) => p.status?.phase === 'Running').length;
  for (const plural of CHAOS_PLURALS) {
    const list = (await custom.listClusterCustomObject({ group: 'chaos-mesh.org', version: 'v1alpha1', plural })) as { items: unknown[] };
    if (list.items.length) status.chaos[plural] = list.items.length;
  }
  return status;
}

/** A plain table for the terminal. */
export function formatKubeStatus(s: KubeStatus): string {
  const lines = [
    `loopback Kubernetes (${s.topology}) in ${s.runDir}: ${s.healthy ? 'healthy' : 'UNHEALTHY'}`,
    `  etcd             pid ${s.etcd.pid} ${s.etcd.alive ? 'up' : 'DOWN'}  127.0.0.1:${s.etcd.port}`,
  ];
  for (const c of s.clusters) {
    lines.push(`  ${c.context} (${c.regions.join(', ')})  ${c.server}  apiserver ${c.apiserverReady ? 'ready' : 'NOT READY'}`);
    for (const x of c.components) lines.push(`    ${x.name.padEnd(26)} pid ${String(x.pid).padEnd(8)} ${x.alive ? 'up  ' : 'DOWN'}${x.port ? `  :${x.port}` : ''}`);
    const chaos = Object.entries(c.chaos).map(([k, n]) => `${n} ${k}`).join(', ');
    lines.push(`    nodes Ready ${c.nodesReady}, pods Running ${c.podsRunning}/${c.podsTotal}${chaos ? `, chaos: ${chaos}` : ''}`);
  }
  lines.push(`  KUBECONFIG=${s.kubeconfig}   (faultline's ServiceAccount; admin: ${s.adminKubeconfig})`);
  return lines.join('\n') + '\n';
}
