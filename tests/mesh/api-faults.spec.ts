import { expect, test } from '@playwright/test';
import type { KubeObject } from '../../chaos/mesh/index.ts';
import type { KubeSim } from '../support/kube-sim/index.ts';
import { driverFor, JKT, rejection, seedFaults, startSeedSim } from './sim-fixture.ts';

/*
 * What the real loopback clusters cannot be made to do on demand, against the simulator (tests/support/kube-sim):
 * an API server answering 500, a watch whose resourceVersion was compacted away (410 Gone), and bookmarks timed to
 * the test. Everything else about the driver is tested against real Kubernetes in driver.spec.ts.
 */

let sim: KubeSim;
test.afterEach(async () => {
  await sim?.stop();
});

const run = { runId: 'run-7', scenario: 'driver test', ttlMs: 120_000 };


function cond(obj: KubeObject | undefined, type: string): string | undefined {
  return obj?.status?.conditions?.find((c) => c.type === type)?.status;
}

test.describe('the Chaos Mesh driver against the simulator: what real software cannot give here', () => {
  test('500: a failed create is an injection failure; a failed status read is retried', async () => {
    sim = await startSeedSim();
    const driver = driverFor(sim);
    sim.failNext({ verb: 'create', resource: 'podchaos', status: 500, message: 'etcdserver: request timed out' });
    const e = await rejection((await driver.prepare(seedFaults.podKill, run)).apply());
    expect(e.code).toBe('FAULTLINE_INJECTION_FAILED');
    expect(e.message).toContain('answered 500');
    expect(e.message).toContain('etcdserver: request timed out');

    sim.failNext({ verb: 'list', resource: 'podchaos', status: 500, times: 2 });
    await (await driver.prepare(seedFaults.podKill, { ...run, runId: 'run-9' })).apply();
    expect(sim.requests.filter((r) => r.verb === 'list' && r.resource === 'podchaos' && r.status === 500)).toHaveLength(2);
  });

  test('watches that time out are re-opened from the last resourceVersion, bookmarks included', async () => {
    sim = await startSeedSim({ chaosMesh: { stepDelayMs: 1_300 }, bookmarkIntervalMs: 200 });
    const opened: { resourceVersion: string; attempt: number }[] = [];
    const driver = driverFor(sim, { watchTimeout: '1s', onWatch: (w) => opened.push(w) });
    const prepared = await driver.prepare(seedFaults.podKill, run);
    await prepared.apply();
    const watches = sim.watches.filter((w) => w.resource === 'podchaos');
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches.slice(0, -1).every((w) => w.endedBy === 'timeout' && w.timeoutSeconds === 1)).toBe(true);
    expect(watches.every((w) => w.resourceVersion !== undefined)).toBe(true);
    // A re-opened watch resumes exactly where the previous one left off: at its last bookmark when that was newest.
    const resumedFromBookmark = watches.slice(1).some((w, i) => watches[i]!.bookmarks.includes(w.resourceVersion!));
    expect(resumedFromBookmark, JSON.stringify(watches, null, 1)).toBe(true);
    expect(opened.map((o) => o.resourceVersion)).toEqual(watches.map((w) => w.resourceVersion));
  });

  test('a dropped watch, and one whose version was compacted away (410 Gone), are recovered by re-listing', async () => {
    sim = await startSeedSim({ chaosMesh: { stepDelayMs: 1_000 } });
    const driver = driverFor(sim);
    const prepared = await driver.prepare(seedFaults.podKill, run);
    const applying = prepared.apply();
    await expect.poll(() => sim.watches.filter((w) => w.resource === 'podchaos' && !w.endedBy).length).toBe(1);
    sim.compact(JKT);
    sim.dropWatches(JKT);
    await applying;
    const watches = sim.watches.filter((w) => w.resource === 'podchaos');
    expect(watches[0]!.endedBy).toBe('dropped');
    expect(watches.some((w) => w.endedBy === 'gone') || sim.requests.filter((r) => r.verb === 'list' && r.resource === 'podchaos').length >= 2).toBe(true);
    expect(cond(sim.get(JKT, 'podchaos', 'shop', 'run-7-kill-half-jkt-main-jkt') as unknown as KubeObject, 'AllInjected')).toBe('True');
  });
});
