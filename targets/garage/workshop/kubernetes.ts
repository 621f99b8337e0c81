import type { KubernetesBinding } from '../../../chaos/mesh/index.ts';
import { garageSliceBinding } from '../slice-binding.ts';
import { garageWorkshop } from './topology.ts';

/** The workshop slice on the garage platform's two clusters, in namespaces `garage-workshop` and `garage-workshop-data`. */
export const garageWorkshopKubernetes: KubernetesBinding = garageSliceBinding(garageWorkshop);
