import { stringify } from 'yaml';
import { faultTtlMs, type Duration, type FaultPlan, type Scenario, type Topology } from '../../core/index.ts';
import type { ChaosResource } from './chaos-resource.ts';
import { chaosForFault } from './fault-manifests.ts';
import { contextsOf, type KubernetesBinding } from './kubernetes-binding.ts';

export interface DryRunInput {
  binding: KubernetesBinding;
  topology: Topology;
  runId: string;
  scenario: string;
  faults: FaultPlan[];
  /** Added to each fault's duration to make its TTL, as the engine does. Default `DEFAULT_TTL_GRACE` (`'30s'`). */
  ttlGrace?: Duration;
}

/** The manifests one cluster would receive. */
export interface ClusterManifests {
  context: string;
  regions: string[];
  resources: ChaosResource[];
}

export interface DryRun {
  clusters: ClusterManifests[];
  /** Every manifest as YAML, grouped per context under a comment naming it. */
  yaml: string;
}

/**
 * The exact manifests a run would create, per cluster, built by the same code the driver uses. Touches no cluster
 * and needs no kubeconfig, so it is safe anywhere, including CI without cluster credentials.
 */
export function renderDryRun(input: DryRunInput): DryRun {
  const clusters: ClusterManifests[] = contextsOf(input.binding).map((c) => ({ ...c, resources: [] }));
  for (const plan of input.faults) {
    const ttlMs = faultTtlMs(plan, input.ttlGrace);
    for (const p of chaosForFault(plan, { ...input, ttlMs })) {
      clusters.find((c) => c.context === p.context)!.resources.push(p.resource);
    }
  }
  const used = clusters.filter((c) => c.resources.length);
  return { clusters: used, yaml: manifestsYaml(`scenario "${input.scenario}", run ${input.runId}`, used) };
}

/** The dry run of a whole scenario: its faults and its TTL grace. */
export function renderScenarioDryRun(scenario: Scenario, binding: KubernetesBinding, topology: Topology, runId: string): DryRun {
  return renderDryRun({
    binding,
    topology,
    runId,
    scenario: scenario.name,
    faults: scenario.faults,
    ...(scenario.ttlGrace !== undefined ? { ttlGrace: scenario.ttlGrace } : {}),
  });
}

/** YAML documents grouped per context; what `--dry-run` prints. */
export function manifestsYaml(title: string, clusters: { context: string; regions: string[]; resources: object[] }[]): string {
  const out = [`# faultline dry run: ${title}. Nothing was sent to any cluster.`];
  for (const c of clusters) {
    out.push(`# ── context "${c.context}" (region${c.regions.length === 1 ? '' : 's'} ${c.regions.join(', ')}): ${c.resources.length} resource${c.resources.length === 1 ? '' : 's'}`);
    for (const r of c.resources) out.push(`---\n${stringify(r, { lineWidth: 0 }).trimEnd()}`);
  }
  return out.join('\n') + '\n';
}
