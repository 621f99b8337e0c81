import { bindingProblems as meshBindingProblems, type KubernetesBinding } from '../../chaos/mesh/index.ts';
import { topologyProblems as coreTopologyProblems, type Topology } from '../../core/index.ts';

/*
 * Structural checks a topology and its binding must pass (the first two live in core/ and chaos/mesh/, where the
 * topology-file loader uses them too). Written as functions returning every problem, so the
 * spec can show each check failing on a broken copy: a check that can never fail proves nothing.
 */

/** core's topology check, as messages (the file loader uses the same function with field paths). */
export function topologyProblems(t: Topology): string[] {
  return coreTopologyProblems(t).map((p) => p.message);
}

/** Problems of an active/passive system: a standby region must hold a copy of every service and every store. */
export function standbyProblems(t: Topology): string[] {
  const problems: string[] = [];
  for (const standby of t.regions.filter((r) => r.role === 'secondary')) {
    for (const s of t.services.filter((s) => !s.regions.includes(standby.name))) problems.push(`service "${s.name}" has no standby in "${standby.name}"`);
    for (const d of t.datastores.filter((d) => !d.replicas.some((r) => r.region === standby.name))) problems.push(`datastore "${d.name}" has no copy in "${standby.name}"`);
  }
  return problems;
}

/** The Kubernetes driver's binding check, as messages. */
export function bindingProblems(b: KubernetesBinding, t: Topology): string[] {
  return meshBindingProblems(b, t).map((p) => p.message);
}
