import type { Runbook, RunbookOutcome } from '../core/index.ts';

/** One HTTP call; 2xx (or the listed statuses) is success. The answer's body, cut short, goes to the journal. */
export async function runHttp(r: Extract<Runbook, { kind: 'http' }>, timeoutMs: number, signal: AbortSignal): Promise<RunbookOutcome> {
  const startedAt = Date.now();
  try {
    const res = await fetch(r.url, {
      method: r.method,
      headers: { ...(r.body === undefined ? {} : { 'content-type': 'application/json' }), ...r.headers },
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const text = await res.text();
    let body: unknown = text.slice(0, 4_000);
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    const ok = r.okStatuses ? r.okStatuses.includes(res.status) : res.ok;
    return { ok, startedAt, endedAt: Date.now(), detail: { status: res.status, body }, ...(ok ? {} : { error: `${r.method} ${r.url} answered ${res.status}` }) };
  } catch (e) {
    const err = e as Error;
    const why = err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : signal.aborted ? 'the run was aborted' : err.message;
    return { ok: false, startedAt, endedAt: Date.now(), detail: {}, error: `${r.method} ${r.url}: ${why}` };
  }
}
