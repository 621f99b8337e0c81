import { FaultlineError, formatDuration } from '../../core/index.ts';
import { CHAOS_GROUP, CHAOS_VERSION, pluralOf, type ChaosKind, type ChaosResource } from './chaos-resource.ts';
import { describeConditions, isInjected, isRecovered, neverInjected, nodesWithoutDaemon, recordProblems, type KubeObject } from './chaos-status.ts';
import type { ContextClient } from './kube-clients.ts';
import { httpStatusOf, kubeError, type KubeRequest } from './kube-errors.ts';
import { waitForObject, type ObjectRef, type WaitOptions } from './status-watch.ts';

/** Where one chaos resource lives: what the ledger stores to delete it without this process. */
export interface ChaosRef {
  context: string;
  apiVersion: string;
  kind: ChaosResource['kind'];
  namespace: string;
  name: string;
}

export type Timing = Omit<WaitOptions, 'timeoutMs'> & { timeoutMs: number };

export function refOf(context: string, resource: ChaosResource): ChaosRef {
  return { context, apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.metadata.namespace, name: resource.metadata.name };
}

function objectRef(ref: { kind: ChaosResource['kind']; namespace: string; name: string }): ObjectRef {
  return { group: CHAOS_GROUP, version: CHAOS_VERSION, plural: pluralOf(ref.kind), namespace: ref.namespace, name: ref.name };
}

function request(client: ContextClient, ref: { kind: ChaosResource['kind']; namespace: string; name?: string }, verb: KubeRequest['verb']): KubeRequest {
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
    // At preflight (dry run) a cluster that cannot be reached, or fails, means the run must not start: a refusal.
    throw kubeError(e, request(client, { kind: resource.kind, namespace: resource.metadata.namespace, name: resource.metadata.name }, 'create'), dryRun ? 'FAULTLINE_KUBE_UNREACHABLE' : undefined);
  }
}

/** Waits for Selected and AllInjected; on timeout says why, in the controller's words. */
export async function confirmInjected(client: ContextClient, ref: ChaosRef, timing: Timing): Promise<KubeObject> {
  const result = await waitForObject(client, objectRef(ref), (obj) => isInjected(obj) || nodesWithoutDaemon(obj).length > 0, timing);
  const noDaemon = nodesWithoutDaemon(result.last);
  if (result.ok && noDaemon.length && !isInjected(result.last)) {
    const reasons = [...recordProblems(result.last, 'Injected'), ...(await eventReasons(client, ref))];
    throw new FaultlineError(
      'FAULTLINE_KUBE_DAEMON_MISSING',
      `${ref.kind} ${ref.namespace}/${ref.name} (context "${ref.context}") cannot be injected: Chaos Mesh found no chaos-daemon on ` +
        `node${noDaemon.length > 1 ? 's' : ''} ${noDaemon.join(', ')}\n${[...new Set(reasons)].map((r) => `    - ${r}`).join('\n')}`,
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
    result = await waitForObject(client, objectRef(ref), (obj) => obj === undefined || isRecovered(obj) || stuckWithoutDaemon(obj), timing);
    if (result.ok && result.last && stuckWithoutDaemon(result.last)) {
      await forceFinalizerCleanup(client, ref, result.last);
      result = await waitForObject(client, objectRef(ref), (obj) => obj === undefined || isRecovered(obj), timing);
    }
  } catch (e) {
    if (e instanceof FaultlineError) throw e;
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

/**
 * Deleted, and held by Chaos Mesh's finalizer only because recovery goes through a chaos-daemon that does not exist,
 * while nothing was ever injected: there is nothing to undo, and the controller would hold it forever.
 */
function stuckWithoutDaemon(obj: KubeObject): boolean {
  return !!obj.metadata.deletionTimestamp && neverInjected(obj) && nodesWithoutDaemon(obj).length > 0;
}

/**
 * Releases the finalizer of a deleted resource that was never injected. Chaos Mesh's own escape hatch, the
 * cleanFinalizer=forced annotation, does not work here: its reconcile pipeline stops at the records step, which keeps
 * retrying the apply against the missing daemon, so the finalizer step is never reached. faultline therefore sets
 * that annotation (so the reason is on record) and empties the finalizers itself, which is what an operator would do
 * by hand, and only ever when no target was injected. Written with an update (not a patch): Chaos Mesh's auth webhook
 * checks `update` on the kind for any change, so one verb serves both RBAC and the webhook. A conflict with the
 * controller's own status writes is retried on the newest version.
 */
async function forceFinalizerCleanup(client: ContextClient, ref: ChaosRef, seen: KubeObject): Promise<void> {
  const { name, ...inNamespace } = { group: CHAOS_GROUP, version: CHAOS_VERSION, namespace: ref.namespace, plural: pluralOf(ref.kind), name: ref.name };
  const target = { ...inNamespace, name };
  let obj: KubeObject = seen;
  for (let attempt = 0; ; attempt++) {
    const annotations = { ...((obj.metadata as { annotations?: Record<string, string> }).annotations ?? {}), [CLEAN_FINALIZER_ANNOTATION]: 'forced' };
    try {
      if (!neverInjected(obj)) return; // something was injected after all: only the controller may undo it
      await client.custom.replaceNamespacedCustomObject({ ...target, body: { ...obj, metadata: { ...obj.metadata, annotations, finalizers: [] } } });
      return;
    } catch (e) {
      const status = httpStatusOf(e);
      if (status === 404) return;
      // The controller rewrites the status while it retries the apply, so conflicts are expected: take the newest and retry.
      if (status !== 409 || attempt >= 50) throw kubeError(e, request(client, ref, 'update'), 'FAULTLINE_REVERT_FAILED');
      try {
        // list, not get: the role grants list (the status watch needs it) and nothing more is needed here.
        const list = (await client.custom.listNamespacedCustomObject({ ...inNamespace, fieldSelector: `metadata.name=${ref.name}` })) as { items?: KubeObject[] };
        if (!list.items?.[0]) return;
        obj = list.items[0];
      } catch (again) {
        throw kubeError(again, request(client, ref, 'list'), 'FAULTLINE_REVERT_FAILED');
      }
    }
  }
}

/** Chaos Mesh's annotation that asks its controller to drop its finalizer without recovering. */
export const CLEAN_FINALIZER_ANNOTATION = 'chaos-mesh.chaos-mesh.org/cleanFinalizer';

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
