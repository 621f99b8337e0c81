import { execFileSync } from 'node:child_process';
import { expect, test } from '../../scenarios/fixtures.ts';
import { LabFaultDriver } from '../../chaos/index.ts';
import type { FaultSpec } from '../../core/index.ts';
import type { LabState } from '../../lab/index.ts';
import { readLabServices } from '../../lab/index.ts';
import { triRegionTgw } from '../../targets/index.ts';
import { withLabFault } from '../support/lab-fault.ts';
import { activeToxics } from '../support/lab-probes.ts';

// Each lab fault primitive against the real lab: its effect is observed while it is applied, and gone after the
// revert the driver wrote to the ledger. The game days cover the same primitives under load; these isolate them.

function withFault(lab: LabState, spec: FaultSpec, during: (detail: Record<string, unknown>) => Promise<void>): Promise<void> {
  return withLabFault(lab, spec, during, { runId: 'driver-test' });
}

const ingress = (lab: LabState, region: string) => lab.nginx.find((n) => n.region === region)!.url;

async function timedWrite(lab: LabState, region: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${ingress(lab, region)}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'driver test' }) });
  await res.text();
  return { status: res.status, ms: performance.now() - t0 };
}

async function cacheHeader(lab: LabState, region: string, id: number): Promise<string | null> {
  const res = await fetch(`${ingress(lab, region)}/items/${id}`);
  await res.text();
  expect(res.status).toBe(200);
  return res.headers.get('x-cache');
}

test('latency on jkt↔sby slows sby writes (they cross the link) by at least the injected delay', async ({ lab }) => {
  expect((await timedWrite(lab, 'sby')).status).toBeLessThan(300);
  await withFault(lab, { kind: 'latency', regions: ['jkt', 'sby'], latency: '400ms' }, async () => {
    const during = await timedWrite(lab, 'sby');
    expect(during.status).toBe(201);
    expect(during.ms).toBeGreaterThanOrEqual(400);
  });
  expect(await activeToxics(lab)).toEqual([]);
});

test('a partition blackholes both directions: bdg writes fail, jkt writes still succeed', async ({ lab }) => {
  await withFault(lab, { kind: 'partition', regions: ['jkt', 'bdg'] }, async (detail) => {
    expect(detail.proxies).toEqual(expect.arrayContaining(['bdg-jkt-replication', 'bdg-jkt-api']));
    expect((await timedWrite(lab, 'bdg')).status).toBeGreaterThanOrEqual(500);
    expect((await timedWrite(lab, 'jkt')).status).toBe(201);
  });
  await expect.poll(async () => (await timedWrite(lab, 'bdg')).status, { timeout: 15_000 }).toBe(201);
});

test('cache loss empties the region cache and reads fall back to the database', async ({ lab }) => {
  const id = 42;
  await cacheHeader(lab, 'sby', id);
  expect(await cacheHeader(lab, 'sby', id)).toBe('hit');
  await withFault(lab, { kind: 'cacheLoss', region: 'sby' }, async () => {
    expect(await cacheHeader(lab, 'sby', id)).toBe('miss'); // Redis paused: served from the replica
  });
  expect(await cacheHeader(lab, 'sby', id)).toBe('miss'); // flushed: the first read after the fault refills it
  await expect.poll(() => cacheHeader(lab, 'sby', id), { timeout: 10_000 }).toBe('hit');
});

test('CPU stress runs stress-ng beside the service and stops on revert', async ({ lab }) => {
  const stressors = () => {
    try {
      return execFileSync('pgrep', ['-f', '[f]aultline-stress-driver-test'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  await withFault(lab, { kind: 'stress', service: 'service-main', region: 'sby', cpuWorkers: 1, load: 30 }, async () => {
    await expect.poll(() => stressors().length, { timeout: 5_000 }).toBeGreaterThan(0);
  });
  await expect.poll(() => stressors().length, { timeout: 10_000 }).toBe(0);
});

test('pod kill in mode all kills every service-main of the region; NGINX fails over to service-backup; the supervisor restores them', async ({ lab }) => {
  const before = readLabServices(lab.runDir).filter((p) => p.region === 'sby' && p.service === 'service-main').map((p) => p.pid);
  await withFault(lab, { kind: 'podKill', service: 'service-main', region: 'sby', mode: 'all' }, async (detail) => {
    expect([...(detail.pids as number[])].sort()).toEqual([...before].sort());
    const res = await fetch(`${ingress(lab, 'sby')}/items/7`);
    await res.text();
    expect(res.status).toBe(200); // served by service-backup while every main replica is down
  });
  await expect
    .poll(() => readLabServices(lab.runDir).filter((p) => p.region === 'sby' && p.service === 'service-main').map((p) => p.pid).filter((pid) => !before.includes(pid)).length, { timeout: 20_000 })
    .toBe(before.length);
});

test('pod kill in mode fixed-percent 50 kills exactly one of two replicas', async ({ lab }) => {
  await withFault(lab, { kind: 'podKill', service: 'service-main', region: 'bdg', mode: 'fixed-percent', value: 50 }, async (detail) => {
    expect(detail.pids).toHaveLength(1);
  });
});

test('a selector that matches nothing is refused by check(), not applied', async ({ lab }) => {
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  const problems = await driver.check({ name: 'p', spec: { kind: 'partition', regions: ['bdg', 'sby'] }, at: '0s', duration: '10s' });
  expect(problems.map((p) => p.code)).toEqual(['FAULTLINE_NO_TARGETS']);
});
