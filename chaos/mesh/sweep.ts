import type { KubeConfig } from '@kubernetes/client-node';
import { FaultlineError, parseDuration, type Duration, type FaultlineErrorCode } from '../../core/index.ts';
import { CHAOS_API_VERSION, CHAOS_GROUP, CHAOS_KINDS, CHAOS_VERSION, type ChaosKind } from './chaos-resource.ts';
import { deleteAndConfirm, type ChaosRef } from './chaos-lifecycle.ts';
import type { KubeObject } from './chaos-status.ts';
import { KubeClients } from './kube-clients.ts';
import { httpStatusOf, kubeError } from './kube-errors.ts';
import { contextsOf, type KubernetesBinding } from './kubernetes-binding.ts';
import { faultlineSelector, RUN_ID_LABEL, SCENARIO_ANNOTATION } from './names.ts';

export interface SweepOptions {
  /** Only this run's resources. Default: every faultline-managed chaos resource. */
  runId?: string;
  /** Default: KUBECONFIG / ~/.kube/config. */
  kubeConfig?: KubeConfig;
  /** Reuse a driver's clients instead of building new ones. */
  clients?: KubeClients;
  /** How long each delete waits for recovery. Default `'60s'`. */
  timeout?: Duration;
  /** Default `'30s'`. */
  watchTimeout?: Duration;
}

export interface SweptResource extends ChaosRef {
  runId?: string;
  scenario?: string;
}

/**
 * Finds every faultline-labelled chaos resource in the binding's allowlisted namespaces of every context, deletes it,
 * and waits until Chaos Mesh has recovered its targets: `faultline cleanup --target k8s`. Only the allowlist is
 * searched, because that is where faultline may create anything, and it keeps RBAC namespaced.
 */
export async function sweep(binding: KubernetesBinding, options: SweepOptions = {}): Promise<SweptResource[]> {
  const clients = options.clients ?? (options.kubeConfig ? new KubeClients(options.kubeConfig) : KubeClients.fromDefault());
  const found: SweptResource[] = (await listFaultlineChaos(binding, clients, options.runId)).map(({ object: _o, ...ref }) => ref);
  const timing = {
    timeoutMs: parseDuration(options.timeout ?? '60s', 'timeout'),
    watchTimeoutSeconds: Math.max(1, Math.round(parseDuration(options.watchTimeout ?? '30s', 'watchTimeout') / 1000)),
  };
  const results = await Promise.allSettled(found.map((ref) => deleteAndConfirm(clients.get(ref.context), ref, timing)));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${found[i]!.context}: ${found[i]!.kind} ${found[i]!.namespace}/${found[i]!.name}: ${(r.reason as Error).message}`] : []));
  if (failed.length) {
    throw new FaultlineError(
      'FAULTLINE_REVERT_FAILED',
      `sweep removed ${found.length - failed.length} of ${found.length} chaos resources; these remain:\n  ${failed.join('\n  ')}`,
      'fix the cause above and run faultline cleanup --target k8s again',
    );
  }
  return found;
}

/** A faultline chaos resource found in the allowlist, with its live object (status included). */
export interface FoundChaos extends SweptResource {
  object: KubeObject;
}

/**
 * Every faultline-labelled chaos resource (of one run, when given) in the binding's allowlisted namespaces. `failure`
 * is the code of an API server that cannot be reached: a failed revert for sweep, a preflight refusal for the lease.
 */
export async function listFaultlineChaos(
  binding: KubernetesBinding,
  clients: KubeClients,
  runId?: string,
  failure: FaultlineErrorCode = 'FAULTLINE_REVERT_FAILED',
): Promise<FoundChaos[]> {
  const labelSelector = faultlineSelector(runId);
  const found: FoundChaos[] = [];
  await Promise.all(
    contextsOf(binding).flatMap(({ context }) => {
      const client = clients.get(context);
      return binding.allowedNamespaces.flatMap((namespace) =>
        (Object.keys(CHAOS_KINDS) as ChaosKind[]).map(async (kind) => {
          const plural = CHAOS_KINDS[kind];
          let list: { items?: KubeObject[] };
          try {
            list = (await client.custom.listNamespacedCustomObject({ group: CHAOS_GROUP, version: CHAOS_VERSION, namespace, plural, labelSelector })) as {
              items?: KubeObject[];
            };
          } catch (e) {
            if (httpStatusOf(e) === 404) return; // kind not installed there: nothing of it can be left over
            throw kubeError(e, { context, verb: 'list', group: CHAOS_GROUP, resource: plural, namespace }, failure);
          }
          for (const item of list.items ?? []) {
            const itemRun = item.metadata.labels?.[RUN_ID_LABEL];
            const scenario = (item.metadata as { annotations?: Record<string, string> }).annotations?.[SCENARIO_ANNOTATION];
            found.push({
              context,
              apiVersion: CHAOS_API_VERSION,
              kind,
              namespace,
              name: item.metadata.name,
              ...(itemRun ? { runId: itemRun } : {}),
              ...(scenario ? { scenario } : {}),
              object: item,
            });
          }
        }),
      );
    }),
  );
  return found;
}
