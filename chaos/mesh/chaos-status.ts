/** The parts of a Kubernetes object faultline reads back. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    labels?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string | Date;
    creationTimestamp?: string | Date;
  };
  spec?: Record<string, unknown>;
  status?: ChaosStatus & Record<string, unknown>;
}

export interface ChaosCondition {
  type: string;
  status: string;
  reason?: string;
}

export interface ContainerRecord {
  id: string;
  selectorKey: string;
  phase: string;
  injectedCount: number;
  recoveredCount: number;
  events?: { type: string; operation: string; timestamp: string; message?: string }[];
}

/** Status as the Chaos Mesh controller writes it. */
export interface ChaosStatus {
  conditions?: ChaosCondition[];
  experiment?: { desiredPhase?: 'Run' | 'Stop'; containerRecords?: ContainerRecord[] };
}

export function conditionIs(obj: KubeObject | undefined, type: string): boolean {
  return obj?.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/** Chaos Mesh reports an experiment in force once it has selected targets and every record is injected. */
export function isInjected(obj: KubeObject | undefined): boolean {
  return conditionIs(obj, 'Selected') && conditionIs(obj, 'AllInjected');
}

export function isRecovered(obj: KubeObject | undefined): boolean {
  return conditionIs(obj, 'AllRecovered');
}

/** `Selected=True AllInjected=False`, for messages. */
export function describeConditions(obj: KubeObject | undefined): string {
  if (!obj) return 'the resource is gone';
  const conditions = obj.status?.conditions ?? [];
  if (!conditions.length) return 'no status yet (is the Chaos Mesh controller running?)';
  return conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(' ');
}

/** Records that are not where they should be, and the last event each one logged: the controller's own account. */
export function recordProblems(obj: KubeObject | undefined, wantPhase: 'Injected' | 'Not Injected'): string[] {
  const records = obj?.status?.experiment?.containerRecords ?? [];
  return records
    .filter((r) => r.phase !== wantPhase)
    .map((r) => {
      const failed = [...(r.events ?? [])].reverse().find((e) => e.type === 'Failed') ?? r.events?.at(-1);
      const why = failed ? `${failed.type} ${failed.operation}${failed.message ? `: ${failed.message}` : ''}` : 'no event recorded';
      return `${r.id} is ${r.phase}: ${why}`;
    });
}

/**
 * The nodes Chaos Mesh says it found no chaos-daemon on, from its records' failed events ("cannot find daemonIP on
 * node …"). Kinds that act inside a container (NetworkChaos, StressChaos, IOChaos…) go through the daemon on the
 * pod's node; without one they can never be injected, so waiting longer is pointless.
 */
export function nodesWithoutDaemon(obj: KubeObject | undefined): string[] {
  const nodes = new Set<string>();
  for (const r of obj?.status?.experiment?.containerRecords ?? []) {
    for (const e of r.events ?? []) {
      const m = e.type === 'Failed' ? /cannot find daemonIP on node (\S+)/.exec(e.message ?? '') : null;
      if (m) nodes.add(m[1]!);
    }
  }
  return [...nodes];
}

/** Chaos Mesh recorded targets, and not one of them was ever injected: undoing it has nothing to undo. */
export function neverInjected(obj: KubeObject | undefined): boolean {
  const records = obj?.status?.experiment?.containerRecords ?? [];
  return records.length > 0 && records.every((r) => r.injectedCount === 0);
}
