import { selectionCount, type SelectionMode } from '../../../core/index.ts';
import type { ObjectStore } from './object-store.ts';
import { RESOURCE_TYPES, type ResourceType } from './resource-types.ts';
import type { SimObject } from './selectors.ts';

export const CHAOS_FINALIZER = 'chaos-mesh/records';

/** How the fake controller behaves; read on every step so tests can change it mid-run. */
export interface ChaosMeshBehaviour {
  /** Delay of each reconcile step: create → Selected → AllInjected. */
  stepDelayMs: number;
  /** How long the `chaos-mesh/records` finalizer holds a deleted resource while its targets recover. */
  recoverDelayMs: number;
  /** `stuck`: records never reach Injected and log a Failed event with this message, like a broken chaos-daemon. */
  injection: { mode: 'normal' } | { mode: 'stuck'; message: string };
}

export interface ControllerHost {
  store: ObjectStore;
  recordEvent(about: SimObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

interface Record_ {
  id: string;
  selectorKey: string;
  phase: 'Not Injected' | 'Injected';
  injectedCount: number;
  recoveredCount: number;
  events: { type: string; operation: string; timestamp: string; message?: string }[];
}

const PODS = RESOURCE_TYPES.find((t) => t.plural === 'pods')!;

/**
 * Progresses chaos status the way chaos-controller-manager writes it: on create the finalizer is added, then targets
 * are selected (Selected), then every container record is injected (AllInjected). On delete, the finalizer holds the
 * object while records recover (AllRecovered), then it is released and the object disappears. When `duration`
 * passes first, the experiment stops by itself (desiredPhase Stop): the TTL that outlives the harness.
 */
export class FakeChaosMesh {
  private readonly timers = new Map<string, NodeJS.Timeout[]>();

  constructor(
    private readonly host: ControllerHost,
    private readonly behaviour: () => ChaosMeshBehaviour,
  ) {}

  onCreate(t: ResourceType, created: SimObject): void {
    const id = keyOf(t, created);
    const { stepDelayMs } = this.behaviour();
    this.after(id, 0, () => this.mutate(t, created, (o) => {
      o.metadata.finalizers = [...new Set([...(o.metadata.finalizers ?? []), CHAOS_FINALIZER])];
      o.status = { conditions: conditions({ Selected: false, AllInjected: false, AllRecovered: false }), experiment: { desiredPhase: 'Run', containerRecords: [] } };
    }));
    this.after(id, stepDelayMs, () => this.select(t, created));
    const duration = parseGoDuration((created as { spec?: { duration?: string } }).spec?.duration);
    if (duration !== undefined) this.after(id, duration, () => this.recover(t, created, false));
  }

  onDelete(t: ResourceType, deleted: SimObject): void {
    const id = keyOf(t, deleted);
    this.cancel(id);
    this.after(id, this.behaviour().recoverDelayMs, () => {
      this.recover(t, deleted, true);
      // The finalizer goes in a separate write, as the real controller does, so AllRecovered is observable first.
      this.after(id, 1, () => {
        const current = this.host.store.get(t, deleted.metadata.namespace, deleted.metadata.name);
        if (current) this.host.store.remove(t, current.metadata.namespace, current.metadata.name);
        this.cancel(id);
      });
    });
  }

  stop(): void {
    for (const list of this.timers.values()) list.forEach(clearTimeout);
    this.timers.clear();
  }

  private select(t: ResourceType, obj: SimObject): void {
    const spec = (obj as { spec?: Record<string, unknown> }).spec ?? {};
    const picked = this.pick(spec.selector, spec as SelectionMode).map((p) => ({ pod: p, key: '.' }));
    // NetworkChaos's target is a second selector; HTTPChaos's is a string (Request or Response), not pods.
    const target = typeof spec.target === 'object' ? (spec.target as Record<string, unknown> & SelectionMode) : undefined;
    if (target) picked.push(...this.pick(target.selector, target).map((p) => ({ pod: p, key: '.Target' })));
    if (!picked.length) {
      this.mutate(t, obj, (o) => (o.status = { conditions: conditions({ Selected: false, AllInjected: false, AllRecovered: false }), experiment: { desiredPhase: 'Run', containerRecords: [] } }));
      this.host.recordEvent(obj, 'Warning', 'Failed', 'Failed to select targets: no pod is selected');
      return;
    }
    const containers = (spec.containerNames as string[] | undefined) ?? [];
    const records: Record_[] = picked.flatMap(({ pod, key }) => {
      const base = `${pod.metadata.namespace}/${pod.metadata.name}`;
      const ids = obj.kind === 'PodChaos' && spec.action === 'container-kill' ? containers.map((c) => `${base}/${c}`) : [base];
      return ids.map((id) => ({ id, selectorKey: key, phase: 'Not Injected' as const, injectedCount: 0, recoveredCount: 0, events: [] }));
    });
    this.mutate(t, obj, (o) => (o.status = { conditions: conditions({ Selected: true, AllInjected: false, AllRecovered: false }), experiment: { desiredPhase: 'Run', containerRecords: records } }));
    this.after(keyOf(t, obj), this.behaviour().stepDelayMs, () => this.inject(t, obj));
  }

  private inject(t: ResourceType, obj: SimObject): void {
    const behaviour = this.behaviour();
    const now = new Date().toISOString();
    if (behaviour.injection.mode === 'stuck') {
      const message = behaviour.injection.message;
      this.mutate(t, obj, (o) => {
        for (const r of recordsOf(o)) r.events.push({ type: 'Failed', operation: 'Apply', timestamp: now, message });
      });
      this.host.recordEvent(obj, 'Warning', 'Failed', `Failed to apply chaos: ${message}`);
      return;
    }
    this.mutate(t, obj, (o) => {
      for (const r of recordsOf(o)) {
        r.phase = 'Injected';
        r.injectedCount++;
        r.events.push({ type: 'Succeeded', operation: 'Apply', timestamp: now });
      }
      setConditions(o, { Selected: true, AllInjected: true, AllRecovered: false });
    });
    this.host.recordEvent(obj, 'Normal', 'Applied', 'Successfully apply chaos');
  }

  private recover(t: ResourceType, obj: SimObject, deleting: boolean): void {
    const now = new Date().toISOString();
    this.mutate(t, obj, (o) => {
      for (const r of recordsOf(o)) {
        if (r.phase === 'Injected') {
          r.phase = 'Not Injected';
          r.recoveredCount++;
          r.events.push({ type: 'Succeeded', operation: 'Recover', timestamp: now });
        }
      }
      const status = o.status as { experiment: { desiredPhase: string } } | undefined;
      if (status?.experiment) status.experiment.desiredPhase = 'Stop';
      setConditions(o, { Selected: true, AllInjected: false, AllRecovered: true });
      if (deleting) o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== CHAOS_FINALIZER);
    });
    this.host.recordEvent(obj, 'Normal', 'Recovered', deleting ? 'Successfully recover chaos before deletion' : 'Duration elapsed: experiment stopped');
  }

  private pick(selector: unknown, mode: SelectionMode): SimObject[] {
    const s = (selector ?? {}) as { namespaces?: string[]; labelSelectors?: Record<string, string> };
    const matches = (s.namespaces ?? []).flatMap((ns) =>
      this.host.store.list(PODS, ns, (p) => Object.entries(s.labelSelectors ?? {}).every(([k, v]) => p.metadata.labels?.[k] === v) && !p.metadata.deletionTimestamp),
    );
    const m = 'value' in mode ? ({ mode: mode.mode, value: Number(mode.value) } as SelectionMode) : mode;
    return matches.slice(0, selectionCount(m, matches.length));
  }

  /** Re-reads the object so a step never overwrites a newer write, then saves it. No-op when it is gone. */
  private mutate(t: ResourceType, ref: SimObject, change: (o: SimObject) => void): void {
    const current = this.host.store.get(t, ref.metadata.namespace, ref.metadata.name);
    if (!current || current.metadata.uid !== ref.metadata.uid) return;
    change(current);
    this.host.store.update(t, current);
  }

  private after(id: string, ms: number, fn: () => void): void {
    const timer = setTimeout(fn, ms);
    timer.unref();
    this.timers.set(id, [...(this.timers.get(id) ?? []), timer]);
  }

  private cancel(id: string): void {
    this.timers.get(id)?.forEach(clearTimeout);
    this.timers.delete(id);
  }
}

function keyOf(t: ResourceType, o: SimObject): string {
  return `${t.plural}/${o.metadata.namespace}/${o.metadata.name}/${o.metadata.uid}`;
}

function recordsOf(o: SimObject): Record_[] {
  return ((o.status as { experiment?: { containerRecords?: Record_[] } } | undefined)?.experiment?.containerRecords ?? []) as Record_[];
}

function conditions(c: { Selected: boolean; AllInjected: boolean; AllRecovered: boolean }) {
  return [
    { type: 'Selected', status: c.Selected ? 'True' : 'False' },
    { type: 'AllInjected', status: c.AllInjected ? 'True' : 'False' },
    { type: 'AllRecovered', status: c.AllRecovered ? 'True' : 'False' },
    { type: 'Paused', status: 'False' },
  ];
}

function setConditions(o: SimObject, c: { Selected: boolean; AllInjected: boolean; AllRecovered: boolean }): void {
  const status = (o.status ?? {}) as Record<string, unknown>;
  status.conditions = conditions(c);
  o.status = status;
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds; undefined when absent or unparsable. */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * GO_UNITS[p[2]!]!, 0);
}
