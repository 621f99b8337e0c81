import type { KubernetesBinding } from '../../chaos/mesh/index.ts';
import type { Scenario, Topology } from '../../core/index.ts';
import {
  garageInventory,
  garageInventoryKubernetes,
  garagePlatform,
  garagePlatformKubernetes,
  garageWorkshop,
  garageWorkshopKubernetes,
} from '../../targets/garage/index.ts';
import { multiCloudMesh, multiCloudMeshKubernetes } from '../../targets/multi-cloud-mesh/index.ts';
import { garageInventoryGameDays, garagePlatformGameDays, garageWorkshopGameDays } from '../../scenarios/garage/index.ts';
import { multiCloudMeshGameDays } from '../../scenarios/multi-cloud-mesh/index.ts';

/** A seed system as the tests see it: its topology, its Kubernetes binding and its game days. */
export interface SeedSystem {
  seed: string;
  topology: Topology;
  binding: KubernetesBinding;
  gameDays: Scenario[];
}

export const SEED_SYSTEMS: SeedSystem[] = [
  { seed: '000', topology: garagePlatform, binding: garagePlatformKubernetes, gameDays: garagePlatformGameDays },
  { seed: '001', topology: garageWorkshop, binding: garageWorkshopKubernetes, gameDays: garageWorkshopGameDays },
  { seed: '002', topology: garageInventory, binding: garageInventoryKubernetes, gameDays: garageInventoryGameDays },
  { seed: '004', topology: multiCloudMesh, binding: multiCloudMeshKubernetes, gameDays: multiCloudMeshGameDays },
];
