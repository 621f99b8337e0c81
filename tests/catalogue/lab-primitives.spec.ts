import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { LabFaultDriver } from '../../chaos/index.ts';
import type { FaultSpec } from '../../core/index.ts';
import { readLabServices, type LabState } from '../../lab/index.ts';
import { routeFile, routeCleanConfig } from '../../lab/contract/index.ts';
import { triRegionTgw } from '../../targets/index.ts';
import { withLabFault } from '../support/lab-fault.ts';
import { catalogueLabDown, catalogueLabUp, write, writeStatuses } from './support/catalogue-lab.ts';

// Each catalogue fault on the real lab: its effect is observed on real components (the route proxy, the region's
// dnsmasq, libfaketime in the service processes) while it is applied, and gone after the revert written to the ledger.

test.describe.configure({ mode: 'serial', timeout: 4 * 60_000 });
let lab: LabState;
test.beforeAll(async () => {
  test.setTimeout(4 * 60_000);
  lab = await catalogueLabUp();
});
test.afterAll(async () => {
  test.setTimeout(2 * 60_000);
  await catalogueLabDown();
});

const driver = () => new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });

function withFault(spec: FaultSpec, during: (detail: Record<string, unknown>) => Promise<void>): Promise<void> {
  return withLabFault(lab, spec, during, { runId: 'catalogue-test' });
}

const healthz = async (port: number) => {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { date: Date.parse(res.headers.get('date')!), lag: ((await res.json()) as { lagSeconds: number }).lagSeconds };
};

test('httpFault abort 30%: exactly 60 of 200 bdg writes fail at the proxy in front of jkt; jkt and sby untouched; clean after revert', async () => {
  expect(await writeStatuses(lab, 'bdg', 5)).toEqual({ 201: 5 });
  await withFault({ kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', method: 'POST', path: '/items', share: 0.3, abort: 503 }, async () => {
    expect(await writeStatuses(lab, 'bdg', 200)).toEqual({ 201: 140, 503: 60 });
    expect(await writeStatuses(lab, 'sby', 20)).toEqual({ 201: 20 });
    expect(await writeStatuses(lab, 'jkt', 20)).toEqual({ 201: 20 });
    const failed = await (async () => {
      for (;;) {
        const w = await write(lab, 'bdg');
        if (w.status !== 201) return w;
      }
    })();
    expect(failed.body).toContain('aborted with 503'); // the proxy's answer, passed on by bdg's service
  });
  expect(readFileSync(routeFile(lab.routeProxy!.dir, 'bdg'), 'utf8')).toBe(routeCleanConfig());
  expect(await writeStatuses(lab, 'bdg', 20)).toEqual({ 201: 20 });
});

test('httpFault delay: sby writes take at least the delay, bdg writes do not', async () => {
  await withFault({ kind: 'httpFault', from: 'sby', service: 'service-main', region: 'jkt', share: 1, delay: '400ms' }, async () => {
    for (let i = 0; i < 3; i++) {
      const slow = await write(lab, 'sby');
      expect(slow.status).toBe(201);
      expect(slow.ms).toBeGreaterThanOrEqual(400);
    }
    expect((await write(lab, 'bdg')).ms).toBeLessThan(400);
  });
  expect((await write(lab, 'sby')).ms).toBeLessThan(400);
});

test('dnsFault: bdg’s resolver stops answering jkt’s API name, so bdg writes fail on the lookup; sby still writes', async () => {
  await withFault({ kind: 'dnsFault', from: 'bdg', service: 'service-main', region: 'jkt' }, async (detail) => {
    expect(detail.answer).toBe('NXDOMAIN');
    const w = await write(lab, 'bdg');
    expect(w.status).toBe(503);
    expect(w.body).toContain('DNS lookup of service-main.jkt.faultline.lab failed: ENOTFOUND');
    expect((await write(lab, 'sby')).status).toBe(201);
  });
  expect((await write(lab, 'bdg')).status).toBe(201);
  await withFault({ kind: 'dnsFault', from: 'sby', service: 'service-main', region: 'jkt', action: 'random' }, async () => {
    const w = await write(lab, 'sby');
    expect(w.status).toBe(503); // resolved to a wrong address: nothing listens there
    expect(w.body).not.toContain('DNS lookup');
  });
  expect((await write(lab, 'sby')).status).toBe(201);
});

test('timeSkew +60s on bdg service-main: its clock (Date header) and its replication-lag reading jump by 60 s; back after revert', async () => {
  const mains = readLabServices(lab.runDir).filter((p) => p.region === 'bdg' && p.service === 'service-main');
  const backup = readLabServices(lab.runDir).find((p) => p.region === 'bdg' && p.service === 'service-backup')!;
  await withFault({ kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '60s', mode: 'all' }, async (detail) => {
    expect((detail.pids as number[]).sort()).toEqual(mains.map((p) => p.pid).sort());
    for (const p of mains) {
      await expect.poll(async () => (await healthz(p.port)).date - Date.now(), { timeout: 5_000 }).toBeGreaterThan(55_000);
      expect((await healthz(p.port)).lag).toBeGreaterThan(55);
    }
    expect(Math.abs((await healthz(backup.port)).date - Date.now())).toBeLessThan(2_000); // not selected: real time
  });
  for (const p of mains) await expect.poll(async () => (await healthz(p.port)).lag, { timeout: 5_000 }).toBeLessThan(5);
});

test('the mechanisms’ limits and what the lab cannot do are refused by check(), with nothing changed', async () => {
  const problems = async (spec: FaultSpec) => (await driver().check({ name: 'p', spec, at: '0s', duration: '10s' })).map((p) => `${p.code} ${p.message}`);
  expect(await problems({ kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '1500ms', mode: 'all' })).toEqual([expect.stringMatching(/FAULTLINE_BAD_INPUT .*whole seconds/)]);
  expect(await problems({ kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '30000d', backwards: true, mode: 'all' })).toEqual([expect.stringMatching(/before the Unix epoch/)]);
  expect(await problems({ kind: 'httpFault', from: 'jkt', service: 'service-main', region: 'bdg', share: 1, abort: 503 })).toEqual([expect.stringMatching(/FAULTLINE_UNKNOWN_NAME .*no service serves the route jkt → service-main@bdg/)]);
  // The lab slows disks on its FUSE filesystem now (tests/slow-disk); what no disk mechanism can do is still refused.
  expect(await problems({ kind: 'ioLatency', store: 'rds', region: 'jkt', delay: '20ms', percent: 150 })).toEqual([expect.stringMatching(/FAULTLINE_BAD_INPUT .*percent 150 must be a whole number from 1 to 100/)]);
});
