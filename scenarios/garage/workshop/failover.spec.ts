import { test } from '../../fixtures.ts';
import { billingQueueMirrorLagAtFailover, workshopRegionFailover } from './game-days.ts';

// Seed 001 on its active/passive lab (ports 19600-19649); about 80 s per game day.
test.describe('garage-workshop failover (seed 001)', () => {
  test('primary region loss → manual failover: RTO in phases, RPO from acknowledged writes', async ({ gameday }) => {
    await gameday.run(workshopRegionFailover);
  });

  test('billing-queue mirror lag 5 s at failover: lost messages counted', async ({ gameday }) => {
    await gameday.run(billingQueueMirrorLagAtFailover);
  });
});
