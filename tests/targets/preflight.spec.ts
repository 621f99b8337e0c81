import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { MeshDriver, type KubernetesBinding } from '../../chaos/mesh/index.ts';
import type { Topology } from '../../core/index.ts';
import { kubeDown, kubeUp, loadKubeConfig, type KubeState } from '../../kube/index.ts';
import { SEED_SYSTEMS } from './seed-topologies.ts';

/*
 * The Chaos Mesh driver's own preflight, for every seed game-day fault, against real loopback clusters for each
 * binding's contexts (the three garage slices share two clusters; seed 004 has two of its own), with the real Chaos
 * Mesh webhooks: selectors match the pods a healthy deployment runs, the shipped ClusterRole (bound only in each
 * binding's allowlisted namespaces) grants every call as the real authorizer judges it, and the API server and the
 * webhook accept a server-side dry-run create of every manifest.
 */

const GROUPS = [
  { name: 'garage (seeds 000-002)', seeds: ['000', '001', '002'], portBase: 16_200 },
  { name: 'multi-cloud (seed 004)', seeds: ['004'], portBase: 16_350 },
];

function driverFor(state: KubeState, binding: KubernetesBinding, topology: Topology, allowProductionLike: boolean): MeshDriver {
  return new MeshDriver({ binding, topology, kubeConfig: loadKubeConfig(state.kubeconfig), allowProductionLike, injectTimeout: '30s', revertTimeout: '30s', watchTimeout: '10s' });
}

for (const group of GROUPS) {
  test.describe(`Chaos Mesh preflight of every seed game-day fault: ${group.name}`, () => {
    test.describe.configure({ mode: 'serial' });
    const systems = SEED_SYSTEMS.filter((s) => group.seeds.includes(s.seed));
    let state: KubeState;
    let runDir: string;
    test.beforeAll(async () => {
      test.setTimeout(240_000);
      runDir = mkdtempSync(join(tmpdir(), 'faultline-kube-targets-'));
      state = (await kubeUp({ binding: systems.map((s) => s.binding), runDir, portBase: group.portBase })).state;
    });
    test.afterAll(async () => {
      test.setTimeout(60_000);
      await kubeDown({ runDir });
      rmSync(runDir, { recursive: true, force: true });
    });

    for (const { seed, topology, binding, gameDays } of systems) {
      test(`seed ${seed} (${topology.name}): every fault passes preflight with the shipped RBAC inside the allowlist`, async () => {
        const driver = driverFor(state, binding, topology, true);
        for (const s of gameDays) {
          for (const f of s.faults) expect((await driver.check(f)).map((e) => `${e.code}: ${e.message}`), `${s.name} / ${f.name}`).toEqual([]);
        }
      });
    }

    if (group.seeds.includes('004')) {
      test('seed 004 is production-like: every fault is refused unless the run explicitly allows it', async () => {
        const { topology, binding, gameDays } = systems[0]!;
        const driver = driverFor(state, binding, topology, false);
        for (const s of gameDays) {
          for (const f of s.faults) {
            const problems = await driver.check(f);
            expect(problems.map((e) => e.code), `${s.name} / ${f.name}`).toEqual(['FAULTLINE_BLAST_RADIUS']);
            expect(problems[0]!.message).toContain('productionLike');
          }
        }
      });
    } else {
      test('a deployment missing a workload is caught: no pod matches, so preflight refuses', async () => {
        const { topology, binding, gameDays } = systems[0]!;
        // The clusters run the real binding's workloads; the driver then looks for a label no pod carries.
        const gap: KubernetesBinding = structuredClone(binding);
        gap.regions.primary!.services['booking-orchestrator']!.labels = { 'app.kubernetes.io/name': 'booking-orchestrator-v2' };
        const podLoss = gameDays.find((s) => s.name === 'garage-platform-booking-orchestrator-pod-loss')!;
        const problems = await driverFor(state, gap, topology, true).check(podLoss.faults[0]!);
        expect(problems.map((e) => e.code)).toEqual(['FAULTLINE_NO_TARGETS']);
        expect(problems[0]!.message).toContain('booking-orchestrator-v2');
      });
    }
  });
}
