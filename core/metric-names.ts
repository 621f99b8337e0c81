/**
 * Every k6 series also carries `scenario` (= region), `method`, `name` (the route template), `proto`,
 * `error_code`, `testid` (= run id) and `k6_feature_native_histograms`.
 *
 * The metric and label names that join the load generator, the reference service and the SLO queries.
 * One place, so a rename cannot silently leave an SLO reading a series that no longer exists.
 */
export const K6Metrics = {
  /** Counter of HTTP requests, labelled region, route, status, expected_response ("true"/"false"). */
  requests: 'k6_http_reqs_total',
  /** Request duration as a Prometheus native histogram, in seconds, same labels as `requests`. */
  duration: 'k6_http_req_duration_seconds',
  /**
   * Iterations k6 could not start for lack of a free VU. k6 labels it with `scenario` only (no `region`);
   * faultline names each k6 scenario after its region, so group it `by (scenario)`.
   */
  droppedIterations: 'k6_dropped_iterations_total',
} as const;

export const ServiceMetrics = {
  /** Counter, labels region, service, route, code. */
  requests: 'faultline_service_requests_total',
  /** Histogram in seconds, labels region, service, route, code. */
  duration: 'faultline_service_request_duration_seconds',
  /** Gauge, labels region, store: now minus the newest primary heartbeat visible on this region's copy of the store (replica, CDC copy or mirror). 0 on the primary. */
  replicationLag: 'faultline_replication_lag_seconds',
  /** Histogram of how old the data behind each read was (the lag at read time), labels region. */
  readStaleness: 'faultline_read_staleness_seconds',
} as const;

/**
 * Labels every lab scrape target carries (`job` is `service` for the reference service), plus k6's own
 * `expected_response` tag: "true" when the response was expected (a success), "false" otherwise.
 */
export const Labels = { region: 'region', service: 'service', route: 'route', replica: 'replica', store: 'store', expectedResponse: 'expected_response' } as const;
export const SERVICE_JOB = 'service';

/**
 * The secret store's metrics: Vault's own (scraped from every node's /v1/sys/metrics, job `vault`, labels store,
 * region, node) and those of the services' secret agents (job `secret-agent`, label region).
 */
export const SecretStoreMetrics = {
  /** Vault's gauge: 1 on the active (leader) node, 0 on a standby. */
  active: 'vault_core_active',
  /** Counter of the agents' calls to their region's store, labels region, call (login, creds, renew, config), outcome (ok, failed). */
  reads: 'faultline_secret_reads_total',
  /** Gauge: when the database lease the agent holds expires, epoch seconds; 0 while it holds none. */
  leaseExpiry: 'faultline_secret_lease_expiry_timestamp_seconds',
} as const;
export const SECRET_STORE_JOB = 'vault';
export const SECRET_AGENT_JOB = 'secret-agent';
