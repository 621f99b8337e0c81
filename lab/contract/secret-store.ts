import { join } from 'node:path';
import { readJsonFile } from './json-file.ts';
import { absoluteRunDir } from './lab-readers.ts';

/**
 * The lab's secret store (seed 003's Vault): one cluster per region, the primary region's a raft group of several
 * nodes, each other region's a single node. Each region's secret agent holds the database lease its services use.
 */
export interface LabSecretStore {
  name: string;
  engine: 'vault';
  clusters: {
    region: string;
    /** Holds the cluster's unseal key, root token and AppRole credentials (files of mode 0600, never logged). */
    dir: string;
    nodes: { name: string; port: number; clusterPort: number; url: string }[];
  }[];
  agents: { region: string; port: number; credentialsFile: string }[];
  /** TTL of the database leases the store issues. */
  leaseTtlMs: number;
}

/** The live Vault processes, written by the supervisor on every (re)start, as services.json is for the services. */
export const LAB_SECRET_STORE_NODES_FILE = 'secret-store-nodes.json';

export interface LabSecretStoreNode {
  store: string;
  region: string;
  /** e.g. `vault-jkt-1`. */
  name: string;
  port: number;
  pid: number;
  startedAt: number;
}

export function readSecretStoreNodes(runDir: string): LabSecretStoreNode[] {
  return readJsonFile<LabSecretStoreNode[]>(join(absoluteRunDir(runDir), LAB_SECRET_STORE_NODES_FILE)) ?? [];
}

/**
 * While this file exists the supervisor does not (re)start the unit: a fault that takes a node away for a while
 * (as Chaos Mesh's pod-failure does) writes it and kills the process; its revert deletes it.
 */
export function holdFileOf(runDir: string, unitName: string): string {
  return join(absoluteRunDir(runDir), 'holds', unitName.replace(/[^A-Za-z0-9_.-]/g, '_'));
}

/** The files a cluster's folder holds. */
export const VaultFiles = { unsealKey: 'unseal-key', rootToken: 'root-token', roleId: 'role-id', secretId: 'secret-id' } as const;
