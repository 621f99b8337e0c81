import type { KubeConfig } from '@kubernetes/client-node';
import {
  FaultlineError,
  isFaultlineError,
  parseDuration,
  type Duration,
  type FaultDriver,
  type FaultPlan,
  type LeaseRequest,
  type PreparedFault,
  type TargetLease,
  type RevertAction,
  type Topology,
} from '../../core/index.ts';
import { CHAOS_GROUP, isChaosKind, pluralOf, WORKFLOW_KIND } from './chaos-resource.ts';
import { controllerProblems } from './controller-probe.ts';
import { takeMeshLease } from './mesh-lease.ts';
import { confirmInjected, createChaos, deleteAndConfirm, refOf, type ChaosRef, type Timing } from './chaos-lifecycle.ts';
import { chaosForFault, type ChaosPlacement } from './fault-manifests.ts';
import { KubeClients, type ContextClient } from './kube-clients.ts';
import { kubeError } from './kube-errors.ts';
import type { KubernetesBinding } from './kubernetes-binding.ts';
import { sweep, type SweptResource } from './sweep.ts';
import { webhookViolations } from './webhook-rules.ts';

/** The `driver` name in revert actions; the engine routes them to `revertHandlers[KUBERNETES_DRIVER]`. */
export const KUBERNETES_DRIVER = 'kubernetes';

export interface MeshDriverOptions {
  binding: KubernetesBinding;
  topology: Topology;
  /** Default: KUBECONFIG, then ~/.kube/config, then the in-cluster service account. */
  kubeConfig?: KubeConfig;
  /** Lets faults run on a binding marked `productionLike`. Default false: such runs are refused at preflight. */
  allowProductionLike?: boolean;
  /** How long `apply()` waits for Selected and AllInjected. Default `'60s'`. */
  injectTimeout?: Duration;
  /** How long a revert waits for AllRecovered or deletion. Default `'60s'`. */
  revertTimeout?: Duration;
  /** Server-side timeout of each watch request; an ended watch is re-opened. Default `'30s'`. */
  watchTimeout?: Duration;
  /** Called whenever a status watch is (re)opened; for debugging and tests. */
  onWatch?: (info: { resourceVersion: string; attempt: number }) => void;
}

/**
 * Verbs the harness needs on every chaos kind it creates: to create, confirm, and undo it (update releases the
 * finalizer of a resource Chaos Mesh could never inject, for want of a chaos-daemon).
 */
const CHAOS_VERBS = ['create', 'list', 'watch', 'delete', 'update'] as const;

/** Chaos Mesh on one kube context per region, through @kubernetes/client-node. */
export class MeshDriver implements FaultDriver {
  readonly target = 'kubernetes';
  readonly revertHandlers = { [KUBERNETES_DRIVER]: (ref: Record<string, unknown>) => this.revert(ref) };
  readonly clients: KubeClients;

  constructor(private readonly options: MeshDriverOptions) {
    this.clients = options.kubeConfig ? new KubeClients(options.kubeConfig) : KubeClients.fromDefault();
  }

  private timing(which: 'inject' | 'revert'): Timing {
    const timeout = which === 'inject' ? this.options.injectTimeout : this.options.revertTimeout;
    return {
      timeoutMs: parseDuration(timeout ?? '60s', `${which}Timeout`),
      watchTimeoutSeconds: Math.max(1, Math.round(parseDuration(this.options.watchTimeout ?? '30s', 'watchTimeout') / 1000)),
      ...(this.options.onWatch ? { onWatch: this.options.onWatch } : {}),
    };
  }

  /** Another run's chaos resources in force on the clusters make them busy (mesh-lease.ts). */
  lease(request: LeaseRequest): Promise<TargetLease> {
    return takeMeshLease(this.options.binding, this.clients, request);
  }

  /** Chaos Mesh's controller is the TTL that outlives this process: it must answer in every context. */
  checkSafetyNet(): Promise<FaultlineError[]> {
    return controllerProblems(this.options.binding, this.clients);
  }

  async check(plan: FaultPlan): Promise<FaultlineError[]> {
    const { binding } = this.options;
    let placements: ChaosPlacement[];
    try {
      placements = chaosForFault(plan, { ...this.options, runId: 'preflight', scenario: 'preflight', ttlMs: parseDuration(plan.duration) });
    } catch (e) {
      return [asFaultlineError(e)];
    }
    const problems: FaultlineError[] = [];
    if (binding.productionLike && !this.options.allowProductionLike) {
      problems.push(
        new FaultlineError(
          'FAULTLINE_BLAST_RADIUS',
          `the kubernetes binding of "${binding.topology}" is marked productionLike; fault "${plan.name}" was refused`,
          'agree the game day with the service owners, then allow it explicitly (allowProductionLike: true, or --allow-production)',
        ),
      );
    }
    const checks = placements.map(async (p) => {
      const outside = namespacesOf(p).filter((ns) => !binding.allowedNamespaces.includes(ns));
      for (const ns of outside) {
        problems.push(
          new FaultlineError(
            'FAULTLINE_BLAST_RADIUS',
            `fault "${plan.name}" would touch namespace "${ns}" in context "${p.context}", which is not in the allowlist`,
            `allowed: ${binding.allowedNamespaces.join(', ') || '(none)'}; add it to allowedNamespaces in the binding only if it is safe to break`,
          ),
        );
      }
      const violations = webhookViolations(p.resource);
      if (violations.length) {
        problems.push(
          new FaultlineError(
            'FAULTLINE_BAD_INPUT',
            `fault "${plan.name}" makes a ${p.resource.kind} Chaos Mesh's webhook would refuse:\n    ${violations.join('\n    ')}`,
          ),
        );
      }
      if (outside.length) return; // never probe a cluster outside the blast radius, not even read-only
      if (p.resource.kind === WORKFLOW_KIND) {
        problems.push(
          new FaultlineError(
            'FAULTLINE_BAD_INPUT',
            `fault "${plan.name}" is a Chaos Mesh Workflow, which faultline renders (--dry-run) but does not yet create on a live cluster`,
            'print it with --dry-run and apply it yourself, or inject its parts as separate faults (podFailure and partition)',
          ),
        );
        return;
      }
      let client: ContextClient;
      try {
        client = this.clients.get(p.context);
      } catch (e) {
        problems.push(asFaultlineError(e));
        return;
      }
      const probes = await Promise.all([
        ...p.selects.map((s) => this.checkSelects(client, plan, s)),
        this.checkAccess(client, p.resource.metadata.namespace, pluralOf(p.resource.kind)),
        createChaos(client, p.resource, true).then(
          () => [],
          (e) => [asFaultlineError(e)],
        ),
      ]);
      problems.push(...probes.flat());
    });
    await Promise.all(checks);
    return dedupe(problems);
  }

  private async checkSelects(client: ContextClient, plan: FaultPlan, s: ChaosPlacement['selects'][number]): Promise<FaultlineError[]> {
    const labelSelector = Object.entries(s.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    try {
      const pods = await client.core.listNamespacedPod({ namespace: s.namespace, ...(labelSelector ? { labelSelector } : {}) });
      const running = pods.items.filter((pod) => !pod.metadata?.deletionTimestamp);
      if (running.length > 0) return [];
      return [
        new FaultlineError(
          'FAULTLINE_NO_TARGETS',
          `fault "${plan.name}": no pod matches ${s.role}: selector "${labelSelector || '(every pod)'}" in namespace "${s.namespace}" (context "${client.context}")`,
          `check with kubectl --context ${client.context} -n ${s.namespace} get pods${labelSelector ? ` -l ${labelSelector}` : ''}, then fix the binding`,
        ),
      ];
    } catch (e) {
      return [kubeError(e, { context: client.context, verb: 'list', group: '', resource: 'pods', namespace: s.namespace }, 'FAULTLINE_KUBE_UNREACHABLE')];
    }
  }

  /**
   * Asks the API server (SelfSubjectAccessReview) whether every verb the run needs is granted, including the ones
   * only the revert uses: a fault that can be created but not deleted must never be injected.
   */
  private async checkAccess(client: ContextClient, namespace: string, plural: string): Promise<FaultlineError[]> {
    const wanted = [
      ...CHAOS_VERBS.map((verb) => ({ verb, group: CHAOS_GROUP, resource: plural })),
      { verb: 'list' as const, group: '', resource: 'pods' },
      { verb: 'list' as const, group: '', resource: 'events' },
    ];
    const answers = await Promise.all(
      wanted.map(async (w) => {
        try {
          const review = await client.authz.createSelfSubjectAccessReview({
            body: { spec: { resourceAttributes: { namespace, verb: w.verb, group: w.group, resource: w.resource } } },
          });
          return review.status?.allowed === false ? w : undefined;
        } catch {
          return undefined; // the review API itself unavailable: the dry-run create still proves create access
        }
      }),
    );
    return answers
      .filter((w) => w !== undefined)
      .map((w) => kubeError({ code: 403, body: '' }, { context: client.context, namespace, ...w }));
  }

  async prepare(plan: FaultPlan, context: { runId: string; scenario: string; ttlMs: number }): Promise<PreparedFault> {
    const placements = chaosForFault(plan, { ...this.options, ...context });
    const refs = placements.map((p) => refOf(p.context, p.resource));
    const detail: Record<string, unknown> = {
      target: 'kubernetes',
      resources: refs.map((r) => `${r.context}: ${r.kind} ${r.namespace}/${r.name}`),
    };
    const revert: RevertAction[] = refs.map((ref) => ({ type: 'driver', driver: KUBERNETES_DRIVER, ref: { ...ref } }));
    return {
      plan,
      detail,
      revert,
      apply: async () => {
        for (const p of placements) await createChaos(this.clients.get(p.context), p.resource);
        const injected = await Promise.all(refs.map((ref) => confirmInjected(this.clients.get(ref.context), ref, this.timing('inject'))));
        detail.injectedInto = injected.flatMap((obj) => (obj.status?.experiment?.containerRecords ?? []).map((r) => r.id));
      },
    };
  }

  /** Deletes one recorded resource and waits for Chaos Mesh to recover its targets. */
  async revert(ref: Record<string, unknown>): Promise<void> {
    const chaosRef = parseRef(ref);
    await deleteAndConfirm(this.clients.get(chaosRef.context), chaosRef, this.timing('revert'));
  }

  /** Every faultline chaos resource (of one run, when given) across the binding's contexts, deleted and confirmed. */
  sweep(options: { runId?: string } = {}): Promise<SweptResource[]> {
    return sweep(this.options.binding, {
      clients: this.clients,
      ...options,
      ...(this.options.revertTimeout ? { timeout: this.options.revertTimeout } : {}),
      ...(this.options.watchTimeout ? { watchTimeout: this.options.watchTimeout } : {}),
    });
  }
}

function namespacesOf(p: ChaosPlacement): string[] {
  const spec = p.resource.spec as { selector?: { namespaces?: string[] }; target?: { selector?: { namespaces?: string[] } } };
  return [
    ...new Set([
      p.resource.metadata.namespace,
      ...p.selects.map((s) => s.namespace),
      ...(spec.selector?.namespaces ?? []),
      ...(spec.target?.selector?.namespaces ?? []),
    ]),
  ];
}

function parseRef(ref: Record<string, unknown>): ChaosRef {
  const { context, apiVersion, kind, namespace, name } = ref;
  if (typeof context !== 'string' || typeof namespace !== 'string' || typeof name !== 'string' || typeof kind !== 'string' || !isChaosKind(kind)) {
    throw new FaultlineError('FAULTLINE_REVERT_FAILED', `malformed kubernetes revert reference: ${JSON.stringify(ref)}`);
  }
  return { context, apiVersion: typeof apiVersion === 'string' ? apiVersion : `${CHAOS_GROUP}/v1alpha1`, kind, namespace, name };
}

function asFaultlineError(e: unknown): FaultlineError {
  return isFaultlineError(e) ? e : new FaultlineError('FAULTLINE_HARNESS', (e as Error)?.message ?? String(e), undefined, { cause: e });
}

/** One problem per cause: a missing RBAC rule is reported by both the access review and the dry-run create. */
function dedupe(problems: FaultlineError[]): FaultlineError[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = p.code === 'FAULTLINE_KUBE_FORBIDDEN' && p.hint ? `${p.code}|${p.hint}` : p.message;
    return !seen.has(key) && (seen.add(key), true);
  });
}
