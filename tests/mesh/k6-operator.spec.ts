import { expect, test } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import type { KubeSim } from '../support/kube-sim/index.ts';
import { K6OperatorRunner, k6OperatorManifests, renderK6OperatorDryRun, type K6OperatorProfile } from '../../load/k6-operator/index.ts';
import { BDG, binding, JKT, kubeConfigFor, SBY, rejection, startSeedSim, vendoredCrds } from './sim-fixture.ts';

let sim: KubeSim;
test.afterEach(async () => {
  await sim?.stop();
});

const profile: K6OperatorProfile = {
  regions: { jkt: { executor: 'constant-arrival-rate', rate: 300 }, bdg: { executor: 'constant-arrival-rate', rate: 100 }, sby: { executor: 'constant-vus', vus: 20 } },
  writeRatio: 0.2,
  parallelism: { jkt: 4, bdg: 2 },
};
const run = { runId: 'run-k6', scenario: 'distributed load', durationMs: 120_000 };
const settings = { target: binding, prometheusUrl: 'http://prometheus.monitoring.svc:9090/' };


test.describe('k6-operator load runner', () => {
  test('one script ConfigMap and one schema-valid TestRun per region cluster, with parallelism and remote write', () => {
    const regions = k6OperatorManifests(profile, run, settings);
    expect(regions.map((r) => [r.region, r.context, r.namespace])).toEqual([
      ['jkt', JKT, 'k6'],
      ['bdg', BDG, 'k6'],
      ['sby', SBY, 'k6'],
    ]);
    for (const r of regions) {
      expect(vendoredCrds().validate(r.testRun)).toEqual([]);
      const spec = r.testRun.spec as { parallelism: number; script: unknown; arguments: string; runner: { env: { name: string; value: string }[] } };
      expect(spec.parallelism).toBe({ jkt: 4, bdg: 2, sby: 1 }[r.region]);
      expect(spec.script).toEqual({ configMap: { name: `run-k6-k6-${r.region}`, file: 'gameday.ts' } });
      expect(spec.arguments).toContain('-o experimental-prometheus-rw');
      expect(spec.arguments).toContain('--tag testid=run-k6');
      const env = Object.fromEntries(spec.runner.env.map((e) => [e.name, e.value]));
      expect(env).toMatchObject({ FAULTLINE_K6_CONFIG: '/test/config.json', K6_PROMETHEUS_RW_SERVER_URL: 'http://prometheus.monitoring.svc:9090/api/v1/write' });

      const data = r.configMap.data as Record<string, string>;
      expect(Object.keys(data).sort()).toEqual(['config.json', 'gameday.ts', 'script-config.ts']);
      expect(data['gameday.ts']).toContain("from './script-config.ts'"); // the import the mount must satisfy
      const config = JSON.parse(data['config.json']!) as { options: { scenarios: Record<string, { tags: { region: string } }> }; ingress: Record<string, string> };
      expect(Object.keys(config.options.scenarios)).toEqual([r.region]); // each cluster drives only its own region
      expect(config.ingress).toEqual({ [r.region]: binding.regions[r.region]!.load!.ingressUrl });
      expect(JSON.stringify(r.configMap).length).toBeLessThan(1_048_576);
    }
    expect(() => k6OperatorManifests({ ...profile, parallelism: 0 }, run, settings)).toThrow(/parallelism 0/);
  });

  test('the dry run prints exactly those manifests, grouped per context', () => {
    const yaml = renderK6OperatorDryRun(profile, run, settings);
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as object);
    const expected = k6OperatorManifests(profile, run, settings).flatMap((r) => [r.configMap, r.testRun]);
    expect(docs).toEqual(expected);
    expect(yaml).toContain(`# ── context "${JKT}" (region jkt)`);
    expect(yaml).toContain('Nothing was sent to any cluster');
  });

  test('start → every TestRun reaches finished → its objects are cleaned up', async () => {
    sim = await startSeedSim({ k6Operator: { stageDelayMs: 20, runMs: 300 } });
    const runner = new K6OperatorRunner({ ...settings, kubeConfig: kubeConfigFor(sim), pollEvery: '50ms' });
    const load = await runner.start(profile, run);
    for (const ctx of [JKT, BDG, SBY]) {
      expect(sim.list(ctx, 'testruns', 'k6').map((o) => o.metadata.name)).toHaveLength(1);
      expect(sim.list(ctx, 'configmaps', 'k6')).toHaveLength(1);
    }
    const summary = await load.done;
    expect(summary).toMatchObject({ tool: 'k6-operator', regions: [] });
    for (const ctx of [JKT, BDG, SBY]) {
      expect(sim.list(ctx, 'testruns', 'k6')).toEqual([]);
      expect(sim.list(ctx, 'configmaps', 'k6')).toEqual([]);
    }
    // It really waited for finished on every region, not just for the first.
    const finishedSeen = sim.requests.filter((r) => r.verb === 'get' && r.resource === 'testruns');
    expect(new Set(finishedSeen.map((r) => r.cluster))).toEqual(new Set([JKT, BDG, SBY]));
  });

  test('a TestRun ending in stage error fails the load with where to look; stop() ends a run early', async () => {
    sim = await startSeedSim({ k6Operator: { stageDelayMs: 20, runMs: 100, outcome: 'error' } });
    const runner = new K6OperatorRunner({ ...settings, kubeConfig: kubeConfigFor(sim), pollEvery: '50ms' });
    const failed = await rejection((await runner.start(profile, run)).done);
    expect(failed.message).toMatch(/TestRun k6\/run-k6-k6-(jkt|bdg|sby) \(context "eks-\w+"\) ended in stage error/);
    expect(failed.hint).toContain('logs -l k6_cr=run-k6-k6-');

    sim.k6Operator.outcome = 'finished';
    sim.k6Operator.runMs = 60_000;
    const long = await runner.start(profile, { ...run, runId: 'run-long' });
    await expect.poll(() => sim.get(JKT, 'testruns', 'k6', 'run-long-k6-jkt')?.status).toEqual({ stage: 'started' });
    const summary = await long.stop();
    expect(summary.tool).toBe('k6-operator');
    for (const ctx of [JKT, BDG, SBY]) expect(sim.list(ctx, 'testruns', 'k6')).toEqual([]);
  });

  test('k6-operator missing in one cluster: CRD_MISSING with the install command, and nothing left behind', async () => {
    sim = await startSeedSim();
    sim.uninstall(BDG, 'k6.io');
    const runner = new K6OperatorRunner({ ...settings, kubeConfig: kubeConfigFor(sim) });
    const e = await rejection(runner.start(profile, run));
    expect(e.code).toBe('FAULTLINE_KUBE_CRD_MISSING');
    expect(e.hint).toContain('helm install k6-operator grafana/k6-operator');
    for (const ctx of [JKT, BDG, SBY]) {
      expect(sim.list(ctx, 'configmaps', 'k6')).toEqual([]);
    }
    expect(sim.list(JKT, 'testruns', 'k6')).toEqual([]);
  });
});
