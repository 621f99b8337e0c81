import { test } from '../fixtures.ts';
import { bdgReplicaLag, jktPodLoss, tgwPartitionJktBdg } from './game-days.ts';

test.describe('tri-region-tgw game days (seed 003)', () => {
  test('JKT pod loss: kill 50% of jkt service-main under load', async ({ gameday }) => {
    await gameday.run(jktPodLoss);
  });

  test('TGW partition JKT↔BDG for 60 s', async ({ gameday }) => {
    await gameday.run(tgwPartitionJktBdg);
  });

  test('BDG replica lag 5 s', async ({ gameday }) => {
    await gameday.run(bdgReplicaLag);
  });
});
