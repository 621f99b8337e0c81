import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { isFaultlineError } from '../../core/index.ts';
import type { LabState } from '../../lab/index.ts';
import { labDown, labPids, labStatus, labUp, readLabServices, waitForPrometheusData, type LabUpResult } from '../../lab/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../../targets/index.ts';
import { listeningPorts } from './support/listening.ts';

// A port range of its own (a dev lab may hold 19000-19099) and a throwaway run folder.
const PORT_BASE = 19100;
const REGIONS = ['jkt', 'bdg', 'sby'];
let runDir: string;
let up: LabUpResult;
let state: LabState;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  runDir = mkdtempSync(join(tmpdir(), 'faultline-lab-'));
  // PostgreSQL runs as the postgres user when we are root; it must be able to enter the run folder.
  chmodSync(runDir, 0o755);
  up = await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase: PORT_BASE, runDir });
  state = up.state;
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  if (runDir) {
    await labDown({ runDir });
    rmSync(runDir, { recursive: true, force: true });
  }
});

async function http(url: string, init?: RequestInit) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text }; // an NGINX error page: keep it for the failure message, let the status assertion speak
  }
  return { status: res.status, headers: res.headers, body };
}

const ingress = (region: string) => state.nginx.find((n) => n.region === region)!.url;
const post = (region: string, body: string) =>
  http(`${ingress(region)}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body }) });

async function queryDb<T>(port: number, sql: string, values: unknown[] = []): Promise<T[]> {
  const user = process.getuid?.() === 0 ? 'postgres' : (await import('node:os')).userInfo().username;
  const client = new pg.Client({ host: '127.0.0.1', port, user, database: 'faultline' });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

test('comes up with every component healthy, and a second `lab up` changes nothing', async () => {
  expect(up.started).toBe(true);
  expect(state.portBase).toBe(PORT_BASE);
  expect(state.prometheus.url).toBe(`http://127.0.0.1:${PORT_BASE}`);
  expect(state.toxiproxy.proxies.map((p) => p.name).sort()).toEqual(['bdg-jkt-api', 'bdg-jkt-replication', 'sby-jkt-api', 'sby-jkt-replication']);
  expect(state.postgres.map((p) => `${p.region}:${p.role}`)).toEqual(['jkt:primary', 'bdg:replica', 'sby:replica']);
  // Defaults: two service-main and one service-backup per region.
  const services = readLabServices(runDir);
  for (const region of REGIONS) {
    expect(services.filter((s) => s.region === region && s.service === 'service-main')).toHaveLength(2);
    expect(services.filter((s) => s.region === region && s.service === 'service-backup')).toHaveLength(1);
  }

  const status = await labStatus({ runDir });
  expect(status.components.filter((c) => !c.healthy)).toEqual([]);
  expect(status.healthy).toBe(true);

  const again = await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase: PORT_BASE, runDir });
  expect(again.started).toBe(false);
  expect(again.state.supervisor.pid).toBe(state.supervisor.pid);
  expect(readLabServices(runDir).map((s) => s.pid)).toEqual(services.map((s) => s.pid));
});

test('traffic flows through each region ingress, reads and writes', async () => {
  for (const region of REGIONS) {
    const read = await http(`${ingress(region)}/items/7`);
    expect(read.status, `GET /items/7 via ${region}`).toBe(200);
    expect(read.body).toMatchObject({ id: 7, body: 'seed item 7' });
    expect(read.headers.get('x-faultline-region')).toBe(region);

    const write = await post(region, `written via ${region}`);
    expect(write.status, `POST /items via ${region}`).toBe(201);
    // Every write lands on the primary in jkt, whichever region took it.
    const rows = await queryDb<{ body: string }>(state.postgres[0]!.port, 'SELECT body FROM items WHERE id = $1', [write.body.id]);
    expect(rows).toEqual([{ body: `written via ${region}` }]);
  }
  const missing = await http(`${ingress('bdg')}/items/987654321`);
  expect(missing.status).toBe(404);
});

test('a row written through jkt becomes readable on the bdg and sby replicas', async () => {
  const body = `replicated ${Date.now()}`;
  const write = await post('jkt', body);
  expect(write.status).toBe(201);
  for (const replica of state.postgres.filter((p) => p.role === 'replica')) {
    const [recovery] = await queryDb<{ r: boolean }>(replica.port, 'SELECT pg_is_in_recovery() AS r');
    expect(recovery?.r, `${replica.region} is a read-only replica`).toBe(true);
    await expect
      .poll(async () => (await queryDb<{ body: string }>(replica.port, 'SELECT body FROM items WHERE id = $1', [write.body.id]))[0]?.body, {
        message: `item ${write.body.id} on the ${replica.region} replica`,
        timeout: 15_000,
      })
      .toBe(body);
    // And the region's service serves it from there.
    const read = await http(`${ingress(replica.region)}/items/${write.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.body).toBe(body);
  }
});

test('Prometheus holds the replication-lag gauge of every region and the request counters', async () => {
  const lag = await waitForPrometheusData(state.prometheus.url, 'faultline_replication_lag_seconds{job="service"}', {
    timeoutMs: 20_000,
    accept: (samples) => REGIONS.every((r) => samples.some((s) => s.metric.region === r)),
  });
  for (const sample of lag) {
    expect(sample.metric.service).toMatch(/^service-(main|backup)$/);
    expect(sample.metric.replica).toMatch(/^\d+$/);
    // Healthy lab: the heartbeat is at most a couple of poll intervals old everywhere.
    expect(sample.value).toBeGreaterThanOrEqual(0);
    expect(sample.value).toBeLessThan(10);
  }
  await waitForPrometheusData(state.prometheus.url, 'sum by (region) (faultline_service_requests_total{route="read", code="200"})', {
    timeoutMs: 20_000,
    accept: (samples) => REGIONS.every((r) => samples.some((s) => s.metric.region === r && s.value > 0)),
  });
});

test('killed service-main processes are restarted after the restart delay, and the ingress fails over meanwhile', async () => {
  const victims = readLabServices(runDir).filter((s) => s.region === 'bdg' && s.service === 'service-main');
  expect(victims.length).toBeGreaterThan(0);
  const killedAt = Date.now();
  for (const v of victims) process.kill(v.pid, 'SIGKILL');

  // Every main replica is gone: NGINX must send reads to service-backup instead of failing.
  for (let i = 1; i <= 10; i++) {
    const read = await http(`${ingress('bdg')}/items/${i}`);
    expect(read.status, `read ${i} during the outage`).toBe(200);
    expect(read.headers.get('x-faultline-service')).toBe('service-backup');
  }

  await expect
    .poll(
      () => {
        const now = readLabServices(runDir).filter((s) => s.region === 'bdg' && s.service === 'service-main');
        return now.every((s) => !victims.some((v) => v.pid === s.pid)) ? now : undefined;
      },
      { message: 'the supervisor restarts every killed replica', timeout: 30_000 },
    )
    .toBeDefined();
  const restarted = readLabServices(runDir).filter((s) => s.region === 'bdg' && s.service === 'service-main');
  for (const s of restarted) {
    // Like a ReplicaSet with a restart delay: not before it.
    expect(s.startedAt - killedAt).toBeGreaterThanOrEqual(state.restartDelayMs);
    expect(s.port).toBe(victims.find((v) => v.replica === s.replica)!.port);
  }
  // Once the replicas listen again (and NGINX's fail_timeout has passed), main takes the traffic back.
  await expect
    .poll(async () => (await http(`${ingress('bdg')}/items/3`)).headers.get('x-faultline-service'), { timeout: 30_000 })
    .toBe('service-main');
});

test('the watchdog reverts a fault whose TTL passed, with no harness process alive', async () => {
  const proxy = 'bdg-jkt-api';
  const proxyEnabled = async () => ((await http(`${state.toxiproxy.apiUrl}/proxies/${proxy}`)).body.enabled as boolean);
  const harness = spawn(process.execPath, ['--import', 'tsx', 'tests/lab/support/inject-then-die.ts', state.ledgerDir, state.toxiproxy.apiUrl, proxy, '4000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exit = await new Promise<NodeJS.Signals | number | null>((resolve) => harness.once('exit', (code, signal) => resolve(signal ?? code)));
  expect(exit, 'the stand-in harness died by SIGKILL').toBe('SIGKILL');

  // The fault is real: Bandung cannot write through the cut link (a fast 503, not a hang).
  expect(await proxyEnabled()).toBe(false);
  expect((await post('bdg', 'during the cut')).status).toBe(503);
  expect(readdirSync(state.ledgerDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);

  await expect.poll(proxyEnabled, { message: 'the watchdog re-enables the proxy', timeout: 20_000 }).toBe(true);
  await expect.poll(() => readdirSync(state.ledgerDir).filter((f) => f.endsWith('.json')).length, { timeout: 5_000 }).toBe(0);
  expect(readFileSync(join(runDir, 'logs', 'supervisor.log'), 'utf8')).toContain(`watchdog: reverted disable ${proxy}`);
  await expect.poll(async () => (await post('bdg', 'after the revert')).status, { timeout: 10_000 }).toBe(201);
});

test('a dead Prometheus shows in status and gives a clear error to readers', async () => {
  process.kill(state.prometheus.pid, 'SIGKILL');
  await expect.poll(async () => (await labStatus({ runDir })).components.find((c) => c.kind === 'prometheus')?.detail, { timeout: 10_000 }).toBe('not running');
  expect((await labStatus({ runDir })).healthy).toBe(false);
  const error = await waitForPrometheusData(state.prometheus.url, 'up', { timeoutMs: 1_000 }).catch((e: unknown) => e);
  expect(isFaultlineError(error) && error.code).toBe('FAULTLINE_PROMETHEUS_UNREACHABLE');
  expect((error as Error).message).toContain('faultline lab status');
});

test('lab down leaves no lab process and no listening lab port, and keeps the logs', async () => {
  const pids = labPids(runDir);
  // Supervisor, 9 services, heartbeat, toxiproxy, 3×(postgres, redis, nginx) and their children.
  expect(pids.length).toBeGreaterThan(20);
  const result = await labDown({ runDir });
  expect(result.found).toBe(true);
  const alive = pids.filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  });
  expect(alive).toEqual([]);
  expect(listeningPorts(PORT_BASE, PORT_BASE + 99)).toEqual([]);
  expect(existsSync(join(runDir, 'state.json'))).toBe(false);
  expect(readdirSync(join(runDir, 'logs'))).toEqual(expect.arrayContaining(['supervisor.log', 'postgres-jkt.log', 'nginx-bdg.log', 'prometheus.log']));
  // Idempotent: a second down finds nothing and says so.
  expect((await labDown({ runDir })).found).toBe(false);
});
