import type { Scenario } from '../../../core/index.ts';
import { garagePlatform } from '../../../targets/index.ts';
import { primaryPodLoss, secondaryStoreLag, standbyPartition } from '../active-passive.ts';
import { lagAtFailover, laggingReplicaFailover, primaryRegionFailover } from '../failover.ts';

/** Bookings and jobs go through the orchestrator: losing half of it must not lose a booking. */
export const bookingOrchestratorPodLoss: Scenario = primaryPodLoss(garagePlatform, 'booking-orchestrator');

export const platformStandbyPartition: Scenario = standbyPartition(garagePlatform);

/** The booking ledger reaches the standby by CDC: a slow connector must stay a lag, never an outage. */
export const bookingLedgerCdcLag: Scenario = secondaryStoreLag(garagePlatform, 'booking-ledger', '10s');

/** The game days of the garage platform's core slice (seed 000). */
export const garagePlatformGameDays: Scenario[] = [bookingOrchestratorPodLoss, platformStandbyPartition, bookingLedgerCdcLag];

const platformStores = { replicated: 'job-warehouse', cdc: 'booking-ledger', mirror: 'event-bus' };

/** Seed 000 on its active/passive lab: the primary region is lost and the DR runbook promotes the secondary. */
export const platformRegionFailover: Scenario = primaryRegionFailover(garagePlatform, platformStores);
/** The same loss, failed over by the DR watcher on its own. */
export const platformRegionFailoverAutomatic: Scenario = primaryRegionFailover(garagePlatform, platformStores, 'automatic');
/** The booking ledger's CDC copy lags 5 s at failover: the booking rows the lag cost are counted. */
export const bookingLedgerCdcLagAtFailover: Scenario = lagAtFailover(garagePlatform, platformStores, 'booking-ledger', '5s');
/** The negative suite: a 10 s replica lag at failover must break the 5 s RPO. */
export const platformLaggingReplicaFailover: Scenario = laggingReplicaFailover(garagePlatform, platformStores);

/** The failover game days of the platform slice, on its active/passive lab. */
export const garagePlatformFailoverDays: Scenario[] = [platformRegionFailover, platformRegionFailoverAutomatic, bookingLedgerCdcLagAtFailover];
