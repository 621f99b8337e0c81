import { MeshDriver } from '../../chaos/mesh/index.ts';
import { isFaultlineError, type FaultPlan, type LeaseHolder } from '../../core/index.ts';
import { triRegionTgw } from '../../targets/index.ts';
import { triRegionTgwKubernetes } from '../../targets/tri-region-tgw/kubernetes.ts';
import { expect, test } from '../support/loopback-kube.ts';

// The Kubernetes safety net, on the real loopback control planes with the real Chaos Mesh controller: preflight finds
// a controller that does not answer (it is the TTL there: it ends each chaos resource when its duration passes), and a
// run's chaos resources in force make the clusters busy for a second run.

const driverFor = (kube: Parameters<Parameters<typeof test>[2]>[0]['kube']) =>
  new MeshDriver({ binding: triRegionTgwKubernetes, topology: triRegionTgw, kubeConfig: kube.faultline(), injectTimeout: '60s' });

test("Chaos Mesh's controller frozen in one context: FAULTLINE_WATCHDOG_DOWN naming it; answering again, nothing to refuse", async ({ kube }) => {
  const driver = driverFor(kube);
  expect(await driver.checkSafetyNet()).toEqual([]);
  const context = triRegionTgwKubernetes.regions.bdg!.context;
  const controller = kube.state.processes.find((p) => p.name === `chaos-controller-manager ${context}`)!;
  process.kill(controller.pid, 'SIGSTOP');
  try {
    const problems = await driver.checkSafetyNet();
    expect(problems.map((p) => p.code)).toEqual(['FAULTLINE_WATCHDOG_DOWN']);
    expect(problems[0]!.message).toContain(`does not answer in context "${context}"`);
    expect(problems[0]!.message).toMatch(/→ check it: kubectl --context \S+ -n chaos-mesh get pods/);
  } finally {
    process.kill(controller.pid, 'SIGCONT');
  }
  await expect.poll(async () => (await driver.checkSafetyNet()).length, { timeout: 30_000 }).toBe(0);
});

test("another run's chaos resources in force make the clusters busy; --allow-concurrent shares them; reverted, they are free", async ({ kube }) => {
  const driver = driverFor(kube);
  const plan: FaultPlan = { name: 'kill-one-jkt-main', spec: { kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'one' }, at: '0s', duration: '2m' };
  const first = await driver.prepare(plan, { runId: 'first-run', scenario: 'first scenario', ttlMs: 120_000 });
  await first.apply();
  try {
    const others: LeaseHolder[] = [];
    const refused = await driver.lease({ runId: 'second-run', scenario: 'second', allowConcurrent: false, onOther: (h) => others.push(h) }).catch((e: unknown) => e);
    expect(isFaultlineError(refused) && refused.code).toBe('FAULTLINE_TARGET_BUSY');
    expect((refused as Error).message).toContain('run first-run (scenario first scenario');
    const shared = await driver.lease({ runId: 'second-run', scenario: 'second', allowConcurrent: true, onOther: (h) => others.push(h) });
    expect(shared.others.map((h) => h.runId)).toEqual(['first-run']);
    expect(others.map((h) => h.runId)).toEqual(['first-run']);
  } finally {
    for (const a of first.revert) if (a.type === 'driver') await driver.revertHandlers.kubernetes(a.ref);
  }
  const free = await driver.lease({ runId: 'third-run', scenario: 'third', allowConcurrent: false, onOther: () => {} });
  expect(free.others).toEqual([]);
});
