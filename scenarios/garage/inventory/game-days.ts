import type { Scenario } from '../../../core/index.ts';
import { garageInventory } from '../../../targets/index.ts';
import { primaryPodLoss, secondaryStoreLag, standbyPartition } from '../active-passive.ts';

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
