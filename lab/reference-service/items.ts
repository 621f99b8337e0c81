import type { Cache } from './cache.ts';
import type { Database } from './database.ts';

/** An answer to send: status and JSON body. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const CACHE_TTL_MS = 30_000;

interface ItemRow {
  id: string;
  body: string;
  created_at: Date | string;
}

/** GET /items/:id — the cache, then the local database (a replica outside the primary region), filling the cache. */
export async function readItem(id: string, cache: Cache | undefined, db: Database): Promise<Reply> {
  if (!/^[1-9]\d{0,17}$/.test(id)) return { status: 400, body: { error: `item id must be a positive integer, got "${id}"` } };
  const key = `item:${id}`;
  const cached = await cache?.get(key);
  if (cached !== undefined) return { status: 200, body: JSON.parse(cached), headers: { 'x-cache': 'hit' } };
  let rows: ItemRow[];
  try {
    rows = await db.query<ItemRow>('SELECT id, body, created_at FROM items WHERE id = $1', [id]);
  } catch (e) {
    return unavailable('database', e);
  }
  const row = rows[0];
  if (!row) return { status: 404, body: { error: `no item ${id}` } };
  const item = { id: Number(row.id), body: row.body, createdAt: new Date(row.created_at).toISOString() };
  cache?.set(key, JSON.stringify(item), CACHE_TTL_MS);
  return { status: 200, body: item, headers: { 'x-cache': 'miss' } };
}

/** What a client sends to POST /items: the load generator adds its own write id and clock, so writes can be read back. */
export interface WriteRequest {
  body: string;
  /** The client's unique id for this write. */
  writeId?: string;
  /** The client's clock when it sent the write, epoch ms. */
  clientTs?: number;
}

/** POST /items in the primary region: straight into the primary database. */
export async function writeItemLocally(write: WriteRequest, db: Database): Promise<Reply> {
  try {
    const rows = await db.query<{ id: string }>('INSERT INTO items (body, write_id, client_ts) VALUES ($1, $2, $3) RETURNING id', [write.body, write.writeId ?? null, write.clientTs ?? null]);
    return { status: 201, body: { id: Number(rows[0]!.id), writeId: write.writeId } };
  } catch (e) {
    return unavailable('database', e);
  }
}

/** POST /writes/lookup: how many times each write id is stored in this region's database. */
export async function lookupWrites(ids: string[], db: Database): Promise<Record<string, number>> {
  const rows = await db.query<{ write_id: string; n: string }>('SELECT write_id, count(*) AS n FROM items WHERE write_id = ANY($1) GROUP BY write_id', [ids]);
  return Object.fromEntries(rows.map((r) => [r.write_id, Number(r.n)]));
}

/** POST /items elsewhere: "Write via API" to the primary region, across the TGW link. */
export async function writeItemViaPrimary(
  write: WriteRequest,
  primaryApiUrl: string,
  timeoutMs: number,
  region: string,
  /** Turns the API's name into an address; a DNS failure is a dependency failure like any other. */
  resolve: (url: string) => Promise<string> = async (url) => url,
): Promise<Reply> {
  try {
    const res = await fetch(`${await resolve(primaryApiUrl)}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-faultline-origin-region': region },
      body: JSON.stringify({ body: write.body, id: write.writeId, clientTs: write.clientTs }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (an nginx error page): pass it on as text
    }
    // A failure on the primary side is still a dependency failure here.
    return res.status >= 500 ? { status: 503, body: { error: `primary API answered ${res.status}`, upstream: parsed } } : { status: res.status, body: parsed };
  } catch (e) {
    return unavailable('primary API', e);
  }
}

/** 503 for any failed dependency: fast and explicit, never a hang. */
export function unavailable(dependency: string, e: unknown): Reply {
  const err = e as Error;
  const reason = err.name === 'TimeoutError' || /timeout/i.test(err.message) ? 'timed out' : err.message;
  return { status: 503, body: { error: `${dependency} unavailable: ${reason}` } };
}
