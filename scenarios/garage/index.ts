export { ACTIVE_PASSIVE_TRAFFIC, primaryPodLoss, secondaryStoreLag, standbyPartition } from './active-passive.ts';
export { FAILOVER_TRAFFIC, lagAtFailover, laggingReplicaFailover, primaryRegionFailover, type SliceStores } from './failover.ts';
export * from './platform/game-days.ts';
export * from './workshop/game-days.ts';
export * from './inventory/game-days.ts';
