import type { Topology } from '../../../core/index.ts';
import { GARAGE_LINKS, GARAGE_REGIONS, replicatedToSecondary, warmStandby } from '../active-passive.ts';

/**
 * Seed 001: the garage platform's workshop slice (job steps, technician app, telemetry, QA, customer notices and
 * the billing bridge), active/passive across two regions. Stores are taken as PostgreSQL, the notification and
 * billing queues as queues mirrored to the secondary, and the audit stream as Kafka.
 */
export const garageWorkshop: Topology = {
  name: 'garage-workshop',
  description: 'Garage platform workshop slice: active/passive, replicated job and step stores, mirrored notification and billing queues',
  regions: GARAGE_REGIONS,
  services: warmStandby(
    'auth-proxy',
    'step-assignment',
    'technician-app-gateway',
    'telemetry-ingest',
    'resource-consumption',
    'exception-router',
    'qa-inspection',
    'customer-notification',
    'billing-bridge',
  ),
  datastores: [
    replicatedToSecondary('job-card-store', 'postgres', 'async'),
    replicatedToSecondary('step-progress-store', 'postgres', 'async'),
    replicatedToSecondary('resource-usage-ledger', 'postgres', 'async'),
    replicatedToSecondary('exception-ledger', 'postgres', 'async'),
    replicatedToSecondary('qa-log', 'postgres', 'async'),
    replicatedToSecondary('customer-notification-queue', 'queue', 'mirror'),
    replicatedToSecondary('billing-queue', 'queue', 'mirror'),
    replicatedToSecondary('workshop-audit-stream', 'kafka', 'mirror'),
  ],
  caches: [],
  links: GARAGE_LINKS,
};
