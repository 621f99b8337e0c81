import type { Duration } from '../../core/index.ts';
import { CHAOS_API_VERSION, type ChaosResource, type ObjectMeta } from './chaos-resource.ts';
import { goDuration } from './go-duration.ts';
import type { NetworkChaosSpec } from './network-chaos.ts';
import type { PodChaosSpec } from './pod-chaos.ts';

/**
 * One chaos step of a Workflow: the experiment's spec embedded under its kind's key, bounded by `deadline`. It keeps
 * its own `duration` (the same TTL): the webhook refuses a pod-failure without one.
 */
export type WorkflowStep = { name: string } & ({ kind: 'PodChaos'; spec: PodChaosSpec } | { kind: 'NetworkChaos'; spec: NetworkChaosSpec });

export interface WorkflowTemplate {
  name: string;
  templateType: 'Parallel' | 'PodChaos' | 'NetworkChaos';
  deadline: string;
  children?: string[];
  podChaos?: PodChaosSpec;
  networkChaos?: NetworkChaosSpec;
}

export type WorkflowSpec = {
  entry: string;
  templates: WorkflowTemplate[];
};

/**
 * A Chaos Mesh Workflow that runs its steps in parallel, each bounded by the same deadline: several experiments
 * that together are one fault (a region loss is its pods failed and its network cut), created, held and deleted as
 * one resource, so there is one thing to revert and one TTL.
 */
export function parallelWorkflow(metadata: ObjectMeta, o: { entry: string; deadline: Duration; steps: WorkflowStep[] }): ChaosResource<WorkflowSpec> {
  const deadline = goDuration(o.deadline, 'deadline');
  const templates: WorkflowTemplate[] = [
    { name: o.entry, templateType: 'Parallel', deadline, children: o.steps.map((s) => s.name) },
    ...o.steps.map((s): WorkflowTemplate =>
      // Copies: steps built from one selector object would otherwise print as YAML anchors.
      s.kind === 'PodChaos'
        ? { name: s.name, templateType: 'PodChaos', deadline, podChaos: structuredClone(s.spec) }
        : { name: s.name, templateType: 'NetworkChaos', deadline, networkChaos: structuredClone(s.spec) },
    ),
  ];
  return { apiVersion: CHAOS_API_VERSION, kind: 'Workflow', metadata, spec: { entry: o.entry, templates } };
}
