import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Cache } from './cache.ts';
import { readServiceConfig } from './config.ts';
import { Database } from './database.ts';
import { readItem, writeItemLocally, writeItemViaPrimary, type Reply } from './items.ts';
import { LagTracker } from './lag-tracker.ts';
import { LabResolver } from './resolver.ts';
import { ServiceMetricSet, type Route } from './metrics.ts';

/**
 * The lab's reference service: one process per replica. Reads go cache → local database; writes go to the primary
 * (directly in the primary region, through the primary region's API elsewhere).
 */
const config = readServiceConfig(process.env);
const db = new Database({ port: config.dbPort, user: config.dbUser, database: config.dbName, timeoutMs: config.timeoutMs });
const cache = new Cache(config.redisPort, config.timeoutMs);
const lag = new LagTracker(db, config.lagPollMs);
const resolver = new LabResolver(config.dnsServer, config.timeoutMs);
const metrics = new ServiceMetricSet(config.region, config.service, () => lag.lagSeconds());
const MAX_BODY_BYTES = 64 * 1024;

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
    let body = '';
    try {
      body = String((JSON.parse(text || '{}') as { body?: unknown }).body ?? '');
    } catch {
      return { route: 'write', reply: { status: 400, body: { error: 'POST /items takes JSON like {"body": "..."}' } } };
    }
    const reply = config.primaryApiUrl
      ? await writeItemViaPrimary(body, config.primaryApiUrl, config.timeoutMs, config.region, (url) => resolver.resolveUrl(url))
      : await writeItemLocally(body, db);
    return { route: 'write', reply };
  }
  return { route: 'other', reply: { status: 404, body: { error: `no route ${req.method} ${path}` } } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new Error(`body larger than ${MAX_BODY_BYTES} bytes`));
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
    send(res, { status: 200, body: { status: 'ok', region: config.region, service: config.service, replica: config.replica, lagSeconds: lag.lagSeconds() ?? null } });
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

cache.connect();
lag.start();
server.listen(config.port, '127.0.0.1', () => {
  console.log(`${config.service} ${config.region}#${config.replica} listening on 127.0.0.1:${config.port}`);
});

const shutdown = () => {
  lag.stop();
  server.close();
  server.closeAllConnections();
  void Promise.allSettled([db.end(), cache.close()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
