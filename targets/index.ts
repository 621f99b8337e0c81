import { FaultlineError, type LabBinding, type Topology } from '../core/index.ts';
import type { KubernetesBinding } from '../chaos/mesh/index.ts';
import { triRegionTgwKubernetes } from './tri-region-tgw/kubernetes.ts';
import { triRegionTgw } from './tri-region-tgw/topology.ts';
import { triRegionTgwLab } from './tri-region-tgw/lab.ts';

export { triRegionTgw, triRegionTgwLab, triRegionTgwKubernetes };

/** A topology and the targets it can be bound to. */
export interface TopologyTargets {
  topology: Topology;
  lab?: LabBinding;
  kubernetes?: KubernetesBinding;
}

/** Every topology faultline knows, by name. */
export const topologies: Record<string, TopologyTargets> = {
  [triRegionTgw.name]: { topology: triRegionTgw, lab: triRegionTgwLab, kubernetes: triRegionTgwKubernetes },
};

export function requireTopology(name: string): TopologyTargets {
  const found = topologies[name];
  if (!found) {
    throw new FaultlineError(
      'FAULTLINE_UNKNOWN_NAME',
      `unknown topology "${name}"`,
      `use one of: ${Object.keys(topologies).join(', ')}`,
    );
  }
  return found;
}
