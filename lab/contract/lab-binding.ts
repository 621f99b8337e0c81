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
  /**
   * TTL of the database leases the secret store issues, when the topology has one. Default 30000 ms: short enough for
   * a game day to outlive it (the Vault region-loss game day holds the store away for 45 s).
   */
  secretLeaseTtlMs?: number;
  /**
   * Put the databases' data directories on the lab's delaying FUSE disk (faultline-slowfs), so ioLatency can slow
   * them. It needs root and /dev/fuse; without them the lab runs on the plain disk, says so, and refuses ioLatency.
   * Default true.
   */
  slowDisk?: boolean;
  /** Set for an active/passive lab (primary + secondary, failover); absent for the tri-region lab. */
  activePassive?: ActivePassiveShape;
}

/**
 * An active/passive lab: a primary region that takes every write and a secondary that runs a warm standby on
 * copies of the primary's stores, and takes over on failover. Any topology with one `primary` and one `secondary`
 * region can use it (the garage slices, a primary/DR cloud pair). Names refer to the topology's datastores.
 */
export interface ActivePassiveShape {
  /** The one workload the lab runs per region, standing in for the slice's services. */
  service: string;
  /**
   * The store each write lands in: PostgreSQL with an async streaming replica in the secondary, promoted with
   * pg_promote. The topology may draw it as async or as CDC (a copy into another engine, Aurora → Cloud SQL): either
   * way the copy is asynchronous, lags, and is promoted on failover, which is all the game days observe.
   */
  replicated: string;
  /** A ledger the topology draws with change data capture: PostgreSQL logical replication into a writable copy. */
  cdc?: string;
  /** A topic or queue the topology mirrors: a NATS JetStream stream mirrored into the secondary. */
  mirror?: string;
  /**
   * A mesh route in the primary: the route proxy (NGINX + njs, the mesh's sidecar layer) sits between the region's
   * ingress, which plays the API gateway, and the service's replicas, so an `httpFault` from the primary to the
   * service lands there and never in the service's code. Default: no route proxy, the ingress reaches the replicas.
   */
  meshRoute?: boolean;
  /** The DR watcher's health checks of the primary's ingress: how often, and how many missed before it fails over. */
  watcher: { intervalMs: number; missed: number };
}
