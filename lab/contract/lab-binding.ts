/**
 * How a topology is sized and placed when it runs as the embedded lab on this machine.
 * Part of the lab contract: the topology definitions (targets/) declare it and the lab itself (lab/) reads it.
 */
export interface LabBinding {
  /** First port of the lab's port range; every component gets a fixed offset from it. Default 19000. */
  portBase: number;
  /** `service-main` replicas per region. Default 2: nine Node processes in all fit 2 cores. */
  mainReplicas: Record<string, number>;
  /** `service-backup` replicas per region. Default 1. */
  backupReplicas: number;
  /** How long the supervisor waits before restarting a killed service process, like a ReplicaSet. Default 3000 ms. */
  restartDelayMs: number;
  /** Where data, logs, the ledger and journals live. Default `.faultline/lab`. */
  runDir: string;
  /** Timeout the reference service applies to every outbound call. Default 800 ms. */
  serviceTimeoutMs: number;
}
