import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { LabFaultDriver } from '../../chaos/index.ts';
import { isMounted } from '../../lab/components/slow-disk.ts';
import { slowDiskFolder, slowDiskRuleFile } from '../../lab/contract/index.ts';
import type { LabState } from '../../lab/index.ts';
import { databaseUserName } from '../../lab/components/postgres.ts';
import { databaseUser } from '../../lab/process/index.ts';
import { triRegionTgw } from '../../targets/index.ts';
import { ownLabDown, ownLabUp, withFault } from '../secret-store/support.ts';

// ioLatency on the lab: the databases' data directories live on faultline-slowfs, the lab's own delaying loopback
// FUSE filesystem, and a fault makes the primary's disk writes wait. Observed on real PostgreSQL commits.

const PORT_BASE = 21300;
const RUN_DIR = '.faultline/lab-slow-disk';
const DELAY_MS = 200;

test.describe.configure({ mode: 'serial', timeout: 4 * 60_000 });
let lab: LabState;
let client: pg.Client;
test.beforeAll(async () => {
  test.setTimeout(4 * 60_000);
  lab = await ownLabUp(PORT_BASE, RUN_DIR, 'slow-disk');
  const primary = lab.postgres.find((p) => p.role === 'primary')!;
  client = new pg.Client({ host: '127.0.0.1', port: primary.port, user: databaseUserName(databaseUser()), database: 'postgres' });
  await client.connect();
  await client.query('CREATE TABLE IF NOT EXISTS slow_disk_probe (id serial PRIMARY KEY, at timestamptz DEFAULT now())');
});
test.afterAll(async () => {
  test.setTimeout(2 * 60_000);
  await client?.end().catch(() => {});
  await ownLabDown(RUN_DIR);
});

/** Commit times of `n` single-row transactions, in ms, sorted. */
async function commits(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await client.query('INSERT INTO slow_disk_probe DEFAULT VALUES');
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

test('every database runs on the mounted FUSE disk, owned by its own user', async () => {
  expect(lab.slowDisk, 'lab up mounted the slow disk (root and /dev/fuse are available here)').toBeDefined();
  expect(isMounted(lab.slowDisk!.mount)).toBe(true);
  for (const p of lab.postgres) expect(p.dataDir.startsWith(`${lab.slowDisk!.mount}/`), p.region).toBe(true);
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').find((l) => l.split(' ')[1] === lab.slowDisk!.mount)!;
  expect(mounts).toContain('fuse.slowfs');
  expect(mounts).toContain('allow_other');
});

test(`ioLatency ${DELAY_MS}ms on jkt's database: every commit waits at least that long, and not after the revert`, async () => {
  const before = await commits(5);
  await withFault(lab, { kind: 'ioLatency', store: 'rds', region: 'jkt', delay: `${DELAY_MS}ms` }, async (detail) => {
    expect(detail).toMatchObject({ database: 'rds@jkt', delayUs: DELAY_MS * 1000, percent: 100 });
    // The commit's WAL write goes through the delaying filesystem: no commit can be faster than the delay.
    await expect.poll(async () => (await commits(1))[0], { timeout: 5_000 }).toBeGreaterThanOrEqual(DELAY_MS);
    const slow = await commits(5);
    expect(slow[0]).toBeGreaterThanOrEqual(DELAY_MS);
    // The reference service's writes in jkt are commits on that database too.
    const t0 = performance.now();
    const res = await fetch(`${lab.nginx.find((n) => n.region === 'jkt')!.url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"body":"slow disk"}' });
    expect([201, 503]).toContain(res.status); // 503 when the service's 800 ms deadline is shorter than the slowed commit
    expect(performance.now() - t0).toBeGreaterThanOrEqual(DELAY_MS);
  });
  expect(readFileSync(slowDiskRuleFile(lab.slowDisk!.controlDir, slowDiskFolder('jkt')), 'utf8')).toBe('');
  await expect.poll(async () => (await commits(5))[2], { timeout: 5_000 }).toBeLessThan(DELAY_MS);
  expect(before[2]).toBeLessThan(DELAY_MS);
});

test('one disk fault per database at a time: a second ioLatency on the same disk is refused, nothing changed', async () => {
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  await withFault(lab, { kind: 'ioLatency', store: 'rds', region: 'bdg', delay: '5ms' }, async () => {
    const problems = (await driver.check({ name: 'again', spec: { kind: 'ioLatency', store: 'rds', region: 'bdg', delay: '50ms' }, at: '0s', duration: '10s' })).map((p) => `${p.code} ${p.message}`);
    expect(problems).toEqual([expect.stringMatching(/FAULTLINE_BAD_INPUT .*already carries an ioLatency fault/)]);
    expect(readFileSync(slowDiskRuleFile(lab.slowDisk!.controlDir, slowDiskFolder('bdg')), 'utf8')).toContain('"delayUs":5000');
  });
});
