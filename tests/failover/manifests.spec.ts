import { expect, test } from '@playwright/test';
import { renderScenarioDryRun, webhookViolations, type ChaosResource, type WorkflowSpec } from '../../chaos/mesh/index.ts';
import { isFaultlineError, scenario } from '../../core/index.ts';
import { CrdValidator } from '../support/kube-sim/index.ts';
import { catalog } from '../../scenarios/index.ts';
import { garageInventoryFailoverDays, garagePlatformFailoverDays, garageWorkshopFailoverDays, platformLaggingReplicaFailover } from '../../scenarios/garage/index.ts';
import { requireTopology } from '../../targets/index.ts';

/*
 * regionLoss and storeLoss as Chaos Mesh manifests, checked against the official CRD schemas (vendored in
 * tests/fixtures/crds, Workflow included) and the admission webhook's own rules, for every failover game day.
 */

let crds: CrdValidator | undefined;
const schemas = () => (crds ??= CrdValidator.fromDirectory());

const failoverDays = [...garagePlatformFailoverDays, ...garageWorkshopFailoverDays, ...garageInventoryFailoverDays, platformLaggingReplicaFailover];

for (const s of failoverDays) {
  test(`${s.name}: every manifest of its dry run is schema-valid, webhook-valid and inside the allowlist`, () => {
    const { topology, kubernetes } = requireTopology(s.topology);
    const dry = renderScenarioDryRun(s, kubernetes!, topology, 'dry-run-1');
    const resources = dry.clusters.flatMap((c) => c.resources);
    expect(resources.length).toBeGreaterThanOrEqual(s.faults.length);
    for (const r of resources) {
      expect(schemas().validate(r), JSON.stringify(r)).toEqual([]);
      for (const step of stepsOf(r)) expect(webhookViolations(step), JSON.stringify(step)).toEqual([]);
      for (const ns of namespacesOf(r)) expect(kubernetes!.allowedNamespaces).toContain(ns);
    }
  });
}

test('a region loss is one Workflow in the lost region’s cluster: every pod failed and its network cut from the other region’s CIDRs, both ways', () => {
  const s = catalog.find((x) => x.name === 'garage-platform-primary-region-failover')!;
  const { topology, kubernetes } = requireTopology(s.topology);
  const [cluster, ...others] = renderScenarioDryRun(s, kubernetes!, topology, 'r1').clusters;
  expect(others).toEqual([]);
  expect(cluster!.context).toBe('garage-staging-primary');
  const [wf] = cluster!.resources as ChaosResource<WorkflowSpec>[];
  expect(wf!.kind).toBe('Workflow');
  const [entry, pods, network] = wf!.spec.templates;
  expect(entry).toMatchObject({ templateType: 'Parallel', children: ['pods-failed', 'network-cut'] });
  expect(pods).toMatchObject({ templateType: 'PodChaos', podChaos: { action: 'pod-failure', mode: 'all', selector: { namespaces: ['garage-platform', 'garage-platform-data'] } } });
  expect(network).toMatchObject({ templateType: 'NetworkChaos', networkChaos: { action: 'partition', direction: 'both', externalTargets: ['10.30.0.0/16'] } });
  // One TTL for the whole loss: every step is bounded by the same deadline, the fault's duration plus grace.
  expect(new Set(wf!.spec.templates.map((t) => t.deadline))).toEqual(new Set(['60s']));
});

test('a store loss fails the store’s primary pods only', () => {
  const s = scenario('store-loss', 'garage-platform')
    .load({ regions: { primary: { executor: 'constant-arrival-rate', rate: 5 } }, writeRatio: 0.2 })
    .inject({ kind: 'storeLoss', store: 'booking-ledger' }, { for: '30s' })
    .expect({ name: 'a', kind: 'availability', region: 'primary', window: 'during', objective: 0.9 })
    .build();
  const { topology, kubernetes } = requireTopology(s.topology);
  const [r] = renderScenarioDryRun(s, kubernetes!, topology, 'r1').clusters.flatMap((c) => c.resources);
  expect(r).toMatchObject({ kind: 'PodChaos', spec: { action: 'pod-failure', selector: { namespaces: ['garage-platform-data'], labelSelectors: { 'app.kubernetes.io/name': 'booking-ledger', 'faultline.dev/db-role': 'primary' } } } });
  expect(schemas().validate(r!)).toEqual([]);
});

test('the schema check can fail: a Workflow step with an unknown template type is refused', () => {
  const s = catalog.find((x) => x.name === 'garage-platform-primary-region-failover')!;
  const { topology, kubernetes } = requireTopology(s.topology);
  const wf = structuredClone(renderScenarioDryRun(s, kubernetes!, topology, 'r1').clusters[0]!.resources[0]!) as ChaosResource<WorkflowSpec>;
  delete (wf.spec as Partial<WorkflowSpec>).entry;
  expect(schemas().validate(wf).join('\n')).toMatch(/entry/);
});

test('a region sharing its cluster with another cannot be cut off by CIDR: refused with a hint', () => {
  const { topology, kubernetes } = requireTopology('garage-platform');
  const shared = { ...kubernetes!, regions: { ...kubernetes!.regions, secondary: { ...kubernetes!.regions.secondary!, context: kubernetes!.regions.primary!.context } } };
  const s = catalog.find((x) => x.name === 'garage-platform-primary-region-failover')!;
  try {
    renderScenarioDryRun(s, shared, topology, 'r1');
    throw new Error('rendered');
  } catch (e) {
    expect(isFaultlineError(e) && e.message).toMatch(/shares its cluster/);
  }
});

/** The chaos specs a resource carries: itself, or each step of a Workflow, as the webhook sees them one by one. */
function stepsOf(r: ChaosResource): { kind: string; spec: unknown }[] {
  if (r.kind !== 'Workflow') return [r];
  return (r.spec as unknown as WorkflowSpec).templates.flatMap((t): { kind: string; spec: unknown }[] =>
    t.podChaos ? [{ kind: 'PodChaos', spec: t.podChaos }] : t.networkChaos ? [{ kind: 'NetworkChaos', spec: t.networkChaos }] : [],
  );
}

function namespacesOf(r: ChaosResource): string[] {
  const specs = stepsOf(r).map((s) => s.spec as { selector?: { namespaces?: string[] } });
  return [r.metadata.namespace, ...specs.flatMap((s) => s.selector?.namespaces ?? [])];
}
