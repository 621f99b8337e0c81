import { expect, test } from '@playwright/test';
import { LabFaultDriver } from '../../chaos/index.ts';
import type { FaultSpec } from '../../core/index.ts';
import { pgQuery } from '../../lab/components/postgres.ts';
import { databaseUser } from '../../lab/process/index.ts';
import type { LabState } from '../../lab/index.ts';
import { triRegionTgw } from '../../targets/index.ts';
import { agentMetrics, healthOf, ownLabDown, ownLabUp, rootCall, uncachedRead, vaultNodes, withFault } from './support.ts';

// The seed-003 lab's Vault, on real components: a 3-node raft group in jkt and a node in bdg and sby, a secret agent
// per region holding a database lease from a real secrets engine, services logging in to PostgreSQL with it; and the
// two lab primitives of a secret-store loss (the leader killed, a region's nodes held down), observed.

const PORT_BASE = 21200;
const RUN_DIR = '.faultline/lab-secret-store';

test.describe.configure({ mode: 'serial', timeout: 4 * 60_000 });
let lab: LabState;
test.beforeAll(async () => {
  test.setTimeout(4 * 60_000);
  lab = await ownLabUp(PORT_BASE, RUN_DIR, 'secret-store');
});
test.afterAll(async () => {
  test.setTimeout(2 * 60_000);
  await ownLabDown(RUN_DIR);
});

test('Jakarta runs a 3-voter raft group with one leader; Bandung and Surabaya each run their own node', async () => {
  expect((await healthOf(lab, 'jkt')).sort()).toEqual(['active', 'standby', 'standby']);
  expect(await healthOf(lab, 'bdg')).toEqual(['active']);
  expect(await healthOf(lab, 'sby')).toEqual(['active']);
  const peers = await rootCall<{ data: { config: { servers: { node_id: string; voter: boolean }[] } } }>(lab, 'jkt', 'GET', 'sys/storage/raft/configuration');
  expect(peers.body!.data.config.servers.map((s) => `${s.node_id} ${s.voter}`).sort()).toEqual(['vault-jkt-1 true', 'vault-jkt-2 true', 'vault-jkt-3 true']);
});

test('every region reads through a lease its agent renews, and its services log in to PostgreSQL with the issued user', async () => {
  for (const region of ['jkt', 'bdg', 'sby']) {
    const m = await agentMetrics(lab, region);
    expect(m.leaseExpiresAt, region).toBeGreaterThan(Date.now());
    expect(m.leaseExpiresAt - Date.now(), region).toBeLessThanOrEqual(lab.secretStore!.leaseTtlMs);
    expect((await uncachedRead(lab, region)).status, region).toBe(404); // answered by the database: the id does not exist
    const pg = lab.postgres.find((p) => p.region === region)!;
    const users = (await pgQuery(pg.port, databaseUser(), "SELECT DISTINCT usename FROM pg_stat_activity WHERE usename LIKE 'v-approle-service-%'"))!.map((r) => String(r.usename));
    expect(users.length, `${region}'s services connected as a user Vault issued`).toBeGreaterThan(0);
  }
  // The agent renews at a third of the TTL: the expiry moves forward without new credentials.
  const before = await agentMetrics(lab, 'bdg');
  await expect.poll(async () => (await agentMetrics(lab, 'bdg')).leaseExpiresAt, { timeout: lab.secretStore!.leaseTtlMs }).toBeGreaterThan(before.leaseExpiresAt);
});

test('leader loss: the active jkt node is killed, another is elected, jkt secret reads fail meanwhile, services keep serving, the old leader rejoins unsealed', async () => {
  const failedBefore = (await agentMetrics(lab, 'jkt')).failed;
  const bdgFailedBefore = (await agentMetrics(lab, 'bdg')).failed;
  const oldLeader = vaultNodes(lab, 'jkt')[(await healthOf(lab, 'jkt')).indexOf('active')]!;
  await withFault(lab, { kind: 'secretStoreLoss', store: 'vault', region: 'jkt', scope: 'leader' }, async (detail) => {
    expect(detail.leader).toBe(oldLeader.name);
    await expect.poll(async () => (await healthOf(lab, 'jkt')).filter((h) => h === 'active').length, { timeout: 30_000 }).toBe(1);
    const leader = vaultNodes(lab, 'jkt')[(await healthOf(lab, 'jkt')).indexOf('active')]!;
    expect(leader.name).not.toBe(oldLeader.name);
    for (const region of ['jkt', 'bdg', 'sby']) expect((await uncachedRead(lab, region)).status, region).toBe(404);
  });
  await expect.poll(async () => (await agentMetrics(lab, 'jkt')).failed).toBeGreaterThan(failedBefore);
  expect((await agentMetrics(lab, 'bdg')).failed, "bdg reads its own region's Vault").toBe(bdgFailedBefore);
  // Restarted by the supervisor after its restart delay, unsealed with the kept key, back as a standby.
  await expect.poll(async () => (await healthOf(lab, 'jkt')).sort(), { timeout: 30_000 }).toEqual(['active', 'standby', 'standby']);
  expect(vaultNodes(lab, 'jkt').find((n) => n.name === oldLeader.name)!.pid).not.toBe(oldLeader.pid);
});

test('region loss in bdg: bdg serves on its cached lease until the lease expires, then its database reads fail; back after the revert', async () => {
  test.setTimeout(3 * 60_000);
  const expiresAt = (await agentMetrics(lab, 'bdg')).leaseExpiresAt;
  let firstFailure: { at: number; body: string } | undefined;
  await withFault(lab, { kind: 'secretStoreLoss', store: 'vault', region: 'bdg' }, async (detail) => {
    expect(detail.nodes).toEqual(['vault-bdg-1']);
    await expect.poll(async () => (await healthOf(lab, 'bdg'))[0]).toBe('down');
    // Until the lease runs out, bdg reads its database as before; sby is not touched at all.
    while (Date.now() < expiresAt - 1_000) {
      expect((await uncachedRead(lab, 'bdg')).status).toBe(404);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (;;) {
      const read = await uncachedRead(lab, 'bdg');
      if (read.status !== 404) {
        firstFailure = { at: Date.now(), body: read.body };
        break;
      }
      expect(Date.now(), 'bdg still reads its database 5 s after its lease expired').toBeLessThan(expiresAt + 5_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(firstFailure.body).toContain('database credentials expired');
    expect(firstFailure.at).toBeGreaterThanOrEqual(expiresAt);
    expect((await uncachedRead(lab, 'sby')).status).toBe(404);
    // Jakarta's writes are untouched: bdg still writes through jkt's API, which holds its own lease.
    const w = await fetch(`${lab.nginx.find((n) => n.region === 'bdg')!.url}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"body":"x"}' });
    expect(w.status).toBe(201);
  });
  await expect.poll(async () => (await healthOf(lab, 'bdg'))[0], { timeout: 30_000 }).toBe('active');
  await expect.poll(async () => (await uncachedRead(lab, 'bdg')).status, { timeout: 30_000 }).toBe(404);
});

test('check() refuses what the lab cannot do, with nothing changed', async () => {
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  const problems = async (spec: FaultSpec) => (await driver.check({ name: 'p', spec, at: '0s', duration: '10s' })).map((p) => `${p.code} ${p.message}`);
  expect(await problems({ kind: 'secretStoreLoss', store: 'vault', region: 'bdg', scope: 'leader' })).toEqual([expect.stringMatching(/FAULTLINE_BAD_INPUT .*elects its leader in jkt, not bdg/)]);
  expect(await problems({ kind: 'secretStoreLoss', store: 'consul', region: 'jkt' })).toEqual([expect.stringMatching(/FAULTLINE_UNKNOWN_NAME .*unknown secret store "consul"/)]);
  expect(await problems({ kind: 'secretStoreLoss', store: 'vault', region: 'sgp' })).toEqual([expect.stringMatching(/FAULTLINE_UNKNOWN_NAME .*unknown region "sgp"/)]);
  expect((await healthOf(lab, 'jkt')).sort()).toEqual(['active', 'standby', 'standby']);
});
