import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from '@playwright/test';
import { PrometheusClient, PrometheusSloJudge } from '../../assertions/index.ts';
import { RENEWAL_VISIBLE_MS } from '../../assertions/secret-lease.ts';
import { secretLeaseExpiryAtQuery } from '../../assertions/sli-queries.ts';
import { SecretStoreMetrics } from '../../core/index.ts';
import { startPrometheus, waitForPrometheusData, type StartedPrometheus } from '../../lab/index.ts';

/*
 * Which lease a region's agent held when its secret store went away, read from a real Prometheus scraping the agent's
 * expiry gauge every second. The agent renews a few milliseconds before the store is lost, so the last scrape before
 * the loss still shows the old expiry: the renewed one is the lease the region runs on. Ports 19440 (Prometheus) and
 * 19441 (the agent's stand-in).
 */
let dir: string;
let prometheus: StartedPrometheus;
let agent: Server;
let expiryS = 0;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  dir = mkdtempSync(join(tmpdir(), 'faultline-lease-expiry-'));
  agent = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE ${SecretStoreMetrics.leaseExpiry} gauge\n${SecretStoreMetrics.leaseExpiry}{region="bdg"} ${expiryS}\n`);
  });
  await new Promise<void>((resolve) => agent.listen(19441, '127.0.0.1', resolve));
  expiryS = Date.now() / 1000 + 20;
  prometheus = await startPrometheus({
    port: 19440,
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'prometheus.log'),
    scrapeConfigs: [{ jobName: 'secret-agent', targets: [{ address: '127.0.0.1:19441', labels: {} }] }],
  });
  await waitForPrometheusData(prometheus.url, `count_over_time(${SecretStoreMetrics.leaseExpiry}[5s])`, { timeoutMs: 40_000, accept: (s) => (s[0]?.value ?? 0) >= 3 });
});

test.afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => agent?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test('a renewal just before the store went away is the lease that counts, not the one Prometheus last scraped', async () => {
  test.setTimeout(60_000);
  const renewedAt = Date.now();
  expiryS = renewedAt / 1000 + 30;
  const lostAt = renewedAt + 20;
  await sleep(RENEWAL_VISIBLE_MS + 2_000);
  const judge = new PrometheusSloJudge(new PrometheusClient({ url: prometheus.url }));
  // Read at the loss alone, this was the expiry before the renewal (unless a scrape fell in those 20 ms).
  const held = await judge.read(secretLeaseExpiryAtQuery('bdg', lostAt, RENEWAL_VISIBLE_MS));
  expect(held).toBeCloseTo(expiryS, 3);
});

test('after the loss the agent renders the lease expired (0): the lease it held is still the one read', async () => {
  test.setTimeout(60_000);
  const held = expiryS;
  const lostAt = Date.now();
  await sleep(1_500);
  expiryS = 0;
  await sleep(RENEWAL_VISIBLE_MS);
  const judge = new PrometheusSloJudge(new PrometheusClient({ url: prometheus.url }));
  expect(await judge.read(secretLeaseExpiryAtQuery('bdg', lostAt, RENEWAL_VISIBLE_MS))).toBeCloseTo(held, 3);
});
