import type { Scenario } from '../../../core/index.ts';
import { garageInventory } from '../../../targets/index.ts';
import { primaryPodLoss, secondaryStoreLag, standbyPartition } from '../active-passive.ts';
import { lagAtFailover, primaryRegionFailover } from '../failover.ts';

/**
 * Failed pods, not killed ones: they stay in place but stop serving, so the ReplicaSet does not replace them and the
 * remaining pods carry stock adjustments until the fault ends.
 */
export const stockAdjustmentPodFailure: Scenario = primaryPodLoss(garageInventory, 'stock-adjustment', 'podFailure');

export const inventoryStandbyPartition: Scenario = standbyPartition(garageInventory);

/** Reservations reach the standby by CDC; a lagging copy would double-book parts after a failover. */
export const reservationLedgerCdcLag: Scenario = secondaryStoreLag(garageInventory, 'reservation-ledger', '10s');

/** The game days of the garage platform's inventory slice (seed 002). */
export const garageInventoryGameDays: Scenario[] = [stockAdjustmentPodFailure, inventoryStandbyPartition, reservationLedgerCdcLag];

const inventoryStores = { replicated: 'garage-inventory-db', cdc: 'reservation-ledger', mirror: 'replenishment-queue' };

/** Seed 002 on its active/passive lab: the primary region is lost and the DR runbook promotes the secondary. */
export const inventoryRegionFailover: Scenario = primaryRegionFailover(garageInventory, inventoryStores);
/** The replenishment queue's mirror lags 5 s at failover: the messages the lag cost are counted. */
export const replenishmentMirrorLagAtFailover: Scenario = lagAtFailover(garageInventory, inventoryStores, 'replenishment-queue', '5s');

/** The failover game days of the inventory slice, on its active/passive lab. */
export const garageInventoryFailoverDays: Scenario[] = [inventoryRegionFailover, replenishmentMirrorLagAtFailover];
