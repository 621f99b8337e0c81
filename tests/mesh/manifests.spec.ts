import { expect, test } from '@playwright/test';
import {
  chaosForFault,
  dnsChaos,
  faultlineLabels,
  httpChaos,
  ioLatencyChaos,
  networkChaos,
  podChaos,
  resourceName,
  stressChaos,
  timeChaos,
  webhookViolations,
  type ChaosPlacement,
  type ChaosResource,
  type KubernetesBinding,
  type ObjectMeta,
} from '../../chaos/mesh/index.ts';
import { isFaultlineError, type FaultPlan, type SelectionMode } from '../../core/index.ts';
import { binding, plan, seedFaults, topology, vendoredCrds } from './sim-fixture.ts';

const ctx = { binding, topology, runId: 'run-42', scenario: 'TGW partition jkt↔bdg', ttlMs: 90_000 };

function expectValid(resource: object): void {
  expect(vendoredCrds().validate(resource as { apiVersion: string; kind: string }), JSON.stringify(resource)).toEqual([]);
  expect(webhookViolations(resource as ChaosResource), JSON.stringify(resource)).toEqual([]);
}

function only(placements: ChaosPlacement[]): ChaosPlacement {
  expect(placements).toHaveLength(1);
  return placements[0]!;
}

/** One cluster for every region: what a single-cluster staging setup looks like. */
const oneCluster: KubernetesBinding = {
  ...binding,
  regions: Object.fromEntries(
    Object.entries(binding.regions).map(([r, c]) => [r, { ...c, context: 'staging', network: { namespaces: [`shop-${r}`], labels: { 'app.kubernetes.io/part-of': 'tri-region' } } }]),
  ),
  allowedNamespaces: ['shop', 'shop-data', 'shop-jkt', 'shop-bdg', 'shop-sby'],
};

test.describe('Chaos Mesh manifests', () => {
  test('pod faults: every selection mode becomes a schema- and webhook-valid PodChaos with value as a string', () => {
    const modes: SelectionMode[] = [
      { mode: 'one' },
      { mode: 'all' },
      { mode: 'fixed', value: 2 },
      { mode: 'fixed-percent', value: 50 },
      { mode: 'random-max-percent', value: 30 },
    ];
    for (const kind of ['podKill', 'podFailure', 'containerKill'] as const) {
      for (const m of modes) {
        const p = only(chaosForFault(plan({ kind, service: 'service-main', region: 'jkt', ...m }), ctx));
        expectValid(p.resource);
        const spec = p.resource.spec as Record<string, unknown>;
        expect(p.resource.kind).toBe('PodChaos');
        expect(p.context).toBe('eks-jakarta');
        expect(spec.action).toBe({ podKill: 'pod-kill', podFailure: 'pod-failure', containerKill: 'container-kill' }[kind]);
        expect(spec.mode).toBe(m.mode);
        expect(spec.value).toBe('value' in m ? String(m.value) : undefined);
        expect(spec.selector).toEqual({ namespaces: ['shop'], labelSelectors: { 'app.kubernetes.io/name': 'service-main' } });
        expect(spec.duration).toBe('90s');
        expect(spec.containerNames).toEqual(kind === 'containerKill' ? ['service'] : undefined);
      }
    }
    const named = only(chaosForFault(plan({ kind: 'containerKill', service: 'service-main', region: 'bdg', container: 'vault-agent', mode: 'one' }), ctx));
    expect((named.resource.spec as { containerNames: string[] }).containerNames).toEqual(['vault-agent']);
  });

  test('partition across clusters: NetworkChaos partition, direction both, the other region’s VPC CIDRs, mirrored', () => {
    const placements = chaosForFault(seedFaults.partition, ctx);
    expect(placements.map((p) => [p.region, p.context])).toEqual([
      ['jkt', 'eks-jakarta'],
      ['bdg', 'eks-bandung'],
    ]);
    for (const p of placements) expectValid(p.resource);
    const [jkt, bdg] = placements.map((p) => p.resource.spec as Record<string, unknown>);
    for (const spec of [jkt!, bdg!]) {
      expect(spec).toMatchObject({ action: 'partition', direction: 'both', mode: 'all' });
      expect(spec.target).toBeUndefined();
      expect(spec.selector).toEqual({ namespaces: ['shop', 'shop-data'], labelSelectors: { 'app.kubernetes.io/part-of': 'tri-region' } });
    }
    expect(jkt!.externalTargets).toEqual(['10.5.0.0/16']);
    expect(bdg!.externalTargets).toEqual(['10.4.0.0/16']);
  });

  test('partition and latency inside one cluster use a target selector across namespaces instead', () => {
    const p = only(chaosForFault(seedFaults.partition, { ...ctx, binding: oneCluster }));
    expectValid(p.resource);
    expect(p.resource.spec).toMatchObject({
      action: 'partition',
      direction: 'both',
      selector: { namespaces: ['shop-jkt'] },
      target: { mode: 'all', selector: { namespaces: ['shop-bdg'] } },
    });
    expect((p.resource.spec as Record<string, unknown>).externalTargets).toBeUndefined();
    expect(p.selects.map((s) => s.namespace)).toEqual(['shop-jkt', 'shop-bdg']);

    const l = only(chaosForFault(plan({ kind: 'latency', regions: ['sby', 'jkt'], latency: '150ms', jitter: '20ms' }), { ...ctx, binding: oneCluster }));
    expectValid(l.resource);
    expect(l.resource.spec).toMatchObject({ action: 'delay', direction: 'to', delay: { latency: '150ms', jitter: '20ms' }, target: { selector: { namespaces: ['shop-jkt'] } } });
  });

  test('latency across clusters: one NetworkChaos delay toward the peer’s CIDRs, so each round trip gains it once', () => {
    const p = only(chaosForFault(plan({ kind: 'latency', regions: ['jkt', 'sby'], latency: '200ms' }), ctx));
    expectValid(p.resource);
    expect(p.context).toBe('eks-jakarta');
    expect(p.resource.spec).toMatchObject({ action: 'delay', direction: 'to', delay: { latency: '200ms' }, externalTargets: ['10.2.0.0/16'] });
  });

  test('replica lag: NetworkChaos delay from the primary’s database pods toward the replica', () => {
    const cross = only(chaosForFault(seedFaults.replicaLag, ctx));
    expectValid(cross.resource);
    expect(cross.context).toBe('eks-jakarta');
    expect(cross.resource.spec).toMatchObject({
      action: 'delay',
      direction: 'to',
      delay: { latency: '5s' },
      selector: { namespaces: ['shop-data'], labelSelectors: { 'app.kubernetes.io/name': 'postgres', 'faultline.dev/db-role': 'primary' } },
      externalTargets: ['10.5.0.0/16'],
    });
    const same = only(chaosForFault(seedFaults.replicaLag, { ...ctx, binding: oneCluster }));
    expectValid(same.resource);
    expect(same.resource.spec).toMatchObject({ target: { mode: 'all', selector: { labelSelectors: { 'faultline.dev/db-role': 'replica' } } } });
  });

  test('stress and cache loss', () => {
    const s = only(chaosForFault(plan({ kind: 'stress', service: 'service-main', region: 'sby', cpuWorkers: 2, load: 80 }), ctx));
    expectValid(s.resource);
    expect(s.resource).toMatchObject({ kind: 'StressChaos', spec: { mode: 'all', stressors: { cpu: { workers: 2, load: 80 } } } });
    const c = only(chaosForFault(plan({ kind: 'cacheLoss', region: 'bdg' }), ctx));
    expectValid(c.resource);
    expect(c.resource).toMatchObject({ kind: 'PodChaos', spec: { action: 'pod-kill', mode: 'all', selector: { namespaces: ['shop-data'], labelSelectors: { 'app.kubernetes.io/name': 'redis' } } } });
  });

  test('typed builders for IOChaos, DNSChaos, HTTPChaos, TimeChaos and more produce valid resources', () => {
    const meta: ObjectMeta = { name: 'x', namespace: 'shop-data', labels: faultlineLabels({ runId: 'r', scenario: 's', fault: 'f', region: 'jkt' }) };
    const target = { selector: { namespaces: ['shop-data'], labelSelectors: { 'app.kubernetes.io/name': 'postgres' } }, selection: { mode: 'one' as const } };
    const built = [
      ioLatencyChaos(meta, { target, duration: '2m', volumePath: '/var/lib/postgresql/data', delay: '100ms', percent: 50, methods: ['write', 'fsync'], containerNames: ['postgres'] }),
      dnsChaos(meta, { target, duration: '1m', action: 'error', patterns: ['*.rds.amazonaws.com'] }),
      httpChaos(meta, { target, duration: '1m', phase: 'Response', port: 8080, path: '/items/*', method: 'GET', replaceCode: 503 }),
      httpChaos(meta, { target, duration: '1m', phase: 'Request', port: 8080, delay: '1500ms' }),
      timeChaos(meta, { target, duration: '1m', offset: '1h30m', backwards: true, clockIds: ['CLOCK_REALTIME'] }),
      stressChaos(meta, { target, duration: '1m', memory: { workers: 1, size: '256MB' } }),
      networkChaos(meta, { action: 'loss', loss: 25, correlation: 10, target, duration: '1m', externalTargets: ['10.2.0.0/16'] }),
      podChaos(meta, { action: 'pod-kill', target, duration: '1m', gracePeriod: 0 }),
    ];
    for (const r of built) expectValid(r);
    expect(built.map((r) => r.kind)).toEqual(['IOChaos', 'DNSChaos', 'HTTPChaos', 'HTTPChaos', 'TimeChaos', 'StressChaos', 'NetworkChaos', 'PodChaos']);
    expect((built[4]!.spec as { timeOffset: string }).timeOffset).toBe('-5400s');
    expect((built[3]!.spec as { delay: string }).delay).toBe('1500ms');
  });

  test('names are deterministic DNS-1123 labels; every resource carries the faultline labels and the TTL', () => {
    const a = chaosForFault(seedFaults.partition, ctx);
    const b = chaosForFault(seedFaults.partition, ctx);
    expect(a.map((p) => p.resource.metadata.name)).toEqual(b.map((p) => p.resource.metadata.name));
    expect(a.map((p) => p.resource.metadata.name)).toEqual(['run-42-partition-jkt-bdg-jkt', 'run-42-partition-jkt-bdg-bdg']);
    for (const p of a) {
      expect(p.resource.metadata.labels).toEqual({
        'app.kubernetes.io/managed-by': 'faultline',
        'faultline.dev/run-id': 'run-42',
        'faultline.dev/scenario': 'TGW-partition-jkt-bdg',
        'faultline.dev/fault': 'partition-jkt-bdg',
        'faultline.dev/region': p.region,
      });
      expect(p.resource.metadata.annotations?.['faultline.dev/scenario-name']).toBe('TGW partition jkt↔bdg');
      expect((p.resource.spec as { duration: string }).duration).toBe('90s');
    }
    const long = resourceName('2026-11-21T02:41:58Z_nightly', 'a very long fault name that goes on and on and on past sixty-three', 'sby');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(resourceName('2026-11-21T02:41:58Z_nightly', 'a very long fault name that goes on and on and on past sixty-three', 'sby')).toBe(long);
    // Cleaning must never make two different faults collide.
    expect(resourceName('r', 'Kill_Main', 'jkt')).not.toBe(resourceName('r', 'kill-main', 'jkt'));
    expect(resourceName('r', 'kill-main', 'jkt')).toBe('r-kill-main-jkt');
  });

  test('faults the binding cannot place are refused with what to fill in', () => {
    const refused = (p: FaultPlan, b: KubernetesBinding = binding) => {
      try {
        chaosForFault(p, { ...ctx, binding: b });
      } catch (e) {
        expect(isFaultlineError(e)).toBe(true);
        return e as { code: string; message: string };
      }
      throw new Error('expected a refusal');
    };
    const { sby: _gone, ...twoRegions } = binding.regions;
    expect(refused(plan({ kind: 'cacheLoss', region: 'sby' }), { ...binding, regions: twoRegions })).toMatchObject({ code: 'FAULTLINE_UNKNOWN_NAME', message: expect.stringContaining('region "sby" has no cluster') });
    const noContainer: KubernetesBinding = { ...binding, regions: { ...binding.regions, jkt: { ...binding.regions.jkt!, services: { 'service-main': { namespace: 'shop', labels: { a: 'b' } } } } } };
    expect(refused(plan({ kind: 'containerKill', service: 'service-main', region: 'jkt', mode: 'one' }), noContainer).code).toBe('FAULTLINE_BAD_INPUT');
    expect(refused(plan({ kind: 'replicaLag', store: 'rds', region: 'jkt', by: '5s' })).message).toContain('has no replica in region "jkt"');
    expect(refused(plan({ kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'one' }), { ...binding, topology: 'other' }).code).toBe('FAULTLINE_BAD_INPUT');
    const rds: KubernetesBinding = { ...binding, regions: { ...binding.regions, bdg: { ...binding.regions.bdg!, databases: {} } } };
    expect(refused(seedFaults.replicaLag, rds).message).toContain('databases["rds"].replica is not set');
  });
});

test.describe('the validators reject bad manifests', () => {
  const meta = { name: 'bad', namespace: 'shop', labels: {} };
  const selector = { namespaces: ['shop'], labelSelectors: { app: 'x' } };
  const pod = (spec: Record<string, unknown>) => ({ apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'PodChaos', metadata: meta, spec: { action: 'pod-kill', mode: 'one', selector, duration: '30s', ...spec } });
  const net = (spec: Record<string, unknown>) => ({ apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'NetworkChaos', metadata: meta, spec: { action: 'delay', mode: 'all', selector, duration: '30s', delay: { latency: '100ms' }, ...spec } });

  test('the CRD schema: wrong types, unknown fields, enums, required fields', () => {
    const schema = (o: object) => vendoredCrds().validate(o as { apiVersion: string; kind: string }).join('\n');
    expect(schema(pod({ mode: 'fixed', value: 2 }))).toContain('spec.value: must be string');
    expect(schema(pod({ actoin: 'pod-kill' }))).toContain('unknown field "actoin"');
    expect(schema(pod({ action: 'pod-explode' }))).toContain('spec.action: must be equal to one of the allowed values');
    expect(schema(pod({ selector: undefined }))).toContain("must have required property 'selector'");
    expect(schema(net({ direction: 'sideways' }))).toContain('spec.direction');
    expect(schema(net({ delay: { latency: '100 ms' } }))).toContain('spec.delay.latency: must match pattern');
    expect(schema({ apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'IOChaos', metadata: meta, spec: { action: 'latency', mode: 'one', selector, delay: '1s' } })).toContain("must have required property 'volumePath'");
    expect(schema({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: meta, spec: { parallelism: '2', script: { configMap: { name: 'a', file: 'b.ts' } } } })).toContain('spec.parallelism: must be integer');
    // …and the same validators accept the corrected manifests, so these failures are about the defects alone.
    expect(schema(pod({ mode: 'fixed', value: '2' }))).toBe('');
    expect(schema(net({}))).toBe('');
  });

  test('the admission-webhook rules', () => {
    const denied = (o: { kind: string; spec: unknown }) => webhookViolations(o).join('\n');
    expect(denied(pod({ action: 'pod-failure', duration: undefined }))).toContain('pod-failure needs a duration');
    expect(denied(pod({ action: 'container-kill' }))).toContain('the name of container is empty');
    expect(denied(pod({ mode: 'fixed' }))).toContain('mode fixed needs value');
    expect(denied(pod({ mode: 'fixed', value: '0' }))).toContain('must be greater than 0');
    expect(denied(pod({ mode: 'fixed-percent', value: '150' }))).toContain('Must be (0,100]');
    expect(denied(pod({ mode: 'random-max-percent', value: 'half' }))).toContain('needs value as a whole number');
    expect(denied(pod({ duration: '30 seconds' }))).toContain('spec.duration');
    expect(denied(net({ direction: 'both' }))).toContain('need a target');
    expect(denied(net({ direction: 'from', externalTargets: ['10.5.0.0/16'], target: { mode: 'all', selector } }))).toContain('external targets cannot be used');
    expect(denied(net({ action: 'partition', delay: undefined, direction: 'both' }))).toContain('target and external targets are both empty');
    expect(denied(net({ target: { mode: 'fixed-percent', value: '0', selector } }))).toContain('spec.target.value');
    expect(denied({ kind: 'IOChaos', spec: { action: 'latency', mode: 'one', selector, delay: '1s' } })).toContain('volumePath');
    expect(denied({ kind: 'StressChaos', spec: { mode: 'one', selector } })).toContain('missing stressors');
    expect(denied({ kind: 'TimeChaos', spec: { mode: 'one', selector, timeOffset: 'yesterday' } })).toContain('timeOffset');
    // The rule-satisfying variants pass: the checks above fail for the reason named, not by accident.
    expect(denied(pod({ action: 'pod-failure' }))).toBe('');
    expect(denied(pod({ action: 'container-kill', containerNames: ['service'] }))).toBe('');
    expect(denied(net({ action: 'partition', delay: undefined, direction: 'both', externalTargets: ['10.5.0.0/16'] }))).toBe('');
    expect(denied(net({ direction: 'both', target: { mode: 'all', selector } }))).toBe('');
  });
});
