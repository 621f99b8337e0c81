import { expect, test } from '@playwright/test';
import { judgeLoadDelivered, loadDelivered, RequestWindows, type LoadProfile, type SloResult, type SloSpec } from '../../core/index.ts';

// The load delivered, from the request stream, against what the profile asked: per region and window.

/** `rate` requests per second sent from `from` to `to` (epoch ms) in a region. */
function send(w: RequestWindows, region: string, from: number, to: number, rate: number): void {
  let n = Math.floor(from);
  for (let t = from; t < to; t += 1_000 / rate) w.add({ kind: 'start', t, region, n: n++, route: 'read' });
}

const profile: LoadProfile = { regions: { jkt: { executor: 'constant-arrival-rate', rate: 100 }, bdg: { executor: 'constant-arrival-rate', rate: 100 } }, writeRatio: 0 };

test('achieved against asked, per region and window; a region short of the load is found', () => {
  const w = new RequestWindows();
  send(w, 'jkt', 0, 60_000, 100);
  send(w, 'bdg', 0, 60_000, 62);
  const d = loadDelivered(w, profile, { start: 10_000, end: 40_000 });
  expect(d.find((x) => x.region === 'jkt')).toMatchObject({ sent: 3_000, asked: 3_000, ratio: 1 });
  const bdg = d.find((x) => x.region === 'bdg')!;
  expect(bdg.asked).toBe(3_000);
  expect(bdg.ratio).toBeCloseTo(0.62, 2);
});

test('a ramp asks what its stages integrate to, counted from the first request sent', () => {
  const w = new RequestWindows();
  send(w, 'sby', 1_000, 21_000, 10);
  // 0 → 20/s over 10 s (100 requests), then 20/s held: 10 s more is 200. From 1000 ms, when sby began.
  const ramp: LoadProfile = { regions: { sby: { executor: 'ramping-arrival-rate', startRate: 0, stages: [{ target: 20, duration: '10s' }] } }, writeRatio: 0 };
  expect(loadDelivered(w, ramp, { start: 1_000, end: 11_000 })[0]!.asked).toBe(100);
  expect(loadDelivered(w, ramp, { start: 11_000, end: 21_000 })[0]!.asked).toBe(200);
  // VU-based load asks no rate: nothing to compare.
  expect(loadDelivered(w, { regions: { sby: { executor: 'constant-vus', vus: 2 } }, writeRatio: 0 }, { start: 0, end: 10_000 })).toEqual([]);
});

test('a pass in a window short of its load is inconclusive, saying the load generator was the limit; a fail stays a fail', () => {
  const w = new RequestWindows();
  send(w, 'jkt', 0, 60_000, 100);
  send(w, 'bdg', 0, 60_000, 62);
  const range = { start: 10_000, end: 40_000 };
  const windows = { baseline: range, during: range, after: range, whole: range };
  const result = (name: string, verdict: SloResult['verdict']): SloResult => ({ name, kind: 'availability', window: 'during', range, verdict, informational: false, severity: 'critical', objective: '≥ 99%', unit: 'ratio', query: 'q', reason: 'observed' });
  const specs: SloSpec[] = [
    { name: 'jkt ok', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
    { name: 'bdg ok', kind: 'availability', region: 'bdg', window: 'during', objective: 0.99 },
    { name: 'bdg bad', kind: 'availability', region: 'bdg', window: 'during', objective: 0.99 },
  ];
  const [jkt, bdgPass, bdgFail] = judgeLoadDelivered([result('jkt ok', 'pass'), result('bdg ok', 'pass'), result('bdg bad', 'fail')], specs, windows, (r) => loadDelivered(w, profile, r));
  expect(jkt!.verdict).toBe('pass');
  expect(bdgPass).toMatchObject({ verdict: 'inconclusive', loadShort: true });
  expect(bdgPass!.reason).toMatch(/^the load generator was the limit: bdg got 18\d\d of the 3000 requests asked in the during window \(6\d(\.\d)?%, 1\d\d\d never sent\)/);
  expect(bdgFail!.verdict).toBe('fail');
  expect(bdgFail!.reason).toContain('the load generator was the limit');
});
