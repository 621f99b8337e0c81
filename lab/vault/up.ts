import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Labels, SECRET_AGENT_JOB, SECRET_STORE_JOB } from '../../core/index.ts';
import type { ScrapeConfig } from '../components/prometheus.ts';
import { readDbCredentials, VaultFiles, type LabSecretStore } from '../contract/index.ts';
import { findBinary, waitFor, type RunAsUser } from '../process/index.ts';
import { agentEnv } from '../secret-agent/config.ts';
import { SECRET_AGENT_MAIN, type SupervisedUnit } from '../supervisor/index.ts';
import { configureVaultCluster, formVaultCluster } from './cluster.ts';
import { prepareServiceGroup, SERVICE_DB_GROUP } from './database-access.ts';
import { vaultNodeConfig, type PlannedSecretStore } from './plan.ts';

/** How often an agent re-reads the static secret: every second, so a short store outage shows in failed reads. */
const SECRET_POLL_MS = 1_000;
/** An agent logs in and leases within a second of the store's configuration; this is the limit of a sick lab. */
const AGENT_READY_TIMEOUT_MS = 30_000;

/**
 * The supervised units of the secret store: every Vault node (restarted like a StatefulSet pod, and unsealed by the
 * supervisor after every start) and one secret agent per region. Writes the nodes' configuration files.
 */
export function secretStoreUnits(store: PlannedSecretStore, timeoutMs: number): SupervisedUnit[] {
  const vault = findBinary('vault');
  const units: SupervisedUnit[] = [];
  for (const cluster of store.clusters) {
    mkdirSync(cluster.dir, { recursive: true, mode: 0o700 });
    for (const node of cluster.nodes) {
      mkdirSync(node.dataDir, { recursive: true, mode: 0o700 });
      mkdirSync(dirname(node.configFile), { recursive: true });
      writeFileSync(node.configFile, vaultNodeConfig(node));
      units.push({
        name: node.name,
        kind: 'vault',
        region: node.region,
        service: store.name,
        replica: cluster.nodes.indexOf(node),
        port: node.port,
        entry: '',
        command: vault,
        args: ['server', `-config=${node.configFile}`],
        // Autopilot would hold new members back as non-voters for its stabilization time; the lab's raft groups
        // are formed once, by lab up, and their members vote as soon as they join.
        env: { VAULT_RAFT_AUTOPILOT_DISABLE: 'true' },
        logFile: node.logFile,
        unsealKeyFile: join(cluster.dir, VaultFiles.unsealKey),
        store: store.name,
      });
    }
  }
  for (const agent of store.agents) {
    const cluster = store.clusters.find((c) => c.region === agent.region)!;
    units.push({
      name: `secret-agent ${agent.region}`,
      kind: 'secret-agent',
      region: agent.region,
      service: 'secret-agent',
      replica: 0,
      port: agent.port,
      entry: SECRET_AGENT_MAIN,
      logFile: agent.logFile,
      env: agentEnv({
        region: agent.region,
        vaultAddrs: cluster.nodes.map((n) => `http://127.0.0.1:${n.port}`),
        vaultDir: cluster.dir,
        credentialsFile: agent.credentialsFile,
        port: agent.port,
        secretPollMs: SECRET_POLL_MS,
        timeoutMs,
      }),
    });
  }
  return units;
}

/** Every cluster initialized (or unsealed from kept data) and its raft group formed; independent, so side by side. */
export async function formSecretStore(store: PlannedSecretStore, signal?: AbortSignal): Promise<void> {
  await Promise.all(store.clusters.map((cluster) => formVaultCluster(cluster, signal)));
}

/** Once PostgreSQL's primary runs: the group role the issued users join, then what every cluster serves. */
export async function configureSecretStore(store: PlannedSecretStore, db: { primaryPort: number; user: RunAsUser | undefined; userName: string; database: string }): Promise<void> {
  await prepareServiceGroup(db.primaryPort, db.user, db.database);
  await Promise.all(
    store.clusters.map((cluster) =>
      configureVaultCluster(cluster, { primaryPort: db.primaryPort, adminUser: db.userName, database: db.database, group: SERVICE_DB_GROUP, leaseTtlMs: store.leaseTtlMs }),
    ),
  );
  // Ready means every region's services can log in: each agent has leased and rendered its first credentials.
  await Promise.all(
    store.agents.map((agent) =>
      waitFor(`the ${agent.region} secret agent's first lease`, async () => readDbCredentials(agent.credentialsFile)?.leaseValid || undefined, { timeoutMs: AGENT_READY_TIMEOUT_MS, intervalMs: 100 }),
    ),
  );
}

/** Prometheus jobs: Vault's own telemetry from every node, and the agents' lease and read metrics. */
export function secretStoreScrapeConfigs(store: PlannedSecretStore): ScrapeConfig[] {
  return [
    {
      jobName: SECRET_STORE_JOB,
      metricsPath: '/v1/sys/metrics',
      params: { format: ['prometheus'] },
      targets: store.clusters.flatMap((c) =>
        c.nodes.map((n) => ({ address: `127.0.0.1:${n.port}`, labels: { [Labels.store]: store.name, [Labels.region]: n.region, node: n.name } })),
      ),
    },
    {
      jobName: SECRET_AGENT_JOB,
      targets: store.agents.map((a) => ({ address: `127.0.0.1:${a.port}`, labels: { [Labels.region]: a.region } })),
    },
  ];
}

export function secretStoreState(store: PlannedSecretStore): LabSecretStore {
  return {
    name: store.name,
    engine: 'vault',
    clusters: store.clusters.map((c) => ({
      region: c.region,
      dir: c.dir,
      nodes: c.nodes.map((n) => ({ name: n.name, port: n.port, clusterPort: n.clusterPort, url: `http://127.0.0.1:${n.port}` })),
    })),
    agents: store.agents.map((a) => ({ region: a.region, port: a.port, credentialsFile: a.credentialsFile })),
    leaseTtlMs: store.leaseTtlMs,
  };
}
