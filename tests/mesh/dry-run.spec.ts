import { expect, test } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { renderScenarioDryRun, webhookViolations, type ChaosResource } from '../../chaos/mesh/index.ts';
import { parseDuration } from '../../core/index.ts';
import { renderK6OperatorDryRun } from '../../load/k6-operator/index.ts';
import { jktTotalOutage, triRegionGameDays } from '../../scenarios/tri-region-tgw/game-days.ts';
import { BDG, binding, JKT, topology, vendoredCrds } from './sim-fixture.ts';

const docsOf = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as ChaosResource);

test.describe('--dry-run of the seed-003 game days on the kubernetes binding', () => {
  test('every game day renders per-cluster YAML whose every manifest is schema- and webhook-valid', () => {
    expect(triRegionGameDays.map((s) => s.name)).toEqual(['jkt-pod-loss', 'tgw-partition-jkt-bdg', 'bdg-replica-lag-5s']);
    for (const scenario of [...triRegionGameDays, jktTotalOutage]) {
      const dry = renderScenarioDryRun(scenario, binding, topology, 'dry-1');
      const docs = docsOf(dry.yaml);
      // The YAML is exactly the structured manifests, in cluster order: what is printed is what would be sent.
      expect(docs).toEqual(dry.clusters.flatMap((c) => c.resources));
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(vendoredCrds().validate(doc), `${scenario.name}: ${doc.metadata.name}`).toEqual([]);
        expect(webhookViolations(doc), `${scenario.name}: ${doc.metadata.name}`).toEqual([]);
        expect(doc.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'faultline', 'faultline.dev/run-id': 'dry-1', 'faultline.dev/scenario': scenario.name });
        const fault = scenario.faults.find((f) => f.name === doc.metadata.labels['faultline.dev/fault'])!;
        const ttl = parseDuration(fault.duration) + parseDuration(scenario.ttlGrace ?? '30s');
        expect((doc.spec as { duration: string }).duration).toBe(`${ttl / 1000}s`);
      }
      for (const c of dry.clusters) expect(dry.yaml).toContain(`# ── context "${c.context}"`);
      // The game days' load, as k6-operator would run it, validates too.
      for (const testRun of docsOf(renderK6OperatorDryRun(scenario.load, { runId: 'dry-1', scenario: scenario.name, durationMs: 120_000 }, { target: binding, prometheusUrl: 'http://prom:9090' })).filter((d) => d.kind === ('TestRun' as string))) {
        expect(vendoredCrds().validate(testRun)).toEqual([]);
      }
    }
  });

  test('the manifests are the ones the issue describes for each game day', () => {
    const [podLoss, partition, lag] = triRegionGameDays.map((s) => renderScenarioDryRun(s, binding, topology, 'dry-1'));
    expect(podLoss!.clusters.map((c) => [c.context, c.resources.map((r) => r.kind)])).toEqual([[JKT, ['PodChaos']]]);
    expect(podLoss!.clusters[0]!.resources[0]!.spec).toMatchObject({ action: 'pod-kill', mode: 'fixed-percent', value: '50', duration: '90s' });

    expect(partition!.clusters.map((c) => [c.context, c.resources.map((r) => r.kind)])).toEqual([
      [JKT, ['NetworkChaos']],
      [BDG, ['NetworkChaos']],
    ]);
    expect(partition!.clusters.map((c) => (c.resources[0]!.spec as { externalTargets: string[] }).externalTargets)).toEqual([['10.5.0.0/16'], ['10.4.0.0/16']]);

    expect(lag!.clusters.map((c) => c.context)).toEqual([JKT]);
    expect(lag!.clusters[0]!.resources[0]!.spec).toMatchObject({ action: 'delay', delay: { latency: '5s' }, externalTargets: ['10.5.0.0/16'], selector: { labelSelectors: { 'faultline.dev/db-role': 'primary' } } });
  });
});
