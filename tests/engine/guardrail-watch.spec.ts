import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  eventsOf,
  Journal,
  judgeBounded,
  RequestWindows,
  watchGuardrails,
  type GuardrailBreach,
  type Guardrail,
  type RunWindows,
  type SloJudge,
  type SloResult,
  type SloSpec,
} from '../../core/index.ts';

// The guardrail watcher's rules, driven by hand: deadlines, two misses in a row, minimum samples, blindness, the
// watch on the SLO source itself, and bounded judging. tests/safety drives the same code against real components.

const journal = () => new Journal(join(mkdtempSync(join(tmpdir(), 'faultline-watch-')), 'journal.jsonl'));

async function watch(guardrails: Guardrail[], judge: Parameters<typeof watchGuardrails>[0]['judge'], requests?: RequestWindows, forMs = 15_000) {
  const j = journal();
  const stop = new AbortController();
  let breach: GuardrailBreach | undefined;
  const t0 = Date.now();
  await watchGuardrails({
    guardrails,
    judge,
    requests,
    journal: j,
    until: t0 + forMs,
    signal: stop.signal,
    onBreach: (b) => {
      breach = b;
      stop.abort(b);
    },
  });
  return { breach, journal: j };
}

const promGuardrail: Guardrail = { name: 'floor', query: 'up', comparator: '<', threshold: 0.5, every: '200ms' };

test('a read that hangs misses its deadline, is given up (its signal aborts) and two misses in a row fail closed', async () => {
  const aborted: boolean[] = [];
  const judge = {
    read: (_q: string, o?: { signal?: AbortSignal }) =>
      new Promise<number>((_ok, fail) => o?.signal?.addEventListener('abort', () => (aborted.push(true), fail(new Error('aborted'))))),
  };
  const { breach, journal: j } = await watch([promGuardrail], judge);
  expect(breach?.unreadable).toBe(true);
  expect(breach?.message).toMatch(/could not be evaluated 2 times in a row: no answer within 200 ms/);
  expect(aborted).toHaveLength(2);
  expect(eventsOf(j.entries, 'guardrail').map((g) => g.breached)).toEqual([false, true]);
});

test('one failed read is not a breach: a good reading in between resets the count', async () => {
  let reads = 0;
  const judge = {
    async read() {
      reads++;
      if (reads % 2 === 1) throw new Error('HTTP 503');
      return reads >= 8 ? 0.1 : 1;
    },
  };
  const { breach } = await watch([promGuardrail], judge);
  // Failures alternate with readings, so it never fails closed; it aborts on the real breach instead.
  expect(breach?.unreadable).toBe(false);
  expect(breach?.message).toMatch(/floor: 0.1 < 0.5/);
});

test('no data from PromQL twice in a row fails closed', async () => {
  const { breach } = await watch([promGuardrail], { read: async () => undefined });
  expect(breach?.unreadable).toBe(true);
  expect(breach?.message).toContain('the query returned no data');
});

const requestGuardrail: Guardrail = { name: 'jkt floor', requests: { sli: 'availability', region: 'jkt' }, comparator: '<', threshold: 0.5 };
const noJudge = { read: async () => 1 };

/** Feeds a steady 20 requests/s into jkt from `from` to `to` (epoch ms); ok or left unanswered. */
function feed(w: RequestWindows, from: number, to: number, answered: boolean, first = 0): number {
  let n = first;
  for (let t = from; t < to; t += 50, n++) {
    w.add({ kind: 'start', t, region: 'jkt', n, route: 'read' });
    if (answered) w.add({ kind: 'end', t: t + 3, region: 'jkt', n, route: 'read', status: 200, ok: true, durationMs: 3 });
  }
  return n;
}

test('a request guardrail trips on requests left unanswered, before any of them comes back failed', async () => {
  const w = new RequestWindows();
  const now = Date.now();
  const n = feed(w, now - 2_000, now, true);
  const frozenAt = now + 300;
  const feeder = setInterval(() => {
    const t = Date.now();
    // Healthy until frozenAt, then sent and never answered.
    w.add({ kind: 'start', t, region: 'jkt', n: n + t, route: 'read' });
    if (t < frozenAt) w.add({ kind: 'end', t: t + 1, region: 'jkt', n: n + t, route: 'read', status: 200, ok: true, durationMs: 1 });
  }, 50);
  try {
    const { breach, journal: j } = await watch([requestGuardrail], noJudge, w);
    expect(breach?.unreadable).toBe(false);
    expect(breach?.message).toMatch(/^jkt floor: 0(\.\d+)? < 0.5$/);
    // Stalled past 500 ms, held 250 ms: after the freeze, and within a few seconds.
    expect(breach!.detectedAt).toBeGreaterThan(frozenAt + 500);
    const last = eventsOf(j.entries, 'guardrail').at(-1)!;
    expect(last.breached).toBe(true);
    expect(last.samples).toBeGreaterThanOrEqual(5);
  } finally {
    clearInterval(feeder);
  }
});

test('a single failed request among few does not trip it; too few requests is no reading', async () => {
  const w = new RequestWindows();
  const now = Date.now();
  // Three requests in the last 10 s, two of them failed: under the 5-sample minimum, so no reading at all.
  w.add({ kind: 'start', t: now - 900, region: 'jkt', n: 1, route: 'read' });
  w.add({ kind: 'end', t: now - 890, region: 'jkt', n: 1, route: 'read', status: 503, ok: false, durationMs: 10 });
  w.add({ kind: 'start', t: now - 800, region: 'jkt', n: 2, route: 'read' });
  w.add({ kind: 'end', t: now - 790, region: 'jkt', n: 2, route: 'read', status: 503, ok: false, durationMs: 10 });
  w.add({ kind: 'start', t: now - 700, region: 'jkt', n: 3, route: 'read' });
  w.add({ kind: 'end', t: now - 690, region: 'jkt', n: 3, route: 'read', status: 200, ok: true, durationMs: 10 });
  const { breach, journal: j } = await watch([requestGuardrail], noJudge, w, 1_000);
  expect(breach).toBeUndefined();
  const readings = eventsOf(j.entries, 'guardrail');
  expect(readings.length).toBeGreaterThan(0);
  expect(readings.every((r) => r.value === null && !r.breached && /3 requests .* fewer than the 5 it needs/.test(r.error ?? ''))).toBe(true);
});

test('a request guardrail that cannot read for 10 s is blind and fails closed', async () => {
  const { breach } = await watch([requestGuardrail], noJudge, new RequestWindows(), 20_000);
  expect(breach?.unreadable).toBe(true);
  expect(breach?.message).toMatch(/could not be evaluated for 10s: 0 requests/);
});

test('the SLO source itself is watched: a source that stops answering fails the run closed even with no PromQL guardrail', async () => {
  const w = new RequestWindows();
  const now = Date.now();
  feed(w, now - 1_000, now + 20_000, true);
  let hung = false;
  const judge = {
    read: async () => 1,
    sourceName: 'Prometheus',
    ping: (signal: AbortSignal) => (hung ? new Promise<void>((_ok, fail) => signal.addEventListener('abort', () => fail(new Error('aborted')))) : Promise.resolve()),
  };
  setTimeout(() => (hung = true), 1_000);
  const { breach } = await watch([requestGuardrail], judge, w);
  expect(breach?.guardrail).toBe('Prometheus answers');
  expect(breach?.unreadable).toBe(true);
});

test('bounded judging: once the source cannot be read, the remaining SLOs are not asked', async () => {
  const asked: string[] = [];
  const range = { start: 0, end: 1 };
  const windows: RunWindows = { baseline: range, during: range, after: range, whole: range, faults: [] };
  const judge: Pick<SloJudge, 'judge'> = {
    async judge(slo) {
      asked.push(slo.name);
      const base = { name: slo.name, kind: slo.kind, window: slo.window, range, informational: false, severity: 'critical' as const, objective: '', unit: '', query: '' };
      return slo.name === 'b' ? { ...base, verdict: 'inconclusive', reason: 'Prometheus could not be read: no answer.', unreadable: true } : { ...base, verdict: 'pass', reason: 'ok' };
    },
  };
  const slos: SloSpec[] = ['a', 'b', 'c', 'd'].map((name) => ({ name, kind: 'availability', region: 'jkt', window: 'during', objective: 0.9 }));
  const seen: SloResult[] = [];
  const { results, down } = await judgeBounded(judge, slos, windows, { onResult: (r) => seen.push(r) });
  expect(asked).toEqual(['a', 'b']);
  expect(results.map((r) => r.verdict)).toEqual(['pass', 'inconclusive', 'inconclusive', 'inconclusive']);
  expect(results[2]!.reason).toMatch(/not judged: the source did not answer for "b"/);
  expect(down?.name).toBe('b');
  expect(seen).toEqual(results);
});
