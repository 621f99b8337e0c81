import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { LabFaultDriver } from '../../chaos/lab/index.ts';
import { eventsOf, Journal, Ledger, scenario, type FailoverPlan, type FaultSpec, type RunResult } from '../../core/index.ts';
import { labDown, labStatus, labUp, readLabServices, waitForPrometheusData, type LabState } from '../../lab/index.ts';
import { procState } from '../../lab/process/index.ts';
import { listProxies } from '../../lab/components/toxiproxy.ts';
import { runOnLab } from '../../scenarios/index.ts';
import { garagePlatform, garagePlatformLab } from '../../targets/index.ts';
import { listeningPorts } from '../lab/support/listening.ts';

/*
 * The active/passive lab of the garage platform slice, on real processes: PostgreSQL with a streaming replica and a
 * CDC copy, a JetStream stream and its mirror, the global entry, the reference service in both regions and the DR
 * service. Its own port range (20000-20049) and a throwaway run folder.
 */
const PORT_BASE = 20000;
let runDir: string;
let state: LabState;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  runDir = mkdtempSync(join(tmpdir(), 'faultline-ap-lab-'));
  chmodSync(runDir, 0o755);
  state = (await labUp({ topology: garagePlatform, binding: garagePlatformLab, portBase: PORT_BASE, runDir })).state;
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  if (runDir) {
    await labDown({ runDir });
    rmSync(runDir, { recursive: true, force: true });
  }
});

const entry = () => state.activePassive!.globalEntry.url;
const ingress = (region: string) => state.nginx.find((n) => n.region === region)!.url;
async function http(url: string, init?: RequestInit) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, region: res.headers.get('x-faultline-region'), body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}
const write = (url: string, id: string) => http(`${url}/items`, { method: 'POST', body: JSON.stringify({ body: 'test', id, clientTs: Date.now() }) });
const lookup = (url: string, store: string, ids: string[]) => http(`${url}/writes/lookup`, { method: 'POST', body: JSON.stringify({ ids, store }) });

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('comes up healthy: replica streaming, CDC subscription running, mirror stream, lag per store in Prometheus', async () => {
  const status = await labStatus({ runDir });
  expect(status.components.filter((c) => !c.healthy)).toEqual([]);
  expect(status.components.find((c) => c.component === 'postgres secondary cdc')?.detail).toBe('CDC copy, subscription streaming');
  const samples = await waitForPrometheusData(state.prometheus.url, 'faultline_replication_lag_seconds{region="secondary"}', { timeoutMs: 30_000, accept: (s) => s.length >= 3 });
  expect(samples.map((s) => s.metric.store).sort()).toEqual(['booking-ledger', 'event-bus', 'job-warehouse']);
  for (const s of samples) expect(s.value).toBeLessThan(3);
});

test('the standby serves reads and refuses writes; an acknowledged write reaches the replica, the CDC copy and the mirror', async () => {
  const id = `t-${Date.now()}`;
  const written = await write(entry(), id);
  expect(written).toMatchObject({ status: 201, region: 'primary' });
  expect(await write(ingress('secondary'), `${id}-standby`)).toMatchObject({ status: 503, region: 'secondary' });
  expect((await http(`${ingress('secondary')}/items/1`)).status).toBe(200);
  for (const store of ['items', 'ledger', 'events']) {
    const counts = await eventually(async () => {
      const r = await lookup(ingress('secondary'), store, [id, `${id}-standby`]);
      const c = r.body.counts as Record<string, number>;
      return c[id] === 1 ? c : undefined;
    });
    expect(counts, store).toEqual({ [id]: 1 });
  }
});

test('regionLoss freezes every process of the region and blackholes its links; its one revert brings the region back', async () => {
  const driver = new LabFaultDriver({ runDir, topology: garagePlatform });
  const plan = { name: 'region-loss-primary', spec: { kind: 'regionLoss', region: 'primary' } as FaultSpec, at: '0s', duration: '30s' };
  expect(await driver.check(plan)).toEqual([]);
  const prepared = await driver.prepare(plan, { runId: 't', scenario: 't', ttlMs: 60_000 });
  const ledger = new Ledger(join(runDir, 'ledger'));
  const record = { id: 't-region-loss', runId: 't', scenario: 't', target: 'lab', fault: plan.name, spec: plan.spec, createdAt: Date.now(), expiresAt: Date.now() + 60_000, revert: prepared.revert };
  ledger.record(record);
  await prepared.apply();
  const primaryPids = [...state.postgres.filter((p) => p.region === 'primary').map((p) => p.pid), ...state.activePassive!.nats.filter((n) => n.region === 'primary').map((n) => n.pid), ...readLabServices(runDir).filter((s) => s.region === 'primary').map((s) => s.pid)];
  try {
    for (const pid of primaryPids) expect(procState(pid), `pid ${pid}`).toBe('T');
    const proxies = await listProxies(state.toxiproxy.apiUrl);
    for (const p of proxies) expect(p.toxics.length, p.name).toBe(2);
    // The standby region is untouched: it still serves reads.
    expect((await http(`${ingress('secondary')}/items/2`)).status).toBe(200);
  } finally {
    await ledger.revert(record);
  }
  for (const pid of primaryPids) expect(procState(pid), `pid ${pid}`).not.toBe('T');
  for (const p of await listProxies(state.toxiproxy.apiUrl)) expect(p.toxics, p.name).toEqual([]);
  await eventually(async () => ((await write(entry(), `t-back-${Date.now()}`)).status === 201 ? true : undefined));
});

test('storeLoss freezes the store’s primary only; a replica lag on this lab delays its replication link', async () => {
  const driver = new LabFaultDriver({ runDir, topology: garagePlatform });
  const loss = await driver.prepare({ name: 'sl', spec: { kind: 'storeLoss', store: 'event-bus' }, at: '0s', duration: '10s' }, { runId: 't', scenario: 't', ttlMs: 30_000 });
  expect(loss.detail).toMatchObject({ process: 'nats primary' });
  const lag = await driver.prepare({ name: 'rl', spec: { kind: 'replicaLag', store: 'job-warehouse', region: 'secondary', by: '2s' }, at: '0s', duration: '10s' }, { runId: 't', scenario: 't', ttlMs: 30_000 });
  expect(lag.detail).toMatchObject({ link: 'secondary-primary-replication', delayMs: 2_000 });
  expect(await driver.check({ name: 'x', spec: { kind: 'storeLoss', store: 'tenant-registry' }, at: '0s', duration: '10s' })).toEqual([
    expect.objectContaining({ code: 'FAULTLINE_NO_TARGETS', message: expect.stringContaining('store "tenant-registry" has no primary in this lab') }),
  ]);
});

const sessions: string[] = [];
const session = () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ap-session-'));
  sessions.push(dir);
  return dir;
};
test.afterAll(() => {
  for (const dir of sessions) rmSync(dir, { recursive: true, force: true });
});
const quick = (name: string) =>
  scenario(name, 'garage-platform')
    .load({ regions: { primary: { executor: 'constant-arrival-rate', rate: 10 }, secondary: { executor: 'constant-arrival-rate', rate: 2 } }, writeRatio: 0.3, requestTimeout: '1s' })
    .timeline({ warmup: '3s', baseline: '3s', recovery: '2s' })
    .inject({ kind: 'regionLoss', region: 'primary' }, { for: '10s' })
    .expect({ name: 'users availability (steady state)', kind: 'availability', region: 'primary', window: 'baseline', objective: 0.9 });
const manual = (runbook: FailoverPlan['runbook'], extra: Partial<FailoverPlan> = {}): FailoverPlan => ({ from: 'primary', to: 'secondary', trigger: { mode: 'manual', after: '1s' }, runbook, ...extra });

async function refused(result: RunResult, pattern: RegExp): Promise<void> {
  expect(result.outcome).toBe('refused');
  expect(result.exitCode).toBe(2);
  expect(result.reason).toMatch(pattern);
  const journal = Journal.read(result.journalPath);
  expect(eventsOf(journal, 'inject')).toEqual([]);
  expect(eventsOf(journal, 'failover')).toEqual([]);
  expect(new Ledger(join(runDir, 'ledger')).list()).toEqual([]);
}

test('bad failover input is refused at preflight with a hint, exit 2, nothing injected', async () => {
  test.setTimeout(120_000);
  const opts = { runDir, sessionDir: session(), handleSignals: false };
  // No store written in the secondary has a copy in the primary: nothing to promote.
  await refused(await runOnLab(quick('bad-no-replica').failover({ ...manual({ kind: 'lab' }), from: 'secondary', to: 'primary' }).build(), opts), /nothing to promote[\s\S]*→ fail over to a region that holds replicas/);
  await refused(await runOnLab(quick('bad-command').failover(manual({ kind: 'command', argv: ['/nonexistent/promote.sh'] })).build(), opts), /command "\/nonexistent\/promote.sh" does not exist[\s\S]*→ give an absolute path/);
  const noWrites = quick('bad-rpo').expect({ name: 'rpo', kind: 'rpo', window: 'whole', objective: '5s' }).build();
  await refused(await runOnLab({ ...noWrites, load: { ...noWrites.load, writeRatio: 0 } }, opts), /load profile sends none[\s\S]*→ give the load a writeRatio above 0/);
  await refused(await runOnLab(quick('bad-region').failover({ ...manual({ kind: 'lab' }), to: 'dr-west' }).build(), opts), /unknown region "dr-west"[\s\S]*→ use one of: primary, secondary/);
});

async function assertRegionBack(): Promise<void> {
  // The region comes back whole, though not in the same instant: a WAL receiver that timed out in the blackhole
  // reconnects within a second or two of the revert.
  const unhealthy = async () => (await labStatus({ runDir })).components.filter((c) => !c.healthy).map((c) => `${c.component}: ${c.detail}`);
  await eventually(async () => ((await unhealthy()).length === 0 ? true : undefined), 20_000).catch(() => undefined);
  expect(await unhealthy()).toEqual([]);
  expect((await http(`${state.activePassive!.drService.url}/failover`)).body).toMatchObject({ active: 'primary', armed: true });
}

test('a runbook that fails is a harness error (exit 5); the region loss is still reverted and the lab left as the runbook left it', async () => {
  test.setTimeout(120_000);
  const result = await runOnLab(quick('runbook-fails').failover(manual({ kind: 'command', argv: ['false'] })).build(), { runDir, sessionDir: session(), handleSignals: false });
  expect(result.outcome).toBe('error');
  expect(result.exitCode).toBe(5);
  expect(result.reason).toMatch(/FAULTLINE_RUNBOOK_FAILED[\s\S]*exited with code 1/);
  const journal = Journal.read(result.journalPath);
  expect(eventsOf(journal, 'failover').map((e) => [e.status, e.ok])).toEqual([['start', undefined], ['end', false]]);
  expect(eventsOf(journal, 'revert')).toEqual([expect.objectContaining({ fault: 'region-loss-primary', ok: true })]);
  await assertRegionBack();
});

test('a runbook that outlives its timeout is a harness error too, and every fault is reverted', async () => {
  test.setTimeout(120_000);
  const result = await runOnLab(quick('runbook-hangs').failover(manual({ kind: 'command', argv: ['sleep', '30'] }, { timeout: '1s' })).build(), { runDir, sessionDir: session(), handleSignals: false });
  expect(result.exitCode).toBe(5);
  expect(result.reason).toMatch(/timed out after 1000 ms/);
  expect(eventsOf(Journal.read(result.journalPath), 'revert')).toEqual([expect.objectContaining({ ok: true })]);
  await assertRegionBack();
});

test('failover and failback are steps of the timeline: each runbook journaled with its start, end and result', async () => {
  test.setTimeout(120_000);
  // Runbooks of the user's own kind (a command): the step runs each at its moment, whatever the runbook does.
  const plan = manual({ kind: 'command', argv: ['sh', '-c', 'sleep 0.2; echo promoted'] }, { failback: { runbook: { kind: 'command', argv: ['true'] }, after: '1s' } });
  const result = await runOnLab(quick('failover-and-back').failover(plan).build(), { runDir, sessionDir: session(), handleSignals: false });
  expect(result.outcome, result.reason).toBe('passed');
  const journal = Journal.read(result.journalPath);
  const steps = eventsOf(journal, 'failover');
  expect(steps.map((e) => [e.action, e.status, e.ok])).toEqual([
    ['failover', 'start', undefined],
    ['failover', 'end', true],
    ['failback', 'start', undefined],
    ['failback', 'end', true],
  ]);
  expect(steps[1]!.detail).toMatchObject({ exitCode: 0, output: ['promoted'] });
  const fault = result.windows!.faults[0]!.range;
  // The failover ran 1 s into the fault (its trigger), the failback 1 s after the revert.
  expect(result.windows!.failover!.start - fault.start).toBeGreaterThanOrEqual(1_000);
  expect(result.windows!.failover!.end - result.windows!.failover!.start).toBeGreaterThanOrEqual(200);
  expect(result.windows!.failback!.start - fault.end).toBeGreaterThanOrEqual(1_000);
  await assertRegionBack();
});

test("the lab's runbook fails over: the replica, the CDC copy and the mirror promoted, services repointed, the global entry switched", async () => {
  test.setTimeout(60_000);
  const res = await http(`${state.activePassive!.drService.url}/failover`, { method: 'POST' });
  expect(res.status).toBe(200);
  expect((res.body.steps as { name: string; ok: boolean }[]).map((s) => [s.name, s.ok])).toEqual([
    ['promote secondary PostgreSQL replica (pg_promote)', true],
    ['promote secondary CDC copy (subscription disabled)', true],
    ['promote secondary mirrored stream', true],
    ['repoint secondary services and consumers', true],
    ['switch the global entry', true],
  ]);
  const id = `t-after-${Date.now()}`;
  expect(await write(entry(), id)).toMatchObject({ status: 201, region: 'secondary' });
  for (const store of ['items', 'ledger', 'events']) expect(((await lookup(entry(), store, [id])).body.counts as Record<string, number>)[id], store).toBe(1);
  // A second failover is refused: the lab is failed over until it is rebuilt.
  expect((await http(`${state.activePassive!.drService.url}/failover`, { method: 'POST' })).status).toBe(409);
});

test('lab down leaves no lab process and no listening lab port', async () => {
  test.setTimeout(120_000);
  await labDown({ runDir });
  expect(listeningPorts(PORT_BASE, PORT_BASE + 49)).toEqual([]);
});
