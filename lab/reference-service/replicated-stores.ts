import { connect, headers, type JetStreamManager, type NatsConnection } from 'nats';
import { Database } from './database.ts';

export interface ReplicatedStoreOptions {
  region: string;
  dbUser: string;
  timeoutMs: number;
  ledgerPort?: number;
  natsPort?: number;
  mirrorStore?: string;
}

/** Stream names: kept in step with lab/active-passive/stores.ts (the service does not load the lab). */
const streamOf = (store: string) => store.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
const WRITE_SUBJECT = 'events.write';
const HEARTBEAT_SUBJECT = 'events.heartbeat';

/**
 * The stores of an active/passive lab beyond the main database: the CDC-drawn ledger and the mirrored event
 * stream. A write lands in each; the lookup reads write ids back from each, for the harness's data-loss count.
 */
export class ReplicatedStores {
  readonly ledger?: Database;
  private nats?: NatsConnection;
  private jsm?: JetStreamManager;

  constructor(private readonly o: ReplicatedStoreOptions) {
    if (o.ledgerPort !== undefined) this.ledger = new Database({ port: o.ledgerPort, user: o.dbUser, database: 'ledger', timeoutMs: o.timeoutMs });
  }

  /** Connects to the broker in the background and keeps reconnecting: a lost region's broker comes back on revert. */
  connect(): void {
    if (this.o.natsPort === undefined) return;
    const attempt = () => {
      connect({ servers: `127.0.0.1:${this.o.natsPort}`, timeout: this.o.timeoutMs, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 500, name: `service-${this.o.region}` })
        .then(async (nc) => {
          this.nats = nc;
          this.jsm = await nc.jetstreamManager({ timeout: this.o.timeoutMs });
        })
        .catch(() => setTimeout(attempt, 1_000));
    };
    attempt();
  }

  /** The ledger entry and the event of one write; throws when either store refuses it. */
  async write(writeId: string, clientTs: number | undefined): Promise<void> {
    if (this.ledger) {
      await this.ledger.query('INSERT INTO ledger_entries (write_id, client_ts, region) VALUES ($1, $2, $3)', [writeId, clientTs ?? null, this.o.region]);
    }
    if (this.o.natsPort !== undefined) {
      if (!this.nats) throw new Error('broker not connected');
      const h = headers();
      // JetStream drops a second publish with the same id within its duplicate window.
      h.set('Nats-Msg-Id', writeId);
      await this.nats.jetstream({ timeout: this.o.timeoutMs }).publish(`${WRITE_SUBJECT}.${writeId}`, new TextEncoder().encode(JSON.stringify({ writeId, clientTs })), { headers: h, timeout: this.o.timeoutMs });
    }
  }

  /** How many times each id is stored in the ledger copy of this region. */
  async ledgerCounts(ids: string[]): Promise<Record<string, number>> {
    if (!this.ledger) throw new Error('this lab has no CDC-drawn ledger');
    const rows = await this.ledger.query<{ write_id: string; n: string }>('SELECT write_id, count(*) AS n FROM ledger_entries WHERE write_id = ANY($1) GROUP BY write_id', [ids]);
    return Object.fromEntries(rows.map((r) => [r.write_id, Number(r.n)]));
  }

  /**
   * How many events of each write id this region's stream holds: the promoted stream when the failover made one,
   * else the region's own (the primary's stream, or the secondary's mirror).
   */
  async eventCounts(ids: string[]): Promise<Record<string, number>> {
    const stream = await this.localStream();
    // One request: the stream's own count of messages per subject (a write's subject ends with its id), not one round
    // trip per message. A lab that has run several game days holds thousands of events, and reading them one by one
    // outlasted the ingress's timeout, so a failover's read-back got NGINX's 504 page instead of counts.
    const info = await this.jsm!.streams.info(stream, { subjects_filter: `${WRITE_SUBJECT}.>` });
    const perSubject = info.state.subjects ?? {};
    const counts: Record<string, number> = {};
    for (const id of ids) {
      const stored = perSubject[`${WRITE_SUBJECT}.${id}`];
      if (stored) counts[id] = stored;
    }
    return counts;
  }

  /** Epoch ms of the newest heartbeat event this region's stream holds; undefined when it holds none or is unreachable. */
  async newestEventBeat(): Promise<number | undefined> {
    try {
      const stream = await this.localStream();
      const msg = await this.jsm!.streams.getMessage(stream, { last_by_subj: HEARTBEAT_SUBJECT });
      return Number(new TextDecoder().decode(msg.data));
    } catch {
      return undefined;
    }
  }

  private async localStream(): Promise<string> {
    if (!this.jsm || !this.o.mirrorStore) throw new Error('broker not connected');
    const base = streamOf(this.o.mirrorStore);
    const promoted = `${base}_PROMOTED`;
    return (await this.jsm.streams.info(promoted).then(() => true, () => false)) ? promoted : base;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.ledger?.end(), this.nats?.close()]);
  }
}
