import pg from 'pg';

/**
 * Who the pool logs in as when credentials come from elsewhere (a secret agent); new credentials (another `version`
 * or user) force new logins, and credentials whose lease ran out (`valid` false) are not used at all.
 */
export interface CredentialSource {
  current(): { user: string; password: string; version: number; valid: boolean } | undefined;
}

export interface DatabaseOptions {
  port: number;
  /** The user when no credential source is given (the lab's trust-authenticated superuser). */
  user: string;
  database: string;
  timeoutMs: number;
  /** Default: log in as `user`, without a password. */
  credentials?: CredentialSource;
}

/**
 * A small pool to one PostgreSQL. A connection whose query failed or timed out is thrown away, not reused: after a
 * client-side timeout the server may still be busy with that query, and the next request must not queue behind it.
 * With a credential source, the pool is replaced whenever the credentials change, and closed when their lease runs
 * out: connections logged in with rotated or expired credentials are not reused, as an application that honours its
 * secret's lease does.
 */
export class Database {
  private pool: pg.Pool | undefined;
  /**
   * Which credentials the pool logs in with: their version and user. The user too, because a version alone is only
   * unique within one agent's life: a service started on a file left by an earlier lab would keep a pool of a user
   * that no longer exists when the new agent renders the same version number.
   */
  private loggedInAs: string | undefined;

  constructor(private readonly options: DatabaseOptions) {}

  private currentPool(): pg.Pool {
    const creds = this.options.credentials?.current();
    if (this.options.credentials && !creds) throw new Error('no database credentials yet (the secret agent has not rendered any)');
    if (creds && !creds.valid) {
      // The lease ran out unrenewed: the credentials are dead by design, and so is every connection made with them.
      if (this.pool) void this.pool.end().catch(() => {});
      this.pool = undefined;
      this.loggedInAs = credentialKey(creds);
      throw new Error('database credentials expired: their secret lease ran out and could not be renewed');
    }
    if (this.pool && (!creds || credentialKey(creds) === this.loggedInAs)) return this.pool;
    const old = this.pool;
    this.pool = new pg.Pool({
      host: '127.0.0.1',
      port: this.options.port,
      user: creds?.user ?? this.options.user,
      password: creds?.password,
      database: this.options.database,
      max: 4,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: this.options.timeoutMs,
      query_timeout: this.options.timeoutMs,
      keepAlive: true,
    });
    // An idle connection dropped by the server (restart, fault) must not crash the process.
    this.pool.on('error', () => {});
    this.loggedInAs = creds && credentialKey(creds);
    if (old) void old.end().catch(() => {});
    return this.pool;
  }

  async query<T>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = await this.currentPool().connect();
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
    return this.pool?.end() ?? Promise.resolve();
  }
}

function credentialKey(creds: { user: string; version: number }): string {
  return `${creds.version}/${creds.user}`;
}
