import type { LabBinding } from '../../../lab/contract/index.ts';
import { garageSliceLab } from '../slice-lab.ts';

/**
 * Reduced to what the failover game days need: stock adjustments written to the garage inventory DB (async
 * streaming replica), reservations to the reservation ledger (CDC) and replenishment work to its mirrored queue.
 */
export const garageInventoryLab: LabBinding = garageSliceLab(19700, 'garage-inventory', {
  service: 'stock-adjustment',
  replicated: 'garage-inventory-db',
  cdc: 'reservation-ledger',
  mirror: 'replenishment-queue',
});
