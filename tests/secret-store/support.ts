import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultSpec } from '../../core/index.ts';
import { labDown, labUp, type LabState } from '../../lab/index.ts';
import { readSecretStoreNodes, vaultCall, vaultHealth, VaultFiles } from '../../lab/contract/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../../targets/index.ts';
import { withLabFault } from '../support/lab-fault.ts';

/** A tri-region lab of the secret-store and slow-disk tests' own, in their port block (21200-21399). */
export async function ownLabUp(portBase: number, runDir: string, tag: string): Promise<LabState> {
  const up = await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase, runDir, log: (line) => process.stdout.write(`[${tag} lab] ${line}\n`) });
  return up.state;
}

export async function ownLabDown(runDir: string): Promise<void> {
  await labDown({ runDir });
}

/** One fault held up to 90 s (the lease game days outlive a 30 s lease), applied and reverted as the engine does. */
export function withFault(lab: LabState, spec: FaultSpec, during: (detail: Record<string, unknown>) => Promise<void>): Promise<void> {
  return withLabFault(lab, spec, during, { runId: 'secret-store-test', hold: '90s' });
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
