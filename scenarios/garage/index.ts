export { ACTIVE_PASSIVE_TRAFFIC, primaryPodLoss, secondaryStoreLag, standbyPartition } from './active-passive.ts';
export * from './platform/game-days.ts';
export * from './workshop/game-days.ts';
export * from './inventory/game-days.ts';
