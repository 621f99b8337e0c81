// Scheduled game days on clusters: the manifests `faultline schedule` prints.
export { scheduleManifests, scheduleYaml, type ScheduleManifests, type ScheduleOptions } from './schedule-manifests.ts';
export { cronJob, podScript, POD_PATHS, type CronJobOptions } from './cron-job.ts';
export { backgroundSchedules, type ChaosSchedule, type PlacedSchedule } from './background-schedules.ts';
export { rbacObjects, RBAC_DIR } from './rbac-objects.ts';
