import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { LabFaultDriver } from '../../chaos/index.ts';
import { Ledger, type FaultSpec, type LedgerEntry } from '../../core/index.ts';
import { labDown, labUp, type LabState } from '../../lab/index.ts';
import { readSecretStoreNodes, vaultCall, vaultHealth, VaultFiles } from '../../lab/contract/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../../targets/index.ts';

/** A tri-region lab of the secret-store and slow-disk tests' own, in their port block (21200-21399). */
export async function ownLabUp(portBase: number, runDir: string, tag: string): Promise<LabState> {
  const up = await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase, runDir, log: (line) => process.stdout.write(`[${tag} lab] ${line}\n`) });
  return up.state;
}

export async function ownLabDown(runDir: string): Promise<void> {
  await labDown({ runDir });
}

/**
 * Applies one fault through the lab driver with its ledger entry, runs `during`, and reverts it from the ledger the
 * way the engine and the watchdog do, on failure too.
 */
export async function withFault(lab: LabState, spec: FaultSpec, during: (detail: Record<string, unknown>) => Promise<void>): Promise<void> {
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  const ledger = new Ledger(lab.ledgerDir);
  const plan = { name: `test-${spec.kind}`, spec, at: '0s', duration: '90s' };
  expect((await driver.check(plan)).map((p) => p.message)).toEqual([]);
  const prepared = await driver.prepare(plan, { runId: 'secret-store-test', scenario: 'secret-store-test', ttlMs: 120_000 });
  const entry: LedgerEntry = { id: `secret-store-test-${spec.kind}`, runId: 'secret-store-test', scenario: 'secret-store-test', target: 'lab', fault: plan.name, spec, createdAt: Date.now(), expiresAt: Date.now() + 120_000, revert: prepared.revert };
  ledger.record(entry);
  try {
    await prepared.apply();
    await during(prepared.detail);
  } finally {
    await ledger.revert(entry);
  }
}

export function vaultNodes(lab: LabState, region: string) {
  return readSecretStoreNodes(lab.runDir).filter((n) => n.region === region);
}

export async function healthOf(lab: LabState, region: string): Promise<string[]> {
  return Promise.all(vaultNodes(lab, region).map((n) => vaultHealth(`http://127.0.0.1:${n.port}`)));
}

/** A call with the cluster's root token (for inspection only: leases, raft peers). */
export async function rootCall<T>(lab: LabState, region: string, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) {
  const cluster = lab.secretStore!.clusters.find((c) => c.region === region)!;
  const token = readFileSync(join(cluster.dir, VaultFiles.rootToken), 'utf8').trim();
  return vaultCall<T>(cluster.nodes[0]!.url, method, path, { token, body, timeoutMs: 5_000 });
}

/** One agent's counters and lease gauge, read from its /metrics. */
export async function agentMetrics(lab: LabState, region: string): Promise<{ failed: number; ok: number; leaseExpiresAt: number }> {
  const agent = lab.secretStore!.agents.find((a) => a.region === region)!;
  const text = await (await fetch(`http://127.0.0.1:${agent.port}/metrics`)).text();
  const sum = (outcome: string) =>
    [...text.matchAll(new RegExp(`^faultline_secret_reads_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\S+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  const expiry = Number(/^faultline_secret_lease_expiry_timestamp_seconds\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0);
  return { failed: sum('failed'), ok: sum('ok'), leaseExpiresAt: expiry * 1000 };
}

const ingress = (lab: LabState, region: string) => lab.nginx.find((n) => n.region === region)!.url;

/** A read through the region's ingress of an id no cache holds (ids past the seed data answer 404 from the database). */
export async function uncachedRead(lab: LabState, region: string): Promise<{ status: number; body: string }> {
  const id = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const res = await fetch(`${ingress(lab, region)}/items/${id}`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.text() };
}
