import { expect, test } from '@playwright/test';
import { chaosForFault, renderScenarioDryRun, webhookViolations, type ChaosPlacement, type ChaosResource, type KubernetesBinding } from '../../chaos/mesh/index.ts';
import { isFaultlineError, type FaultSpec } from '../../core/index.ts';
import { triRegionVaultGameDays } from '../../scenarios/tri-region-tgw/vault-game-days.ts';
import { binding, catalogueFaults, plan, topology, vendoredCrds } from './sim-fixture.ts';

// httpFault, dnsFault, timeSkew and ioLatency become HTTPChaos, DNSChaos, TimeChaos and IOChaos, secretStoreLoss
// PodChaos, that the official CRD schemas and the admission webhook's rules accept, aimed at the right cluster and pods.

const ctx = { binding, topology, runId: 'run-9', scenario: 'catalogue', ttlMs: 90_000 };

function only(placements: ChaosPlacement[]): ChaosPlacement {
  expect(placements).toHaveLength(1);
  const p = placements[0]!;
  expect(vendoredCrds().validate(p.resource as { apiVersion: string; kind: string }), JSON.stringify(p.resource)).toEqual([]);
  expect(webhookViolations(p.resource as ChaosResource), JSON.stringify(p.resource)).toEqual([]);
  return p;
}

const specOf = (p: ChaosPlacement) => p.resource.spec as Record<string, unknown>;

test.describe('Chaos Mesh manifests of the catalogue faults', () => {
  test('httpFault abort: HTTPChaos on the serving pods, response code replaced, only the calling region’s requests, share as pod share', () => {
    const p = only(chaosForFault(plan({ kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', share: 0.3, abort: 503 }), ctx));
    expect(p.resource.kind).toBe('HTTPChaos');
    expect(p.context).toBe('eks-jakarta');
    expect(specOf(p)).toMatchObject({
      target: 'Response',
      replace: { code: 503 },
      port: 8080,
      method: 'POST',
      path: '/items',
      request_headers: { 'x-faultline-origin-region': 'bdg' },
      mode: 'fixed-percent',
      value: '30',
      duration: '90s',
      selector: { namespaces: ['shop'], labelSelectors: { 'app.kubernetes.io/name': 'service-main' } },
    });
  });

  test('httpFault delay on every request: HTTPChaos target Request with the delay, mode all', () => {
    const p = only(chaosForFault(plan({ kind: 'httpFault', from: 'sby', service: 'service-main', region: 'jkt', share: 1, delay: '750ms' }), ctx));
    expect(specOf(p)).toMatchObject({ target: 'Request', delay: '750ms', mode: 'all' });
    expect(specOf(p).replace).toBeUndefined();
  });

  test('dnsFault: DNSChaos in the calling region’s cluster, failing only the served service’s names', () => {
    const p = only(chaosForFault(plan({ kind: 'dnsFault', from: 'sby', service: 'service-main', region: 'jkt', action: 'random' }), ctx));
    expect(p.resource.kind).toBe('DNSChaos');
    expect(p.context).toBe('eks-surabaya');
    expect(specOf(p)).toMatchObject({ action: 'random', patterns: ['api.jakarta.shop.internal'], mode: 'all' });
  });

  test('timeSkew: TimeChaos with a signed Go offset on the service container, selection mode kept', () => {
    const fwd = only(chaosForFault(plan({ kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '90s', mode: 'fixed', value: 1 }), ctx));
    expect(fwd.resource.kind).toBe('TimeChaos');
    expect(specOf(fwd)).toMatchObject({ timeOffset: '90s', containerNames: ['service'], mode: 'fixed', value: '1' });
    const back = only(chaosForFault(plan({ kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '2m', backwards: true, mode: 'all' }), ctx));
    expect(specOf(back).timeOffset).toBe('-120s');
  });

  test('ioLatency: IOChaos latency on the primary’s data volume in jkt, on the replica’s in bdg', () => {
    const primary = only(chaosForFault(plan({ kind: 'ioLatency', store: 'rds', region: 'jkt', delay: '20ms', percent: 40 }), ctx));
    expect(primary.resource.kind).toBe('IOChaos');
    expect(specOf(primary)).toMatchObject({ action: 'latency', delay: '20ms', percent: 40, volumePath: '/var/lib/postgresql/data', containerNames: ['postgres'] });
    expect(primary.selects[0]!.labels['faultline.dev/db-role']).toBe('primary');
    const replica = only(chaosForFault(plan({ kind: 'ioLatency', store: 'rds', region: 'bdg', delay: '20ms' }), ctx));
    expect(replica.selects[0]!.labels['faultline.dev/db-role']).toBe('replica');
  });

  test('secretStoreLoss: the leader is one pod-kill of the pod Vault labels active in jkt; a region loss is pod-failure of every Vault pod there', () => {
    const leader = only(chaosForFault(plan({ kind: 'secretStoreLoss', store: 'vault', region: 'jkt', scope: 'leader' }), ctx));
    expect(leader.resource.kind).toBe('PodChaos');
    expect(leader.context).toBe('eks-jakarta');
    expect(specOf(leader)).toMatchObject({
      action: 'pod-kill',
      mode: 'one',
      selector: { namespaces: ['vault'], labelSelectors: { 'app.kubernetes.io/name': 'vault', 'vault-active': 'true' } },
    });
    const region = only(chaosForFault(plan({ kind: 'secretStoreLoss', store: 'vault', region: 'bdg' }), ctx));
    expect(region.context).toBe('eks-bandung');
    expect(specOf(region)).toMatchObject({ action: 'pod-failure', mode: 'all', duration: '90s', selector: { namespaces: ['vault'], labelSelectors: { 'app.kubernetes.io/name': 'vault' } } });
    expect((specOf(region).selector as { labelSelectors: Record<string, string> }).labelSelectors['vault-active']).toBeUndefined();
  });

  test('the Vault game days render for the seed-003 binding: one PodChaos each, valid, in the vault namespace', () => {
    for (const s of triRegionVaultGameDays) {
      const resources = renderScenarioDryRun(s, binding, topology, 'dry-run-1').clusters.flatMap((c) => c.resources);
      expect(resources.map((r) => r.kind), s.name).toEqual(['PodChaos']);
      for (const r of resources) {
        expect(vendoredCrds().validate(r as { apiVersion: string; kind: string }), JSON.stringify(r)).toEqual([]);
        expect(webhookViolations(r as ChaosResource), JSON.stringify(r)).toEqual([]);
        expect((r.spec as { selector: { namespaces: string[] } }).selector.namespaces, s.name).toEqual(['vault']);
      }
    }
  });

  test('every catalogue fault of the RBAC workout is schema- and webhook-valid', () => {
    for (const p of catalogueFaults) only(chaosForFault(p, ctx));
  });

  test('bad input is refused with a coded error: a route nobody calls, an unknown service, a binding without the port', () => {
    const refusal = (spec: FaultSpec, b: KubernetesBinding = binding) => {
      try {
        chaosForFault(plan(spec), { ...ctx, binding: b });
      } catch (e) {
        expect(isFaultlineError(e)).toBe(true);
        return e as { code: string; message: string };
      }
      throw new Error('not refused');
    };
    expect(refusal({ kind: 'httpFault', from: 'jkt', service: 'service-main', region: 'bdg', share: 1, abort: 503 })).toMatchObject({ code: 'FAULTLINE_UNKNOWN_NAME', message: expect.stringContaining('no service serves the route') });
    expect(refusal({ kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', path: '/orders', share: 1, abort: 503 }).code).toBe('FAULTLINE_UNKNOWN_NAME');
    expect(refusal({ kind: 'dnsFault', from: 'bdg', service: 'billing', region: 'jkt' }).code).toBe('FAULTLINE_UNKNOWN_NAME');
    const noPort: KubernetesBinding = {
      ...binding,
      regions: { ...binding.regions, jkt: { ...binding.regions.jkt!, services: { ...binding.regions.jkt!.services, 'service-main': { namespace: 'shop', labels: { app: 'x' } } } } },
    };
    expect(refusal({ kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', share: 1, delay: '1s' }, noPort).message).toContain('httpPort');
  });
});
