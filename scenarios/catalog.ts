import { FaultlineError, type Scenario } from '../core/index.ts';
import {
  garageInventoryFailoverDays,
  garageInventoryGameDays,
  garagePlatformFailoverDays,
  garagePlatformGameDays,
  garageWorkshopFailoverDays,
  garageWorkshopGameDays,
  platformLaggingReplicaFailover,
} from './garage/index.ts';
import { meshTotalAbort, multiCloudMeshGameDays, multiCloudMeshLabGameDays } from './multi-cloud-mesh/index.ts';
import { jktTotalOutage, triRegionGameDays } from './tri-region-tgw/game-days.ts';
import { triRegionVaultGameDays } from './tri-region-tgw/vault-game-days.ts';

/** Every named scenario the CLI can run, validate or dry-run. */
export const catalog: Scenario[] = [
  ...triRegionGameDays,
  ...triRegionVaultGameDays,
  jktTotalOutage,
  ...garagePlatformGameDays,
  ...garageWorkshopGameDays,
  ...garageInventoryGameDays,
  ...garagePlatformFailoverDays,
  ...garageWorkshopFailoverDays,
  ...garageInventoryFailoverDays,
  platformLaggingReplicaFailover,
  ...multiCloudMeshGameDays,
  ...multiCloudMeshLabGameDays,
  meshTotalAbort,
];

export function requireScenario(name: string): Scenario {
  const found = catalog.find((s) => s.name === name);
  if (!found) {
    throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `unknown scenario "${name}"`, `use one of: ${catalog.map((s) => s.name).join(', ')}`);
  }
  return found;
}
