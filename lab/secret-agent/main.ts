import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Gauge, Registry } from 'prom-client';
// Only the metric names: an agent process must not load the run engine with the rest of core.
import { SecretStoreMetrics } from '../../core/metric-names.ts';
import { SecretAgent, type Call } from './agent.ts';
import { readAgentConfig } from './config.ts';

/** One region's secret agent (see agent.ts). Usage: node --import tsx lab/secret-agent/main.ts, configured by env. */
const config = readAgentConfig(process.env);
const registry = new Registry();
const reads = new Counter({
  name: SecretStoreMetrics.reads,
  help: "Calls to the region's secret store, by call and outcome.",
  labelNames: ['region', 'call', 'outcome'],
  registers: [registry],
});
const expiry = new Gauge({
  name: SecretStoreMetrics.leaseExpiry,
  help: 'When the database lease the agent holds expires, epoch seconds; 0 while it holds none.',
  labelNames: ['region'],
  registers: [registry],
});
// Every series exists from the start at 0, so an increase over a window counts the first failure too.
for (const call of ['login', 'creds', 'renew', 'token', 'config'] satisfies Call[]) {
  for (const outcome of ['ok', 'failed']) reads.inc({ region: config.region, call, outcome }, 0);
}
expiry.set({ region: config.region }, 0);

const agent = new SecretAgent(
  config,
  (call, ok) => reads.inc({ region: config.region, call, outcome: ok ? 'ok' : 'failed' }),
  (epochMs) => expiry.set({ region: config.region }, epochMs / 1000),
);

const server = createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/metrics') {
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(await registry.metrics());
    return;
  }
  res.writeHead(404).end();
});
server.listen(config.port, '127.0.0.1', () => console.log(`secret-agent ${config.region} listening on 127.0.0.1:${config.port}`));

let running = true;
const TICK_MS = 250;
void (async () => {
  while (running) {
    await agent.tick();
    await sleep(TICK_MS);
  }
})();

const shutdown = () => {
  running = false;
  server.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
