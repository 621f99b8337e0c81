import { test } from '../fixtures.ts';
import { jktTotalOutage } from './game-days.ts';

// Proves the gate can fail: the lab cannot survive this, so this test must fail and `faultline gameday` must exit 1.
// Tagged so the regular game days leave it out; tests/gameday/negative-gate.spec.ts runs it and checks the failure.
test('jkt total outage breaks jkt availability @negative', async ({ gameday }) => {
  await gameday.run(jktTotalOutage);
});
