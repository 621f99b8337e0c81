import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import { isAlive } from '../../lab/process/index.ts';
import { loadKubeConfig, readKubeState, type KubeStatus } from '../../kube/index.ts';
import { runCli } from '../support/faultline-cli.ts';
import { listeningPorts } from '../lab/support/listening.ts';

/*
 * `faultline kube up | status | down` through the real CLI, on a range of its own (16700+): three real control
 * planes for the seed-003 binding, workloads Running on kwok nodes, the real Chaos Mesh controller, then a down
 * that leaves no process and no port.
 */
const PORT_BASE = 16_700;
let runDir: string;

test.describe.configure({ mode: 'serial' });
test.beforeAll(() => {
  runDir = mkdtempSync(join(tmpdir(), 'faultline-kube-cli-'));
});
test.afterAll(async () => {
  test.setTimeout(60_000);
  await runCli(['kube', 'down', '--run-dir', runDir]);
  rmSync(runDir, { recursive: true, force: true });
});

test('kube up starts three clusters; status reports them healthy; a ReplicaSet recreates a deleted pod; down leaves nothing', async () => {
  test.setTimeout(300_000);
  const up = await runCli(['kube', 'up', '--port-base', String(PORT_BASE), '--run-dir', runDir]);
  expect(up.code, up.output).toBe(0);
  for (const line of ['etcd', 'API servers ready', 'Chaos Mesh webhooks registered', 'workloads Running', 'ready in']) expect(up.output).toContain(line);

  const status = await runCli(['kube', 'status', '--json', '--run-dir', runDir]);
  expect(status.code, status.output).toBe(0);
  const s = JSON.parse(status.output) as KubeStatus;
  expect(s.healthy).toBe(true);
  expect(s.clusters.map((c) => [c.context, c.regions])).toEqual([
    ['eks-jakarta', ['jkt']],
    ['eks-bandung', ['bdg']],
    ['eks-surabaya', ['sby']],
  ]);
  for (const c of s.clusters) {
    expect(c.components.map((x) => x.name).sort()).toEqual(['chaos-controller-manager', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']);
    expect(c.podsRunning).toBe(c.podsTotal);
  }
  // service-main ×2, service-backup, cache and one database pod per region, plus Vault: jkt's raft group (the active
  // node and two standbys), one node in each DR region.
  expect(s.clusters.map((c) => [c.context, c.podsTotal])).toEqual([
    ['eks-jakarta', 8],
    ['eks-bandung', 6],
    ['eks-surabaya', 6],
  ]);

  // The admin kubeconfig reaches the real API server: the Chaos Mesh and TestRun CRDs are served, pods are Running
  // on a kwok node, and a deleted pod comes back through the real ReplicaSet controller and scheduler.
  const state = readKubeState(runDir)!;
  const kc = loadKubeConfig(state.adminKubeconfig, 'eks-bandung');
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  await custom.listNamespacedCustomObject({ group: 'chaos-mesh.org', version: 'v1alpha1', namespace: 'shop', plural: 'podchaos' });
  await custom.listNamespacedCustomObject({ group: 'k6.io', version: 'v1alpha1', namespace: 'k6', plural: 'testruns' });
  const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app.kubernetes.io/name=service-main' });
  expect(pods.items.map((p) => [p.status?.phase, p.spec?.nodeName])).toEqual([
    ['Running', 'kwok-eks-bandung-0'],
    ['Running', 'kwok-eks-bandung-0'],
  ]);
  const victim = pods.items[0]!.metadata!.name!;
  await core.deleteNamespacedPod({ namespace: 'shop', name: victim, gracePeriodSeconds: 0 });
  await expect
    .poll(async () => {
      const now = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app.kubernetes.io/name=service-main' });
      return now.items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp && p.metadata?.name !== victim).length;
    }, { timeout: 30_000, message: 'the ReplicaSet brings service-main back to two Running pods' })
    .toBe(2);
  const apps = kc.makeApiClient(AppsV1Api);
  expect((await apps.readNamespacedDeployment({ namespace: 'shop', name: 'service-main' })).spec?.replicas).toBe(2);

  const pids = state.processes.map((p) => p.pid);
  expect(pids).toHaveLength(16); // one etcd, five processes per cluster
  const down = await runCli(['kube', 'down', '--run-dir', runDir]);
  expect(down.code, down.output).toBe(0);
  expect(down.output).toContain('no process and no port left');
  expect(pids.filter(isAlive)).toEqual([]);
  expect(listeningPorts(PORT_BASE, PORT_BASE + 199)).toEqual([]);
  const after = await runCli(['kube', 'status', '--run-dir', runDir]);
  expect(after.code).toBe(2);
  expect(after.output).toContain('FAULTLINE_LAB_NOT_RUNNING');
});

test('kube up refuses a busy port before starting anything, with the fix in the hint', async () => {
  const { createServer } = await import('node:net');
  const blocker = createServer().listen(PORT_BASE + 100, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  try {
    const up = await runCli(['kube', 'up', '--port-base', String(PORT_BASE), '--run-dir', runDir]);
    expect(up.code).toBe(2);
    expect(up.output).toContain(`FAULTLINE_PORT_IN_USE`);
    expect(up.output).toContain(`port ${PORT_BASE + 100} is already in use`);
    expect(up.output).toContain('--port-base');
    expect(readKubeState(runDir)?.processes ?? []).toEqual([]);
  } finally {
    blocker.close();
  }
});
