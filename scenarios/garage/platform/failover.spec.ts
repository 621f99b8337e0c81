import { test } from '../../fixtures.ts';
import { bookingLedgerCdcLagAtFailover, platformRegionFailover, platformRegionFailoverAutomatic } from './game-days.ts';

// Seed 000 on its active/passive lab (ports 19500-19549). Each game day costs about 80 s; the fixture rebuilds the
// lab between them (a failed-over lab is another system), which costs about 10 s more.
test.describe('garage-platform failover (seed 000)', () => {
  test('primary region loss → manual failover: RTO in phases, RPO from acknowledged writes', async ({ gameday }) => {
    await gameday.run(platformRegionFailover);
  });

  test('primary region loss → the DR watcher fails over on its own', async ({ gameday }) => {
    await gameday.run(platformRegionFailoverAutomatic);
  });

  test('booking-ledger CDC lag 5 s at failover: lost ledger rows counted', async ({ gameday }) => {
    await gameday.run(bookingLedgerCdcLagAtFailover);
  });
});
