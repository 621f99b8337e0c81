import type { Database } from './database.ts';

/** Reads the newest primary heartbeat one store's local copy shows, as epoch ms; undefined or a throw when it cannot. */
export type HeartbeatReader = () => Promise<number | undefined>;

/** The heartbeat row of a PostgreSQL copy (streaming replica or CDC copy). */
export function heartbeatRow(db: Database): HeartbeatReader {
  return async () => (await db.query<{ ms: number }>('SELECT (extract(epoch FROM beat_at) * 1000)::float8 AS ms FROM heartbeat WHERE id = 1'))[0]?.ms;
}

/**
 * Replication lag as a reader feels it: now minus the newest heartbeat the local copy shows. The primary writes the
 * heartbeat every 500 ms, so a copy that stops applying (partition, apply delay, a slow CDC or mirror link) sees it
 * age. When the local copy cannot be read, the last heartbeat seen keeps ageing too: we only know data that old.
 */
export class LagTracker {
  private newestBeatMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly read: HeartbeatReader,
    private readonly pollMs: number,
  ) {}

  start(): void {
    const poll = async () => {
      try {
        const ms = await this.read();
        if (ms !== undefined && (this.newestBeatMs === undefined || ms > this.newestBeatMs)) this.newestBeatMs = ms;
      } catch {
        // keep the last heartbeat: its age is the honest answer while the copy is unreachable
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
