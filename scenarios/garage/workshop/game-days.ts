import type { Scenario } from '../../../core/index.ts';
import { garageWorkshop } from '../../../targets/index.ts';
import { primaryPodLoss, secondaryStoreLag, standbyPartition } from '../active-passive.ts';
import { lagAtFailover, primaryRegionFailover } from '../failover.ts';

/** Technicians on the shop floor reach every workshop service through the app gateway. */
export const technicianGatewayPodLoss: Scenario = primaryPodLoss(garageWorkshop, 'technician-app-gateway');

export const workshopStandbyPartition: Scenario = standbyPartition(garageWorkshop);

/** Billing runs off the mirrored billing queue after a failover: a slow mirror must not stop the workshop. */
export const billingQueueMirrorLag: Scenario = secondaryStoreLag(garageWorkshop, 'billing-queue', '15s');

/** The game days of the garage platform's workshop slice (seed 001). */
export const garageWorkshopGameDays: Scenario[] = [technicianGatewayPodLoss, workshopStandbyPartition, billingQueueMirrorLag];

const workshopStores = { replicated: 'job-card-store', mirror: 'billing-queue' };

/** Seed 001 on its active/passive lab: the primary region is lost and the DR runbook promotes the secondary. */
export const workshopRegionFailover: Scenario = primaryRegionFailover(garageWorkshop, workshopStores);
/** The billing queue's mirror lags 5 s at failover: the billing messages the lag cost are counted. */
export const billingQueueMirrorLagAtFailover: Scenario = lagAtFailover(garageWorkshop, workshopStores, 'billing-queue', '5s');

/** The failover game days of the workshop slice, on its active/passive lab. */
export const garageWorkshopFailoverDays: Scenario[] = [workshopRegionFailover, billingQueueMirrorLagAtFailover];
