import { createClient } from 'redis';

/**
 * The region's Redis, used as a read-through cache. A cache is an optimisation: when Redis fails, reads go to the
 * database. After a failure the cache is skipped for a second, so a paused or dead Redis costs one timeout per
 * second rather than one per request.
 */
export class Cache {
  private readonly client;
  private skipUntil = 0;

  constructor(
    port: number,
    private readonly timeoutMs: number,
  ) {
    this.client = createClient({
      socket: { host: '127.0.0.1', port, connectTimeout: timeoutMs, reconnectStrategy: (retries) => Math.min(100 * (retries + 1), 1_000) },
      // Without this, commands issued while disconnected wait in a queue instead of failing.
      disableOfflineQueue: true,
    });
    this.client.on('error', () => {});
  }

  connect(): void {
    this.client.connect().catch(() => {});
  }

  async get(key: string): Promise<string | undefined> {
    if (Date.now() < this.skipUntil || !this.client.isReady) return undefined;
    try {
      return (await this.withDeadline(this.client.get(key))) ?? undefined;
    } catch {
      this.skipUntil = Date.now() + 1_000;
      return undefined;
    }
  }

  /** Fire and forget: a failed cache fill must not fail the read that caused it. */
  set(key: string, value: string, ttlMs: number): void {
    if (Date.now() < this.skipUntil || !this.client.isReady) return;
    this.withDeadline(this.client.set(key, value, { PX: ttlMs })).catch(() => {
      this.skipUntil = Date.now() + 1_000;
    });
  }

  /**
   * node-redis 5 has no per-command timeout that covers a connected but silent server (a frozen or partitioned
   * Redis), so every call races its own deadline.
   */
  private withDeadline<T>(call: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    call.catch(() => {}); // a late failure after the deadline has nobody left to tell
    return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
