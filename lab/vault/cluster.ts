import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '../../core/index.ts';
import { vaultCall, vaultErrors, vaultHealth, VaultFiles } from '../contract/index.ts';
import { waitFor } from '../process/index.ts';
import type { PlannedVaultNode } from './plan.ts';

const READY_TIMEOUT_MS = 60_000;

export interface VaultCluster {
  region: string;
  dir: string;
  nodes: PlannedVaultNode[];
}

const addr = (n: PlannedVaultNode) => `http://127.0.0.1:${n.port}`;

/**
 * Brings a cluster to one active node and every other node standing by: initializes a new cluster on its first node
 * (one unseal key share: a lab, not a vault of real secrets) and joins the others to its raft group; a cluster kept
 * from a previous lab (warm start) is only waited for. The supervisor unseals every node as it comes up; this waits
 * until it has. Keys and the root token go to files of mode 0600 in the cluster's folder, never to a log.
 */
export async function formVaultCluster(cluster: VaultCluster, signal?: AbortSignal): Promise<void> {
  // A lab up that failed meanwhile stops this before it changes anything: a later lab on the same ports must not
  // find its fresh nodes initialized or joined by the failed one.
  const stillWanted = () => {
    if (signal?.aborted) throw new FaultlineError('FAULTLINE_HARNESS', 'lab up stopped forming the Vault clusters', 'nothing of it is left running');
  };
  mkdirSync(cluster.dir, { recursive: true, mode: 0o700 });
  const [first, ...others] = cluster.nodes;
  if (!first) return;
  const health = await waitFor(`${first.name} answering`, async () => {
    const h = await vaultHealth(addr(first));
    return h === 'down' ? undefined : h;
  }, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 });
  stillWanted();
  if (health === 'uninitialized') {
    const init = await vaultCall<{ keys_base64?: string[]; root_token?: string }>(addr(first), 'PUT', 'sys/init', { body: { secret_shares: 1, secret_threshold: 1 }, timeoutMs: 30_000 });
    const key = init.body?.keys_base64?.[0];
    const token = init.body?.root_token;
    if (init.status !== 200 || !key || !token) throw new FaultlineError('FAULTLINE_HARNESS', `${first.name} refused to initialize: ${vaultErrors(init)}`, `read its log: ${first.logFile}`);
    writeSecret(join(cluster.dir, VaultFiles.unsealKey), key);
    writeSecret(join(cluster.dir, VaultFiles.rootToken), token);
  } else if (!existsSync(join(cluster.dir, VaultFiles.unsealKey))) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `${first.name} keeps data from an earlier lab whose unseal key is gone`, 'stop the lab and start it without kept data: faultline lab down && faultline lab up');
  }
  await waitActive(cluster, first);
  // One node at a time, each standing by before the next joins. The supervisor's unseal completes a join by answering
  // the leader's challenge, and two answers at once race two raft configuration changes on the leader: in a full CI run
  // the loser's unseal kept failing ("Error making API request") and lab up gave up after a minute.
  for (const node of others) {
    stillWanted();
    if ((await vaultHealth(addr(node))) === 'uninitialized') {
      // The joining node asks the leader for its raft challenge now; the supervisor's unseal completes the join.
      await waitFor(`${node.name} joining ${first.name}`, async () => {
        stillWanted();
        const reply = await vaultCall(addr(node), 'PUT', 'sys/storage/raft/join', { body: { leader_api_addr: addr(first) }, timeoutMs: 10_000 });
        return reply.status === 200 ? true : undefined;
      }, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250 });
    }
    await waitFor(`${node.name} standing by`, async () => ((await vaultHealth(addr(node))) === 'standby' ? true : undefined), { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 });
  }
}

async function waitActive(cluster: VaultCluster, first: PlannedVaultNode): Promise<void> {
  await waitFor(`${cluster.region}'s Vault electing a leader`, async () => {
    const states = await Promise.all(cluster.nodes.map((n) => vaultHealth(addr(n))));
    return states.includes('active') ? true : undefined;
  }, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 }).catch((e: Error) => {
    throw new FaultlineError('FAULTLINE_HARNESS', `${e.message}`, `read the log: ${first.logFile}`);
  });
}

export interface VaultServiceAccess {
  /** The PostgreSQL primary the database secrets engine creates roles on. */
  primaryPort: number;
  /** Its superuser (trust-authenticated on loopback) that creates and drops the dynamic roles. */
  adminUser: string;
  database: string;
  /** The group role every issued user joins; it holds the service's grants. */
  group: string;
  leaseTtlMs: number;
}

/**
 * Configures what the services read, on every cluster alike (what performance replication would carry from the
 * primary cluster in Vault Enterprise): the database secrets engine issuing PostgreSQL users with a lease (dropped
 * with their sessions when it is revoked or runs out), a static KV secret the agents re-read, and an AppRole whose
 * token may read both. The agent's AppRole credentials go to the cluster's folder. Idempotent, for warm starts.
 */
export async function configureVaultCluster(cluster: VaultCluster, access: VaultServiceAccess): Promise<void> {
  const token = readFileSync(join(cluster.dir, VaultFiles.rootToken), 'utf8').trim();
  const at = addr(cluster.nodes[0]!);
  const call = async (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) => {
    const reply = await vaultCall<Record<string, unknown>>(at, method, path, { token, body, timeoutMs: 15_000 });
    if (reply.status >= 300 || reply.status === 0) {
      throw new FaultlineError('FAULTLINE_HARNESS', `configuring ${cluster.region}'s Vault: ${method} ${path} answered ${vaultErrors(reply)}`, `read the log: ${cluster.nodes[0]!.logFile}`);
    }
    return reply.body;
  };
  const mounts = (await call('GET', 'sys/mounts')) ?? {};
  const has = (m: Record<string, unknown>, path: string) => path in m || path in ((m.data as Record<string, unknown> | undefined) ?? {});
  if (!has(mounts, 'database/')) await call('POST', 'sys/mounts/database', { type: 'database' });
  if (!has(mounts, 'secret/')) await call('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } });
  const auths = (await call('GET', 'sys/auth')) ?? {};
  if (!has(auths, 'approle/')) await call('POST', 'sys/auth/approle', { type: 'approle' });

  await call('POST', 'database/config/faultline', {
    plugin_name: 'postgresql-database-plugin',
    connection_url: `postgresql://${access.adminUser}@127.0.0.1:${access.primaryPort}/${access.database}?sslmode=disable`,
    allowed_roles: ['service'],
    verify_connection: true,
  });
  const ttl = `${Math.round(access.leaseTtlMs / 1000)}s`;
  await call('POST', 'database/roles/service', {
    db_name: 'faultline',
    // No VALID UNTIL (the plugin's default renewal would set one): a regional replica cut off from the primary by a
    // partition would keep a stale expiry and refuse new logins of a lease its Vault renewed all along. A lease is
    // enforced by Vault revoking the user when it runs out, and by the services dropping credentials whose lease
    // their agent could not renew.
    creation_statements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' IN ROLE ${access.group};`],
    renew_statements: [`ALTER ROLE "{{name}}" VALID UNTIL 'infinity';`],
    revocation_statements: [`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{{name}}';`, `DROP ROLE IF EXISTS "{{name}}";`],
    default_ttl: ttl,
    max_ttl: '24h',
  });
  await call('POST', 'secret/data/service/config', { data: { region: cluster.region, feature_flags: 'reads,writes' } });
  await call('PUT', 'sys/policies/acl/service', {
    policy: [
      'path "database/creds/service" { capabilities = ["read"] }',
      'path "sys/leases/renew" { capabilities = ["update"] }',
      'path "secret/data/service/*" { capabilities = ["read"] }',
      'path "auth/token/renew-self" { capabilities = ["update"] }',
    ].join('\n'),
  });
  await call('POST', 'auth/approle/role/service', { token_policies: ['service'], token_ttl: '1h', token_max_ttl: '24h' });
  const roleId = (await call('GET', 'auth/approle/role/service/role-id'))?.data as { role_id?: string } | undefined;
  const secretId = (await call('POST', 'auth/approle/role/service/secret-id'))?.data as { secret_id?: string } | undefined;
  if (!roleId?.role_id || !secretId?.secret_id) throw new FaultlineError('FAULTLINE_HARNESS', `${cluster.region}'s Vault gave no AppRole credentials`);
  writeSecret(join(cluster.dir, VaultFiles.roleId), roleId.role_id);
  writeSecret(join(cluster.dir, VaultFiles.secretId), secretId.secret_id);
}

function writeSecret(file: string, value: string): void {
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
}
