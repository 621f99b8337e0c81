import { FaultlineError, type Topology } from '../core/index.ts';
import type { LabBinding } from '../lab/contract/index.ts';
import type { KubernetesBinding } from '../chaos/mesh/index.ts';
import { triRegionTgwKubernetes } from './tri-region-tgw/kubernetes.ts';
import { triRegionTgw } from './tri-region-tgw/topology.ts';
import { triRegionTgwLab } from './tri-region-tgw/lab.ts';
import {
  garageInventory,
  garageInventoryKubernetes,
  garageInventoryLab,
  garagePlatform,
  garagePlatformKubernetes,
  garagePlatformLab,
  garageWorkshop,
  garageWorkshopKubernetes,
  garageWorkshopLab,
} from './garage/index.ts';
import { multiCloudMesh, multiCloudMeshKubernetes, multiCloudMeshLab } from './multi-cloud-mesh/index.ts';

export { triRegionTgw, triRegionTgwLab, triRegionTgwKubernetes };
export { garagePlatform, garagePlatformKubernetes, garagePlatformLab, garageWorkshop, garageWorkshopKubernetes, garageWorkshopLab, garageInventory, garageInventoryKubernetes, garageInventoryLab };
export { multiCloudMesh, multiCloudMeshKubernetes, multiCloudMeshLab };

/** A topology and the targets it can be bound to. */
export interface TopologyTargets {
  topology: Topology;
  lab?: LabBinding;
  kubernetes?: KubernetesBinding;
}

/** Every topology faultline knows, by name. */
export const topologies: Record<string, TopologyTargets> = {
  [triRegionTgw.name]: { topology: triRegionTgw, lab: triRegionTgwLab, kubernetes: triRegionTgwKubernetes },
  [garagePlatform.name]: { topology: garagePlatform, lab: garagePlatformLab, kubernetes: garagePlatformKubernetes },
  [garageWorkshop.name]: { topology: garageWorkshop, lab: garageWorkshopLab, kubernetes: garageWorkshopKubernetes },
  [garageInventory.name]: { topology: garageInventory, lab: garageInventoryLab, kubernetes: garageInventoryKubernetes },
  [multiCloudMesh.name]: { topology: multiCloudMesh, lab: multiCloudMeshLab, kubernetes: multiCloudMeshKubernetes },
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
