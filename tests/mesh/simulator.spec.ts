import { CoreV1Api, CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import { KubeSim } from '../support/kube-sim/index.ts';
import { vendoredCrds } from './sim-fixture.ts';

/**
 * The simulator, driven by the real @kubernetes/client-node 1.4.0 with no faultline code in between: if these pass,
 * the driver tests exercise Kubernetes semantics rather than the simulator's quirks.
 */
let sim: KubeSim;
test.afterEach(async () => {
  await sim?.stop();
});

const TOKEN = 'sim-test-token-0001';
const G = { group: 'chaos-mesh.org', version: 'v1alpha1', namespace: 'shop', plural: 'podchaos' };

function clients(context: string, token = TOKEN) {
  const kc = new KubeConfig();
  kc.loadFromOptions({ ...sim.kubeConfigOptions(token), currentContext: context });
  return { custom: kc.makeApiClient(CustomObjectsApi), core: kc.makeApiClient(CoreV1Api), watch: new Watch(kc) };
}

function podChaos(name: string, labels: Record<string, string> = {}, spec: Record<string, unknown> = {}) {
  return { apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', metadata: { name, labels }, spec: { action: 'pod-kill', mode: 'one', selector: { namespaces: ['shop'], labelSelectors: { app: 'web' } }, duration: '1m', ...spec } };
}

async function statusOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: number; body: string };
    return { code: err.code, message: (JSON.parse(err.body) as { message: string }).message };
  }
  throw new Error('expected an API error');
}

test.describe('kube-sim through client-node', () => {
  test('listens on an ephemeral port, or on a fixed one in the mesh range', async () => {
    sim = await KubeSim.start({ clusters: ['a'], crds: false });
    expect(sim.port).toBeGreaterThan(0);
    const fixed = await KubeSim.start({ clusters: ['a'], crds: false }, 19_601);
    expect(fixed.port).toBe(19_601);
    expect(await (await fetch(`${fixed.url('a')}/version`)).json()).toMatchObject({ major: '1' });
    await fixed.stop();
  });

  test('CRUD, list with label selectors, dry run, and the errors a real API server gives', async () => {
    sim = await KubeSim.start({ clusters: ['a', 'b'], token: TOKEN, crds: vendoredCrds() });
    const { custom } = clients('a');
    const created = (await custom.createNamespacedCustomObject({ ...G, body: podChaos('one', { team: 'x', tier: 'web' }) })) as { metadata: { uid: string; resourceVersion: string } };
    expect(created.metadata.uid).toBeTruthy();
    await custom.createNamespacedCustomObject({ ...G, body: podChaos('two', { team: 'y' }) });
    await custom.createNamespacedCustomObject({ ...G, body: podChaos('three') });
    await custom.createNamespacedCustomObject({ ...G, body: podChaos('dry', { team: 'x' }), dryRun: 'All' });

    const names = async (labelSelector: string) =>
      ((await custom.listNamespacedCustomObject({ ...G, labelSelector })) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
    expect(await names('')).toEqual(['one', 'three', 'two']);
    expect(await names('team=x')).toEqual(['one']);
    expect(await names('team!=x')).toEqual(['three', 'two']);
    expect(await names('team in (x,y),tier')).toEqual(['one']);
    expect(await names('team notin (x)')).toEqual(['three', 'two']);
    expect(await names('!team')).toEqual(['three']);
    expect((await custom.getNamespacedCustomObject({ ...G, name: 'one' })) as object).toMatchObject({ metadata: { name: 'one', namespace: 'shop' } });

    expect(await statusOf(custom.createNamespacedCustomObject({ ...G, body: podChaos('one') }))).toEqual({ code: 409, message: 'podchaos.chaos-mesh.org "one" already exists' });
    const invalid = await statusOf(custom.createNamespacedCustomObject({ ...G, body: podChaos('bad', {}, { mode: 'fixed', value: 3 }) }));
    expect(invalid.code).toBe(422);
    expect(invalid.message).toContain('PodChaos.chaos-mesh.org "bad" is invalid: [spec.value: must be string]');
    expect((await statusOf(custom.createNamespacedCustomObject({ ...G, body: podChaos('Bad_Name') }))).message).toContain('metadata.name: Invalid value: "Bad_Name"');
    // The simulator's admission stand-in (tests/support/kube-sim/admission.ts) answers as the real webhook did.
    const webhook = await statusOf(custom.createNamespacedCustomObject({ ...G, body: podChaos('zero', {}, { mode: 'fixed', value: '0' }) }));
    expect(webhook).toMatchObject({ code: 422, message: expect.stringContaining('admission webhook "vpodchaos.kb.io" denied the request: [Spec.ContainerSelector.value: Invalid value: "0": value must be greater than 0 with mode:fixed') });

    // The controller's finalizer makes delete graceful: marked first, gone once it is released.
    const marked = (await custom.deleteNamespacedCustomObject({ ...G, name: 'two' })) as { metadata: { deletionTimestamp?: string } };
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    await expect.poll(() => custom.getNamespacedCustomObject({ ...G, name: 'two' }).then(() => 200, (e: { code: number }) => e.code)).toBe(404);
    expect((await statusOf(custom.deleteNamespacedCustomObject({ ...G, name: 'two' }))).code).toBe(404);
    // Clusters on one port share nothing.
    expect(((await clients('b').custom.listNamespacedCustomObject(G)) as { items: unknown[] }).items).toEqual([]);
  });

  test('injected failures, a missing CRD, RBAC and credentials answer like Kubernetes', async () => {
    sim = await KubeSim.start({ clusters: ['a'], token: TOKEN, crds: false });
    const { custom, core } = clients('a');
    sim.failNext({ verb: 'list', resource: 'podchaos', status: 500, message: 'etcd leader changed' });
    expect(await statusOf(custom.listNamespacedCustomObject(G))).toEqual({ code: 500, message: 'etcd leader changed' });
    expect(((await custom.listNamespacedCustomObject(G)) as { items: unknown[] }).items).toEqual([]); // only once

    sim.uninstall('a', 'chaos-mesh.org');
    expect(await statusOf(custom.listNamespacedCustomObject(G))).toEqual({ code: 404, message: 'the server could not find the requested resource' });
    expect(((await (await fetch(`${sim.url('a')}/apis`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { groups: { name: string }[] }).groups.map((g) => g.name)).toEqual(['k6.io']);
    sim.install('a', 'chaos-mesh.org');

    sim.enforceRbac('a', [{ apiGroups: ['chaos-mesh.org'], resources: ['podchaos'], verbs: ['list'] }], ['shop']);
    expect((await custom.listNamespacedCustomObject(G)) as object).toBeTruthy();
    expect(await statusOf(custom.createNamespacedCustomObject({ ...G, body: podChaos('x') }))).toEqual({
      code: 403,
      message: 'podchaos.chaos-mesh.org is forbidden: User "system:serviceaccount:faultline:faultline" cannot create resource "podchaos" in API group "chaos-mesh.org" in the namespace "shop"',
    });
    expect((await statusOf(custom.listNamespacedCustomObject({ ...G, namespace: 'other' }))).code).toBe(403);
    expect((await statusOf(core.listNamespacedPod({ namespace: 'shop' }))).code).toBe(403);

    const stranger = clients('a', 'not-the-token');
    await expect(stranger.custom.listNamespacedCustomObject(G)).rejects.toMatchObject({ code: 401 });
  });

  test('watch: replay from a resourceVersion, bookmarks, server-side timeout, and 410 Gone after compaction', async () => {
    sim = await KubeSim.start({ clusters: ['a'], crds: false, bookmarkIntervalMs: 100 });
    // ConfigMaps: no controller writes to them, so every event below is one this test caused.
    const { core, watch } = clients('a');
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } });
    const path = '/api/v1/namespaces/shop/configmaps';
    const first = await core.createNamespacedConfigMap({ namespace: 'shop', body: cm('first') });
    await core.createNamespacedConfigMap({ namespace: 'shop', body: cm('second') });

    const events: string[] = [];
    let ended: unknown = 'not yet';
    await watch.watch(
      path,
      { resourceVersion: first.metadata!.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 1 },
      (type: string, obj: { metadata: { name?: string; resourceVersion: string } }) => events.push(type === 'BOOKMARK' ? `BOOKMARK@${obj.metadata.resourceVersion}` : `${type} ${obj.metadata.name}`),
      (err: unknown) => (ended = err),
    );
    await expect.poll(() => events.some((e) => e.startsWith('BOOKMARK'))).toBe(true);
    await core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'second' });
    await expect.poll(() => ended, { message: 'the server ends the watch after timeoutSeconds' }).toBeNull();
    // Only what happened after `first`: the replayed ADDED of `second`, then its live deletion.
    expect(events.filter((e) => !e.startsWith('BOOKMARK'))).toEqual(['ADDED second', 'DELETED second']);
    const bookmarks = events.filter((e) => e.startsWith('BOOKMARK'));
    expect(bookmarks.at(-1)).toBe(`BOOKMARK@${sim.watches[0]!.bookmarks.at(-1)}`);
    expect(sim.watches[0]).toMatchObject({ resourceVersion: first.metadata!.resourceVersion, timeoutSeconds: 1, endedBy: 'timeout' });

    // Without a version: the current state as ADDED, then changes.
    const fresh: string[] = [];
    const c = await watch.watch(path, {}, (t: string, o: { metadata: { name: string } }) => fresh.push(`${t} ${o.metadata.name}`), () => {});
    await expect.poll(() => fresh).toEqual(['ADDED first']);
    c.abort();

    sim.compact('a');
    const gone: { type: string; code?: number }[] = [];
    await watch.watch(path, { resourceVersion: first.metadata!.resourceVersion }, (type: string, obj: { code?: number }) => gone.push({ type, code: obj.code }), () => {});
    await expect.poll(() => gone).toEqual([{ type: 'ERROR', code: 410 }]);
  });

  test('the fake Chaos Mesh controller and k6-operator progress status like the real ones', async () => {
    sim = await KubeSim.start({ clusters: ['a'], crds: vendoredCrds(), chaosMesh: { stepDelayMs: 30, recoverDelayMs: 150 }, k6Operator: { stageDelayMs: 30, runMs: 100 } });
    sim.seedPods('a', 'shop', [1, 2, 3].map((i) => ({ name: `web-${i}`, labels: { app: 'web' } })));
    const { custom, watch } = clients('a');
    const states: string[] = [];
    const w = await watch.watch(
      '/apis/chaos-mesh.org/v1alpha1/namespaces/shop/podchaos',
      {},
      (type: string, o: { metadata: { deletionTimestamp?: string; finalizers?: string[] }; status?: { conditions?: { type: string; status: string }[]; experiment?: { containerRecords?: { phase: string }[] } } }) => {
        const c = Object.fromEntries((o.status?.conditions ?? []).map((x) => [x.type, x.status[0]]));
        states.push(`${type} S${c.Selected ?? '-'}I${c.AllInjected ?? '-'}R${c.AllRecovered ?? '-'} n=${o.status?.experiment?.containerRecords?.length ?? 0}${o.metadata.deletionTimestamp ? ' del' : ''}`);
      },
      () => {},
    );
    await custom.createNamespacedCustomObject({ ...G, body: podChaos('kill', {}, { mode: 'all' }) });
    await expect.poll(() => states.at(-1)).toBe('MODIFIED STITRF n=3');
    await custom.deleteNamespacedCustomObject({ ...G, name: 'kill' });
    expect(sim.get('a', 'podchaos', 'shop', 'kill')?.metadata.deletionTimestamp, 'the finalizer keeps it after delete').toBeTruthy();
    await expect.poll(() => states.at(-1)).toMatch(/^DELETED/);
    w.abort();
    expect(states).toEqual([
      'ADDED S-I-R- n=0',
      'MODIFIED SFIFRF n=0',
      'MODIFIED STIFRF n=3',
      'MODIFIED STITRF n=3',
      'MODIFIED STITRF n=3 del',
      'MODIFIED STIFRT n=3 del',
      'DELETED STIFRT n=3 del',
    ]);

    const stages: string[] = [];
    const k = await watch.watch('/apis/k6.io/v1alpha1/namespaces/k6/testruns', {}, (_t: string, o: { status?: { stage?: string } }) => stages.push(o.status?.stage ?? '(none)'), () => {});
    await custom.createNamespacedCustomObject({ group: 'k6.io', version: 'v1alpha1', namespace: 'k6', plural: 'testruns', body: { apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: { name: 'load' }, spec: { parallelism: 2, script: { configMap: { name: 'load', file: 'gameday.ts' } } } } });
    await expect.poll(() => stages.at(-1)).toBe('finished');
    k.abort();
    expect(stages).toEqual(['(none)', 'initialization', 'initialized', 'created', 'started', 'finished']);
  });
});
