import { pgQuery } from '../components/postgres.ts';
import { natsConnect } from '../components/nats.ts';
import { databaseUserName } from '../components/postgres.ts';
import type { RunAsUser } from '../process/index.ts';

/** The database that holds the CDC-drawn ledger, on the primary and on its CDC copy. */
export const LEDGER_DATABASE = 'ledger';
/** Publication on the primary and subscription on the copy: the CDC pipeline. */
export const CDC_NAME = 'faultline_cdc';
/** Every write publishes `events.write.<write id>`; the heartbeat publishes `events.heartbeat`. */
export const EVENT_SUBJECTS = 'events.>';
export const HEARTBEAT_SUBJECT = 'events.heartbeat';

/** A datastore name as a JetStream stream name (letters, digits, `_`). */
export function streamName(store: string): string {
  return store.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** The stream the active region publishes to after a failover promoted the mirror. */
export function promotedStreamName(store: string): string {
  return `${streamName(store)}_PROMOTED`;
}

const LEDGER_TABLES = `
  -- A uuid key, not a sequence: logical replication does not carry sequences, so a promoted copy would reuse keys.
  CREATE TABLE IF NOT EXISTS ledger_entries (entry_id uuid PRIMARY KEY DEFAULT gen_random_uuid(), write_id text NOT NULL, client_ts bigint, region text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE INDEX IF NOT EXISTS ledger_entries_write_id ON ledger_entries (write_id);
  CREATE TABLE IF NOT EXISTS heartbeat (id smallint PRIMARY KEY, beat_at timestamptz NOT NULL);`;

/** The ledger on the primary and its publication: every insert is captured and shipped to the copy. */
export async function prepareLedgerSource(port: number, user: RunAsUser | undefined): Promise<void> {
  await ensureDatabase(port, user, LEDGER_DATABASE);
  await pgQuery(port, user, `${LEDGER_TABLES}
    INSERT INTO heartbeat (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = now();`, LEDGER_DATABASE);
  const pub = await pgQuery(port, user, `SELECT 1 FROM pg_publication WHERE pubname = '${CDC_NAME}'`, LEDGER_DATABASE);
  if (!pub?.length) await pgQuery(port, user, `CREATE PUBLICATION ${CDC_NAME} FOR TABLE ledger_entries, heartbeat`, LEDGER_DATABASE);
}

/**
 * The ledger's copy in the secondary: the same tables, subscribed to the primary's publication through the CDC link.
 * A kept copy (warm start) already has its subscription and is left as it is.
 */
export async function prepareLedgerCopy(port: number, user: RunAsUser | undefined, publisherPort: number): Promise<void> {
  await ensureDatabase(port, user, LEDGER_DATABASE);
  await pgQuery(port, user, LEDGER_TABLES, LEDGER_DATABASE);
  const sub = await pgQuery(port, user, `SELECT 1 FROM pg_subscription WHERE subname = '${CDC_NAME}'`, LEDGER_DATABASE);
  // A copy a failover promoted had its subscription disabled; following the primary again means enabling it.
  if (sub?.length) {
    await pgQuery(port, user, `ALTER SUBSCRIPTION ${CDC_NAME} ENABLE`, LEDGER_DATABASE);
    return;
  }
  const conninfo = `host=127.0.0.1 port=${publisherPort} dbname=${LEDGER_DATABASE} user=${databaseUserName(user)} connect_timeout=2 keepalives=1 keepalives_idle=2 keepalives_interval=1 keepalives_count=3`;
  // Alone in its query: CREATE SUBSCRIPTION refuses to run inside a transaction block.
  await pgQuery(port, user, `CREATE SUBSCRIPTION ${CDC_NAME} CONNECTION '${conninfo}' PUBLICATION ${CDC_NAME} WITH (copy_data = true)`, LEDGER_DATABASE);
}

/** Subscriptions whose apply worker is running, by name: how lab status tells a live CDC pipeline. */
export async function cdcStatus(port: number, user: RunAsUser | undefined): Promise<'streaming' | 'stopped' | 'unreachable'> {
  const rows = await pgQuery(port, user, `SELECT pid FROM pg_stat_subscription WHERE subname = '${CDC_NAME}' AND relid IS NULL`, LEDGER_DATABASE).catch(() => undefined);
  if (!rows) return 'unreachable';
  return rows.some((r) => r.pid !== null) ? 'streaming' : 'stopped';
}

/** The stream on the primary's broker and its mirror on the secondary's, reading through the primary's JetStream domain. */
export async function prepareMirror(o: { store: string; primaryPort: number; secondaryPort: number; primaryDomain: string }): Promise<void> {
  const name = streamName(o.store);
  const primary = await natsConnect(o.primaryPort);
  try {
    const jsm = await primary.jetstreamManager();
    // Two minutes of dedupe by Nats-Msg-Id (the write id): a retried publish is stored once.
    await jsm.streams.add({ name, subjects: [EVENT_SUBJECTS], duplicate_window: 120e9 }).catch(async (e: Error) => {
      if (!/already in use/.test(e.message)) throw e;
    });
  } finally {
    await primary.close();
  }
  const secondary = await natsConnect(o.secondaryPort);
  try {
    const jsm = await secondary.jetstreamManager();
    // A stream a failover promoted belongs to that failover's lab, not this one.
    await jsm.streams.delete(promotedStreamName(o.store)).catch(() => false);
    const existing = await jsm.streams.info(name).catch(() => undefined);
    if (!existing) await jsm.streams.add({ name, mirror: { name, external: { api: `$JS.${o.primaryDomain}.API`, deliver: '' } } });
  } finally {
    await secondary.close();
  }
}

async function ensureDatabase(port: number, user: RunAsUser | undefined, database: string): Promise<void> {
  const exists = await pgQuery(port, user, `SELECT 1 FROM pg_database WHERE datname = '${database}'`);
  if (!exists?.length) await pgQuery(port, user, `CREATE DATABASE ${database}`);
}
