import { FaultlineError, type LabBinding, type Topology } from '../core/index.ts';
import { triRegionTgw } from './tri-region-tgw/topology.ts';
import { triRegionTgwLab } from './tri-region-tgw/lab.ts';

export { triRegionTgw, triRegionTgwLab };

/** Every topology faultline knows, by name. */
export const topologies: Record<string, { topology: Topology; lab?: LabBinding }> = {
  [triRegionTgw.name]: { topology: triRegionTgw, lab: triRegionTgwLab },
};

export function requireTopology(name: string): { topology: Topology; lab?: LabBinding } {
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
