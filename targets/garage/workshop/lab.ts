import type { LabBinding } from '../../../lab/contract/index.ts';
import { garageSliceLab } from '../slice-lab.ts';

/**
 * Reduced to what the failover game days need: the technician app gateway writing job cards (async streaming
 * replica) and queueing billing work on the billing queue (mirrored queue). The seed draws no CDC in this slice.
 */
export const garageWorkshopLab: LabBinding = garageSliceLab(19600, 'garage-workshop', {
  service: 'technician-app-gateway',
  replicated: 'job-card-store',
  mirror: 'billing-queue',
});
