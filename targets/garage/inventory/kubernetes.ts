import type { KubernetesBinding } from '../../../chaos/mesh/index.ts';
import { garageSliceBinding } from '../slice-binding.ts';
import { garageInventory } from './topology.ts';

/** The inventory slice on the garage platform's two clusters, in namespaces `garage-inventory` and `garage-inventory-data`. */
export const garageInventoryKubernetes: KubernetesBinding = garageSliceBinding(garageInventory);
