import { expect, test } from '@playwright/test';
import { parseRequestLine, RequestWindows, type RequestRoute } from '../../core/index.ts';

// The per-region sliding aggregate over the request stream, fed by hand: outcomes in the window, requests still in
// flight past their stall time, widening to a minimum sample count, and memory kept bounded.

let n = 0;
function request(w: RequestWindows, region: string, sentAt: number, backAt: number | undefined, ok = true, route: RequestRoute = 'read'): void {
  const id = n++;
  w.add({ kind: 'start', t: sentAt, region, n: id, route });
  if (backAt !== undefined) w.add({ kind: 'end', t: backAt, region, n: id, route, status: ok ? 200 : 503, ok, durationMs: backAt - sentAt });
}

test('outcomes inside the window count; older ones and other regions do not', () => {
  const w = new RequestWindows();
  for (let t = 0; t < 2_000; t += 100) request(w, 'jkt', t, t + 5, t < 1_500);
  request(w, 'bdg', 1_900, 1_905, false);
  const got = w.window({ region: 'jkt', windowMs: 500, stallAfterMs: 500 }, 2_000);
  // (1500, 2000]: the requests sent at 1500..1900 came back at 1505..1905, all failed; 1600..1900 were sent in it.
  expect(got).toMatchObject({ ok: 0, failed: 5, stalled: 0, samples: 5, availability: 0, from: 1_500, to: 2_000, sent: 4 });
  expect(w.window({ region: 'jkt', windowMs: 1_000, stallAfterMs: 500 }, 2_000)).toMatchObject({ ok: 5, failed: 5, availability: 0.5 });
  expect(w.window({ region: 'sby', windowMs: 1_000, stallAfterMs: 500 }, 2_000)).toMatchObject({ samples: 0 });
  expect(w.window({ region: 'sby', windowMs: 1_000, stallAfterMs: 500 }, 2_000).availability).toBeUndefined();
  expect(w.regions().sort()).toEqual(['bdg', 'jkt']);
});

test('a request unanswered past stallAfter counts as failing now, until its end arrives', () => {
  const w = new RequestWindows();
  for (let t = 0; t < 1_000; t += 100) request(w, 'jkt', t, t + 5);
  // Frozen from 1000 on: five requests sent, none back.
  for (let t = 1_000; t < 1_500; t += 100) request(w, 'jkt', t, undefined);
  // At 1700: those sent up to 1200 are past a 500 ms stall; 1300 and 1400 are just slow so far.
  expect(w.window({ region: 'jkt', windowMs: 1_000, stallAfterMs: 500 }, 1_700)).toMatchObject({ ok: 3, stalled: 3, samples: 6, availability: 0.5 });
  // A route filter sees only its own route.
  expect(w.window({ region: 'jkt', route: 'write', windowMs: 1_000, stallAfterMs: 500 }, 1_700)).toMatchObject({ samples: 0 });
  // The timeout ends one: it leaves the stalled count and counts as failed at its end.
  w.add({ kind: 'end', t: 4_000, region: 'jkt', n: n - 5, route: 'read', status: 0, ok: false, durationMs: 3_000, error: 'request timeout' });
  expect(w.window({ region: 'jkt', windowMs: 1_000, stallAfterMs: 500 }, 4_000)).toMatchObject({ ok: 0, failed: 1, stalled: 4, availability: 0 });
});

test('a window short of samples is widened back to hold them, never past the lookback', () => {
  const w = new RequestWindows();
  for (let t = 0; t < 10_000; t += 1_000) request(w, 'sby', t, t + 10);
  const base = { region: 'sby', windowMs: 500, stallAfterMs: 500 };
  expect(w.window(base, 10_000).samples).toBe(0);
  const widened = w.window({ ...base, minSamples: 3, maxLookbackMs: 10_000 }, 10_000);
  expect(widened).toMatchObject({ ok: 3, samples: 3 });
  expect(widened.from).toBeLessThan(7_010);
  expect(widened.from).toBeGreaterThanOrEqual(7_000);
  expect(w.window({ ...base, minSamples: 5, maxLookbackMs: 2_500 }, 10_000)).toMatchObject({ samples: 2 });
});

test('lines arriving slightly out of order are kept in time order; old ones are dropped', () => {
  const w = new RequestWindows({ keepMs: 5_000 });
  request(w, 'jkt', 100, 130);
  request(w, 'jkt', 105, 110);
  expect(w.window({ region: "jkt", windowMs: 15, stallAfterMs: 500 }, 130)).toMatchObject({ samples: 1 });
  request(w, 'jkt', 20_000, 20_005);
  expect(w.window({ region: 'jkt', windowMs: 30_000, stallAfterMs: 500 }, 20_010)).toMatchObject({ samples: 1, sent: 1 });
  expect(w.lastSeen('jkt')).toBe(20_005);
  expect(w.lastSeen()).toBe(20_005);
});

test('only stream lines parse; anything else on the console is skipped', () => {
  expect(parseRequestLine('{"kind":"end","t":5,"region":"jkt","n":1,"route":"read","status":200,"ok":true,"durationMs":1}')).toMatchObject({ kind: 'end', t: 5 });
  expect(parseRequestLine('{"kind":"end","t":5,"region"')).toBeUndefined();
  expect(parseRequestLine('Request Failed')).toBeUndefined();
  expect(parseRequestLine('{"kind":"other","t":5,"region":"jkt"}')).toBeUndefined();
});
