import type { KubernetesBinding } from '../../../chaos/mesh/index.ts';
import { garageSliceBinding } from '../slice-binding.ts';
import { garagePlatform } from './topology.ts';

/** The platform slice on the garage platform's two clusters, in namespaces `garage-platform` and `garage-platform-data`. */
export const garagePlatformKubernetes: KubernetesBinding = garageSliceBinding(garagePlatform);
