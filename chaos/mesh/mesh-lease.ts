import { leaseHolder, targetBusy, type LeaseHolder, type LeaseRequest, type TargetLease } from '../../core/index.ts';
import { isRecovered } from './chaos-status.ts';
import type { KubeClients } from './kube-clients.ts';
import type { KubernetesBinding } from './kubernetes-binding.ts';
import { labelValue } from './names.ts';
import { listFaultlineChaos } from './sweep.ts';

/**
 * One experiment at a time on the clusters: another run's faultline-labelled chaos resources still in force in the
 * allowlisted namespaces mean those clusters are busy. This reads what is there and writes nothing (no new RBAC): it
 * refuses a second run once the first has injected, not while the first is still in its baseline, and it is released
 * by itself when the first run's resources end (reverted, or their Chaos Mesh duration passed).
 */
export async function takeMeshLease(binding: KubernetesBinding, clients: KubeClients, request: LeaseRequest): Promise<TargetLease> {
  const mine = labelValue(request.runId);
  const inForce = (await listFaultlineChaos(binding, clients, undefined, 'FAULTLINE_KUBE_UNREACHABLE')).filter((c) => c.runId !== mine && !isRecovered(c.object));
  const others = new Map<string, LeaseHolder>();
  for (const c of inForce) {
    const runId = c.runId ?? '(unlabelled run)';
    if (others.has(runId)) continue;
    const since = new Date(c.object.metadata.creationTimestamp ?? Date.now()).getTime() || Date.now();
    others.set(runId, { ...leaseHolder(runId, c.scenario ?? 'unknown', since), pid: 0, host: `${c.context}/${c.namespace}` });
  }
  const holders = [...others.values()];
  if (holders.length && !request.allowConcurrent) throw targetBusy(`clusters of ${binding.topology} (chaos resources in force)`, holders);
  for (const h of holders) request.onOther(h);
  return { others: holders, release: async () => {}, [Symbol.asyncDispose]: async () => {} };
}
