import { expect, test } from '@playwright/test';
import { renderScenarioDryRun, webhookViolations, type ChaosResource } from '../../chaos/mesh/index.ts';
import { isFaultlineError, scenario, validateScenario, type Scenario } from '../../core/index.ts';
import { CrdValidator } from '../support/kube-sim/index.ts';
import { catalog } from '../../scenarios/catalog.ts';
import { primaryPodLoss, secondaryStoreLag } from '../../scenarios/garage/index.ts';
import { garagePlatform, garagePlatformKubernetes } from '../../targets/garage/index.ts';
import { multiCloudMesh, multiCloudMeshKubernetes } from '../../targets/multi-cloud-mesh/index.ts';
import { SEED_SYSTEMS } from './seed-topologies.ts';

/** The official Chaos Mesh CRD schemas, vendored for the mesh tests; compiled once per worker. */
let crds: CrdValidator | undefined;
const schemas = () => (crds ??= CrdValidator.fromDirectory());

/** SLO kinds read from the load generator: a region without traffic would leave them with no data. */
const CLIENT_SIDE = new Set(['availability', 'latency', 'throughput']);

test.describe('seed game days', () => {
  for (const { seed, topology, binding, gameDays } of SEED_SYSTEMS) {
    test.describe(`seed ${seed} (${topology.name})`, () => {
      test('has two or three game days, each with a guardrail and a failing-capable SLO on the fault window', () => {
        expect(gameDays.length).toBeGreaterThanOrEqual(2);
        expect(gameDays.length).toBeLessThanOrEqual(3);
        for (const s of gameDays) {
          expect(s.topology, s.name).toBe(topology.name);
          expect(s.guardrails.length, s.name).toBeGreaterThan(0);
          expect(s.slos.some((slo) => slo.window === 'during' && !slo.informational), s.name).toBe(true);
        }
      });

      for (const s of gameDays) {
        test(`${s.name}: passes core's validation against the topology`, () => {
          expect(validateScenario(s, topology).map((e) => e.message)).toEqual([]);
        });

        test(`${s.name}: every client-side SLO is on a region with traffic, every route on a request the load sends`, () => {
          for (const slo of s.slos) {
            if (!CLIENT_SIDE.has(slo.kind) || !('region' in slo)) continue;
            expect(Object.keys(s.load.regions), slo.name).toContain(slo.region);
            if ('route' in slo && slo.route === 'write') expect(s.load.writeRatio, slo.name).toBeGreaterThan(0);
            if ('route' in slo && slo.route === 'read') expect(s.load.writeRatio, slo.name).toBeLessThan(1);
          }
        });

        test(`${s.name}: renders for its binding, and every manifest is schema-valid, webhook-valid and inside the allowlist`, () => {
          const dry = renderScenarioDryRun(s, binding, topology, 'dry-run-1');
          const contexts = new Set(Object.values(binding.regions).map((r) => r.context));
          const resources = dry.clusters.flatMap((c) => c.resources);
          expect(resources.length).toBeGreaterThanOrEqual(s.faults.length);
          for (const c of dry.clusters) expect(contexts.has(c.context), c.context).toBe(true);
          for (const r of resources) {
            expect(schemas().validate(r), JSON.stringify(r)).toEqual([]);
            expect(webhookViolations(r), JSON.stringify(r)).toEqual([]);
            expect(namespacesOf(r).filter((ns) => !binding.allowedNamespaces.includes(ns)), r.metadata.name).toEqual([]);
          }
          expect(dry.yaml).toContain(`scenario "${s.name}"`);
        });
      }
    });
  }

  test('every game-day name is unique across the catalog, and the catalog lists every seed game day', () => {
    const names = catalog.map((s) => s.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const s of SEED_SYSTEMS.flatMap((seed) => seed.gameDays)) expect(names).toContain(s.name);
  });
});

test.describe('what the bindings turn the seed faults into', () => {
  const render = (s: Scenario, which: 'garage' | 'mesh') =>
    which === 'garage'
      ? renderScenarioDryRun(s, garagePlatformKubernetes, garagePlatform, 'r1').clusters
      : renderScenarioDryRun(s, multiCloudMeshKubernetes, multiCloudMesh, 'r1').clusters;
  const game = (name: string) => SEED_SYSTEMS.flatMap((s) => s.gameDays).find((s) => s.name === name)!;

  test('a primary↔secondary partition is cut from both clusters, each aiming at the other region’s VPC', () => {
    const clusters = render(game('garage-platform-standby-partition'), 'garage');
    expect(clusters.map((c) => c.context)).toEqual(['garage-staging-primary', 'garage-staging-secondary']);
    const [primary, secondary] = clusters.map((c) => c.resources[0]!.spec as Record<string, unknown>);
    expect(primary).toMatchObject({ action: 'partition', direction: 'both', externalTargets: ['10.30.0.0/16'], selector: { namespaces: ['garage-platform', 'garage-platform-data'] } });
    expect(secondary).toMatchObject({ action: 'partition', direction: 'both', externalTargets: ['10.20.0.0/16'] });
  });

  test('the booking-ledger CDC lag delays the ledger primary’s egress toward the secondary by exactly the injected amount', () => {
    const [cluster] = render(game('garage-platform-booking-ledger-cdc-lag'), 'garage');
    expect(cluster!.context).toBe('garage-staging-primary');
    expect(cluster!.resources[0]!.spec).toMatchObject({
      action: 'delay',
      direction: 'to',
      delay: { latency: '10s' },
      selector: { namespaces: ['garage-platform-data'], labelSelectors: { 'app.kubernetes.io/name': 'booking-ledger', 'faultline.dev/db-role': 'primary' } },
      externalTargets: ['10.30.0.0/16'],
    });
  });

  test('the Interconnect partition aims at the GKE node subnet and pod range, not just a VPC', () => {
    const clusters = render(game('multi-cloud-interconnect-partition'), 'mesh');
    const aws = clusters.find((c) => c.context === 'eks-primary')!.resources[0]!.spec as Record<string, unknown>;
    expect(aws).toMatchObject({ action: 'partition', externalTargets: ['10.80.0.0/20', '10.84.0.0/14'], selector: { namespaces: ['edge', 'auth', 'core', 'aux'] } });
  });

  test('API-gateway stress and core-services pod loss select the Istio `app` label in their own namespaces', () => {
    const [stress] = render(game('multi-cloud-api-gateway-cpu-stress'), 'mesh');
    expect(stress!.resources[0]).toMatchObject({ kind: 'StressChaos', spec: { selector: { namespaces: ['edge'], labelSelectors: { app: 'api-gateway' } }, stressors: { cpu: { workers: 2, load: 80 } } } });
    const [kill] = render(game('multi-cloud-core-services-pod-loss'), 'mesh');
    expect(kill!.resources[0]).toMatchObject({ kind: 'PodChaos', spec: { action: 'pod-kill', mode: 'fixed-percent', value: '30', selector: { namespaces: ['core'], labelSelectors: { app: 'core-services' } } } });
  });
});

test.describe('game days that cannot run are refused, not silently emptied', () => {
  test('a game day naming a service or store the topology lacks fails validation', () => {
    const problems = validateScenario(primaryPodLoss(garagePlatform, 'payroll'), garagePlatform).map((e) => e.message);
    expect(problems.some((m) => m.includes('unknown service "payroll"'))).toBe(true);
    expect(() => secondaryStoreLag(garagePlatform, 'ledger-of-everything', '5s')).toThrow(/unknown datastore "ledger-of-everything"/);
  });

  test('managed stores and caches have no pods: replicaLag and cacheLoss on them are refused with a hint', () => {
    const refused = (s: Scenario, binding = multiCloudMeshKubernetes, topology = multiCloudMesh) => {
      try {
        renderScenarioDryRun(s, binding, topology, 'r1');
      } catch (e) {
        expect(isFaultlineError(e)).toBe(true);
        return (e as Error).message;
      }
      throw new Error(`${s.name} rendered, but it should have been refused`);
    };
    const on = (t: string) => scenario('refused', t).load({ regions: { primary: { executor: 'constant-vus', vus: 1 } }, writeRatio: 0 });
    expect(refused(on('multi-cloud-mesh').inject({ kind: 'replicaLag', store: 'aurora', region: 'gcp-dr', by: '5s' }, { for: '30s' }).build())).toContain(
      'databases["aurora"].primary is not set',
    );
    expect(refused(on('multi-cloud-mesh').inject({ kind: 'cacheLoss', region: 'aws-primary' }, { for: '30s' }).build())).toContain('cache is not set');
    expect(
      refused(on('garage-platform').inject({ kind: 'replicaLag', store: 'document-storage', region: 'secondary', by: '5s' }, { for: '30s' }).build(), garagePlatformKubernetes, garagePlatform),
    ).toContain('databases["document-storage"].primary is not set');
  });
});

/** Every namespace a resource lives in or selects pods from. */
function namespacesOf(r: ChaosResource): string[] {
  const spec = r.spec as { selector?: { namespaces?: string[] }; target?: { selector?: { namespaces?: string[] } } };
  return [r.metadata.namespace, ...(spec.selector?.namespaces ?? []), ...(spec.target?.selector?.namespaces ?? [])];
}
