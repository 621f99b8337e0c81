import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findBinary, spawnDaemon, waitFor, type RunAsUser } from '../process/index.ts';

const execFileAsync = promisify(execFile);

export interface PostgresInstance {
  region: string;
  /** `cdc`: a standalone, writable cluster fed by logical replication (created like a primary). */
  role: 'primary' | 'replica' | 'cdc';
  port: number;
  dataDir: string;
  logFile: string;
  /** Replicas: the replication slot held for them on the primary. */
  slot?: string;
  /** Replicas: where they reach the primary, i.e. their toxiproxy replication link. */
  upstreamPort?: number;
  /** Primaries that publish changes by logical replication (CDC) need `wal_level = logical`. */
  logical?: boolean;
  /**
   * Where initdb and pg_basebackup write, when that is not where the server runs: the backing folder of the lab's
   * delaying FUSE disk, whose mount shows the same files at `dataDir`. Default `dataDir`.
   */
  storageDir?: string;
}

/** The folder the cluster's files are written to directly (see storageDir). */
export function storageOf(instance: Pick<PostgresInstance, 'dataDir' | 'storageDir'>): string {
  return instance.storageDir ?? instance.dataDir;
}

/** The superuser initdb creates is the OS user that runs it. */
export function databaseUserName(user: RunAsUser | undefined): string {
  return user?.name ?? userInfo().username;
}

/** Creates the primary's cluster unless a previous lab left one (a warm start). */
export async function preparePrimary(instance: PostgresInstance, user: RunAsUser | undefined): Promise<'created' | 'reused'> {
  if (existsSync(join(storageOf(instance), 'PG_VERSION'))) {
    writeSettings(instance, user);
    return 'reused';
  }
  makeOwnedDir(storageOf(instance), user);
  await runAs(user, findBinary('initdb'), ['-D', storageOf(instance), '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], instance.logFile);
  appendFileSync(join(storageOf(instance), 'postgresql.conf'), "\ninclude_if_exists = 'faultline.conf'\n");
  writeSettings(instance, user);
  return 'created';
}

/**
 * Clones a replica from the running primary with pg_basebackup, through the replica's own toxiproxy link, unless a
 * previous lab left one. Either way its settings are rewritten, so a reused replica follows this lab's ports.
 */
export async function prepareReplica(instance: PostgresInstance, user: RunAsUser | undefined): Promise<'created' | 'reused'> {
  if (existsSync(join(storageOf(instance), 'PG_VERSION'))) {
    // A replica a failover promoted is a primary of its own timeline now: it can only follow again once re-cloned.
    if (existsSync(join(storageOf(instance), 'standby.signal'))) {
      writeSettings(instance, user);
      return 'reused';
    }
    rmSync(storageOf(instance), { recursive: true, force: true });
  }
  makeOwnedDir(storageOf(instance), user);
  await runAs(
    user,
    findBinary('pg_basebackup'),
    ['-h', '127.0.0.1', '-p', String(instance.upstreamPort), '-U', databaseUserName(user), '-D', storageOf(instance), '-X', 'stream', `--slot=${instance.slot}`, '--checkpoint=fast', '--no-sync'],
    instance.logFile,
  );
  writeSettings(instance, user);
  writeOwned(join(storageOf(instance), 'standby.signal'), '', user);
  return 'created';
}

/** Starts the server in the foreground of its own session and waits until it accepts queries. */
export async function startPostgres(instance: PostgresInstance, user: RunAsUser | undefined): Promise<{ pid: number }> {
  const proc = await spawnDaemon({
    command: findBinary('postgres'),
    args: ['-D', instance.dataDir],
    logFile: instance.logFile,
    cwd: dirname(instance.dataDir),
    user,
  });
  await waitFor(`postgres ${instance.region} on ${instance.port}`, async () => ((await pgQuery(instance.port, user, 'SELECT 1')) ? true : undefined), {
    timeoutMs: 30_000,
    intervalMs: 200,
    pid: proc.pid,
  });
  return { pid: proc.pid };
}

/**
 * The reference service's schema and seed data on the primary, plus a replication slot per replica so a long
 * partition cannot leave a replica unable to catch up. Idempotent, so a warm start runs it again harmlessly.
 */
export async function prepareSchema(port: number, user: RunAsUser | undefined, database: string, slots: string[], seedItems: number): Promise<void> {
  const exists = await pgQuery(port, user, `SELECT 1 FROM pg_database WHERE datname = '${database}'`);
  if (!exists?.length) await pgQuery(port, user, `CREATE DATABASE ${database}`);
  for (const slot of slots) {
    await pgQuery(port, user, `SELECT pg_create_physical_replication_slot('${slot}') WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '${slot}')`);
  }
  await pgQuery(
    port,
    user,
    `CREATE TABLE IF NOT EXISTS items (id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
     -- The load generator's own id and clock for each write: how acknowledged writes are read back after a failover.
     -- Not unique on purpose: a write stored twice is a finding (a duplicated write), not an error to hide.
     ALTER TABLE items ADD COLUMN IF NOT EXISTS write_id text, ADD COLUMN IF NOT EXISTS client_ts bigint;
     CREATE INDEX IF NOT EXISTS items_write_id ON items (write_id);
     CREATE TABLE IF NOT EXISTS heartbeat (id smallint PRIMARY KEY, beat_at timestamptz NOT NULL);
     INSERT INTO items (id, body) SELECT g, 'seed item ' || g FROM generate_series(1, ${seedItems}) g ON CONFLICT (id) DO NOTHING;
     SELECT setval(pg_get_serial_sequence('items', 'id'), GREATEST((SELECT max(id) FROM items), ${seedItems}));
     INSERT INTO heartbeat (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = now();`,
    database,
  );
}

/** The replication slot a region's replica holds; slot names allow only [a-z0-9_], region names also hyphens (gcp-dr). */
export function replicationSlot(region: string): string {
  return `replica_${region.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

/** Replicas currently streaming from the primary, by application_name (the replica's region). */
export async function streamingReplicas(primaryPort: number, user: RunAsUser | undefined): Promise<string[]> {
  const rows = await pgQuery(primaryPort, user, "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'");
  return (rows ?? []).map((r) => String(r.application_name));
}

/** One query on a fresh connection; undefined instead of an error when the server is not (yet) answering. */
export async function pgQuery(port: number, user: RunAsUser | undefined, sql: string, database = 'postgres'): Promise<Record<string, unknown>[] | undefined> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: databaseUserName(user), database, connectionTimeoutMillis: 2_000, query_timeout: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query(sql);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return (last as pg.QueryResult).rows;
  } catch (e) {
    const message = (e as Error).message;
    // Starting up, or refused: the caller is waiting for readiness.
    if (/ECONNREFUSED|starting up|not yet accepting|ECONNRESET|timeout/i.test(message)) return undefined;
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Settings live in an included file rather than on the command line, so ALTER SYSTEM (the replica-lag fault sets
 * recovery_min_apply_delay that way) can still override them. Tuned for a small machine and for fast reconnection
 * after a partition heals: a dead link is noticed within seconds and retried every second.
 */
function writeSettings(instance: PostgresInstance, user: RunAsUser | undefined): void {
  const lines = [
    "listen_addresses = '127.0.0.1'",
    `port = ${instance.port}`,
    "unix_socket_directories = ''",
    'max_connections = 100',
    'shared_buffers = 16MB',
    // A throwaway lab on one machine: durability against power loss buys nothing and costs I/O.
    'fsync = off',
    `wal_level = ${instance.logical ? 'logical' : 'replica'}`,
    'max_wal_senders = 10',
    'max_replication_slots = 10',
    'wal_keep_size = 64MB',
    'max_slot_wal_keep_size = 1GB',
    'hot_standby = on',
    'hot_standby_feedback = on',
    'max_standby_streaming_delay = 5s',
    'wal_sender_timeout = 5s',
    'wal_receiver_timeout = 5s',
    'wal_receiver_status_interval = 1s',
    'wal_retrieve_retry_interval = 1s',
    'tcp_keepalives_idle = 2',
    'tcp_keepalives_interval = 1',
    'tcp_keepalives_count = 3',
    "log_line_prefix = '%m [%p] %q%a '",
  ];
  if (instance.role === 'replica') {
    const conninfo = [
      'host=127.0.0.1',
      `port=${instance.upstreamPort}`,
      `user=${databaseUserName(user)}`,
      `application_name=${instance.region}`,
      'connect_timeout=2',
      'keepalives=1',
      'keepalives_idle=2',
      'keepalives_interval=1',
      'keepalives_count=3',
    ].join(' ');
    lines.push(`primary_conninfo = '${conninfo}'`, `primary_slot_name = '${instance.slot}'`);
  }
  writeOwned(join(storageOf(instance), 'faultline.conf'), `# written by faultline lab up; edits are overwritten\n${lines.join('\n')}\n`, user);
}

function makeOwnedDir(dir: string, user: RunAsUser | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
}

function writeOwned(file: string, text: string, user: RunAsUser | undefined): void {
  writeFileSync(file, text, { mode: 0o600 });
  if (user) chownSync(file, user.uid, user.gid);
}

/** Runs a PostgreSQL tool to completion as the database user, its output appended to the instance's log. */
async function runAs(user: RunAsUser | undefined, command: string, args: string[], logFile: string): Promise<void> {
  mkdirSync(dirname(logFile), { recursive: true });
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { uid: user?.uid, gid: user?.gid, cwd: '/', timeout: 120_000 });
    appendFileSync(logFile, stdout + stderr);
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    appendFileSync(logFile, (err.stdout ?? '') + (err.stderr ?? err.message));
    const detail = (err.stderr ?? '').trim().split('\n').slice(-2).join(' / ');
    throw new Error(`${command.split('/').pop()} failed: ${detail || err.message}`);
  }
}

