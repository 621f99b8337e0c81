import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repointGlobalEntry } from '../components/nginx.ts';
import { natsConnect } from '../components/nats.ts';
import { pgQuery } from '../components/postgres.ts';
import { CDC_NAME, EVENT_SUBJECTS, LEDGER_DATABASE, promotedStreamName, streamName } from '../active-passive/stores.ts';
import { LAB_FAILOVER_FILE, readJsonFile, writeJsonAtomic, type LabFailoverRecord } from '../contract/index.ts';
import type { RunAsUser } from '../process/index.ts';
import type { DrServiceConfig } from './dr-config.ts';

type HistoryEntry = LabFailoverRecord['history'][number];

/**
 * The failover runbook the seeds' DR automation implies, as the lab runs it: promote the replica, promote the CDC
 * copy, promote the mirrored stream, repoint the services, switch the global entry. Each step is timed; the first
 * that fails stops the runbook, and the record says which.
 */
export async function runFailover(c: DrServiceConfig, trigger: HistoryEntry['trigger'], detectedAt?: number): Promise<HistoryEntry> {
  // pgQuery only reads the name: the superuser initdb created.
  const user: RunAsUser = { name: c.dbUser, uid: 0, gid: 0 };
  const entry: HistoryEntry = { action: 'failover', trigger, from: c.primary, to: c.secondary, detectedAt, startedAt: Date.now(), endedAt: 0, ok: false, steps: [] };
  const step = async (name: string, body: () => Promise<string | void>) => {
    const t0 = Date.now();
    try {
      const detail = await body();
      entry.steps.push({ name, ms: Date.now() - t0, ok: true, ...(detail ? { detail } : {}) });
    } catch (e) {
      entry.steps.push({ name, ms: Date.now() - t0, ok: false, detail: (e as Error).message });
      throw e;
    }
  };
  try {
    await step(`promote ${c.secondary} PostgreSQL replica (pg_promote)`, async () => {
      const rows = await pgQuery(c.replicaPort, user, 'SELECT pg_promote(true, 30) AS promoted');
      if (rows?.[0]?.promoted !== true) throw new Error(`pg_promote answered ${JSON.stringify(rows?.[0] ?? 'nothing')}`);
    });
    if (c.cdcPort !== undefined) {
      await step(`promote ${c.secondary} CDC copy (subscription disabled)`, async () => {
        await pgQuery(c.cdcPort!, user, `ALTER SUBSCRIPTION ${CDC_NAME} DISABLE`, LEDGER_DATABASE);
      });
    }
    if (c.natsPort !== undefined && c.mirrorStore) {
      await step(`promote ${c.secondary} mirrored stream`, () => promoteMirror(c.natsPort!, c.mirrorStore!));
    }
    await step(`repoint ${c.secondary} services and consumers`, async () => {
      const record = readJsonFile<LabFailoverRecord>(join(c.runDir, LAB_FAILOVER_FILE)) ?? { active: c.primary, history: [] };
      writeJsonAtomic(join(c.runDir, LAB_FAILOVER_FILE), { ...record, active: c.secondary });
      const nudged = await Promise.allSettled(
        (c.servicePorts[c.secondary] ?? []).map((port) => fetch(`http://127.0.0.1:${port}/admin/reload`, { method: 'POST', signal: AbortSignal.timeout(1_000) })),
      );
      return `${nudged.filter((n) => n.status === 'fulfilled').length} replicas reloaded`;
    });
    await step('switch the global entry', async () => {
      const pid = Number(readFileSync(join(c.globalEntry.dir, 'nginx.pid'), 'utf8').trim());
      await repointGlobalEntry({ ...c.globalEntry, pid, activeIngressPort: c.ingress[c.secondary]!, activeRegion: c.secondary });
      await waitForEntry(c, c.secondary);
    });
    entry.ok = true;
  } catch (e) {
    entry.error = (e as Error).message;
  }
  entry.endedAt = Date.now();
  const record = readJsonFile<LabFailoverRecord>(join(c.runDir, LAB_FAILOVER_FILE)) ?? { active: c.primary, history: [] };
  writeJsonAtomic(join(c.runDir, LAB_FAILOVER_FILE), { ...record, history: [...record.history, entry] });
  return entry;
}

/**
 * A JetStream mirror cannot be made writable in place (nats-server 2.9), so the promoted stream sources the mirror
 * until it holds every mirrored message, and the mirror is then deleted: what was mirrored at failover is what
 * survives. (Dropping the source by a config update is not enough on 2.9: the source keeps copying, so messages the
 * old primary still held would reappear once its region came back.)
 */
async function promoteMirror(port: number, store: string): Promise<string> {
  const nc = await natsConnect(port);
  try {
    const jsm = await nc.jetstreamManager();
    const mirror = await jsm.streams.info(streamName(store));
    const name = promotedStreamName(store);
    const config = { name, subjects: [EVENT_SUBJECTS], duplicate_window: 120e9 };
    await jsm.streams.add({ ...config, sources: [{ name: streamName(store) }] });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const info = await jsm.streams.info(name);
      if (info.state.messages >= mirror.state.messages) break;
      if (Date.now() > deadline) throw new Error(`the promoted stream holds ${info.state.messages} of ${mirror.state.messages} mirrored messages after 10 s`);
      await sleep(20);
    }
    await jsm.streams.delete(streamName(store));
    return `${mirror.state.messages} mirrored messages kept`;
  } finally {
    await nc.close();
  }
}

/**
 * After the repoint no old worker takes new connections; done is when the new one answers from the new region
 * (a config it refused would leave none answering).
 */
async function waitForEntry(c: DrServiceConfig, region: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    // Short attempts: the new worker answers within milliseconds once it runs.
    const res = await fetch(`http://127.0.0.1:${c.globalEntry.port}/healthz`, { signal: AbortSignal.timeout(100) }).catch(() => undefined);
    if (res?.headers.get('x-faultline-region') === region) return;
    if (Date.now() > deadline) throw new Error(`the global entry still does not answer from ${region} 5 s after its reload`);
    await sleep(10);
  }
}
