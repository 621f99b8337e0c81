import { join } from 'node:path';
import { FaultlineError, type Topology } from '../../core/index.ts';

/** Lab ports of the secret store, as offsets from the port base (see PortOffsets in lab-plan.ts). */
export const SecretStoreOffsets = { api: 86, cluster: 91, agents: 96 } as const;
/** Vault nodes that fit the lab's port block. */
export const MAX_VAULT_NODES = 5;
/** Database lease TTL when the binding names none: short enough for a game day to outlive it. */
export const DEFAULT_SECRET_LEASE_TTL_MS = 30_000;

export interface PlannedVaultNode {
  /** e.g. `vault-jkt-1`; also its raft node id. */
  name: string;
  region: string;
  port: number;
  clusterPort: number;
  dataDir: string;
  configFile: string;
  logFile: string;
}

/**
 * The secret store, laid out: one Vault cluster per region (the primary region's a raft group of its nodes), and
 * one secret agent per region whose database lease the region's service replicas share.
 */
export interface PlannedSecretStore {
  name: string;
  clusters: { region: string; dir: string; nodes: PlannedVaultNode[] }[];
  agents: { region: string; port: number; credentialsFile: string; logFile: string }[];
  leaseTtlMs: number;
}

export function planSecretStore(
  topology: Topology,
  layout: { portBase: number; runDir: string; dataDir: string; logDir: string; leaseTtlMs?: number },
): PlannedSecretStore | undefined {
  const store = topology.secretStores?.[0];
  if (!store) return undefined;
  if ((topology.secretStores?.length ?? 0) > 1) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `the lab runs one secret store; topology "${topology.name}" has ${topology.secretStores!.length}`);
  }
  const total = store.nodes.reduce((n, r) => n + r.count, 0);
  if (total > MAX_VAULT_NODES) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `the lab fits at most ${MAX_VAULT_NODES} Vault nodes; secret store "${store.name}" has ${total}`);
  }
  let slot = 0;
  const clusters = store.nodes
    .filter((r) => r.count > 0)
    .map(({ region, count }) => ({
      region,
      dir: join(layout.runDir, 'vault', region),
      nodes: Array.from({ length: count }, (_, i): PlannedVaultNode => {
        const name = `${store.name}-${region}-${i + 1}`;
        const at = slot++;
        return {
          name,
          region,
          port: layout.portBase + SecretStoreOffsets.api + at,
          clusterPort: layout.portBase + SecretStoreOffsets.cluster + at,
          dataDir: join(layout.dataDir, name),
          configFile: join(layout.runDir, 'vault', region, `${name}.hcl`),
          logFile: join(layout.logDir, `${name}.log`),
        };
      }),
    }));
  const agents = topology.regions
    .filter((r) => clusters.some((c) => c.region === r.name))
    .map((r, i) => ({
      region: r.name,
      port: layout.portBase + SecretStoreOffsets.agents + i,
      credentialsFile: join(layout.runDir, 'vault', r.name, 'db-credentials.json'),
      logFile: join(layout.logDir, `secret-agent-${r.name}.log`),
    }));
  return { name: store.name, clusters, agents, leaseTtlMs: layout.leaseTtlMs ?? DEFAULT_SECRET_LEASE_TTL_MS };
}

/**
 * One node's configuration. Integrated raft storage, plain HTTP on loopback (cluster traffic is TLS by Vault's own
 * design), Prometheus telemetry without a token, and the fastest raft timers (performance_multiplier 1): the lab
 * measures elections, so it runs them as a latency-tuned production cluster would.
 */
export function vaultNodeConfig(node: PlannedVaultNode): string {
  return `# written by faultline lab up; edits are overwritten
storage "raft" {
  path                   = "${node.dataDir}"
  node_id                = "${node.name}"
  performance_multiplier = 1
}
listener "tcp" {
  address         = "127.0.0.1:${node.port}"
  cluster_address = "127.0.0.1:${node.clusterPort}"
  tls_disable     = true
  telemetry {
    unauthenticated_metrics_access = true
  }
}
api_addr      = "http://127.0.0.1:${node.port}"
cluster_addr  = "https://127.0.0.1:${node.clusterPort}"
disable_mlock = true
ui            = false
log_level     = "info"
telemetry {
  prometheus_retention_time = "30s"
  disable_hostname          = true
}
`;
}
