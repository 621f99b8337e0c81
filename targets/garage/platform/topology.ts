import type { Topology } from '../../../core/index.ts';
import { GARAGE_LINKS, GARAGE_REGIONS, replicatedToSecondary, warmStandby } from '../active-passive.ts';

/**
 * Seed 000: the garage platform's core slice (onboarding, identity, bookings, parts, notifications, billing),
 * active/passive across two regions. The seed names clusters, not engines: relational ledgers and registries are
 * taken as PostgreSQL, streams and the event bus as Kafka, documents as object storage.
 */
export const garagePlatform: Topology = {
  name: 'garage-platform',
  description: 'Garage platform core slice: active/passive, async replicas, CDC on the booking ledger, mirrored event bus and audit stream',
  regions: GARAGE_REGIONS,
  services: warmStandby(
    // Every request from the edge passes the regional auth proxy before any domain pod.
    'auth-proxy',
    'garage-onboarding',
    'identity-core',
    'booking-orchestrator',
    'parts-tools-mesh',
    'notification-hub',
    'billing',
  ),
  datastores: [
    replicatedToSecondary('tenant-registry', 'postgres', 'async'),
    replicatedToSecondary('identity-directory', 'postgres', 'async'),
    replicatedToSecondary('booking-ledger', 'postgres', 'cdc'),
    replicatedToSecondary('job-warehouse', 'postgres', 'async'),
    replicatedToSecondary('inventory-ledger', 'postgres', 'async'),
    replicatedToSecondary('billing-ledger', 'postgres', 'async'),
    replicatedToSecondary('audit-ledger', 'kafka', 'mirror'),
    replicatedToSecondary('event-bus', 'kafka', 'mirror'),
    replicatedToSecondary('document-storage', 'object-storage', 'mirror'),
  ],
  caches: [],
  links: GARAGE_LINKS,
};
