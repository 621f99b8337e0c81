import { test } from '../fixtures.ts';
import { vaultLeaderLoss, vaultRegionLossBdg } from './vault-game-days.ts';

test.describe('tri-region-tgw Vault game days (seed 003)', () => {
  test('Vault leader loss in jkt: re-election under load', async ({ gameday }) => {
    await gameday.run(vaultLeaderLoss);
  });

  test('Vault region loss in bdg: serving on the cached lease until its TTL, then failing as designed', async ({ gameday }) => {
    await gameday.run(vaultRegionLossBdg);
  });
});
