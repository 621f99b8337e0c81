import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import { MeshDriver, type KubernetesBinding } from '../../chaos/mesh/index.ts';
import type { Topology } from '../../core/index.ts';
import { CrdValidator, KubeSim, rulesFromYaml } from '../../kube-sim/index.ts';
import { SEED_SYSTEMS } from './seed-topologies.ts';

/*
 * The Chaos Mesh driver's own preflight, for every seed game-day fault, against the in-process Kubernetes API
 * simulator: selectors match pods, the shipped ClusterRole (bound only in the binding's allowlisted namespaces)
 * grants every call, and the API server accepts a server-side dry-run create of every manifest.
 */

const PORT = 19350;
const TOKEN = 'tok-targets-preflight-3c9d';
const chaosRules = rulesFromYaml(readFileSync(new URL('../../deploy/rbac/chaos-clusterrole.yaml', import.meta.url), 'utf8'));

let sim: KubeSim | undefined;
test.afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** A simulator holding, for each cluster the binding names, the pods a healthy deployment of it would run. */
async function simFor(binding: KubernetesBinding): Promise<KubeSim> {
  const contexts = [...new Set(Object.values(binding.regions).map((r) => r.context))];
  const s = await KubeSim.start({ clusters: contexts, token: TOKEN, crds: CrdValidator.fromDirectory() }, PORT);
  for (const [region, c] of Object.entries(binding.regions)) {
    const scope = c.network.labels ?? {};
    for (const [service, w] of Object.entries(c.services)) {
      s.seedPods(c.context, w.namespace, [1, 2].map((i) => ({ name: `${service}-${region}-${i}`, labels: { ...scope, ...w.labels }, containers: [w.container ?? 'main', 'istio-proxy'] })));
    }
    for (const [store, pods] of Object.entries(c.databases ?? {})) {
      for (const w of [pods.primary, pods.replica]) if (w) s.seedPods(c.context, w.namespace, [{ name: `${store}-${region}-0`, labels: { ...scope, ...w.labels } }]);
    }
  }
  for (const ctx of contexts) s.enforceRbac(ctx, chaosRules, binding.allowedNamespaces);
  return s;
}

function driverFor(s: KubeSim, binding: KubernetesBinding, topology: Topology, allowProductionLike: boolean): MeshDriver {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(s.kubeConfigOptions(TOKEN));
  return new MeshDriver({ binding, topology, kubeConfig, allowProductionLike, injectTimeout: '5s', revertTimeout: '5s', watchTimeout: '5s' });
}

test.describe('Chaos Mesh preflight of every seed game-day fault', () => {
  for (const { seed, topology, binding, gameDays } of SEED_SYSTEMS) {
    test(`seed ${seed} (${topology.name}): every fault passes preflight with the shipped RBAC inside the allowlist`, async () => {
      sim = await simFor(binding);
      const driver = driverFor(sim, binding, topology, true);
      for (const s of gameDays) {
        for (const f of s.faults) expect((await driver.check(f)).map((e) => `${e.code}: ${e.message}`), `${s.name} / ${f.name}`).toEqual([]);
      }
      // A check that never asked the API server proves nothing about the selectors, the RBAC or the schemas.
      expect(sim.requests.filter((r) => r.resource === 'pods' && r.verb === 'list').length).toBeGreaterThan(0);
      const dryRunCreates = sim.requests.filter((r) => r.verb === 'create' && r.query.dryRun === 'All' && r.status < 300);
      expect(dryRunCreates.length).toBeGreaterThanOrEqual(gameDays.flatMap((s) => s.faults).length);
      expect(sim.requests.filter((r) => r.status === 403)).toEqual([]);
    });
  }

  test('seed 004 is production-like: every fault is refused unless the run explicitly allows it', async () => {
    const { topology, binding, gameDays } = SEED_SYSTEMS.find((s) => s.seed === '004')!;
    sim = await simFor(binding);
    const driver = driverFor(sim, binding, topology, false);
    for (const s of gameDays) {
      for (const f of s.faults) {
        const problems = await driver.check(f);
        expect(problems.map((e) => e.code), `${s.name} / ${f.name}`).toEqual(['FAULTLINE_BLAST_RADIUS']);
        expect(problems[0]!.message).toContain('productionLike');
      }
    }
  });

  test('a deployment missing a workload is caught: no pod matches, so preflight refuses', async () => {
    const { topology, binding, gameDays } = SEED_SYSTEMS[0]!;
    const gap: KubernetesBinding = structuredClone(binding);
    // The simulator is seeded from the real binding; the driver then looks for a label no pod carries.
    sim = await simFor(binding);
    gap.regions.primary!.services['booking-orchestrator']!.labels = { 'app.kubernetes.io/name': 'booking-orchestrator-v2' };
    const driver = driverFor(sim, gap, topology, true);
    const podLoss = gameDays.find((s) => s.name === 'garage-platform-booking-orchestrator-pod-loss')!;
    const problems = await driver.check(podLoss.faults[0]!);
    expect(problems.map((e) => e.code)).toEqual(['FAULTLINE_NO_TARGETS']);
    expect(problems[0]!.message).toContain('booking-orchestrator-v2');
  });
});
