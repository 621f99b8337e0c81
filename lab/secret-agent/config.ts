/** Everything one region's secret agent needs, passed by the supervisor as environment variables. */
export interface AgentConfig {
  region: string;
  /** Its region's Vault nodes, tried in order (a Kubernetes Service would pick a ready one the same way). */
  vaultAddrs: string[];
  /** The cluster's folder: the AppRole role-id and secret-id files lab up wrote. */
  vaultDir: string;
  /** Where the database credentials are rendered for the region's services (mode 0600). */
  credentialsFile: string;
  /** Where /metrics is served. */
  port: number;
  /** How often the static secret is read again: Vault Agent's static_secret_render_interval. */
  secretPollMs: number;
  /** Deadline of every call to Vault, so a frozen node costs a timeout, not a hang. */
  timeoutMs: number;
}

export const AGENT_ENV = {
  region: 'FAULTLINE_REGION',
  vaultAddrs: 'FAULTLINE_VAULT_ADDRS',
  vaultDir: 'FAULTLINE_VAULT_DIR',
  credentialsFile: 'FAULTLINE_DB_CREDENTIALS_FILE',
  port: 'FAULTLINE_PORT',
  secretPollMs: 'FAULTLINE_SECRET_POLL_MS',
  timeoutMs: 'FAULTLINE_TIMEOUT_MS',
} as const;

export function agentEnv(c: AgentConfig): Record<string, string> {
  return {
    [AGENT_ENV.region]: c.region,
    [AGENT_ENV.vaultAddrs]: c.vaultAddrs.join(','),
    [AGENT_ENV.vaultDir]: c.vaultDir,
    [AGENT_ENV.credentialsFile]: c.credentialsFile,
    [AGENT_ENV.port]: String(c.port),
    [AGENT_ENV.secretPollMs]: String(c.secretPollMs),
    [AGENT_ENV.timeoutMs]: String(c.timeoutMs),
  };
}

export function readAgentConfig(env: NodeJS.ProcessEnv): AgentConfig {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`secret agent: ${name} is not set (the lab supervisor sets it)`);
    return value;
  };
  return {
    region: need(AGENT_ENV.region),
    vaultAddrs: need(AGENT_ENV.vaultAddrs).split(','),
    vaultDir: need(AGENT_ENV.vaultDir),
    credentialsFile: need(AGENT_ENV.credentialsFile),
    port: Number(need(AGENT_ENV.port)),
    secretPollMs: Number(env[AGENT_ENV.secretPollMs] ?? 1_000),
    timeoutMs: Number(env[AGENT_ENV.timeoutMs] ?? 800),
  };
}
