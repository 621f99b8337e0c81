export { GARAGE_LINKS, GARAGE_REGIONS } from './active-passive.ts';
export { GARAGE_CLUSTERS, garageSliceBinding } from './slice-binding.ts';
export { garagePlatform } from './platform/topology.ts';
export { garagePlatformKubernetes } from './platform/kubernetes.ts';
export { garageWorkshop } from './workshop/topology.ts';
export { garageWorkshopKubernetes } from './workshop/kubernetes.ts';
export { garageInventory } from './inventory/topology.ts';
export { garageInventoryKubernetes } from './inventory/kubernetes.ts';
