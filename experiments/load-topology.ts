import { PreflightError, topologyProblems, type Topology } from '../core/index.ts';
import type { KubernetesBinding } from '../chaos/mesh/index.ts';
// Only the static binding check: chaos/mesh's barrel would load the Kubernetes client for a lab run.
import { bindingProblems } from '../chaos/mesh/binding-problems.ts';
import type { LabBinding } from '../lab/contract/index.ts';
import { triRegionTgwLab, type TopologyTargets } from '../targets/index.ts';
import { FileProblem, fieldName } from './file-problem.ts';
import { schemaProblems } from './schema-check.ts';
import { locate, readSourceFile, type SourceFile } from './source-file.ts';
import type { TopologyFile } from './topology-file.ts';

/** A topology file compiled: the same TopologyTargets the registry in targets/ holds for the seed systems. */
export interface LoadedTopology extends TopologyTargets {
  file: string;
}

/**
 * Reads a topology file, checks it against the shipped schema, then checks its structure (regions that links,
 * replicas and services name must exist; one primary; bindings that match the topology, CIDRs that parse, selectors
 * inside the blast radius). Throws one PreflightError listing every problem with its file, line and field.
 */
export function loadTopologyFile(file: string): LoadedTopology {
  return compileTopologySource(readSourceFile(file));
}

export function compileTopologySource(src: SourceFile): LoadedTopology {
  const schema = schemaProblems(src, 'topology');
  if (schema.length) throw new PreflightError(schema);
  const data = src.data as TopologyFile;
  const { $schema: _schema, lab, kubernetes, ...topology } = data;
  const problems = topologyProblems(topology).map((p) => new FileProblem(src.path, locate(src, p.path), fieldName(p.path), p.message, 'every region named here must be one of regions[].name'));
  let binding: KubernetesBinding | undefined;
  if (kubernetes) {
    binding = { ...kubernetes, topology: kubernetes.topology ?? topology.name, productionLike: kubernetes.productionLike ?? false };
    // Region problems are reported once, against the topology; the binding's own are checked only on a sound topology.
    if (problems.length === 0) {
      problems.push(
        ...bindingProblems(binding, topology).map((p) => new FileProblem(src.path, locate(src, ['kubernetes', ...p.path]), fieldName(['kubernetes', ...p.path]), p.message, 'see docs/kubernetes.md, "The binding"')),
      );
    }
  }
  const labBinding = lab ? labBindingOf(topology, lab) : undefined;
  if (lab?.mainReplicas) {
    for (const region of Object.keys(lab.mainReplicas)) {
      if (!topology.regions.some((r) => r.name === region)) {
        problems.push(new FileProblem(src.path, locate(src, ['lab', 'mainReplicas', region], true), `lab.mainReplicas.${region}`, `region "${region}" does not exist`, `regions: ${topology.regions.map((r) => r.name).join(', ')}`));
      }
    }
  }
  if (problems.length) throw new PreflightError(problems);
  return { file: src.path, topology, ...(labBinding && { lab: labBinding }), ...(binding && { kubernetes: binding }) };
}

/** A partial lab binding over the seed lab's sizes: two service-main replicas per region unless the file says. */
function labBindingOf(topology: Topology, lab: Partial<LabBinding>): LabBinding {
  const mainReplicas = Object.fromEntries(topology.regions.map((r) => [r.name, 2]));
  return { ...triRegionTgwLab, ...lab, mainReplicas: { ...mainReplicas, ...lab.mainReplicas } };
}
