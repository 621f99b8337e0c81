import { expect, test } from '@playwright/test';
import axios from 'axios';
import { mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { chooseStep, MAX_POINTS_PER_SERIES, PrometheusClient, PrometheusError, replicaLagQuery } from '../../assertions/index.ts';
import { startPrometheus, waitForPrometheusData, type StartedPrometheus } from '../../lab/index.ts';
import { ServiceExporter } from './support/service-exporter.ts';

// Ports (assertions range): Prometheus 19400, exporter 19401, nothing 19402, silent server 19403, auth proxy 19404.
const DEAD_PORT = 19402;
const TOKEN = 'fl-test-token-7f3a9c1e55d2';

let prometheus: StartedPrometheus;
let exporter: ServiceExporter;
let client: PrometheusClient;
const servers: Server[] = [];

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-assertions-client-'));
  exporter = await ServiceExporter.start(19401, 'bdg');
  exporter.setLag(3);
  prometheus = await startPrometheus({
    port: 19400,
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'prometheus.log'),
    scrapeConfigs: [{ jobName: 'service', targets: [{ address: exporter.address, labels: { region: 'bdg', service: 'service-main', replica: '0' } }] }],
  });
  client = new PrometheusClient({ url: prometheus.url });
  // Some history, so range queries have several steps of data.
  await waitForPrometheusData(prometheus.url, `count_over_time(${replicaLagQuery('bdg')}[6s:1s])`, {
    timeoutMs: 40_000,
    accept: (s) => (s[0]?.value ?? 0) >= 6,
  });
});

test.afterAll(async () => {
  await prometheus?.stop();
  await exporter?.down();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

test('an instant query returns the value the exporter exposes', async () => {
  const samples = await client.query(replicaLagQuery('bdg'));
  expect(samples).toHaveLength(1);
  expect(samples[0]!.value).toBe(3);
  expect(samples[0]!.labels).toEqual({});
  expect(Math.abs(samples[0]!.at - Date.now())).toBeLessThan(60_000);
});

test('scalars and non-finite values come back as numbers', async () => {
  expect((await client.query('scalar(vector(2))'))[0]!.value).toBe(2);
  expect((await client.query('1/0'))[0]!.value).toBe(Infinity);
  expect((await client.query('-1/0'))[0]!.value).toBe(-Infinity);
  expect((await client.query('0/0'))[0]!.value).toBeNaN();
});

test('an instant query at a past time reads the past', async () => {
  expect(await client.query(replicaLagQuery('bdg'), Date.parse('2001-01-01T00:00:00Z'))).toEqual([]);
});

test('a range query returns every step of the range', async () => {
  const end = Date.now();
  const { stepMs, series } = await client.queryRange(replicaLagQuery('bdg'), { start: end - 4_000, end }, '1s');
  expect(stepMs).toBe(1_000);
  expect(series).toHaveLength(1);
  expect(series[0]!.points).toHaveLength(5);
  expect(series[0]!.points.map(([, v]) => v)).toEqual([3, 3, 3, 3, 3]);
  expect(series[0]!.points[4]![0]).toBe(end);
});

test('a 30-day range gets a step that keeps it within 11,000 points, even when a 1s step is asked for', async () => {
  const end = Date.now();
  const range = { start: end - 30 * 86_400_000, end };
  // The control: Prometheus itself refuses this resolution.
  const raw = await axios.get(`${prometheus.url}/api/v1/query_range`, {
    params: { query: 'vector(1)', start: range.start / 1000, end: range.end / 1000, step: 1 },
    validateStatus: () => true,
  });
  expect(raw.data.error).toContain('exceeded maximum resolution of 11,000 points');

  for (const step of [undefined, '1s']) {
    const { stepMs, series } = await client.queryRange('vector(1)', range, step);
    expect(series[0]!.points.length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    expect(series[0]!.points.length).toBeGreaterThan(MAX_POINTS_PER_SERIES - 10);
  }
});

test('chooseStep: never finer than the floor, coarse enough for the points limit, the request when it fits', () => {
  expect(chooseStep(60_000, 1_000)).toBe(1_000);
  expect(chooseStep(60_000, 1_000, 5_000)).toBe(5_000);
  expect(chooseStep(60_000, 1_000, 100)).toBe(1_000);
  const long = 365 * 86_400_000;
  const step = chooseStep(long, 1_000, 1_000);
  expect(Math.floor(long / step) + 1).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  // …without throwing resolution away: one millisecond finer would break the limit.
  expect(Math.floor(long / (step - 1)) + 1).toBeGreaterThan(MAX_POINTS_PER_SERIES);
});

test('checkSyntax passes valid PromQL without needing data, and names the broken query', async () => {
  await client.checkSyntax('sum by (region) (rate(no_such_metric_total[5m]))');
  const error = await client.checkSyntax('sum(rate(k6_http_reqs_total[5m])').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PrometheusError);
  const e = error as PrometheusError;
  expect(e.code).toBe('FAULTLINE_BAD_PROMQL');
  expect(e.errorType).toBe('bad_data');
  expect(e.message).toContain('parse error');
  expect(e.message).toContain('sum(rate(k6_http_reqs_total[5m])');
  expect(e.query).toBe('sum(rate(k6_http_reqs_total[5m])');
});

test('a syntax error in a query is FAULTLINE_BAD_PROMQL with the query and Prometheus’s message', async () => {
  const q = 'max(faultline_replication_lag_seconds{region="bdg"}';
  const e = (await client.query(q).catch((x: unknown) => x)) as PrometheusError;
  expect(e.code).toBe('FAULTLINE_BAD_PROMQL');
  expect(e.message).toContain(`query: ${q}`);
  expect(e.message).toMatch(/1:\d+: parse error/);
  expect(e.hint).toBeTruthy();
});

test('an evaluation error (many-to-many match) is FAULTLINE_BAD_PROMQL of type execution', async () => {
  const two = '(vector(1) or label_replace(vector(2), "x", "y", "", ""))';
  const e = (await client.query(`${two} + on() ${two}`).catch((x: unknown) => x)) as PrometheusError;
  expect(e.code).toBe('FAULTLINE_BAD_PROMQL');
  expect(e.errorType).toBe('execution');
  expect(e.message).toContain('many-to-many');
});

test('a range vector is refused as an SLI value, naming the query', async () => {
  const e = (await client.query('faultline_replication_lag_seconds[1m]').catch((x: unknown) => x)) as PrometheusError;
  expect(e.code).toBe('FAULTLINE_BAD_PROMQL');
  expect(e.message).toContain('returns a matrix');
});

test('Prometheus giving up on a slow query is FAULTLINE_PROMETHEUS_UNREACHABLE of type timeout', async () => {
  const impatient = new PrometheusClient({ url: prometheus.url, queryTimeout: '50ms' });
  const q = 'sum(count_over_time((up or vector(1))[1d:10ms]))';
  const e = (await impatient.query(q).catch((x: unknown) => x)) as PrometheusError;
  expect(e.code).toBe('FAULTLINE_PROMETHEUS_UNREACHABLE');
  expect(e.errorType).toBe('timeout');
  expect(e.message).toContain(q);
  expect(e.hint).toContain('queryTimeout');
});

test('Prometheus down is FAULTLINE_PROMETHEUS_UNREACHABLE naming the URL', async () => {
  const down = new PrometheusClient({ url: `http://127.0.0.1:${DEAD_PORT}` });
  for (const call of [() => down.query('up'), () => down.queryRange('up', { start: 0, end: 1000 }), () => down.checkSyntax('up'), () => down.ping()]) {
    const e = (await call().catch((x: unknown) => x)) as PrometheusError;
    expect(e.code).toBe('FAULTLINE_PROMETHEUS_UNREACHABLE');
    expect(e.message).toContain(`http://127.0.0.1:${DEAD_PORT}`);
    expect(e.message).toContain('connection refused');
    expect(e.hint).toContain('faultline lab up');
  }
});

test('a server that accepts but never answers is FAULTLINE_PROMETHEUS_UNREACHABLE after the timeout', async () => {
  const silent = createServer(() => {});
  servers.push(silent);
  await new Promise<void>((ok) => silent.listen(19403, '127.0.0.1', ok));
  const c = new PrometheusClient({ url: 'http://127.0.0.1:19403', queryTimeout: '100ms' });
  const e = (await c.query('up').catch((x: unknown) => x)) as PrometheusError;
  expect(e.code).toBe('FAULTLINE_PROMETHEUS_UNREACHABLE');
  expect(e.message).toContain('did not answer within');
});

test('a URL that is not the server root says so', async () => {
  const e = (await new PrometheusClient({ url: `${prometheus.url}/graph` }).ping().catch((x: unknown) => x)) as PrometheusError;
  expect(e.code).toBe('FAULTLINE_PROMETHEUS_UNREACHABLE');
  expect(e.message).toContain('HTTP 404');
  expect(e.hint).toContain('server root');
});

test('the bearer token is sent, and never appears in errors or in the client', async () => {
  // An auth proxy in front of the real Prometheus, as a managed Prometheus would have.
  const proxy = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('unauthorized');
    const upstream = request(`${prometheus.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  servers.push(proxy);
  await new Promise<void>((ok) => proxy.listen(19404, '127.0.0.1', ok));

  const authorised = new PrometheusClient({ url: 'http://127.0.0.1:19404', bearerToken: TOKEN });
  expect((await authorised.query(replicaLagQuery('bdg')))[0]!.value).toBe(3);

  const wrong = new PrometheusClient({ url: 'http://127.0.0.1:19404', bearerToken: `${TOKEN}-old` });
  const refused = (await wrong.query('up').catch((x: unknown) => x)) as PrometheusError;
  expect(refused.code).toBe('FAULTLINE_PROMETHEUS_UNREACHABLE');
  expect(refused.message).toContain('HTTP 401');
  expect(refused.hint).toContain('bearer token');

  const unreachable = (await new PrometheusClient({ url: `http://127.0.0.1:${DEAD_PORT}`, bearerToken: TOKEN })
    .query('up')
    .catch((x: unknown) => x)) as PrometheusError;
  const bad = (await authorised.query('sum(').catch((x: unknown) => x)) as PrometheusError;
  for (const shown of [refused, unreachable, bad, authorised, wrong].flatMap((x) => [inspect(x, { depth: 10 }), JSON.stringify(x), String(x)])) {
    expect(shown).not.toContain(TOKEN);
  }
  for (const e of [refused, unreachable, bad]) expect(e.cause).toBeUndefined();
});

test('credentials in the URL are never shown', async () => {
  const c = new PrometheusClient({ url: `http://admin:hunter2secret@127.0.0.1:${DEAD_PORT}` });
  expect(c.url).toBe(`http://127.0.0.1:${DEAD_PORT}`);
  const e = (await c.query('up').catch((x: unknown) => x)) as Error;
  expect(inspect(e)).not.toContain('hunter2secret');
  expect(inspect(c)).not.toContain('hunter2secret');
});
