import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { KubeObject } from '../../chaos/mesh/index.ts';
import { eventsOf, Journal } from '../../core/index.ts';
import { labDown, labUp, type LabState } from '../../lab/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../../targets/index.ts';
import { runCli, startCli } from '../support/faultline-cli.ts';
import { expect, test, type LoopbackKube } from '../support/loopback-kube.ts';

/*
 * faultline run / inject --target k8s, live, through the real CLI against the three loopback clusters with the real
 * Chaos Mesh controller. No kubelet runs there, so the load comes from the embedded lab (--load lab: the local k6
 * against the lab's ingresses, remote-writing to the lab's Prometheus, which the run reads); each cluster still
 * validates the k6-operator TestRun it would have run, as a server-side dry run.
 */

const LAB_PORT_BASE = 19_300;
let lab: LabState;
let labDir: string;
let workDir: string;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  test.setTimeout(240_000);
  labDir = mkdtempSync(join(tmpdir(), 'faultline-lab-k8s-'));
  chmodSync(labDir, 0o755); // PostgreSQL runs as postgres when we are root
  workDir = mkdtempSync(join(tmpdir(), 'faultline-k8s-runs-'));
  lab = (await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase: LAB_PORT_BASE, runDir: labDir })).state;
});
test.afterAll(async () => {
  test.setTimeout(120_000);
  if (labDir) await labDown({ runDir: labDir });
  rmSync(labDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

const env = (kube: LoopbackKube, extra: Record<string, string> = {}) => ({ KUBECONFIG: kube.state.kubeconfig, FAULTLINE_SESSION_DIR: join(workDir, 'session'), ...extra });

async function podChaos(kube: LoopbackKube, context: string): Promise<KubeObject[]> {
  const list = (await kube.admin(context).makeApiClient(CustomObjectsApi).listClusterCustomObject({ group: 'chaos-mesh.org', version: 'v1alpha1', plural: 'podchaos' })) as { items: KubeObject[] };
  return list.items;
}

interface AuditLine { verb: string; requestURI: string; objectRef?: { resource?: string; namespace?: string } }
function auditLines(kube: LoopbackKube): AuditLine[] {
  return kube.state.clusters.flatMap((c) => readFileSync(c.auditLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditLine));
}

test('faultline run jkt-pod-loss --target k8s: the real controller kills a jkt service-main pod, the run reaches its verdict', async ({ kube }) => {
  test.setTimeout(420_000);
  const before = auditLines(kube).length;
  const result = await runCli(['run', 'jkt-pod-loss', '--target', 'k8s', '--load', 'lab', '--run-dir', lab.runDir, '--json'], env(kube));
  expect(result.code, result.output).toBe(0);
  // Progress goes to stderr and the table to stdout; the CLI helper interleaves both, and the table starts a line.
  const table = JSON.parse(result.output.slice(result.output.search(/^\{$/m))) as { runs: { scenario: string; outcome: string; slos: { name: string; verdict: string }[] }[] };
  expect(table.runs[0]).toMatchObject({ scenario: 'jkt-pod-loss', outcome: 'passed' });
  expect(table.runs[0]!.slos.map((s) => s.verdict)).toEqual(table.runs[0]!.slos.map(() => 'pass'));

  // The journal tells what happened on the cluster: a PodChaos in eks-jakarta, and the pod the controller killed.
  const journals = join(workDir, 'session', 'journals');
  const journal = Journal.read(join(journals, readdirSync(journals).find((f) => f.startsWith('jkt-pod-loss'))!));
  const [injected] = eventsOf(journal, 'inject');
  expect(injected?.detail.resources).toEqual([expect.stringMatching(/^eks-jakarta: PodChaos shop\/jkt-pod-loss-/)]);
  expect(injected?.detail.injectedInto).toEqual([expect.stringMatching(/^shop\/service-main-/)]);
  expect(eventsOf(journal, 'revert').map((r) => r.ok)).toEqual([true]);
  // Reverted: nothing left in any cluster.
  for (const c of kube.state.clusters) expect(await podChaos(kube, c.context), c.context).toEqual([]);
  // Each cluster judged the TestRun the run would have started, as a server-side dry run, as faultline's identity.
  const dryRuns = auditLines(kube).slice(before).filter((e) => e.verb === 'create' && e.objectRef?.resource === 'testruns' && e.requestURI.includes('dryRun=All'));
  expect(dryRuns.map((e) => e.objectRef?.namespace)).toEqual(['k6', 'k6', 'k6']);
});

test('inject --target k8s runs live: ledger before apply, TTL = the Chaos Mesh duration, reverted at the end', async ({ kube }) => {
  test.setTimeout(240_000);
  const run = startCli(['inject', 'pod-failure', 'jkt/service-backup', '--mode', 'all', '--for', '20s', '--ttl-grace', '15s', '--target', 'k8s', '--load', 'lab', '--run-dir', lab.runDir, '--rate', '5'], env(kube));
  await expect.poll(async () => (await podChaos(kube, 'eks-jakarta')).length, { timeout: 120_000, message: run.output() }).toBe(1);
  const [live] = await podChaos(kube, 'eks-jakarta');
  expect(live!.spec).toMatchObject({ action: 'pod-failure', mode: 'all', duration: '35s' }); // --for + --ttl-grace
  // The ledger entry was written before the resource was created, and names it.
  const ledger = readdirSync(join(process.cwd(), '.faultline', 'kubernetes', 'ledger')).filter((f) => f.endsWith('.json'));
  expect(ledger.length).toBeGreaterThan(0);
  const { code } = await run.exited;
  expect(code, run.output()).toBe(0);
  expect(run.output()).toContain('jkt availability during');
  expect(await podChaos(kube, 'eks-jakarta')).toEqual([]);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`inject --target k8s interrupted by ${signal} mid-fault: the fault is reverted and the exit code is 130`, async ({ kube }) => {
    test.setTimeout(240_000);
    const run = startCli(['inject', 'pod-failure', 'bdg/service-backup', '--mode', 'all', '--for', '5m', '--target', 'k8s', '--load', 'lab', '--run-dir', lab.runDir, '--rate', '5'], env(kube));
    await expect.poll(async () => (await podChaos(kube, 'eks-bandung')).filter((o) => o.status?.conditions?.some((c) => c.type === 'AllInjected' && c.status === 'True')).length, { timeout: 120_000, message: run.output() }).toBe(1);
    run.child.kill(signal);
    const { code } = await run.exited;
    expect(code, run.output()).toBe(130);
    expect(await podChaos(kube, 'eks-bandung')).toEqual([]);
  });
}

test.describe('bad input is refused at preflight: exit 2, a hint naming the fix, nothing created', () => {
  const inject = (kube: LoopbackKube, extra: Record<string, string>, ...args: string[]) =>
    runCli(['inject', 'pod-kill', 'jkt/service-main', '--for', '10s', '--target', 'k8s', '--load', 'lab', '--run-dir', lab.runDir, '--rate', '5', ...args], env(kube, extra));

  test.afterEach(async ({ kube }) => {
    for (const c of kube.state.clusters) expect(await podChaos(kube, c.context), c.context).toEqual([]);
  });

  test('no kubeconfig context for a region', async ({ kube }) => {
    const kc = kube.faultline();
    const partial = join(workDir, 'no-bandung.kubeconfig');
    writeFileSync(partial, stringify({
      apiVersion: 'v1', kind: 'Config',
      clusters: kc.getClusters().map((c) => ({ name: c.name, cluster: { server: c.server, 'certificate-authority-data': c.caData } })),
      users: kc.getUsers().map((u) => ({ name: u.name, user: { token: u.token } })),
      contexts: kc.getContexts().filter((c) => c.name !== 'eks-bandung').map((c) => ({ name: c.name, context: { cluster: c.cluster, user: c.user } })),
      'current-context': 'eks-jakarta',
    }));
    const r = await runCli(['inject', 'pod-kill', 'bdg/service-main', '--for', '10s', '--target', 'k8s', '--load', 'lab', '--run-dir', lab.runDir, '--rate', '5'], env(kube, { KUBECONFIG: partial }));
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('kube context "eks-bandung" is not in the kubeconfig');
    expect(r.output).toContain('known contexts: eks-jakarta, eks-surabaya');
  });

  test('an API server that does not answer', async ({ kube }) => {
    const kc = kube.faultline();
    const dead = join(workDir, 'dead.kubeconfig');
    writeFileSync(dead, readFileSync(kube.state.kubeconfig, 'utf8').replaceAll(kc.getCluster('eks-jakarta')!.server, 'https://127.0.0.1:16998'));
    const r = await inject(kube, { KUBECONFIG: dead });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('FAULTLINE_KUBE_UNREACHABLE');
    expect(r.output).toContain('kubectl --context eks-jakarta');
  });

  test('a production-like binding without its flag (seed 004), before any cluster is asked', async ({ kube }) => {
    const r = await runCli(['inject', 'pod-kill', 'aws-primary/api-gateway', '--topology', 'multi-cloud-mesh', '--for', '10s', '--target', 'k8s', '--prometheus', lab.prometheus.url], env(kube));
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('productionLike');
    expect(r.output).toContain('--allow-production');
  });
});
