import type { Scenario } from '../../../core/index.ts';
import { garagePlatform } from '../../../targets/index.ts';
import { primaryPodLoss, secondaryStoreLag, standbyPartition } from '../active-passive.ts';

/** Bookings and jobs go through the orchestrator: losing half of it must not lose a booking. */
export const bookingOrchestratorPodLoss: Scenario = primaryPodLoss(garagePlatform, 'booking-orchestrator');

export const platformStandbyPartition: Scenario = standbyPartition(garagePlatform);

/** The booking ledger reaches the standby by CDC: a slow connector must stay a lag, never an outage. */
export const bookingLedgerCdcLag: Scenario = secondaryStoreLag(garagePlatform, 'booking-ledger', '10s');

/** The game days of the garage platform's core slice (seed 000). */
export const garagePlatformGameDays: Scenario[] = [bookingOrchestratorPodLoss, platformStandbyPartition, bookingLedgerCdcLag];
