import type { KubeConfig } from '@kubernetes/client-node';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { MeshDriver, type KubeObject, type KubernetesBinding, type MeshDriverOptions } from '../../chaos/mesh/index.ts';
import { defaultFaultName, isFaultlineError, type FaultlineError, type FaultPlan, type FaultSpec } from '../../core/index.ts';
import { triRegionTgwKubernetes } from '../../targets/tri-region-tgw/kubernetes.ts';
import { triRegionTgw } from '../../targets/tri-region-tgw/topology.ts';
import { expect, type LoopbackKube } from '../support/loopback-kube.ts';

export const binding: KubernetesBinding = triRegionTgwKubernetes;
export const topology = triRegionTgw;
export const CONTEXTS = Object.values(binding.regions).map((r) => r.context);
export const JKT = binding.regions.jkt!.context;
export const BDG = binding.regions.bdg!.context;
export const SBY = binding.regions.sby!.context;

/** The driver as a user runs it against the loopback clusters: the faultline ServiceAccount's kubeconfig. */
export function driverOn(kube: LoopbackKube, options: Partial<MeshDriverOptions> = {}): MeshDriver {
  return new MeshDriver({ binding, topology, kubeConfig: kube.faultline(), injectTimeout: '30s', revertTimeout: '30s', watchTimeout: '10s', ...options });
}

export function plan(spec: FaultSpec, duration = '60s', name?: string): FaultPlan {
  return { name: name ?? defaultFaultName(spec), spec, at: '0s', duration };
}

export const seedFaults = {
  podKill: plan({ kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'fixed-percent', value: 50 }, '60s', 'kill-half-jkt-main'),
  partition: plan({ kind: 'partition', regions: ['jkt', 'bdg'] }, '60s', 'partition-jkt-bdg'),
  replicaLag: plan({ kind: 'replicaLag', store: 'rds', region: 'bdg', by: '5s' }, '60s', 'replica-lag-rds-bdg'),
};

/** The catalogue's fault kinds (HTTPChaos, DNSChaos, TimeChaos, IOChaos), one each. */
export const catalogueFaults = [
  plan({ kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', share: 0.5, abort: 503 }, '60s', 'abort-bdg-writes'),
  plan({ kind: 'dnsFault', from: 'sby', service: 'service-main', region: 'jkt' }, '60s', 'dns-sby-jkt'),
  plan({ kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '90s', mode: 'all' }, '60s', 'skew-bdg-main'),
  plan({ kind: 'ioLatency', store: 'rds', region: 'jkt', delay: '50ms', percent: 50 }, '60s', 'slow-jkt-disk'),
];

/** The FaultlineError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<FaultlineError> {
  try {
    await p;
  } catch (e) {
    expect(isFaultlineError(e), String(e)).toBe(true);
    return e as FaultlineError;
  }
  throw new Error('expected a FaultlineError, but it succeeded');
}

const CHAOS_PLURALS = ['podchaos', 'networkchaos', 'stresschaos', 'iochaos', 'dnschaos', 'httpchaos', 'timechaos'];

/**
 * Every chaos object in a cluster, as `<plural> <namespace>/<name>`, read by an administrator. An API server that was
 * just restarted answers 429 while its storage (re)initializes: the read is retried then, as any client would, for up
 * to 30 s, so a test's own check never fails on what the driver under test is built to ride out.
 */
export async function chaosObjects(kc: KubeConfig): Promise<string[]> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const out: string[] = [];
      for (const plural of CHAOS_PLURALS) {
        const list = (await custom.listClusterCustomObject({ group: 'chaos-mesh.org', version: 'v1alpha1', plural })) as { items: KubeObject[] };
        for (const o of list.items) out.push(`${plural} ${o.metadata.namespace}/${o.metadata.name}`);
      }
      return out.sort();
    } catch (e) {
      if ((e as { code?: number }).code !== 429 || Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** Leaves every cluster without chaos objects, as the shared fixture requires; fails loudly if one will not go. */
export async function expectNoChaosLeft(kube: LoopbackKube): Promise<void> {
  for (const c of CONTEXTS) {
    await expect.poll(() => chaosObjects(kube.admin(c)), { timeout: 60_000, message: `no chaos object left in ${c}` }).toEqual([]);
  }
}
