import { KubeConfig } from '@kubernetes/client-node';
import { expect } from '@playwright/test';
import { MeshDriver, type KubernetesBinding, type MeshDriverOptions } from '../../chaos/mesh/index.ts';
import { defaultFaultName, isFaultlineError, type FaultlineError, type FaultPlan, type FaultSpec } from '../../core/index.ts';
import { CrdValidator, KubeSim, type KubeSimOptions } from '../support/kube-sim/index.ts';
import { triRegionTgwKubernetes } from '../../targets/tri-region-tgw/kubernetes.ts';
import { triRegionTgw } from '../../targets/tri-region-tgw/topology.ts';

export const binding: KubernetesBinding = triRegionTgwKubernetes;
export const topology = triRegionTgw;
export const CONTEXTS = Object.values(binding.regions).map((r) => r.context);
export const JKT = binding.regions.jkt!.context;
export const BDG = binding.regions.bdg!.context;
export const SBY = binding.regions.sby!.context;
/** A credential that must never show up in any error or output. */
export const SECRET_TOKEN = 'tok-7f3e9c1d55aa4b0e9d1f2c3b4a5e6f70';

/** Compiled once per worker: the CRD schemas are large. */
let crds: CrdValidator | undefined;
export function vendoredCrds(): CrdValidator {
  return (crds ??= CrdValidator.fromDirectory());
}

/** A simulator serving the seed-003 binding's three contexts, with the pods each selector expects. */
export async function startSeedSim(options: Partial<KubeSimOptions> = {}): Promise<KubeSim> {
  const sim = await KubeSim.start({ clusters: CONTEXTS, token: SECRET_TOKEN, crds: vendoredCrds(), ...options });
  for (const [region, cluster] of Object.entries(binding.regions)) {
    const partOf = { 'app.kubernetes.io/part-of': 'tri-region' };
    sim.seedPods(cluster.context, 'shop', [
      ...[1, 2, 3, 4].map((i) => ({ name: `service-main-${i}`, labels: { ...partOf, 'app.kubernetes.io/name': 'service-main' }, containers: ['service', 'vault-agent'] })),
      ...[1, 2].map((i) => ({ name: `service-backup-${i}`, labels: { ...partOf, 'app.kubernetes.io/name': 'service-backup' }, containers: ['service'] })),
    ]);
    const role = region === 'jkt' ? 'primary' : 'replica';
    sim.seedPods(cluster.context, 'shop-data', [
      { name: 'redis-0', labels: { ...partOf, 'app.kubernetes.io/name': 'redis' } },
      { name: `postgres-${role}-0`, labels: { ...partOf, 'app.kubernetes.io/name': 'postgres', 'faultline.dev/db-role': role } },
    ]);
  }
  return sim;
}

export function kubeConfigFor(sim: KubeSim, token = SECRET_TOKEN): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions(sim.kubeConfigOptions(token));
  return kc;
}

export function driverFor(sim: KubeSim, options: Partial<MeshDriverOptions> = {}): MeshDriver {
  return new MeshDriver({ binding, topology, kubeConfig: kubeConfigFor(sim), injectTimeout: '10s', revertTimeout: '10s', watchTimeout: '5s', ...options });
}

export function plan(spec: FaultSpec, duration = '60s', name?: string): FaultPlan {
  return { name: name ?? defaultFaultName(spec), spec, at: '0s', duration };
}

/** The three seed-003 faults the issue names, as plans. */
export const seedFaults = {
  podKill: plan({ kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'fixed-percent', value: 50 }, '60s', 'kill-half-jkt-main'),
  partition: plan({ kind: 'partition', regions: ['jkt', 'bdg'] }, '60s', 'partition-jkt-bdg'),
  replicaLag: plan({ kind: 'replicaLag', store: 'rds', region: 'bdg', by: '5s' }, '60s', 'replica-lag-rds-bdg'),
};

/** The HTTP, DNS, clock and disk faults: HTTPChaos, DNSChaos, TimeChaos and IOChaos. */
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
