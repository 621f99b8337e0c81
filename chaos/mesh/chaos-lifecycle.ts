import { FaultlineError, formatDuration } from '../../core/index.ts';
import { CHAOS_GROUP, CHAOS_VERSION, pluralOf, type ChaosKind, type ChaosResource } from './chaos-resource.ts';
import { describeConditions, isInjected, isRecovered, nodesWithoutDaemon, recordProblems, type KubeObject } from './chaos-status.ts';
import type { ContextClient } from './kube-clients.ts';
import { httpStatusOf, kubeError, type KubeRequest } from './kube-errors.ts';
import { waitForObject, type ObjectRef, type WaitOptions } from './status-watch.ts';

/** Where one chaos resource lives: what the ledger stores to delete it without this process. */
export interface ChaosRef {
  context: string;
  apiVersion: string;
  kind: ChaosKind;
  namespace: string;
  name: string;
}

export type Timing = Omit<WaitOptions, 'timeoutMs'> & { timeoutMs: number };

export function refOf(context: string, resource: ChaosResource): ChaosRef {
  return { context, apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.metadata.namespace, name: resource.metadata.name };
}

function objectRef(ref: { kind: ChaosKind; namespace: string; name: string }): ObjectRef {
  return { group: CHAOS_GROUP, version: CHAOS_VERSION, plural: pluralOf(ref.kind), namespace: ref.namespace, name: ref.name };
}

function request(client: ContextClient, ref: { kind: ChaosKind; namespace: string; name?: string }, verb: KubeRequest['verb']): KubeRequest {
  return { context: client.context, verb, group: CHAOS_GROUP, resource: pluralOf(ref.kind), namespace: ref.namespace, ...(ref.name ? { name: ref.name } : {}) };
}

/** Creates the resource; `dryRun` runs RBAC, schema and admission webhooks server-side and persists nothing. */
export async function createChaos(client: ContextClient, resource: ChaosResource, dryRun = false): Promise<void> {
  try {
    await client.custom.createNamespacedCustomObject({
      group: CHAOS_GROUP,
      version: CHAOS_VERSION,
      namespace: resource.metadata.namespace,
      plural: pluralOf(resource.kind),
      body: resource,
      ...(dryRun ? { dryRun: 'All' } : {}),
    });
  } catch (e) {
    throw kubeError(e, request(client, { kind: resource.kind, namespace: resource.metadata.namespace, name: resource.metadata.name }, 'create'));
  }
}

/** Waits for Selected and AllInjected; on timeout says why, in the controller's words. */
export async function confirmInjected(client: ContextClient, ref: ChaosRef, timing: Timing): Promise<KubeObject> {
  const result = await waitForObject(client, objectRef(ref), (obj) => isInjected(obj) || nodesWithoutDaemon(obj).length > 0, timing);
  const noDaemon = nodesWithoutDaemon(result.last);
  if (result.ok && noDaemon.length && !isInjected(result.last)) {
    throw new FaultlineError(
      'FAULTLINE_KUBE_DAEMON_MISSING',
      `${ref.kind} ${ref.namespace}/${ref.name} (context "${ref.context}") cannot be injected: Chaos Mesh found no chaos-daemon on ` +
        `node${noDaemon.length > 1 ? 's' : ''} ${noDaemon.join(', ')}\n${recordProblems(result.last, 'Injected').map((r) => `    - ${r}`).join('\n')}`,
      `${ref.kind} acts inside the target containers through chaos-daemon, a DaemonSet that must run on every node hosting selected pods ` +
        `(kubectl --context ${ref.context} -n chaos-mesh get ds chaos-daemon); install or repair it with the Chaos Mesh chart. ` +
        'The resource stays in the ledger and will be reverted',
    );
  }
  if (result.ok && result.last) return result.last;
  const reasons = [...recordProblems(result.last, 'Injected'), ...(await eventReasons(client, ref))];
  throw new FaultlineError(
    'FAULTLINE_KUBE_TIMEOUT',
    `${ref.kind} ${ref.namespace}/${ref.name} (context "${ref.context}") was not injected within ${formatDuration(timing.timeoutMs)}: ` +
      `${describeConditions(result.last)}` +
      (reasons.length ? `\n${reasons.map((r) => `    - ${r}`).join('\n')}` : '\n    - Chaos Mesh recorded no reason'),
    `it stays in the ledger and will be reverted; look at the chaos daemon on the selected pods' nodes: ` +
      `kubectl --context ${ref.context} -n chaos-mesh logs ds/chaos-daemon`,
  );
}

/**
 * Deletes the resource and waits until Chaos Mesh has recovered every target (AllRecovered) or the object is gone.
 * The controller's finalizer keeps the object while it undoes the fault, so "deleted" alone proves nothing.
 * Idempotent: a resource that is already gone counts as reverted.
 */
export async function deleteAndConfirm(client: ContextClient, ref: ChaosRef, timing: Timing): Promise<void> {
  try {
    await client.custom.deleteNamespacedCustomObject({
      group: CHAOS_GROUP,
      version: CHAOS_VERSION,
      namespace: ref.namespace,
      plural: pluralOf(ref.kind),
      name: ref.name,
    });
  } catch (e) {
    if (httpStatusOf(e) !== 404) throw kubeError(e, request(client, ref, 'delete'), 'FAULTLINE_REVERT_FAILED');
    return;
  }
  let result;
  try {
    result = await waitForObject(client, objectRef(ref), (obj) => obj === undefined || isRecovered(obj), timing);
  } catch (e) {
    throw new FaultlineError('FAULTLINE_REVERT_FAILED', `could not confirm the revert of ${ref.kind} ${ref.namespace}/${ref.name}: ${(e as Error).message}`);
  }
  if (result.ok) return;
  const reasons = [...recordProblems(result.last, 'Not Injected'), ...(await eventReasons(client, ref))];
  throw new FaultlineError(
    'FAULTLINE_REVERT_FAILED',
    `${ref.kind} ${ref.namespace}/${ref.name} (context "${ref.context}") was deleted but not recovered within ` +
      `${formatDuration(timing.timeoutMs)}: ${describeConditions(result.last)}` +
      (reasons.length ? `\n${reasons.map((r) => `    - ${r}`).join('\n')}` : ''),
    `its finalizer is still held; check the controller (kubectl --context ${ref.context} -n chaos-mesh logs deploy/chaos-controller-manager) ` +
      'and run faultline cleanup --target k8s again',
  );
}

/** Warning events Kubernetes recorded against the resource; best effort, since the reason matters more than this. */
async function eventReasons(client: ContextClient, ref: ChaosRef): Promise<string[]> {
  try {
    const events = await client.core.listNamespacedEvent({ namespace: ref.namespace, fieldSelector: `involvedObject.name=${ref.name}` });
    return events.items
      .filter((e) => e.type === 'Warning' && (e.involvedObject?.kind === undefined || e.involvedObject.kind === ref.kind))
      .map((e) => `event ${e.reason ?? 'Warning'}: ${e.message ?? ''}`.trim());
  } catch {
    return [];
  }
}
