import type { Topology } from '../../../core/index.ts';
import { GARAGE_LINKS, GARAGE_REGIONS, replicatedToSecondary, warmStandby } from '../active-passive.ts';

/**
 * Seed 002: the garage platform's inventory slice (catalogue, supplier feeds, garage imports, stock, reservations,
 * replenishment, quality holds), active/passive across two regions. The catalogue and supplier feeds are taken as
 * document stores, the inventory, reservation and quality-hold stores as PostgreSQL, the audit stream as Kafka.
 */
export const garageInventory: Topology = {
  name: 'garage-inventory',
  description: 'Garage platform inventory slice: active/passive, replicated stores, CDC on the reservation ledger, mirrored replenishment queue',
  regions: GARAGE_REGIONS,
  services: warmStandby(
    'auth-proxy',
    'catalogue-authoring',
    'supplier-ingestion',
    'garage-import',
    'stock-adjustment',
    'reservation',
    'replenishment',
    'quality-hold',
  ),
  datastores: [
    replicatedToSecondary('catalogue-repository', 'document', 'async'),
    replicatedToSecondary('supplier-feed-store', 'document', 'async'),
    replicatedToSecondary('garage-inventory-db', 'postgres', 'async'),
    replicatedToSecondary('reservation-ledger', 'postgres', 'cdc'),
    replicatedToSecondary('replenishment-queue', 'queue', 'mirror'),
    replicatedToSecondary('quality-hold-store', 'postgres', 'async'),
    replicatedToSecondary('inventory-audit-stream', 'kafka', 'mirror'),
  ],
  caches: [],
  links: GARAGE_LINKS,
};
