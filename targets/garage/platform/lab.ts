import type { LabBinding } from '../../../lab/contract/index.ts';
import { garageSliceLab } from '../slice-lab.ts';

/**
 * Reduced to what the failover game days need: the booking orchestrator writing jobs to the job warehouse (async
 * streaming replica), each booking to the booking ledger (CDC) and an event to the event bus (mirrored topic).
 */
export const garagePlatformLab: LabBinding = garageSliceLab(19500, 'garage-platform', {
  service: 'booking-orchestrator',
  replicated: 'job-warehouse',
  cdc: 'booking-ledger',
  mirror: 'event-bus',
});
