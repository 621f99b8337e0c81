import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ActiveRegion } from './active-region.ts';
import { Cache } from './cache.ts';
import { readServiceConfig } from './config.ts';
import { Database } from './database.ts';
import { lookupWrites, readItem, unavailable, writeItemLocally, writeItemViaPrimary, type Reply, type WriteRequest } from './items.ts';
import { heartbeatRow, LagTracker } from './lag-tracker.ts';
import { LabResolver } from './resolver.ts';
import { ServiceMetricSet, type Route } from './metrics.ts';
import { RenderedCredentials } from './rendered-credentials.ts';
import { ReplicatedStores } from './replicated-stores.ts';

/**
 * The lab's reference service: one process per replica. Reads go cache → local database; writes go to the primary
 * (directly in the primary region, through the primary region's API elsewhere). In an active/passive lab the
 * standby region serves reads from its copies and refuses writes until the failover runbook makes it active; the
 * active region also writes each write's ledger entry (CDC-drawn) and event (mirrored stream).
 */
const config = readServiceConfig(process.env);
const credentials = config.dbCredentialsFile ? new RenderedCredentials(config.dbCredentialsFile) : undefined;
const db = new Database({ port: config.dbPort, user: config.dbUser, database: config.dbName, timeoutMs: config.timeoutMs, credentials });
const cache = config.redisPort === undefined ? undefined : new Cache(config.redisPort, config.timeoutMs);
const activeRegion = config.failoverFile ? new ActiveRegion(config.failoverFile) : undefined;
const stores = new ReplicatedStores({ region: config.region, dbUser: config.dbUser, timeoutMs: config.timeoutMs, ledgerPort: config.ledgerPort, natsPort: config.natsPort, mirrorStore: config.mirrorStore });
const lag = new LagTracker(heartbeatRow(db), config.lagPollMs);
const lags = [{ store: config.storeName, tracker: lag }];
if (stores.ledger && config.cdcStore) lags.push({ store: config.cdcStore, tracker: new LagTracker(heartbeatRow(stores.ledger), config.lagPollMs) });
if (config.natsPort !== undefined && config.mirrorStore) lags.push({ store: config.mirrorStore, tracker: new LagTracker(() => stores.newestEventBeat(), config.lagPollMs) });
const metrics = new ServiceMetricSet(
  config.region,
  config.service,
  lags.map((l) => ({ store: l.store, lagSeconds: () => l.tracker.lagSeconds() })),
);
const resolver = new LabResolver(config.dnsServer, config.timeoutMs);
const MAX_BODY_BYTES = 64 * 1024;
const MAX_LOOKUP_IDS = 50_000;

async function write(request: WriteRequest): Promise<Reply> {
  if (activeRegion && !activeRegion.is(config.region)) {
    return { status: 503, body: { error: `standby region ${config.region}: writes are refused until a failover makes it active` } };
  }
  if (config.primaryApiUrl) return writeItemViaPrimary(request, config.primaryApiUrl, config.timeoutMs, config.region, (url) => resolver.resolveUrl(url));
  const reply = await writeItemLocally(request, db);
  if (reply.status !== 201 || !activeRegion || !request.writeId) return reply;
  try {
    await stores.write(request.writeId, request.clientTs);
  } catch (e) {
    return unavailable('ledger or event stream', e);
  }
  return reply;
}

/** POST /writes/lookup {ids, store}: how many copies of each write id this region's store holds. */
async function lookup(text: string): Promise<Reply> {
  let parsed: { ids?: unknown; store?: unknown };
  try {
    parsed = JSON.parse(text || '{}') as typeof parsed;
  } catch {
    return { status: 400, body: { error: 'POST /writes/lookup takes JSON like {"ids": ["..."], "store": "items"}' } };
  }
  const ids = Array.isArray(parsed.ids) ? parsed.ids.map(String) : [];
  if (ids.length > MAX_LOOKUP_IDS) return { status: 413, body: { error: `at most ${MAX_LOOKUP_IDS} ids per lookup` } };
  const store = String(parsed.store ?? 'items');
  try {
    const counts = store === 'items' ? await lookupWrites(ids, db) : store === 'ledger' ? await stores.ledgerCounts(ids) : store === 'events' ? await stores.eventCounts(ids) : undefined;
    if (!counts) return { status: 400, body: { error: `unknown store "${store}": use items, ledger or events` } };
    return { status: 200, body: { region: config.region, store, counts } };
  } catch (e) {
    return unavailable(store, e);
  }
}

async function route(req: IncomingMessage): Promise<{ route: Route; reply: Reply }> {
  const path = (req.url ?? '/').split('?')[0]!;
  const itemMatch = /^\/items\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && itemMatch) {
    const reply = await readItem(itemMatch[1]!, cache, db);
    if (reply.status === 200) metrics.observeReadStaleness(lag.lagSeconds() ?? 0);
    return { route: 'read', reply };
  }
  if (req.method === 'POST' && path === '/items') {
    let text: string;
    try {
      text = await readBody(req);
    } catch (e) {
      return { route: 'write', reply: { status: 413, body: { error: (e as Error).message } } };
    }
    let request: WriteRequest;
    try {
      const json = JSON.parse(text || '{}') as { body?: unknown; id?: unknown; clientTs?: unknown };
      request = { body: String(json.body ?? ''), writeId: json.id === undefined ? undefined : String(json.id), clientTs: typeof json.clientTs === 'number' ? json.clientTs : undefined };
    } catch {
      return { route: 'write', reply: { status: 400, body: { error: 'POST /items takes JSON like {"body": "...", "id": "<write id>", "clientTs": <epoch ms>}' } } };
    }
    return { route: 'write', reply: await write(request) };
  }
  return { route: 'other', reply: { status: 404, body: { error: `no route ${req.method} ${path}` } } };
}

function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) reject(new Error(`body larger than ${limit} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'x-faultline-region': config.region,
    'x-faultline-service': config.service,
    'x-faultline-replica': String(config.replica),
    ...reply.headers,
  });
  res.end(JSON.stringify(reply.body));
}

const server = createServer(async (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  // Scrapes and health probes are not user traffic: they stay out of the request metrics the SLOs read.
  if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
    return;
  }
  if (req.method === 'GET' && path === '/healthz') {
    const role = activeRegion ? (activeRegion.is(config.region) ? 'active' : 'standby') : undefined;
    send(res, { status: 200, body: { status: 'ok', region: config.region, service: config.service, replica: config.replica, role, lagSeconds: lag.lagSeconds() ?? null } });
    return;
  }
  // The harness's read-back and the runbook's nudge: not user traffic either.
  if (req.method === 'POST' && path === '/writes/lookup') {
    send(res, await lookup(await readBody(req, 4 * 1024 * 1024).catch(() => '')));
    return;
  }
  if (req.method === 'POST' && path === '/admin/reload') {
    send(res, { status: 200, body: { region: config.region, active: activeRegion?.reload() ?? null } });
    return;
  }
  const started = process.hrtime.bigint();
  let outcome: { route: Route; reply: Reply };
  try {
    outcome = await route(req);
  } catch (e) {
    outcome = { route: 'other', reply: { status: 500, body: { error: (e as Error).message } } };
  }
  send(res, outcome.reply);
  metrics.observeRequest(outcome.route, outcome.reply.status, Number(process.hrtime.bigint() - started) / 1e9);
});

cache?.connect();
stores.connect();
activeRegion?.start();
for (const l of lags) l.tracker.start();
server.listen(config.port, '127.0.0.1', () => {
  console.log(`${config.service} ${config.region}#${config.replica} listening on 127.0.0.1:${config.port}`);
});

const shutdown = () => {
  for (const l of lags) l.tracker.stop();
  activeRegion?.stop();
  server.close();
  server.closeAllConnections();
  void Promise.allSettled([db.end(), cache?.close(), stores.close()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
