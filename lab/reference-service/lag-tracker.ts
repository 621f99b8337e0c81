import type { Database } from './database.ts';

/**
 * Replication lag as a reader feels it: now minus the newest heartbeat the local database shows. The primary
 * writes the heartbeat every 500 ms, so a replica that stops applying WAL (partition, apply delay) sees it age.
 * When the local database cannot be read, the last heartbeat seen keeps ageing too: we only know data that old.
 */
export class LagTracker {
  private newestBeatMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly pollMs: number,
  ) {}

  start(): void {
    const poll = async () => {
      try {
        const rows = await this.db.query<{ ms: number }>('SELECT (extract(epoch FROM beat_at) * 1000)::float8 AS ms FROM heartbeat WHERE id = 1');
        const ms = rows[0]?.ms;
        if (ms !== undefined && (this.newestBeatMs === undefined || ms > this.newestBeatMs)) this.newestBeatMs = ms;
      } catch {
        // keep the last heartbeat: its age is the honest answer while the database is unreachable
      }
      this.timer = setTimeout(poll, this.pollMs);
    };
    void poll();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Undefined until a first heartbeat was read. */
  lagSeconds(): number | undefined {
    return this.newestBeatMs === undefined ? undefined : Math.max(0, (Date.now() - this.newestBeatMs) / 1000);
  }
}
