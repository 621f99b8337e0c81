import type { Scenario } from '../../../core/index.ts';
import { garageWorkshop } from '../../../targets/index.ts';
import { primaryPodLoss, secondaryStoreLag, standbyPartition } from '../active-passive.ts';

/** Technicians on the shop floor reach every workshop service through the app gateway. */
export const technicianGatewayPodLoss: Scenario = primaryPodLoss(garageWorkshop, 'technician-app-gateway');

export const workshopStandbyPartition: Scenario = standbyPartition(garageWorkshop);

/** Billing runs off the mirrored billing queue after a failover: a slow mirror must not stop the workshop. */
export const billingQueueMirrorLag: Scenario = secondaryStoreLag(garageWorkshop, 'billing-queue', '15s');

/** The game days of the garage platform's workshop slice (seed 001). */
export const garageWorkshopGameDays: Scenario[] = [technicianGatewayPodLoss, workshopStandbyPartition, billingQueueMirrorLag];
