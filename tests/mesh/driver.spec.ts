import { Watch } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import { MeshDriver, type KubeObject } from '../../chaos/mesh/index.ts';
import type { PreparedFault } from '../../core/index.ts';
import type { KubeSim } from '../../kube-sim/index.ts';
import { BDG, binding, driverFor, JKT, kubeConfigFor, plan, SBY, SECRET_TOKEN, rejection, seedFaults, startSeedSim, topology } from './sim-fixture.ts';

let sim: KubeSim;
test.afterEach(async () => {
  await sim?.stop();
});

const run = { runId: 'run-7', scenario: 'driver test', ttlMs: 120_000 };


function refsOf(prepared: PreparedFault): Record<string, unknown>[] {
  return prepared.revert.map((a) => (a.type === 'driver' ? a.ref : {}));
}

function cond(obj: KubeObject | undefined, type: string): string | undefined {
  return obj?.status?.conditions?.find((c) => c.type === type)?.status;
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  await expect.poll(check, { message: what, timeout: 10_000 }).toBe(true);
}

test.describe('the Chaos Mesh driver against the simulator', () => {
  test('inject and revert: Selected → AllInjected with container records; the finalizer holds the delete until AllRecovered', async () => {
    sim = await startSeedSim({ chaosMesh: { recoverDelayMs: 400 } });
    const driver = driverFor(sim);
    // An independent client-node watch records every state the controller wrote, in order.
    const seen: { type: string; selected?: string; injected?: string; recovered?: string; deleting: boolean; records: string[] }[] = [];
    const watcher = await new Watch(kubeConfigFor(sim)).watch(
      '/apis/chaos-mesh.org/v1alpha1/namespaces/shop/podchaos',
      {},
      (type: string, obj: KubeObject) =>
        seen.push({
          type,
          selected: cond(obj, 'Selected'),
          injected: cond(obj, 'AllInjected'),
          recovered: cond(obj, 'AllRecovered'),
          deleting: !!obj.metadata.deletionTimestamp,
          records: (obj.status?.experiment?.containerRecords ?? []).map((r) => `${r.id}:${r.phase}`),
        }),
      () => {},
    );

    expect(await driver.check(seedFaults.podKill)).toEqual([]);
    const prepared = await driver.prepare(seedFaults.podKill, run);
    expect(prepared.revert).toEqual([
      { type: 'driver', driver: 'kubernetes', ref: { context: JKT, apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', namespace: 'shop', name: 'run-7-kill-half-jkt-main-jkt' } },
    ]);
    expect(sim.list(JKT, 'podchaos')).toEqual([]); // prepare changes nothing
    await prepared.apply();

    const live = sim.get(JKT, 'podchaos', 'shop', 'run-7-kill-half-jkt-main-jkt') as unknown as KubeObject;
    expect(cond(live, 'Selected')).toBe('True');
    expect(cond(live, 'AllInjected')).toBe('True');
    expect(live.metadata.finalizers).toEqual(['chaos-mesh/records']);
    expect(live.status?.experiment?.containerRecords?.map((r) => [r.id, r.phase, r.injectedCount])).toEqual([
      ['shop/service-main-1', 'Injected', 1],
      ['shop/service-main-2', 'Injected', 1],
    ]);
    expect(prepared.detail.injectedInto).toEqual(['shop/service-main-1', 'shop/service-main-2']);

    await driver.revertHandlers.kubernetes(refsOf(prepared)[0]!);
    const after = sim.get(JKT, 'podchaos', 'shop', 'run-7-kill-half-jkt-main-jkt') as unknown as KubeObject | undefined;
    // The revert returned only once the targets were recovered (or the object was already gone).
    expect(after === undefined || cond(after, 'AllRecovered') === 'True').toBe(true);
    await eventually(() => seen.at(-1)?.type === 'DELETED', 'the object disappears once the finalizer is released');
    watcher.abort();

    const order = seen.map((s) => `${s.type} sel=${s.selected} inj=${s.injected} rec=${s.recovered}${s.deleting ? ' deleting' : ''}`);
    const at = (pattern: RegExp) => order.findIndex((o) => pattern.test(o));
    const selected = at(/sel=True inj=False/);
    const injected = at(/sel=True inj=True rec=False$/);
    const heldByFinalizer = at(/inj=True rec=False deleting/);
    const recovered = at(/rec=True deleting/);
    const deleted = at(/^DELETED/);
    expect([selected, injected, heldByFinalizer, recovered, deleted].every((i) => i >= 0), order.join('\n')).toBe(true);
    expect(selected < injected && injected < heldByFinalizer && heldByFinalizer < recovered && recovered < deleted, order.join('\n')).toBe(true);
    expect(seen[recovered]!.records).toEqual(['shop/service-main-1:Not Injected', 'shop/service-main-2:Not Injected']);

    // Reverting again is harmless: the ledger and cleanup may both try.
    await driver.revertHandlers.kubernetes(refsOf(prepared)[0]!);
  });

  test('a cross-cluster partition lands in both clusters and reverts from both', async () => {
    sim = await startSeedSim();
    const driver = driverFor(sim);
    expect(await driver.check(seedFaults.partition)).toEqual([]);
    const prepared = await driver.prepare(seedFaults.partition, run);
    await prepared.apply();
    expect(sim.list(JKT, 'networkchaos').map((o) => o.metadata.name)).toEqual(['run-7-partition-jkt-bdg-jkt']);
    expect(sim.list(BDG, 'networkchaos').map((o) => o.metadata.name)).toEqual(['run-7-partition-jkt-bdg-bdg']);
    expect(sim.list(SBY, 'networkchaos')).toEqual([]);
    for (const ref of refsOf(prepared)) await driver.revertHandlers.kubernetes(ref);
    await eventually(() => sim.list(JKT, 'networkchaos').length + sim.list(BDG, 'networkchaos').length === 0, 'both sides are deleted');
  });

  test('sweep removes every faultline resource across three contexts, one run at a time when asked', async () => {
    sim = await startSeedSim();
    const driver = driverFor(sim);
    const runA = { ...run, runId: 'run-a' };
    for (const p of [seedFaults.podKill, seedFaults.partition, plan({ kind: 'cacheLoss', region: 'sby' })]) await (await driver.prepare(p, runA)).apply();
    await (await driver.prepare(plan({ kind: 'stress', service: 'service-main', region: 'bdg', cpuWorkers: 1 }), { ...run, runId: 'run-b' })).apply();
    // Someone else's experiment in an allowed namespace: no faultline label, so sweep must leave it alone.
    await fetch(`${sim.url(SBY)}/apis/chaos-mesh.org/v1alpha1/namespaces/shop/podchaos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', metadata: { name: 'team-experiment' }, spec: { action: 'pod-kill', mode: 'one', selector: { namespaces: ['shop'] } } }),
    });

    const swept = await driver.sweep({ runId: 'run-a' });
    expect(swept.map((s) => `${s.context} ${s.kind} ${s.namespace}/${s.name}`).sort()).toEqual([
      `${BDG} NetworkChaos shop/run-a-partition-jkt-bdg-bdg`,
      `${JKT} NetworkChaos shop/run-a-partition-jkt-bdg-jkt`,
      `${JKT} PodChaos shop/run-a-kill-half-jkt-main-jkt`,
      `${SBY} PodChaos shop-data/run-a-cache-loss-sby-sby`,
    ]);
    expect(swept.every((s) => s.runId === 'run-a' && s.scenario === 'driver test')).toBe(true);
    const remaining = () => [JKT, BDG, SBY].flatMap((c) => ['podchaos', 'networkchaos', 'stresschaos'].flatMap((k) => sim.list(c, k).map((o) => o.metadata.name)));
    await expect.poll(() => remaining().sort(), { message: 'only run-b and the foreign experiment remain' }).toEqual(['run-b-stress-bdg-service-main-bdg', 'team-experiment']);

    const rest = await driver.sweep();
    expect(rest.map((s) => s.name)).toEqual(['run-b-stress-bdg-service-main-bdg']);
    await expect.poll(() => remaining(), { message: 'the foreign experiment survives every sweep' }).toEqual(['team-experiment']);
  });

  test('check: a selector that matches no pod is an error naming the selector and namespace', async () => {
    sim = await startSeedSim();
    const wrongLabels = {
      ...binding,
      regions: { ...binding.regions, jkt: { ...binding.regions.jkt!, services: { ...binding.regions.jkt!.services, 'service-main': { namespace: 'shop', labels: { app: 'service-mian' }, container: 'service' } } } },
    };
    const driver = new MeshDriver({ binding: wrongLabels, topology, kubeConfig: kubeConfigFor(sim) });
    const problems = await driver.check(seedFaults.podKill);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'FAULTLINE_NO_TARGETS' });
    expect(problems[0]!.message).toContain('selector "app=service-mian" in namespace "shop" (context "eks-jakarta")');
    expect(problems[0]!.hint).toContain('kubectl --context eks-jakarta -n shop get pods -l app=service-mian');
  });

  test('check: the blast radius (namespace allowlist and productionLike) is enforced before any cluster is touched', async () => {
    sim = await startSeedSim();
    const narrow = { ...binding, allowedNamespaces: ['shop'], productionLike: true };
    const driver = new MeshDriver({ binding: narrow, topology, kubeConfig: kubeConfigFor(sim) });
    const problems = await driver.check(plan({ kind: 'cacheLoss', region: 'bdg' }));
    expect(problems.map((p) => p.code)).toEqual(['FAULTLINE_BLAST_RADIUS', 'FAULTLINE_BLAST_RADIUS']);
    expect(problems[0]!.message).toContain('productionLike');
    expect(problems[1]!.message).toContain('namespace "shop-data" in context "eks-bandung", which is not in the allowlist');
    expect(sim.requests.filter((r) => r.namespace === 'shop-data')).toEqual([]);

    const allowed = new MeshDriver({ binding: narrow, topology, kubeConfig: kubeConfigFor(sim), allowProductionLike: true });
    expect((await allowed.check(seedFaults.podKill)).map((p) => p.code)).toEqual([]);
  });

  test('Chaos Mesh not installed: FAULTLINE_KUBE_CRD_MISSING with the helm command, at check and at inject', async () => {
    sim = await startSeedSim();
    sim.uninstall(BDG, 'chaos-mesh.org');
    const driver = driverFor(sim);
    const problems = await driver.check(seedFaults.partition);
    expect(problems.map((p) => p.code)).toEqual(['FAULTLINE_KUBE_CRD_MISSING']);
    expect(problems[0]!.message).toContain('context "eks-bandung" has no networkchaos.chaos-mesh.org resource type');
    expect(problems[0]!.hint).toContain('helm install chaos-mesh chaos-mesh/chaos-mesh');
    expect(problems[0]!.hint).toContain('--kube-context eks-bandung');
    const e = await rejection((await driver.prepare(seedFaults.partition, run)).apply());
    expect(e.code).toBe('FAULTLINE_KUBE_CRD_MISSING');
  });

  test('403: missing RBAC is named as the exact rule, including verbs only the revert needs', async () => {
    sim = await startSeedSim();
    sim.enforceRbac(JKT, [
      { apiGroups: ['chaos-mesh.org'], resources: ['podchaos'], verbs: ['create', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods', 'events'], verbs: ['list'] },
    ]);
    const driver = driverFor(sim);
    const problems = await driver.check(seedFaults.podKill);
    expect(problems.map((p) => p.code)).toEqual(['FAULTLINE_KUBE_FORBIDDEN']);
    expect(problems[0]!.message).toContain('not allowed to delete podchaos.chaos-mesh.org in namespace "shop" (context "eks-jakarta")');
    expect(problems[0]!.hint).toContain('{apiGroups: ["chaos-mesh.org"], resources: ["podchaos"], verbs: ["delete"]} in namespace "shop"');

    sim.failNext({ cluster: JKT, verb: 'create', resource: 'podchaos', status: 403, message: 'podchaos.chaos-mesh.org is forbidden: User "x" cannot create resource "podchaos"' });
    const e = await rejection((await driver.prepare(seedFaults.podKill, run)).apply());
    expect(e.code).toBe('FAULTLINE_KUBE_FORBIDDEN');
    expect(e.hint).toContain('verbs: ["create"]');
  });

  test('409: a resource left by an earlier run with the same id is reported with the cleanup command', async () => {
    sim = await startSeedSim();
    const driver = driverFor(sim);
    await (await driver.prepare(seedFaults.podKill, run)).apply();
    const e = await rejection((await driver.prepare(seedFaults.podKill, run)).apply());
    expect(e.code).toBe('FAULTLINE_INJECTION_FAILED');
    expect(e.message).toContain('"run-7-kill-half-jkt-main-jkt" in namespace "shop" (context "eks-jakarta") already exists');
    expect(e.hint).toContain('faultline cleanup --target k8s');
  });

  test('422 and 403 admission-webhook denials both surface as FAULTLINE_KUBE_DENIED with the webhook’s message', async () => {
    sim = await startSeedSim();
    const driver = driverFor(sim);
    const zero = plan({ kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'fixed', value: 0 }, '30s', 'kill-none');
    // Preflight already sees it, locally, and says so…
    expect((await driver.check(zero)).map((p) => p.code)).toContain('FAULTLINE_BAD_INPUT');
    // …and if it reaches the API server anyway, the webhook's own words come back.
    const e = await rejection((await driver.prepare(zero, run)).apply());
    expect(e.code).toBe('FAULTLINE_KUBE_DENIED');
    expect(e.message).toContain('admission webhook "vpodchaos.kb.io" denied the request: spec.value: Invalid value: "0": value must be greater than 0 with mode:fixed');

    sim.webhookDenialStatus = 403; // what controller-runtime's Denied really answers
    const again = await rejection((await driver.prepare(zero, { ...run, runId: 'run-8' })).apply());
    expect(again.code).toBe('FAULTLINE_KUBE_DENIED');
  });

  test('500: a failed create is an injection failure; a failed status read is retried', async () => {
    sim = await startSeedSim();
    const driver = driverFor(sim);
    sim.failNext({ verb: 'create', resource: 'podchaos', status: 500, message: 'etcdserver: request timed out' });
    const e = await rejection((await driver.prepare(seedFaults.podKill, run)).apply());
    expect(e.code).toBe('FAULTLINE_INJECTION_FAILED');
    expect(e.message).toContain('answered 500');
    expect(e.message).toContain('etcdserver: request timed out');

    sim.failNext({ verb: 'list', resource: 'podchaos', status: 500, times: 2 });
    await (await driver.prepare(seedFaults.podKill, { ...run, runId: 'run-9' })).apply();
    expect(sim.requests.filter((r) => r.verb === 'list' && r.resource === 'podchaos' && r.status === 500)).toHaveLength(2);
  });

  test('404 of one resource on revert counts as reverted', async () => {
    sim = await startSeedSim();
    const driver = driverFor(sim);
    await driver.revertHandlers.kubernetes({ context: JKT, apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', namespace: 'shop', name: 'never-created' });
    expect(sim.requests.at(-1)).toMatchObject({ verb: 'delete', status: 404 });
  });

  test('watches that time out are re-opened from the last resourceVersion, bookmarks included', async () => {
    sim = await startSeedSim({ chaosMesh: { stepDelayMs: 1_300 }, bookmarkIntervalMs: 200 });
    const opened: { resourceVersion: string; attempt: number }[] = [];
    const driver = driverFor(sim, { watchTimeout: '1s', onWatch: (w) => opened.push(w) });
    const prepared = await driver.prepare(seedFaults.podKill, run);
    await prepared.apply();
    const watches = sim.watches.filter((w) => w.resource === 'podchaos');
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches.slice(0, -1).every((w) => w.endedBy === 'timeout' && w.timeoutSeconds === 1)).toBe(true);
    expect(watches.every((w) => w.resourceVersion !== undefined)).toBe(true);
    // A re-opened watch resumes exactly where the previous one left off: at its last bookmark when that was newest.
    const resumedFromBookmark = watches.slice(1).some((w, i) => watches[i]!.bookmarks.includes(w.resourceVersion!));
    expect(resumedFromBookmark, JSON.stringify(watches, null, 1)).toBe(true);
    expect(opened.map((o) => o.resourceVersion)).toEqual(watches.map((w) => w.resourceVersion));
  });

  test('a dropped watch, and one whose version was compacted away (410 Gone), are recovered by re-listing', async () => {
    sim = await startSeedSim({ chaosMesh: { stepDelayMs: 1_000 } });
    const driver = driverFor(sim);
    const prepared = await driver.prepare(seedFaults.podKill, run);
    const applying = prepared.apply();
    await expect.poll(() => sim.watches.filter((w) => w.resource === 'podchaos' && !w.endedBy).length).toBe(1);
    sim.compact(JKT);
    sim.dropWatches(JKT);
    await applying;
    const watches = sim.watches.filter((w) => w.resource === 'podchaos');
    expect(watches[0]!.endedBy).toBe('dropped');
    expect(watches.some((w) => w.endedBy === 'gone') || sim.requests.filter((r) => r.verb === 'list' && r.resource === 'podchaos').length >= 2).toBe(true);
    expect(cond(sim.get(JKT, 'podchaos', 'shop', 'run-7-kill-half-jkt-main-jkt') as unknown as KubeObject, 'AllInjected')).toBe('True');
  });

  test('an injection that never completes times out with the reason from the container records and the events', async () => {
    sim = await startSeedSim({ chaosMesh: { injection: { mode: 'stuck', message: 'rpc error: code = Unavailable desc = chaos-daemon 10.4.1.7:31767 connection refused' } } });
    const driver = driverFor(sim, { injectTimeout: '1500ms' });
    const e = await rejection((await driver.prepare(seedFaults.podKill, run)).apply());
    expect(e.code).toBe('FAULTLINE_KUBE_TIMEOUT');
    expect(e.message).toContain('PodChaos shop/run-7-kill-half-jkt-main-jkt (context "eks-jakarta") was not injected within 1.5s: Selected=True AllInjected=False');
    expect(e.message).toContain('shop/service-main-1 is Not Injected: Failed Apply: rpc error: code = Unavailable desc = chaos-daemon 10.4.1.7:31767 connection refused');
    expect(e.message).toContain('event Failed: Failed to apply chaos: rpc error');
    expect(e.hint).toContain('logs ds/chaos-daemon');
  });

  test('credentials never reach an error, a plan or the dry run', async () => {
    sim = await startSeedSim();
    const keyData = Buffer.from('-----BEGIN PRIVATE KEY-----secret-key-material').toString('base64');
    const options = sim.kubeConfigOptions('wrong-token-but-still-secret-4c1e');
    const kc = kubeConfigFor(sim);
    kc.loadFromOptions({ ...options, users: options.users.map((u) => ({ ...u, keyData })) });
    const driver = new MeshDriver({ binding, topology, kubeConfig: kc, injectTimeout: '2s' });
    const problems = await driver.check(seedFaults.podKill);
    expect(problems.map((p) => p.code)).toContain('FAULTLINE_KUBE_FORBIDDEN');
    const prepared = await driver.prepare(seedFaults.podKill, run);
    const failure = await rejection(prepared.apply());
    const later = driverFor(sim);
    await sim.stop();
    const unreachable = await rejection(later.prepare(seedFaults.podKill, run).then((p) => p.apply()));
    const everything = JSON.stringify([problems.map((p) => [p.message, p.hint, p.stack]), failure.message, failure.hint, failure.stack, unreachable.message, prepared.detail, prepared.revert]);
    for (const secret of ['wrong-token-but-still-secret-4c1e', SECRET_TOKEN, 'secret-key-material', keyData]) expect(everything).not.toContain(secret);
  });
});
