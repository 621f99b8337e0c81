import pg from 'pg';

/**
 * A small pool to one PostgreSQL. A connection whose query failed or timed out is thrown away, not reused: after a
 * client-side timeout the server may still be busy with that query, and the next request must not queue behind it.
 */
export class Database {
  private readonly pool: pg.Pool;

  constructor(options: { port: number; user: string; database: string; timeoutMs: number }) {
    this.pool = new pg.Pool({
      host: '127.0.0.1',
      port: options.port,
      user: options.user,
      database: options.database,
      max: 4,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: options.timeoutMs,
      query_timeout: options.timeoutMs,
      keepAlive: true,
    });
    // An idle connection dropped by the server (restart, fault) must not crash the process.
    this.pool.on('error', () => {});
  }

  async query<T>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = await this.pool.connect();
    try {
      const result = await client.query(text, values);
      client.release();
      return result.rows as T[];
    } catch (e) {
      client.release(e as Error);
      throw e;
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
