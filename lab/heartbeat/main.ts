import { readFileSync } from 'node:fs';
import { connect, type NatsConnection } from 'nats';
import { Database } from '../reference-service/database.ts';

/**
 * The primary's heartbeat writer: updates one row every interval. Every region's service reads that row from its
 * own copy; its age there is the replication lag. A process of its own, rather than a duty of one service replica,
 * so that killing service pods in the primary region never reads as replication lag everywhere.
 *
 * In an active/passive lab it beats every store of the active region (the main database, the CDC-drawn ledger and
 * the event stream) and follows the failover record: after a failover the promoted copies are the ones beating, so
 * their lag reads about 0 and the old primary's copies are the ones left behind. It is a lab instrument, not part of
 * any region, so a region loss never freezes it.
 */
const env = process.env;
const intervalMs = Number(env.FAULTLINE_HEARTBEAT_MS ?? 500);
const timeoutMs = Number(env.FAULTLINE_TIMEOUT_MS ?? 800);
const user = env.FAULTLINE_DB_USER ?? 'postgres';

interface RegionStores {
  db: number;
  ledger?: number;
  nats?: number;
}
interface Targets {
  failoverFile: string;
  regions: Record<string, RegionStores>;
}

const targets: Targets | undefined = env.FAULTLINE_HEARTBEAT_TARGETS ? (JSON.parse(env.FAULTLINE_HEARTBEAT_TARGETS) as Targets) : undefined;
const single: RegionStores = { db: Number(env.FAULTLINE_DB_PORT) };

const databases = new Map<string, Database>();
const brokers = new Map<number, Promise<NatsConnection>>();
const database = (port: number, name: string) => {
  const key = `${port}/${name}`;
  if (!databases.has(key)) databases.set(key, new Database({ port, user, database: name, timeoutMs }));
  return databases.get(key)!;
};
const broker = (port: number) => {
  if (!brokers.has(port)) {
    const pending = connect({ servers: `127.0.0.1:${port}`, timeout: timeoutMs, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    pending.catch(() => brokers.delete(port));
    brokers.set(port, pending);
  }
  return brokers.get(port)!;
};

function activeStores(): RegionStores {
  if (!targets) return single;
  try {
    const active = (JSON.parse(readFileSync(targets.failoverFile, 'utf8')) as { active: string }).active;
    return targets.regions[active] ?? Object.values(targets.regions)[0]!;
  } catch {
    return Object.values(targets.regions)[0]!;
  }
}

let failing = false;
let timer: NodeJS.Timeout;
const beat = async () => {
  const stores = activeStores();
  const results = await Promise.allSettled([
    database(stores.db, env.FAULTLINE_DB_NAME ?? 'faultline').query('UPDATE heartbeat SET beat_at = now() WHERE id = 1'),
    stores.ledger === undefined ? Promise.resolve() : database(stores.ledger, 'ledger').query('UPDATE heartbeat SET beat_at = now() WHERE id = 1'),
    stores.nats === undefined
      ? Promise.resolve()
      : broker(stores.nats).then((nc) => nc.jetstream({ timeout: timeoutMs }).publish('events.heartbeat', new TextEncoder().encode(String(Date.now())), { timeout: timeoutMs })),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  // Log the first failure of a streak only: a down primary would otherwise fill the log twice a second.
  if (failed && !failing) console.log(`${new Date().toISOString()} heartbeat: write failed: ${(failed.reason as Error).message}`);
  if (!failed && failing) console.log(`${new Date().toISOString()} heartbeat: writing again`);
  failing = failed !== undefined;
  timer = setTimeout(beat, intervalMs);
};
console.log(`${new Date().toISOString()} heartbeat: every ${intervalMs} ms${targets ? ` to the active region of ${Object.keys(targets.regions).join('/')}` : ` to 127.0.0.1:${env.FAULTLINE_DB_PORT}`}`);
void beat();

const shutdown = () => {
  clearTimeout(timer);
  void Promise.allSettled([...[...databases.values()].map((d) => d.end()), ...[...brokers.values()].map((b) => b.then((nc) => nc.close()))]).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
