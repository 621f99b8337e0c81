import { ApiextensionsV1Api, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, RbacAuthorizationV1Api, Watch, type V1ClusterRole } from '@kubernetes/client-node';
import { MeshDriver, type KubeObject } from '../../chaos/mesh/index.ts';
import type { PreparedFault } from '../../core/index.ts';
import { restartComponent } from '../../kube/index.ts';
import { runCli } from '../support/faultline-cli.ts';
import { expect, test } from '../support/loopback-kube.ts';
import { BDG, binding, chaosObjects, driverOn, expectNoChaosLeft, JKT, plan, rejection, SBY, seedFaults, topology } from './mesh-fixture.ts';

/*
 * The Chaos Mesh driver against three real loopback clusters (kube-apiserver, controller-manager, scheduler, kwok)
 * and the real Chaos Mesh controller-manager with its webhooks. faultline runs as the ServiceAccount token that
 * deploy/rbac/ binds; an administrator only arranges and inspects.
 */

const run = { runId: 'run-7', scenario: 'driver test', ttlMs: 120_000 };
const refsOf = (prepared: PreparedFault) => prepared.revert.flatMap((a) => (a.type === 'driver' ? [a.ref] : []));
const cond = (obj: KubeObject | undefined, type: string) => obj?.status?.conditions?.find((c) => c.type === type)?.status;

async function revertAll(driver: MeshDriver, prepared: PreparedFault): Promise<void> {
  for (const ref of refsOf(prepared)) await driver.revertHandlers.kubernetes(ref);
}

async function runningPods(kc: KubeConfig, namespace: string, labelSelector: string): Promise<string[]> {
  const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector });
  return pods.items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!).sort();
}

test.afterEach(async ({ kube }) => {
  // The clusters are shared by the whole worker: leave no chaos object behind, whatever the test did.
  for (const c of [JKT, BDG, SBY]) {
    const custom = kube.admin(c).makeApiClient(CustomObjectsApi);
    for (const line of await chaosObjects(kube.admin(c))) {
      const [plural, where] = line.split(' ') as [string, string];
      const [namespace, name] = where.split('/') as [string, string];
      await custom.deleteNamespacedCustomObject({ group: 'chaos-mesh.org', version: 'v1alpha1', namespace, plural, name }).catch(() => {});
    }
  }
  await expectNoChaosLeft(kube);
});

test.describe('the Chaos Mesh driver against real Kubernetes and the real Chaos Mesh controller', () => {
  test('pod kill: created, Selected → AllInjected with the killed pod recorded, the ReplicaSet replaces it; revert deletes through the finalizer', async ({ kube }) => {
    const admin = kube.admin(JKT);
    const selector = 'app.kubernetes.io/name=service-main';
    const before = await runningPods(admin, 'shop', selector);
    expect(before).toHaveLength(2);
    // An independent watch, as an administrator, records every state the real controller wrote, in order.
    const seen: string[] = [];
    const watcher = await new Watch(admin).watch('/apis/chaos-mesh.org/v1alpha1/namespaces/shop/podchaos', {}, (type: string, obj: KubeObject) => {
      seen.push(`${type} sel=${cond(obj, 'Selected')} inj=${cond(obj, 'AllInjected')}${obj.metadata.deletionTimestamp ? ' deleting' : ''}`);
    }, () => {});
    try {
      const driver = driverOn(kube);
      expect(await driver.check(seedFaults.podKill)).toEqual([]);
      const prepared = await driver.prepare(seedFaults.podKill, run);
      expect(prepared.revert).toEqual([
        { type: 'driver', driver: 'kubernetes', ref: { context: JKT, apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', namespace: 'shop', name: 'run-7-kill-half-jkt-main-jkt' } },
      ]);
      expect(await chaosObjects(admin)).toEqual([]); // prepare changes nothing
      await prepared.apply();

      const live = (await admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'chaos-mesh.org', version: 'v1alpha1', namespace: 'shop', plural: 'podchaos', name: 'run-7-kill-half-jkt-main-jkt' })) as KubeObject;
      expect(cond(live, 'Selected')).toBe('True');
      expect(cond(live, 'AllInjected')).toBe('True');
      expect(live.metadata.finalizers).toContain('chaos-mesh/records');
      // 50 % of two pods: exactly one was killed, one of those that ran before, and the driver reports it.
      const killed = (live.status?.experiment?.containerRecords ?? []).map((r) => r.id);
      expect(killed).toHaveLength(1);
      expect(before.map((p) => `shop/${p}`)).toContain(killed[0]);
      expect(prepared.detail.injectedInto).toEqual(killed);
      await expect
        .poll(async () => {
          const now = await runningPods(admin, 'shop', selector);
          return now.length === 2 && !now.includes(killed[0]!.split('/')[1]!);
        }, { timeout: 30_000, message: 'the real ReplicaSet controller replaced the killed pod' })
        .toBe(true);

      await revertAll(driver, prepared);
      await expect.poll(() => seen.at(-1), { timeout: 30_000 }).toMatch(/^DELETED/);
      const at = (re: RegExp) => seen.findIndex((s) => re.test(s));
      const injected = at(/sel=True inj=True$/);
      const deleting = at(/deleting/);
      expect(at(/^ADDED/), seen.join('\n')).toBe(0);
      expect(injected > 0 && deleting > injected, seen.join('\n')).toBe(true);
      // Reverting again is harmless: the ledger and cleanup may both try.
      await revertAll(driver, prepared);
    } finally {
      watcher.abort();
    }
  });

  test('pod failure: injected by the real controller on the backup pods and recovered on revert', async ({ kube }) => {
    const driver = driverOn(kube);
    const failure = plan({ kind: 'podFailure', service: 'service-backup', region: 'bdg', mode: 'all' }, '60s', 'freeze-bdg-backup');
    expect(await driver.check(failure)).toEqual([]);
    const prepared = await driver.prepare(failure, run);
    await prepared.apply();
    expect((prepared.detail.injectedInto as string[]).every((id) => id.startsWith('shop/service-backup-'))).toBe(true);
    await revertAll(driver, prepared);
    expect(await chaosObjects(kube.admin(BDG))).toEqual([]);
  });

  test('kinds that need chaos-daemon are admitted and reconciled, then fail fast naming the missing chaos-daemon; revert still removes them', async ({ kube }) => {
    const driver = driverOn(kube);
    for (const p of [seedFaults.partition, plan({ kind: 'stress', service: 'service-main', region: 'sby', cpuWorkers: 1 }, '60s', 'stress-sby')]) {
      expect(await driver.check(p), p.name).toEqual([]); // the real API server accepts a dry-run create, the webhook admits it
      const prepared = await driver.prepare(p, run);
      const e = await rejection(prepared.apply());
      expect(e.code, e.message).toBe('FAULTLINE_KUBE_DAEMON_MISSING');
      expect(e.message).toMatch(/found no chaos-daemon on node kwok-eks-\w+-0/);
      expect(e.message).toContain('Failed Apply: cannot find daemonIP on node'); // the controller's own words
      expect(e.hint).toContain('chaos-daemon');
      expect(e.hint).toContain('will be reverted');
      await revertAll(driver, prepared);
    }
    for (const c of [JKT, BDG, SBY]) expect(await chaosObjects(kube.admin(c)), c).toEqual([]);
  });

  test('sweep removes every faultline resource across three contexts, one run at a time, and never a foreign one; so does cleanup --target k8s', async ({ kube }) => {
    const driver = driverOn(kube);
    const inject = async (p: ReturnType<typeof plan>, runId: string) => (await driver.prepare(p, { ...run, runId })).apply();
    await inject(plan({ kind: 'podFailure', service: 'service-backup', region: 'jkt', mode: 'all' }), 'run-a');
    await inject(plan({ kind: 'cacheLoss', region: 'sby' }), 'run-a');
    await inject(plan({ kind: 'podFailure', service: 'service-backup', region: 'bdg', mode: 'all' }), 'run-b');
    // Someone else's experiment in an allowed namespace: no faultline label, so no sweep may touch it.
    const sbyAdmin = kube.admin(SBY).makeApiClient(CustomObjectsApi);
    await sbyAdmin.createNamespacedCustomObject({
      group: 'chaos-mesh.org', version: 'v1alpha1', namespace: 'shop', plural: 'podchaos',
      body: { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', metadata: { name: 'team-experiment' }, spec: { action: 'pod-failure', mode: 'one', duration: '10m', selector: { namespaces: ['shop'], labelSelectors: { 'app.kubernetes.io/name': 'service-backup' } } } },
    });

    const swept = await driver.sweep({ runId: 'run-a' });
    expect(swept.map((s) => `${s.context} ${s.kind} ${s.namespace}/${s.name}`).sort()).toEqual([
      `${JKT} PodChaos shop/run-a-pod-failure-jkt-service-backup-jkt`,
      `${SBY} PodChaos shop-data/run-a-cache-loss-sby-sby`,
    ]);
    const everywhere = async () => (await Promise.all([JKT, BDG, SBY].map(async (c) => (await chaosObjects(kube.admin(c))).map((o) => `${c} ${o}`)))).flat().sort();
    expect(await everywhere()).toEqual([`${BDG} podchaos shop/run-b-pod-failure-bdg-service-backup-bdg`, `${SBY} podchaos shop/team-experiment`]);

    // The CLI, as an SRE runs it after a crash, with faultline's own kubeconfig.
    const cleanup = await runCli(['cleanup', '--target', 'k8s', '--json'], { KUBECONFIG: kube.state.kubeconfig });
    expect(cleanup.code, cleanup.output).toBe(0);
    expect((JSON.parse(cleanup.output) as { removed: { name: string }[] }).removed.map((r) => r.name)).toEqual(['run-b-pod-failure-bdg-service-backup-bdg']);
    expect(await everywhere()).toEqual([`${SBY} podchaos shop/team-experiment`]);
  });

  test('preflight against the real clusters: a selector that matches no pod, and a namespace outside the allowlist or a production-like binding before any cluster is asked', async ({ kube }) => {
    const wrongLabels = structuredClone(binding);
    wrongLabels.regions.jkt!.services['service-main']!.labels = { 'app.kubernetes.io/name': 'service-mian' };
    const problems = await new MeshDriver({ binding: wrongLabels, topology, kubeConfig: kube.faultline() }).check(seedFaults.podKill);
    expect(problems.map((p) => p.code)).toEqual(['FAULTLINE_NO_TARGETS']);
    expect(problems[0]!.message).toContain('selector "app.kubernetes.io/name=service-mian" in namespace "shop" (context "eks-jakarta")');
    expect(problems[0]!.hint).toContain('kubectl --context eks-jakarta -n shop get pods -l app.kubernetes.io/name=service-mian');

    const narrow = { ...binding, allowedNamespaces: ['shop'], productionLike: true };
    const refused = await new MeshDriver({ binding: narrow, topology, kubeConfig: kube.faultline() }).check(plan({ kind: 'cacheLoss', region: 'bdg' }));
    expect(refused.map((p) => p.code)).toEqual(['FAULTLINE_BLAST_RADIUS', 'FAULTLINE_BLAST_RADIUS']);
    expect(refused[0]!.message).toContain('productionLike');
    expect(refused[1]!.message).toContain('namespace "shop-data" in context "eks-bandung", which is not in the allowlist');
  });

  test('the real Chaos Mesh webhook denies a manifest: FAULTLINE_KUBE_DENIED carries its own words', async ({ kube }) => {
    const driver = driverOn(kube);
    const zero = plan({ kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'fixed', value: 0 }, '30s', 'kill-none');
    // Preflight sees it locally and at the server-side dry run…
    expect((await driver.check(zero)).map((p) => p.code)).toEqual(['FAULTLINE_BAD_INPUT', 'FAULTLINE_KUBE_DENIED']);
    // …and if it is sent anyway, the real webhook refuses it.
    const e = await rejection((await driver.prepare(zero, run)).apply());
    expect(e.code).toBe('FAULTLINE_KUBE_DENIED');
    expect(e.message).toContain('admission webhook "vpodchaos.kb.io" denied the request');
    expect(e.message).toContain('Invalid value: "0": value must be greater than 0 with mode:fixed');
    expect(await chaosObjects(kube.admin(JKT))).toEqual([]);
  });

  test('409: a resource left by an earlier run with the same id is named, with the cleanup command', async ({ kube }) => {
    const driver = driverOn(kube);
    const failure = plan({ kind: 'podFailure', service: 'service-backup', region: 'jkt', mode: 'all' }, '60s', 'freeze');
    await (await driver.prepare(failure, run)).apply();
    const e = await rejection((await driver.prepare(failure, run)).apply());
    expect(e.code).toBe('FAULTLINE_INJECTION_FAILED');
    expect(e.message).toContain('"run-7-freeze-jkt" in namespace "shop" (context "eks-jakarta") already exists');
    expect(e.hint).toContain('faultline cleanup --target k8s');
  });

  test('403 from the real RBAC: a verb withheld from the role is named as the exact rule, including one only the revert needs', async ({ kube }) => {
    const rbac = kube.admin(JKT).makeApiClient(RbacAuthorizationV1Api);
    const original = await rbac.readClusterRole({ name: 'faultline-chaos' });
    const withoutDelete: V1ClusterRole = {
      ...original,
      rules: original.rules!.map((r) => (r.resources?.includes('podchaos') ? { ...r, verbs: r.verbs.filter((v) => v !== 'delete') } : r)),
    };
    await rbac.replaceClusterRole({ name: 'faultline-chaos', body: withoutDelete });
    try {
      const problems = await driverOn(kube).check(seedFaults.podKill);
      expect(problems.map((p) => p.code)).toEqual(['FAULTLINE_KUBE_FORBIDDEN']);
      expect(problems[0]!.message).toContain('not allowed to delete podchaos.chaos-mesh.org in namespace "shop" (context "eks-jakarta")');
      expect(problems[0]!.hint).toContain('{apiGroups: ["chaos-mesh.org"], resources: ["podchaos"], verbs: ["delete"]} in namespace "shop"');
    } finally {
      const current = await rbac.readClusterRole({ name: 'faultline-chaos' });
      await rbac.replaceClusterRole({ name: 'faultline-chaos', body: { ...current, rules: original.rules } });
    }
    // And a call the role never grants answers 403 from the authorizer itself.
    await expect(kube.faultline().makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: 'shop' })).rejects.toMatchObject({ code: 403 });
  });

  test('a CRD missing from one cluster: FAULTLINE_KUBE_CRD_MISSING with the helm command, at check and at inject; the controller resumes once it is back', async ({ kube }) => {
    const ext = kube.admin(SBY).makeApiClient(ApiextensionsV1Api);
    const crd = await ext.readCustomResourceDefinition({ name: 'podchaos.chaos-mesh.org' });
    await ext.deleteCustomResourceDefinition({ name: 'podchaos.chaos-mesh.org' });
    await expect.poll(() => ext.readCustomResourceDefinition({ name: 'podchaos.chaos-mesh.org' }).then(() => 'present', () => 'gone'), { timeout: 30_000 }).toBe('gone');
    const killSby = plan({ kind: 'podKill', service: 'service-main', region: 'sby', mode: 'one' }, '30s', 'kill-sby');
    try {
      const driver = driverOn(kube);
      const problems = await driver.check(killSby);
      expect(problems.map((p) => p.code)).toEqual(['FAULTLINE_KUBE_CRD_MISSING']);
      expect(problems[0]!.message).toContain('context "eks-surabaya" has no podchaos.chaos-mesh.org resource type');
      expect(problems[0]!.hint).toContain('helm install chaos-mesh chaos-mesh/chaos-mesh');
      expect(problems[0]!.hint).toContain('--kube-context eks-surabaya');
      expect((await rejection((await driver.prepare(killSby, run)).apply())).code).toBe('FAULTLINE_KUBE_CRD_MISSING');
    } finally {
      await ext.createCustomResourceDefinition({ body: { ...crd, metadata: { name: crd.metadata!.name } } });
      await expect.poll(async () => (await ext.readCustomResourceDefinition({ name: 'podchaos.chaos-mesh.org' })).status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'), { timeout: 30_000 }).toBe(true);
    }
    const driver = driverOn(kube, { injectTimeout: '60s' });
    await expect.poll(async () => (await driver.check(killSby)).map((p) => p.code), { timeout: 60_000 }).toEqual([]);
    const prepared = await driver.prepare(killSby, { ...run, runId: 'after-crd' });
    await prepared.apply();
    await revertAll(driver, prepared);
  });

  test('an API server restarted mid-fault drops the revert\'s watch; the driver re-establishes it and confirms the delete', async ({ kube }) => {
    const chaos = kube.state.processes.find((p) => p.name === `chaos-controller-manager ${JKT}`)!;
    const opened: { resourceVersion: string; attempt: number }[] = [];
    const driver = driverOn(kube, { revertTimeout: '90s', onWatch: (w) => opened.push(w) });
    const failure = plan({ kind: 'podFailure', service: 'service-backup', region: 'jkt', mode: 'all' }, '60s', 'freeze-through-restart');
    const prepared = await driver.prepare(failure, run);
    await prepared.apply();
    opened.length = 0;
    // With the controller held still (our own process; continued below), Chaos Mesh's finalizer keeps the deleted
    // resource, so the revert is still watching when its API server goes away.
    process.kill(chaos.pid, 'SIGSTOP');
    let reverting: Promise<void> | undefined;
    try {
      reverting = revertAll(driver, prepared);
      await expect.poll(() => opened.length, { timeout: 30_000, message: 'the revert opened its watch' }).toBeGreaterThan(0);
      await restartComponent({ runDir: kube.state.runDir, name: `kube-apiserver ${JKT}` });
    } finally {
      process.kill(chaos.pid, 'SIGCONT');
    }
    await reverting;
    expect(opened.length, JSON.stringify(opened)).toBeGreaterThanOrEqual(2);
    expect(opened.at(-1)!.attempt).toBeGreaterThan(0);
    expect(await chaosObjects(kube.admin(JKT))).toEqual([]);
  });

  test('credentials never reach an error: a rejected token (401) and an API server that does not answer', async ({ kube }) => {
    const secret = 'wrong-token-but-still-secret-4c1e';
    const kc = kube.faultline();
    const bad = new KubeConfig();
    bad.loadFromOptions({ clusters: kc.getClusters(), contexts: kc.getContexts(), currentContext: kc.getCurrentContext(), users: kc.getUsers().map((u) => ({ name: u.name, token: secret })) });
    const problems = await new MeshDriver({ binding, topology, kubeConfig: bad }).check(seedFaults.podKill);
    expect(problems.map((p) => p.code)).toContain('FAULTLINE_KUBE_FORBIDDEN');
    expect(problems.map((p) => p.message).join('\n')).toContain('rejected faultline');
    const nowhere = new KubeConfig();
    nowhere.loadFromOptions({
      clusters: kc.getClusters().map((c) => ({ ...c, server: 'https://127.0.0.1:16999' })),
      contexts: kc.getContexts(),
      currentContext: kc.getCurrentContext(),
      users: kc.getUsers(),
    });
    const unreachable = await new MeshDriver({ binding, topology, kubeConfig: nowhere }).check(seedFaults.podKill);
    expect(unreachable.map((p) => p.code)).toContain('FAULTLINE_KUBE_UNREACHABLE');
    const everything = JSON.stringify([problems.map((p) => [p.message, p.hint, p.stack]), unreachable.map((p) => [p.message, p.hint])]);
    expect(everything).not.toContain(secret);
    for (const u of kc.getUsers()) expect(everything).not.toContain(u.token!);
  });
});
