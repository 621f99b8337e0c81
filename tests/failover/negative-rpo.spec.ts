import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { labDown, labUp, type LabState } from '../../lab/index.ts';
import { platformLaggingReplicaFailover } from '../../scenarios/garage/index.ts';
import { runOnLab } from '../../scenarios/index.ts';
import { garagePlatform, garagePlatformLab } from '../../targets/index.ts';

/*
 * The negative suite of the failover game days (scenarios/garage/platform/negative.spec.ts, tagged @negative) must
 * fail, and for the reason it exists: with the replica 10 s behind when the primary region is lost, acknowledged
 * writes really are gone from the promoted replica, so `rpo ≤ 5s` fails on writes read back, not on a setting.
 */
const PORT_BASE = 20100;
let runDir: string;
let state: LabState;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  runDir = mkdtempSync(join(tmpdir(), 'faultline-negative-rpo-'));
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

interface DataLoss {
  acknowledged: number;
  lost: number;
  rpoMs: number;
  lostIds: string[];
}

async function counts(url: string, ids: string[]): Promise<Record<string, number>> {
  const res = await fetch(`${url}/writes/lookup`, { method: 'POST', body: JSON.stringify({ ids, store: 'items' }), signal: AbortSignal.timeout(10_000) });
  return ((await res.json()) as { counts: Record<string, number> }).counts;
}

test('a 10 s replica lag at failover fails the 5 s RPO, on acknowledged writes the promoted replica does not hold', async () => {
  test.setTimeout(300_000);
  const sessionDir = mkdtempSync(join(tmpdir(), 'faultline-negative-session-'));
  const result = await runOnLab(platformLaggingReplicaFailover, { runDir, sessionDir, handleSignals: false });
  rmSync(sessionDir, { recursive: true, force: true });
  expect(result.outcome, result.reason).toBe('failed');
  expect(result.exitCode).toBe(1);

  const failed = result.slos.filter((s) => s.verdict === 'fail' && !s.informational);
  expect(failed.map((s) => s.name)).toEqual(['RPO of job-warehouse at most 5s']);
  const rpo = failed[0]!;
  const loss = rpo.evidence!.dataLoss as DataLoss;
  // What the harness observed: writes it saw acknowledged, most of the lag's worth of them gone.
  expect(loss.acknowledged).toBeGreaterThan(50);
  expect(loss.lost).toBeGreaterThan(10);
  expect(rpo.observed).toBeGreaterThan(5);
  expect(rpo.observed).toBeLessThan(30);

  // And it is true of the stores, asked independently: the promoted primary (behind the global entry) lacks the lost
  // writes, while the old primary (its region back after the revert) still holds every one of them.
  const promoted = await counts(state.activePassive!.globalEntry.url, loss.lostIds);
  expect(Object.values(promoted).filter((n) => n > 0)).toEqual([]);
  const oldPrimary = await counts(state.nginx.find((n) => n.region === 'primary')!.url, loss.lostIds);
  expect(loss.lostIds.every((id) => oldPrimary[id] === 1)).toBe(true);
});
