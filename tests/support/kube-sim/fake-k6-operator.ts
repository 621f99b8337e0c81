import type { ObjectStore } from './object-store.ts';
import type { ResourceType } from './resource-types.ts';
import type { SimObject } from './selectors.ts';

export interface K6OperatorBehaviour {
  /** Delay between stages initialization → initialized → created → started. */
  stageDelayMs: number;
  /** How long the test "runs" in stage started before it is finished. */
  runMs: number;
  /** `error`: the run ends in stage error instead of finished, like a runner that failed to start. */
  outcome: 'finished' | 'error';
}

const STAGES = ['initialization', 'initialized', 'created', 'started'] as const;

/** Moves TestRun `status.stage` through the stages k6-operator reports. Deleting a TestRun ends it at once. */
export class FakeK6Operator {
  private readonly timers = new Map<string, NodeJS.Timeout[]>();

  constructor(
    private readonly store: ObjectStore,
    private readonly behaviour: () => K6OperatorBehaviour,
  ) {}

  onCreate(t: ResourceType, run: SimObject): void {
    const { stageDelayMs, runMs, outcome } = this.behaviour();
    const id = `${run.metadata.namespace}/${run.metadata.name}/${run.metadata.uid}`;
    const timers = STAGES.map((stage, i) => setTimeout(() => this.setStage(t, run, stage), i * stageDelayMs));
    timers.push(setTimeout(() => this.setStage(t, run, outcome), (STAGES.length - 1) * stageDelayMs + runMs));
    timers.forEach((x) => x.unref());
    this.timers.set(id, timers);
  }

  onDelete(run: SimObject): void {
    const id = `${run.metadata.namespace}/${run.metadata.name}/${run.metadata.uid}`;
    this.timers.get(id)?.forEach(clearTimeout);
    this.timers.delete(id);
  }

  stop(): void {
    for (const list of this.timers.values()) list.forEach(clearTimeout);
    this.timers.clear();
  }

  private setStage(t: ResourceType, run: SimObject, stage: string): void {
    const current = this.store.get(t, run.metadata.namespace, run.metadata.name);
    if (!current || current.metadata.uid !== run.metadata.uid) return;
    current.status = { ...((current.status as object | undefined) ?? {}), stage };
    this.store.update(t, current);
  }
}
