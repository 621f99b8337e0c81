import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { isFaultlineError } from '../../core/index.ts';
import { rulesAllow, rulesFromYaml, type KubeSim, type PolicyRule, type RequestRecord } from '../../kube-sim/index.ts';
import { K6OperatorRunner, type K6OperatorProfile } from '../../load/k6-operator/index.ts';
import { binding, catalogueFaults, CONTEXTS, driverFor, JKT, kubeConfigFor, plan, seedFaults, startSeedSim } from './sim-fixture.ts';

const rbacDir = new URL('../../deploy/rbac/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, rbacDir), 'utf8');
const chaosRules = rulesFromYaml(read('chaos-clusterrole.yaml'));
const loadRules = rulesFromYaml(read('load-role.yaml'));
const boundNamespaces = parseAllDocuments(read('chaos-rolebindings.yaml')).map((d) => (d.toJS() as { metadata: { namespace: string } }).metadata.namespace);

let sim: KubeSim;
test.afterEach(async () => {
  await sim?.stop();
});

const triple = (r: { group: string; resource: string; verb: string }) => `${r.group || 'core'}/${r.resource}:${r.verb}`;
const granted = (rules: PolicyRule[]) => new Set(rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((verb) => triple({ group: g, resource: res, verb }))))));
// SelfSubjectAccessReview is granted to every authenticated user by Kubernetes' own system:basic-user role.
const apiCalls = (requests: RequestRecord[]) => requests.filter((r) => r.resource !== 'selfsubjectaccessreviews');

/** Everything the chaos driver does in a game day: preflight, inject, revert, a timeout's diagnosis, a sweep. */
async function chaosWorkout(sim: KubeSim): Promise<void> {
  const driver = driverFor(sim, { injectTimeout: '800ms' });
  for (const p of [seedFaults.podKill, seedFaults.partition, seedFaults.replicaLag, plan({ kind: 'cacheLoss', region: 'sby' }), plan({ kind: 'stress', service: 'service-backup', region: 'bdg', cpuWorkers: 1 }), ...catalogueFaults]) {
    expect((await driver.check(p)).map((e) => e.message)).toEqual([]);
    const prepared = await driver.prepare(p, { runId: 'rbac', scenario: 'rbac', ttlMs: 60_000 });
    await prepared.apply();
    for (const a of prepared.revert) if (a.type === 'driver') await driver.revertHandlers.kubernetes(a.ref);
  }
  sim.chaosMesh.injection = { mode: 'stuck', message: 'daemon down' };
  const stuck = await driver.prepare(seedFaults.podKill, { runId: 'rbac-stuck', scenario: 'rbac', ttlMs: 60_000 });
  await expect(stuck.apply()).rejects.toMatchObject({ code: 'FAULTLINE_KUBE_TIMEOUT', message: expect.stringContaining('event Failed') });
  sim.chaosMesh.injection = { mode: 'normal' };
  expect((await driver.sweep()).map((s) => s.name)).toEqual(['rbac-stuck-kill-half-jkt-main-jkt']);
}

test.describe('the shipped RBAC is exactly what faultline uses', () => {
  test('the chaos role is bound in precisely the binding’s allowlisted namespaces', () => {
    expect(boundNamespaces.sort()).toEqual([...binding.allowedNamespaces].sort());
  });

  test('every call the chaos driver makes is granted, and every grant is used', async () => {
    sim = await startSeedSim();
    for (const c of CONTEXTS) sim.enforceRbac(c, chaosRules, boundNamespaces);
    await chaosWorkout(sim);
    const calls = apiCalls(sim.requests);
    const denied = calls.filter((r) => !(rulesAllow(chaosRules, r) && boundNamespaces.includes(r.namespace ?? '')));
    expect(denied.map((r) => `${r.cluster} ${triple(r)} ns=${r.namespace}`)).toEqual([]);
    expect(calls.every((r) => r.status !== 403)).toBe(true);
    expect(new Set(calls.map(triple))).toEqual(granted(chaosRules));
  });

  test('every call the k6-operator runner makes is granted, and every grant is used', async () => {
    sim = await startSeedSim({ k6Operator: { stageDelayMs: 10, runMs: 50 } });
    for (const c of CONTEXTS) sim.enforceRbac(c, loadRules, ['k6']);
    const profile: K6OperatorProfile = { regions: { jkt: { executor: 'constant-vus', vus: 5 }, sby: { executor: 'constant-vus', vus: 5 } }, writeRatio: 0.1 };
    const runner = new K6OperatorRunner({ target: binding, prometheusUrl: 'http://prom:9090', kubeConfig: kubeConfigFor(sim), pollEvery: '20ms' });
    await (await runner.start(profile, { runId: 'rbac', scenario: 'rbac', durationMs: 60_000 })).done;
    const calls = apiCalls(sim.requests);
    expect(calls.filter((r) => !rulesAllow(loadRules, r) || r.namespace !== 'k6').map(triple)).toEqual([]);
    expect(new Set(calls.map(triple))).toEqual(granted(loadRules));
  });

  test('withholding any one verb of the chaos role makes preflight name that exact rule', async () => {
    sim = await startSeedSim();
    for (const verb of ['create', 'list', 'watch', 'delete']) {
      const fewer = chaosRules.map((r) => (r.apiGroups.includes('chaos-mesh.org') ? { ...r, verbs: r.verbs.filter((v) => v !== verb) } : r));
      sim.enforceRbac(JKT, fewer, boundNamespaces);
      const problems = await driverFor(sim).check(seedFaults.podKill);
      expect(problems.length, verb).toBeGreaterThan(0);
      expect(problems.every(isFaultlineError)).toBe(true);
      expect(problems.map((p) => p.code)).toContain('FAULTLINE_KUBE_FORBIDDEN');
      expect(problems.map((p) => p.hint).join('\n')).toContain(`{apiGroups: ["chaos-mesh.org"], resources: ["podchaos"], verbs: ["${verb}"]} in namespace "shop"`);
    }
  });
});
