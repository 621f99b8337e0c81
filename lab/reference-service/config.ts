/** Everything one reference-service replica needs to know, passed by the supervisor as environment variables. */
export interface ServiceConfig {
  region: string;
  service: string;
  replica: number;
  port: number;
  /** The region's Redis read-through cache; absent when the topology has no cache there. */
  redisPort?: number;
  /** The database this region reads: the replica in regional regions, the primary in the primary region. */
  dbPort: number;
  dbUser: string;
  dbName: string;
  /**
   * Where writes go when this region has no writable database: the primary region's ingress, through this region's
   * toxiproxy API link. Absent in the primary region, which writes to its database directly.
   */
  primaryApiUrl?: string;
  /** Applied to every outbound call (Redis, PostgreSQL, HTTP), so a partition gives fast errors, not hangs. */
  timeoutMs: number;
  /** How often the newest replicated heartbeat is read for the lag gauge. */
  lagPollMs: number;
  /** host:port of this region's resolver; other regions' names in `primaryApiUrl` are resolved through it. */
  dnsServer?: string;
  /** The datastore `dbPort` holds, for the lag gauge's `store` label. */
  storeName: string;
  /** Active/passive labs: the lab's failover record, which says which region is active now. */
  failoverFile?: string;
  /** Active/passive labs: this region's copy of the CDC-drawn ledger, and that store's name. */
  ledgerPort?: number;
  cdcStore?: string;
  /** Active/passive labs: this region's broker, and the mirrored store's name. */
  natsPort?: number;
  mirrorStore?: string;
  /**
   * Labs with a secret store: the database credentials this region's secret agent renders (a Vault lease). The
   * service logs in with them instead of `dbUser`, and reconnects whenever they change.
   */
  dbCredentialsFile?: string;
}

export const SERVICE_ENV = {
  region: 'FAULTLINE_REGION',
  service: 'FAULTLINE_SERVICE',
  replica: 'FAULTLINE_REPLICA',
  port: 'FAULTLINE_PORT',
  redisPort: 'FAULTLINE_REDIS_PORT',
  dbPort: 'FAULTLINE_DB_PORT',
  dbUser: 'FAULTLINE_DB_USER',
  dbName: 'FAULTLINE_DB_NAME',
  primaryApiUrl: 'FAULTLINE_PRIMARY_API',
  timeoutMs: 'FAULTLINE_TIMEOUT_MS',
  lagPollMs: 'FAULTLINE_LAG_POLL_MS',
  dnsServer: 'FAULTLINE_DNS_SERVER',
  storeName: 'FAULTLINE_STORE',
  failoverFile: 'FAULTLINE_FAILOVER_FILE',
  ledgerPort: 'FAULTLINE_LEDGER_PORT',
  cdcStore: 'FAULTLINE_CDC_STORE',
  natsPort: 'FAULTLINE_NATS_PORT',
  mirrorStore: 'FAULTLINE_MIRROR_STORE',
  dbCredentialsFile: 'FAULTLINE_DB_CREDENTIALS_FILE',
} as const;

/** The environment for one replica: the inverse of readServiceConfig. */
export function serviceEnv(config: ServiceConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(SERVICE_ENV)) {
    const value = config[key as keyof ServiceConfig];
    if (value !== undefined) env[name] = String(value);
  }
  return env;
}

export function readServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`reference service: ${name} is not set (the lab supervisor sets it)`);
    return value;
  };
  const optionalNumber = (name: string) => (env[name] ? Number(env[name]) : undefined);
  return {
    region: need(SERVICE_ENV.region),
    service: need(SERVICE_ENV.service),
    replica: Number(need(SERVICE_ENV.replica)),
    port: Number(need(SERVICE_ENV.port)),
    redisPort: optionalNumber(SERVICE_ENV.redisPort),
    dbPort: Number(need(SERVICE_ENV.dbPort)),
    dbUser: need(SERVICE_ENV.dbUser),
    dbName: need(SERVICE_ENV.dbName),
    primaryApiUrl: env[SERVICE_ENV.primaryApiUrl] || undefined,
    timeoutMs: Number(env[SERVICE_ENV.timeoutMs] ?? 800),
    lagPollMs: Number(env[SERVICE_ENV.lagPollMs] ?? 500),
    dnsServer: env[SERVICE_ENV.dnsServer] || undefined,
    storeName: env[SERVICE_ENV.storeName] || 'primary-db',
    failoverFile: env[SERVICE_ENV.failoverFile] || undefined,
    ledgerPort: optionalNumber(SERVICE_ENV.ledgerPort),
    cdcStore: env[SERVICE_ENV.cdcStore] || undefined,
    natsPort: optionalNumber(SERVICE_ENV.natsPort),
    mirrorStore: env[SERVICE_ENV.mirrorStore] || undefined,
    dbCredentialsFile: env[SERVICE_ENV.dbCredentialsFile] || undefined,
  };
}
