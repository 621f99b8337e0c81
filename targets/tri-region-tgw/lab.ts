import type { LabBinding } from '../../lab/contract/index.ts';

/** Defaults sized for a 2-core machine: nine service processes, three Redis, three PostgreSQL, three NGINX; five Vault nodes with the topology's secret store. */
export const triRegionTgwLab: LabBinding = {
  portBase: 19000,
  mainReplicas: { jkt: 2, bdg: 2, sby: 2 },
  backupReplicas: 1,
  restartDelayMs: 3_000,
  runDir: '.faultline/lab',
  serviceTimeoutMs: 800,
};
