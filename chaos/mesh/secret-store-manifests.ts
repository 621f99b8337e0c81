import { requireSecretStore, validateSecretStoreFault, type SecretStoreLossSpec } from '../../core/index.ts';
import type { ObjectMeta } from './chaos-resource.ts';
import { bindingGap, place, requireWorkload, selects, type ChaosPlacement, type FaultContext } from './fault-manifests.ts';
import { requireRegionCluster, workloadSelector } from './kubernetes-binding.ts';
import { podChaos } from './pod-chaos.ts';

/**
 * A secret store's loss as PodChaos on its pods in the region's cluster:
 * - the leader: `pod-kill` of the one pod carrying the binding's `leaderLabels` (the Vault Helm chart's service
 *   registration labels the active pod `vault-active: "true"`); its StatefulSet restarts it, auto-unseal unseals it;
 * - a region's nodes: `pod-failure` of every pod of the store there for the fault's duration (TTL).
 */
export function secretStoreChaos(spec: SecretStoreLossSpec, ctx: FaultContext, meta: (region: string, namespace: string) => ObjectMeta): ChaosPlacement[] {
  validateSecretStoreFault(spec, ctx.topology);
  const store = requireSecretStore(ctx.topology, spec.store);
  const cluster = requireRegionCluster(ctx.binding, spec.region);
  const field = `secretStores["${store.name}"]`;
  const pods = cluster.secretStores?.[store.name];
  const w = requireWorkload(pods, `the ${store.name} pods`, spec.region, field);
  if ((spec.scope ?? 'region') === 'leader') {
    const leaderLabels = pods?.leaderLabels;
    if (!leaderLabels || Object.keys(leaderLabels).length === 0) {
      throw bindingGap(`${field}.leaderLabels is not set, so the active node cannot be told from the standbys`, spec.region);
    }
    const leader = { ...w, labels: { ...w.labels, ...leaderLabels } };
    const resource = podChaos(meta(spec.region, w.namespace), {
      action: 'pod-kill',
      target: { selector: workloadSelector(leader), selection: { mode: 'one' } },
      duration: ctx.ttlMs,
    });
    return [place(spec.region, cluster, resource, [selects(`${store.name} leader in ${spec.region}`, leader)])];
  }
  const resource = podChaos(meta(spec.region, w.namespace), {
    action: 'pod-failure',
    target: { selector: workloadSelector(w), selection: { mode: 'all' } },
    duration: ctx.ttlMs,
  });
  return [place(spec.region, cluster, resource, [selects(`${store.name} nodes in ${spec.region}`, w)])];
}
