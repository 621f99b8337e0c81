import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRequestLines, type LoadProfile, type RequestEvent, type RequestLine, type RequestStart } from '../../core/index.ts';
import { LocalK6Runner } from '../../load/index.ts';
import { IngressStub, okBehaviour } from './ingress-stub.ts';

// The request stream from real k6: every request it sends and gets back, as JSON lines the harness reads while the
// run goes on. Checked against what the stub ingresses really received. Ports 22000-22009.
const outDir = () => mkdtempSync(join(tmpdir(), 'faultline-stream-'));
const starts = (lines: RequestLine[], region?: string) => lines.filter((l): l is RequestStart => l.kind === 'start' && (!region || l.region === region));
const ends = (lines: RequestLine[], region?: string) => lines.filter((l): l is RequestEvent => l.kind === 'end' && (!region || l.region === region));

test('every request is streamed while k6 runs: one start and one end each, as the ingress saw it, writes with their id', async () => {
  await using stub = await IngressStub.start({ jkt: 22000, bdg: 22001 }, (req) => (req.region === 'bdg' && req.method === 'POST' ? { status: 500 } : okBehaviour(req)));
  const profile: LoadProfile = {
    regions: { jkt: { executor: 'constant-arrival-rate', rate: 20 }, bdg: { executor: 'constant-arrival-rate', rate: 20 } },
    writeRatio: 0.3,
  };
  const run = await new LocalK6Runner({ ingress: stub.urls, outDir: outDir() }).start(profile, { runId: 'stream-run', scenario: 'stream', durationMs: 6_000 });
  const stream = run.requests!;
  expect(stream.path).toMatch(/k6-stream\.requests\.jsonl$/);
  const live: RequestLine[] = [];
  stream.subscribe((line) => live.push(line));

  // Live: the harness sees requests come back while k6 still runs, not from a file read after it ended.
  await expect.poll(() => ends(live).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(20);
  expect(existsSync(`/proc/${run.pid}`)).toBe(true);
  const now = Date.now();
  const window = stream.windows.window({ region: 'jkt', windowMs: 2_000, stallAfterMs: 1_000 }, now);
  expect(window.samples).toBeGreaterThan(0);
  expect(window.availability).toBe(1);

  const summary = await run.done;
  const disk = readRequestLines(stream.path);
  // Every line the harness read live is the line on disk, in the same order.
  expect(live).toEqual(disk);
  expect(stream.lines).toBe(disk.length);

  for (const region of ['jkt', 'bdg']) {
    const sent = starts(disk, region);
    const back = ends(disk, region);
    const received = stub.received.filter((q) => q.region === region);
    // As many requests as the ingress answered and k6 counted, each start paired with its end by n.
    expect(back.length).toBe(received.length);
    expect(back.length).toBe(summary.regions.find((r) => r.region === region)!.requests);
    expect(new Set(sent.map((s) => s.n))).toEqual(new Set(back.map((e) => e.n)));
    for (const e of back) {
      const s = sent.find((x) => x.n === e.n)!;
      expect(e.route).toBe(s.route);
      expect(e.t).toBeGreaterThanOrEqual(s.t);
      expect(e.durationMs).toBeGreaterThan(0);
      expect(e.ok).toBe([200, 201, 404].includes(e.status));
    }
    // The statuses the stream reports are the ones the ingress sent.
    expect(back.map((e) => e.status).sort()).toEqual(received.map((q) => q.status).sort());
  }
  // bdg's writes all failed with 500 and say so; jkt's all succeeded.
  expect(ends(disk, 'bdg').filter((e) => e.route === 'write').every((e) => e.status === 500 && !e.ok)).toBe(true);
  expect(ends(disk, 'jkt').every((e) => e.ok)).toBe(true);

  // Writes: the id and client timestamp in the stream are the ones in the request body, unique across the run.
  const writes = ends(disk).filter((e) => e.route === 'write');
  expect(writes.length).toBeGreaterThan(0);
  expect(new Set(writes.map((w) => w.id)).size).toBe(writes.length);
  const bodies = stub.received.filter((q) => q.method === 'POST').map((q) => JSON.parse(q.body) as { id: string; clientTs: number; body: string });
  expect(bodies.map((b) => b.id).sort()).toEqual(writes.map((w) => w.id).sort());
  for (const w of writes) {
    expect(w.id).toMatch(new RegExp(`^stream-run-${w.region}-${w.n}$`));
    const body = bodies.find((b) => b.id === w.id)!;
    expect(body.clientTs).toBe(w.clientTs);
    expect(body.clientTs).toBe(starts(disk).find((s) => s.region === w.region && s.n === w.n)!.t);
  }
  // Reads carry no id.
  expect(ends(disk).filter((e) => e.route === 'read').every((e) => e.id === undefined && e.clientTs === undefined)).toBe(true);
});

test('an ingress that stops answering shows as stalled requests at once, long before the request timeout', async () => {
  let frozen = false;
  await using stub = await IngressStub.start({ sby: 22002 }, (req) => (frozen ? { status: 200, delayMs: 60_000 } : okBehaviour(req)));
  const profile: LoadProfile = { regions: { sby: { executor: 'constant-arrival-rate', rate: 20 } }, writeRatio: 0.2, requestTimeout: '3s' };
  const run = await new LocalK6Runner({ ingress: stub.urls, outDir: outDir() }).start(profile, { runId: 'frozen', scenario: 'frozen', durationMs: 60_000 });
  try {
    const stream = run.requests!;
    await expect.poll(() => stream.windows.window({ region: 'sby', windowMs: 1_000, stallAfterMs: 500 }).ok, { timeout: 20_000 }).toBeGreaterThan(5);
    frozen = true;
    const frozenAt = Date.now();
    // Nothing comes back any more, yet the window turns to stalled requests well inside the 3 s timeout.
    await expect
      .poll(() => {
        const w = stream.windows.window({ region: 'sby', windowMs: 500, stallAfterMs: 500 });
        return w.stalled >= 5 && w.availability === 0;
      }, { timeout: 20_000 })
      .toBe(true);
    const failedBack = ends(readRequestLines(stream.path)).filter((e) => !e.ok && e.t > frozenAt);
    // Stalled, not failed: when the window turned, no timed-out request had come back yet.
    expect(failedBack).toEqual([]);
    // Then k6's own timeout ends them: status 0, not ok, and k6's error text.
    await expect.poll(() => ends(readRequestLines(stream.path)).filter((e) => e.status === 0).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const timedOut = ends(readRequestLines(stream.path)).find((e) => e.status === 0)!;
    expect(timedOut.ok).toBe(false);
    expect(timedOut.error).toMatch(/timeout/i);
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(2_900);
  } finally {
    await run.stop().catch(() => undefined);
  }
});

test('the stream can be turned off: no request lines, no file', async () => {
  await using stub = await IngressStub.start({ jkt: 22003 });
  const dir = outDir();
  const profile: LoadProfile = { regions: { jkt: { executor: 'constant-arrival-rate', rate: 10 } }, writeRatio: 0.5 };
  const runner = new LocalK6Runner({ ingress: stub.urls, outDir: dir, streamRequests: false });
  expect(runner.streamsRequests).toBe(false);
  const run = await runner.start(profile, { runId: 'off', scenario: 'off', durationMs: 2_000 });
  await run.done;
  expect(run.requests).toBeUndefined();
  expect(existsSync(join(dir, 'k6-off.requests.jsonl'))).toBe(false);
  // The write body still carries its id and client timestamp: the service stores writes by id either way.
  const body = JSON.parse(stub.received.find((q) => q.method === 'POST')!.body) as { id: string; clientTs: number };
  expect(body.id).toMatch(/^off-jkt-\d+$/);
  expect(body.clientTs).toBeGreaterThan(0);
});
