import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeDataLoss, EvidenceJudge, leaseOutage, rtoPhases, writesIn } from '../../assertions/index.ts';
import type { RequestEvent } from '../../core/index.ts';

/*
 * RPO and RTO phases from the load generator's own request stream: the arithmetic, on streams written here by hand so
 * every expected number is known. The lab tests (failover-lab.spec.ts, negative-rpo.spec.ts) run it on real traffic.
 */

const T0 = 1_800_000_000_000;
let n = 0;
/** A request sent at `sent` (ms after T0) that came back `took` ms later. */
function req(region: string, route: 'read' | 'write', sent: number, took: number, ok: boolean): RequestEvent {
  const id = route === 'write' ? `w${n}` : undefined;
  return { kind: 'end', t: T0 + sent + took, region, n: n++, route, status: ok ? (route === 'write' ? 201 : 200) : 0, ok, durationMs: took, ...(id ? { id, clientTs: T0 + sent } : {}) };
}

test.describe('data loss from acknowledged writes', () => {
  const writes = [req('primary', 'write', 0, 5, true), req('primary', 'write', 1_000, 5, true), req('primary', 'write', 2_000, 5, true), req('primary', 'write', 3_000, 5, true), req('primary', 'write', 4_000, 2_000, false)];

  test('the acknowledged writes the survivor lacks are lost; RPO spans the oldest sent to the newest acknowledged', () => {
    const counts = { [writes[0]!.id!]: 1, [writes[1]!.id!]: 1 };
    const r = computeDataLoss('items', writes, counts);
    expect(r).toMatchObject({ acknowledged: 4, lost: 2, duplicated: 0, resurrected: 0, unacknowledged: 1 });
    // lost: sent at +2000 and +3000, acknowledged at +2005 and +3005
    expect(r.rpoMs).toBe(1_005);
    expect(r.lostIds).toEqual([writes[2]!.id, writes[3]!.id]);
  });

  test('nothing lost is an RPO of 0; a write stored twice is duplicated; an unacknowledged one the survivor holds is resurrected', () => {
    const counts = Object.fromEntries(writes.map((w) => [w.id!, 1]));
    counts[writes[1]!.id!] = 2;
    const r = computeDataLoss('items', writes, counts);
    expect(r).toMatchObject({ lost: 0, rpoMs: 0, duplicated: 1, resurrected: 1 });
  });

  test('only writes sent inside the window count', () => {
    expect(writesIn([...writes, req('primary', 'read', 500, 1, true)], { start: T0 + 500, end: T0 + 2_500 }).map((w) => w.id)).toEqual([writes[1]!.id, writes[2]!.id]);
  });
});

test.describe('RTO phases from the request stream', () => {
  /** 20 req/s of reads and writes; down (timing out after 2 s) from +10 s, back at +13.5 s. */
  const stream = (): RequestEvent[] => {
    const out: RequestEvent[] = [];
    for (let sent = 0; sent < 25_000; sent += 50) {
      const down = sent >= 10_000 && sent < 13_500;
      out.push(req('primary', sent % 200 === 0 ? 'write' : 'read', sent, down ? 2_000 : 4, !down));
    }
    return out;
  };

  test('detection, the runbook and the first write are read to the millisecond; back dates from the first request after the last failure', () => {
    const p = rtoPhases(stream(), { faultStart: T0 + 10_000, end: T0 + 25_000, threshold: 0.99, failover: { start: T0 + 13_000, end: T0 + 13_400, ok: true } });
    expect(p.firstFailure).toBe(T0 + 12_000); // the first request sent into the outage timed out 2 s later
    expect(p.detectedAt).toBe(T0 + 12_000);
    expect(p.failoverStart).toBe(T0 + 13_000);
    expect(p.failoverEnd).toBe(T0 + 13_400);
    expect(p.firstWrite).toBe(T0 + 13_604); // sent at +13.6 s (every 200 ms), answered 4 ms later
    expect(p.sloBack).toBe(T0 + 13_500);
    expect(p.rtoMs).toBe(3_500);
  });

  test("the DR automation's own detection wins over the first failed request", () => {
    const p = rtoPhases(stream(), { faultStart: T0 + 10_000, end: T0 + 25_000, threshold: 0.99, failover: { start: T0 + 11_600, end: T0 + 12_000, ok: true, detectedAt: T0 + 11_500 } });
    expect(p.detectedAt).toBe(T0 + 11_500);
  });

  test('never down is an RTO of 0; never back (within the data) has no RTO', () => {
    const healthy = stream().map((r) => ({ ...r, ok: true, status: 200 }));
    expect(rtoPhases(healthy, { faultStart: T0 + 10_000, end: T0 + 25_000, threshold: 0.99 }).rtoMs).toBe(0);
    const stillDown = stream().filter((r) => r.t - r.durationMs < T0 + 13_000);
    expect(rtoPhases(stillDown, { faultStart: T0 + 10_000, end: T0 + 25_000, threshold: 0.99 }).rtoMs).toBeUndefined();
  });

  test('a lone failure below the threshold window does not count when the threshold allows it', () => {
    const blip = stream().map((r) => (r.t - r.durationMs >= 10_000 + T0 && r.t - r.durationMs < 13_500 + T0 ? { ...r, ok: true, status: 200 } : r));
    blip[260] = { ...blip[260]!, ok: false, status: 503 };
    expect(rtoPhases(blip, { faultStart: T0 + 10_000, end: T0 + 25_000, threshold: 0.9 }).rtoMs).toBe(0);
    expect(rtoPhases(blip, { faultStart: T0 + 10_000, end: T0 + 25_000, threshold: 0.99 }).rtoMs).toBeGreaterThan(0);
  });
});

test.describe('a secret-lease outage from the request stream', () => {
  /** 20 req/s; every request sent from +15 s on fails (the region lost its database credentials). */
  const stream = (): RequestEvent[] => {
    const out: RequestEvent[] = [];
    for (let sent = 0; sent < 20_000; sent += 50) out.push(req('bdg', 'read', sent, 4, sent < 15_000));
    return out;
  };
  const window = { faultStart: T0 + 10_000, leaseExpiresAt: T0 + 14_000, end: T0 + 20_000, failBelow: 0.9 };

  test('served until the lease expired; failed at the first failure of the first window below the threshold', () => {
    const o = leaseOutage(stream(), window);
    expect(o.before).toEqual({ requests: 80, ok: 80 });
    expect(o.after).toEqual({ requests: 120, ok: 20 });
    // the 1st and 2nd failures leave the window at 95 % and 90 %; the 3rd takes it below, and the window's first failure is the one sent at +15 s
    expect(o.failedAt).toBe(T0 + 15_000);
  });

  test('a region that kept serving past the expiry never failed', () => {
    const healthy = stream().map((r) => ({ ...r, ok: true, status: 200 }));
    expect(leaseOutage(healthy, window).failedAt).toBeUndefined();
  });
});

test.describe('the evidence judge', () => {
  const windows = (requestStream: string) => {
    const r = { start: T0, end: T0 + 25_000 };
    return { baseline: r, during: r, after: r, whole: r, faults: [{ name: 'region-loss', range: { start: T0 + 10_000, end: T0 + 20_000 } }], requestStream };
  };
  const prometheus = { check: async () => [], read: async () => undefined, judge: async () => ({}) as never };
  const stream = (events: RequestEvent[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-evidence-'));
    const path = join(dir, 'requests.jsonl');
    writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    return path;
  };

  test('no acknowledged write in the window is inconclusive, never a pass, and nothing is read back', async () => {
    let readBacks = 0;
    const judge = new EvidenceJudge(prometheus, { readBack: async () => ((readBacks++, { store: 'items', counts: {} })) });
    const failedOnly = [req('primary', 'write', 11_000, 2_000, false), req('primary', 'read', 11_000, 2_000, false)];
    const result = await judge.judge({ name: 'rpo', kind: 'rpo', window: 'whole', objective: '5s' }, windows(stream(failedOnly)));
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/no write was acknowledged/);
    expect(readBacks).toBe(0);
  });

  test('a request k6 cancelled as it stopped is no failure of the system: the RTO is still reached', async () => {
    // Down from +10 s, back from +12 s, and the run stops at +25 s with one read in flight.
    const events: RequestEvent[] = [];
    for (let sent = 0; sent < 25_000; sent += 50) events.push(req('primary', 'read', sent, 4, sent < 10_000 || sent >= 12_000));
    const slo = { name: 'users back', kind: 'failoverRto', region: 'primary', window: 'whole', objective: '5s' } as const;
    const judgeWith = (last: RequestEvent) => new EvidenceJudge(prometheus, { readBack: async () => ({ store: 'items', counts: {} }) }).judge(slo, windows(stream([...events, last])));
    const cancelled = { ...req('primary', 'read', 24_990, 7, false), error: 'context canceled' };
    expect(await judgeWith(cancelled)).toMatchObject({ verdict: 'pass', observed: 2 });
    // The same request timed out instead: a real failure in the last window, so users were never back and stayed back.
    const timedOut = { ...req('primary', 'read', 24_990, 7, false), error: 'request timeout' };
    expect((await judgeWith(timedOut)).verdict).toBe('fail');
  });

  test('acknowledged writes the survivor lacks fail an RPO beyond its objective, with the lost ids as evidence', async () => {
    const writes = [0, 1_000, 2_000, 9_000, 9_500].map((sent) => req('primary', 'write', sent, 10, true));
    const held = Object.fromEntries(writes.slice(0, 3).map((w) => [w.id!, 1]));
    const judge = new EvidenceJudge(prometheus, { readBack: async () => ({ store: 'items', counts: held }) });
    const result = await judge.judge({ name: 'rpo', kind: 'rpo', window: 'whole', objective: '100ms' }, windows(stream(writes)));
    expect(result).toMatchObject({ verdict: 'fail', observed: 0.51, evidence: { dataLoss: { lost: 2, acknowledged: 5, lostIds: [writes[3]!.id, writes[4]!.id] } } });
  });
});
