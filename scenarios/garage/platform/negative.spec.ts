import { test } from '../../fixtures.ts';
import { platformLaggingReplicaFailover } from './game-days.ts';

// Proves the RPO gate can fail: with the replica 10 s behind when the region is lost, about 10 s of acknowledged
// writes are gone, so `rpo ≤ 5s` must fail. Tagged so the regular game days leave it out;
// tests/failover/negative-rpo.spec.ts runs it and checks it fails for that reason.
test('10 s replica lag at failover breaks the 5 s RPO @negative', async ({ gameday }) => {
  await gameday.run(platformLaggingReplicaFailover);
});
