import { setTimeout as sleep } from 'node:timers/promises';
import type { RunbookOutcome } from '../core/index.ts';

/** One run of the lab's runbook, as its DR service records it (lab/contract's LabFailoverRecord history entry). */
interface DrEntry {
  action: string;
  trigger: string;
  detectedAt?: number;
  startedAt: number;
  endedAt: number;
  ok: boolean;
  steps: { name: string; ms: number; ok: boolean; detail?: string }[];
  error?: string;
}

/** The embedded lab's DR service over HTTP: the runbook is the lab's, faultline only asks for it and reads its record. */
export class LabDrService {
  constructor(private readonly url: string) {}

  async healthy(): Promise<boolean> {
    return fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
  }

  async arm(armed: boolean): Promise<void> {
    const res = await fetch(`${this.url}/watch`, { method: 'POST', body: JSON.stringify({ armed }), signal: AbortSignal.timeout(2_000) });
    if (!res.ok) throw new Error(`the lab's DR service refused to ${armed ? 'arm' : 'disarm'} its watcher: ${res.status}`);
  }

  async run(action: 'failover' | 'failback', timeoutMs: number, signal: AbortSignal): Promise<RunbookOutcome> {
    const startedAt = Date.now();
    try {
      const res = await fetch(`${this.url}/${action}`, { method: 'POST', signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      const body = (await res.json().catch(() => ({}))) as Partial<DrEntry> & { error?: string };
      if (body.startedAt !== undefined && body.steps) return outcomeOf(body as DrEntry);
      return { ok: false, startedAt, endedAt: Date.now(), detail: { status: res.status }, error: body.error ?? `the DR service answered ${res.status}` };
    } catch (e) {
      const err = e as Error;
      return { ok: false, startedAt, endedAt: Date.now(), detail: {}, error: err.name === 'TimeoutError' ? `the lab's runbook did not finish within ${timeoutMs} ms` : err.message };
    }
  }

  async history(): Promise<DrEntry[]> {
    const res = await fetch(`${this.url}/failover`, { signal: AbortSignal.timeout(2_000) });
    return ((await res.json()) as { history: DrEntry[] }).history;
  }
}

/** Waits for the DR service's own watcher to run the runbook (an entry that started after `since`), and reads it back. */
export async function awaitLabFailover(dr: LabDrService, c: { since: number; timeoutMs: number; signal: AbortSignal }): Promise<RunbookOutcome> {
  const deadline = Date.now() + c.timeoutMs;
  for (;;) {
    const entry = (await dr.history().catch(() => [])).find((e) => e.trigger === 'watcher' && e.startedAt >= c.since && e.endedAt > 0);
    if (entry) return outcomeOf(entry);
    if (Date.now() > deadline) {
      return { ok: false, startedAt: c.since, endedAt: Date.now(), detail: {}, error: `the lab's DR watcher did not fail over within ${c.timeoutMs} ms of the fault` };
    }
    await sleep(50, undefined, { signal: c.signal });
  }
}

function outcomeOf(e: DrEntry): RunbookOutcome {
  return {
    ok: e.ok,
    startedAt: e.startedAt,
    endedAt: e.endedAt,
    ...(e.detectedAt !== undefined ? { detectedAt: e.detectedAt } : {}),
    detail: { trigger: e.trigger, steps: e.steps },
    ...(e.error ? { error: e.error } : {}),
  };
}
