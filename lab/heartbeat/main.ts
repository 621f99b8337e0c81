import { Database } from '../reference-service/database.ts';

/**
 * The primary's heartbeat writer: updates one row every interval. Every region's service reads that row from its
 * own database; its age there is the replication lag. A process of its own, rather than a duty of one service
 * replica, so that killing service pods in the primary region never reads as replication lag everywhere.
 */
const env = process.env;
const intervalMs = Number(env.FAULTLINE_HEARTBEAT_MS ?? 500);
const db = new Database({
  port: Number(env.FAULTLINE_DB_PORT),
  user: env.FAULTLINE_DB_USER ?? 'postgres',
  database: env.FAULTLINE_DB_NAME ?? 'faultline',
  timeoutMs: Number(env.FAULTLINE_TIMEOUT_MS ?? 800),
});

let failing = false;
let timer: NodeJS.Timeout;
const beat = async () => {
  try {
    await db.query('UPDATE heartbeat SET beat_at = now() WHERE id = 1');
    if (failing) console.log(`${new Date().toISOString()} heartbeat: writing again`);
    failing = false;
  } catch (e) {
    // Log the first failure of a streak only: a down primary would otherwise fill the log twice a second.
    if (!failing) console.log(`${new Date().toISOString()} heartbeat: write failed: ${(e as Error).message}`);
    failing = true;
  }
  timer = setTimeout(beat, intervalMs);
};
console.log(`${new Date().toISOString()} heartbeat: every ${intervalMs} ms to 127.0.0.1:${env.FAULTLINE_DB_PORT}`);
void beat();

const shutdown = () => {
  clearTimeout(timer);
  void db.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
