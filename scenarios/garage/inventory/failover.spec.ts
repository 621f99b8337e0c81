import { test } from '../../fixtures.ts';
import { inventoryRegionFailover, replenishmentMirrorLagAtFailover } from './game-days.ts';

// Seed 002 on its active/passive lab (ports 19700-19749); about 80 s per game day.
test.describe('garage-inventory failover (seed 002)', () => {
  test('primary region loss → manual failover: RTO in phases, RPO from acknowledged writes', async ({ gameday }) => {
    await gameday.run(inventoryRegionFailover);
  });

  test('replenishment-queue mirror lag 5 s at failover: lost messages counted', async ({ gameday }) => {
    await gameday.run(replenishmentMirrorLagAtFailover);
  });
});
