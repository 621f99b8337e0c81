import { chaosForFault, faultlineLabels, type ChaosResource, type KubernetesBinding } from '../chaos/mesh/index.ts';
import { parseDuration, type Topology } from '../core/index.ts';
import { faultPlan, type BackgroundFault } from '../experiments/index.ts';

/** A Chaos Mesh `Schedule` and the cluster it goes to. */
export interface PlacedSchedule {
  context: string;
  region: string;
  schedule: ChaosSchedule;
}

export interface ChaosSchedule {
  apiVersion: 'chaos-mesh.org/v1alpha1';
  kind: 'Schedule';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

/** Runs past this many are garbage-collected by Chaos Mesh. */
const HISTORY_LIMIT = 5;

/**
 * Background faults as Chaos Mesh Schedules: each is the very resource the driver would create for the fault (same
 * selectors, same blast radius, built by chaosForFault), embedded under the Schedule's type, with `duration` set to
 * one occurrence's `for`. Chaos Mesh then injects and reverts it on `cron` by itself; `Forbid` never lets two
 * occurrences overlap. faultline's ledger does not track them: delete the Schedule to stop them.
 */
export function backgroundSchedules(faults: BackgroundFault[], ctx: { binding: KubernetesBinding; topology: Topology; scenario: string }): PlacedSchedule[] {
  return faults.flatMap((fault) => {
    const { cron, ...step } = fault;
    const plan = faultPlan(step);
    const ttlMs = parseDuration(plan.duration, `background fault "${plan.name}" for`);
    const runId = `${ctx.scenario}-bg`;
    return chaosForFault(plan, { ...ctx, runId, ttlMs }).map((p) => ({
      context: p.context,
      region: p.region,
      schedule: scheduleOf(p.resource, cron, faultlineLabels({ runId, scenario: ctx.scenario, fault: plan.name, region: p.region })),
    }));
  });
}

function scheduleOf(resource: ChaosResource, cron: string, labels: Record<string, string>): ChaosSchedule {
  const embedded = resource.kind.charAt(0).toLowerCase() + resource.kind.slice(1);
  // IOChaos → ioChaos, DNSChaos → dnsChaos, HTTPChaos → httpChaos: the Schedule CRD's field names.
  const field = embedded.replace(/^([a-z])([A-Z]+)(?=Chaos$)/, (_, a: string, b: string) => a + b.toLowerCase());
  return {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: 'Schedule',
    metadata: {
      name: resource.metadata.name,
      namespace: resource.metadata.namespace,
      labels: { ...resource.metadata.labels, ...labels, 'faultline.dev/background': 'true' },
      ...(resource.metadata.annotations && { annotations: resource.metadata.annotations }),
    },
    spec: { schedule: cron, type: resource.kind, historyLimit: HISTORY_LIMIT, concurrencyPolicy: 'Forbid', [field]: resource.spec },
  };
}
