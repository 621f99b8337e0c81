import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunWindows, SloSpec } from '../../core/index.ts';
import { PrometheusClient, PrometheusSloJudge, replicaLagGuardrail, replicaLagQuery } from '../../assertions/index.ts';
import { startPrometheus, waitForPrometheusData, type StartedPrometheus } from '../../lab/index.ts';
import { ServiceExporter } from './support/service-exporter.ts';

/*
 * Service-side SLOs (replica lag, freshness, capacity, custom PromQL) and RTO clocks against a real Prometheus
 * scraping real /metrics endpoints at 1 s, over one timeline this file drives:
 *
 *   t0 ── baseline 6s ── t1 ─────────── during 8s ─────────── t2 ── 4s ── t3 ── 5s ── t4
 *   bdg lag  1            8                                    4           1
 *   bdg reads fresh       half of them 7 s old                 fresh
 *   jkt/service-main r1   down 3s, up 2s, down 3s              up
 *
 * Ports (assertions range): Prometheus 19410, exporters 19411-19414, nothing on 19415.
 */

let prometheus: StartedPrometheus;
let exporters: ServiceExporter[] = [];
let judge: PrometheusSloJudge;
let windows: RunWindows;
/** Moments the test switched things, epoch ms. */
let t: { t0: number; t1: number; t1up: number; t1down: number; t2: number; t3: number; t4: number };

test.beforeAll(async () => {
  test.setTimeout(3 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-assertions-service-'));
  const jkt = await Promise.all([19411, 19412, 19413].map((port) => ServiceExporter.start(port, 'jkt')));
  const bdg = await ServiceExporter.start(19414, 'bdg');
  exporters = [...jkt, bdg];
  for (const e of jkt) e.setLag(0);
  bdg.setLag(1);
  const replica = (e: ServiceExporter, i: number) => ({ address: e.address, labels: { region: e.region, service: 'service-main', replica: String(i) } });
  prometheus = await startPrometheus({
    port: 19410,
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'prometheus.log'),
    scrapeConfigs: [{ jobName: 'service', targets: [...jkt.map(replica), replica(bdg, 0)] }],
  });
  judge = new PrometheusSloJudge(new PrometheusClient({ url: prometheus.url }));
  // Wait for data, not readiness: every target scraped for a few seconds.
  await waitForPrometheusData(prometheus.url, 'min(count_over_time(up{job="service"}[4s]))', {
    timeoutMs: 40_000,
    accept: (s) => (s[0]?.value ?? 0) >= 4,
  });

  let stale = false;
  let reads = 0;
  const reader = setInterval(() => bdg.observeRead(stale && reads++ % 2 === 0 ? 7 : 0.3), 50);
  try {
    const t0 = Date.now();
    await sleep(6_000);
    bdg.setLag(8);
    stale = true;
    await jkt[1]!.down();
    const t1 = Date.now();
    await sleep(3_000);
    await jkt[1]!.up();
    const t1up = Date.now();
    await sleep(2_000);
    await jkt[1]!.down();
    const t1down = Date.now();
    await sleep(3_000);
    await jkt[1]!.up();
    bdg.setLag(4);
    stale = false;
    const t2 = Date.now();
    await sleep(4_000);
    bdg.setLag(1);
    const t3 = Date.now();
    await sleep(5_000);
    const t4 = Date.now();
    t = { t0, t1, t1up, t1down, t2, t3, t4 };
  } finally {
    clearInterval(reader);
  }
  windows = {
    // Half a second short of the switch: a scrape that starts just before it may read the new value.
    baseline: { start: t.t0, end: t.t1 - 500 },
    during: { start: t.t1, end: t.t2 },
    after: { start: t.t2, end: t.t4 },
    whole: { start: t.t0, end: t.t4 },
    faults: [
      { name: 'jkt-pod-kill', range: { start: t.t1, end: t.t2 } },
      { name: 'bdg-replica-lag', range: { start: t.t1, end: t.t2 } },
    ],
  };
});

test.afterAll(async () => {
  await prometheus?.stop();
  await Promise.all(exporters.map((e) => e.down()));
});

const lag = (window: SloSpec['window'], objective = '5s'): SloSpec => ({ name: `bdg lag ${window}`, kind: 'replicaLag', region: 'bdg', window, objective });

test('replica lag: the max over each window passes or fails on what the replica really reported', async () => {
  const baseline = await judge.judge(lag('baseline'), windows);
  expect(baseline).toMatchObject({ verdict: 'pass', observed: 1, unit: 's', objective: '≤ 5s', informational: false, severity: 'critical' });
  const ms = windows.baseline.end - windows.baseline.start;
  // The range selector is exactly the window, to the millisecond.
  expect(baseline.query).toBe(`max(max_over_time(faultline_replication_lag_seconds{region="bdg"}[${ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`}]))`);
  expect(baseline.reason).toContain('meeting the objective ≤ 5s');

  const during = await judge.judge(lag('during'), windows);
  expect(during).toMatchObject({ verdict: 'fail', observed: 8 });
  expect(during.reason).toBe('bdg replica lag (max) during the fault was 8s, breaking the objective ≤ 5s.');
  expect(during.range).toEqual(windows.during);

  // After the revert the lag was 4 s, then 1 s: nothing of the 8 s fault leaks into the recovery window.
  expect(await judge.judge(lag('after'), windows)).toMatchObject({ verdict: 'pass', observed: 4 });
  expect(await judge.judge(lag('after', '3s'), windows)).toMatchObject({ verdict: 'fail', observed: 4 });
});

test('an informational SLO keeps its real verdict and is flagged', async () => {
  const r = await judge.judge({ ...lag('during'), informational: true, severity: 'minor' }, windows);
  expect(r).toMatchObject({ verdict: 'fail', informational: true, severity: 'minor' });
});

test('freshness: the share of reads older than staleAfter, from the staleness histogram', async () => {
  const fresh: SloSpec = { name: 'bdg fresh reads', kind: 'freshness', region: 'bdg', staleAfter: '5s', objective: 0.05, window: 'baseline' };
  expect(await judge.judge(fresh, windows)).toMatchObject({ verdict: 'pass', observed: 0, unit: '%', objective: '≤ 5%' });
  const during = await judge.judge({ ...fresh, window: 'during' }, windows);
  expect(during.verdict).toBe('fail');
  // Every other read was 7 s old.
  expect(during.observed!).toBeGreaterThan(40);
  expect(during.observed!).toBeLessThan(60);
  expect(during.reason).toContain('share of reads older than 5s during the fault');
  expect(await judge.judge({ ...fresh, window: 'after' }, windows)).toMatchObject({ verdict: 'pass', observed: 0 });
});

test('freshness with a staleAfter that is no bucket bound is inconclusive, never a pass', async () => {
  const r = await judge.judge({ name: 'odd bound', kind: 'freshness', region: 'bdg', staleAfter: '2500ms', objective: 0.05, window: 'during' }, windows);
  expect(r.verdict).toBe('inconclusive');
  expect(r.observed).toBeUndefined();
  expect(r.reason).toContain('not a bucket bound');
});

test('RTO to full capacity: from the first kill until the last restart, since the service must stay recovered', async () => {
  const rto: SloSpec = { name: 'jkt capacity rto', kind: 'rto', region: 'jkt', sli: 'capacity', service: 'service-main', from: 'faultStart', fault: 'jkt-pod-kill', objective: '15s', window: 'whole' };
  const r = await judge.judge(rto, windows);
  const truth = (t.t2 - t.t1) / 1000;
  test.info().annotations.push({ type: 'rto', description: `capacity RTO measured ${r.observed}s, truth ${truth}s` });
  expect(r).toMatchObject({ verdict: 'pass', unit: 's', objective: '≤ 15s' });
  // The replica was back (briefly) at t1up; a clock that stopped there would read about 3 s.
  expect(r.observed!).toBeGreaterThanOrEqual(truth - 0.001);
  // Within scrape resolution: the next 1 s scrape after the restart, read at a 1 s step.
  expect(r.observed!).toBeLessThanOrEqual(truth + 2.5);
  expect(r.reason).toContain('was back to 3 healthy replicas');
  expect(r.range).toEqual({ start: t.t1, end: t.t4 });

  const strict = await judge.judge({ ...rto, objective: '5s' }, windows);
  expect(strict).toMatchObject({ verdict: 'fail', observed: r.observed });
  expect(strict.reason).toContain('breaking the objective ≤ 5s');
});

test('RTO with a threshold below full capacity, or where capacity never dropped, is 0', async () => {
  const partial: SloSpec = { name: 'jkt two replicas', kind: 'rto', region: 'jkt', sli: 'capacity', service: 'service-main', threshold: 2, from: 'faultStart', objective: '1s', window: 'whole' };
  expect(await judge.judge(partial, windows)).toMatchObject({ verdict: 'pass', observed: 0 });
  const bdg = await judge.judge({ ...partial, name: 'bdg capacity', region: 'bdg', threshold: undefined }, windows);
  expect(bdg).toMatchObject({ verdict: 'pass', observed: 0 });
  expect(bdg.reason).toContain('RTO is 0s');
});

test('RTO of replica lag from the revert: until it is back under its threshold', async () => {
  const rto: SloSpec = { name: 'bdg catch-up', kind: 'rto', region: 'bdg', sli: 'replicaLag', threshold: 2, from: 'faultEnd', fault: 'bdg-replica-lag', objective: '10s', window: 'after' };
  const r = await judge.judge(rto, windows);
  const truth = (t.t3 - t.t2) / 1000;
  test.info().annotations.push({ type: 'rto', description: `replica-lag RTO measured ${r.observed}s, truth ${truth}s` });
  expect(r.verdict).toBe('pass');
  expect(r.observed!).toBeGreaterThanOrEqual(truth - 0.001);
  expect(r.observed!).toBeLessThanOrEqual(truth + 2.5);
  expect(r.query).toBe(replicaLagQuery('bdg'));
});

test('RTO that has not recovered when its window ends fails with "did not recover within"', async () => {
  const rto: SloSpec = { name: 'bdg catch-up', kind: 'rto', region: 'bdg', sli: 'replicaLag', threshold: 2, from: 'faultEnd', objective: '1m', window: 'after' };
  const short: RunWindows = { ...windows, after: { start: t.t2, end: t.t3 - 1_000 } };
  const r = await judge.judge(rto, short);
  expect(r.verdict).toBe('fail');
  expect(r.observed).toBeUndefined();
  expect(r.reason).toMatch(/did not recover within \d+(\.\d)?s of the fault was reverted/);
});

test('custom PromQL folded by its aggregate and compared', async () => {
  const q = 'max(faultline_replication_lag_seconds{region="bdg"})';
  const custom = (over: SloSpec['window'], aggregate: 'max' | 'min' | 'avg' | 'last', comparator: '<=' | '==', threshold: number): SloSpec =>
    ({ name: `custom ${aggregate} ${over}`, kind: 'custom', query: q, aggregate, comparator, threshold, unit: 's', window: over });
  expect(await judge.judge(custom('during', 'max', '<=', 5), windows)).toMatchObject({ verdict: 'fail', observed: 8, objective: '≤ 5s', query: q });
  expect(await judge.judge(custom('baseline', 'max', '<=', 5), windows)).toMatchObject({ verdict: 'pass', observed: 1 });
  expect(await judge.judge(custom('baseline', 'avg', '==', 1), windows)).toMatchObject({ verdict: 'pass', observed: 1 });
  expect(await judge.judge(custom('after', 'min', '==', 1), windows)).toMatchObject({ verdict: 'pass', observed: 1 });
  expect(await judge.judge(custom('whole', 'last', '==', 1), windows)).toMatchObject({ verdict: 'pass', observed: 1 });
  expect(await judge.judge(custom('during', 'last', '==', 1), windows)).toMatchObject({ verdict: 'fail' });
});

test('custom PromQL returning several series, or not parsing, is inconclusive with the reason', async () => {
  const many = await judge.judge({ name: 'many', kind: 'custom', query: 'faultline_replication_lag_seconds', aggregate: 'max', comparator: '<=', threshold: 5, window: 'during' }, windows);
  expect(many.verdict).toBe('inconclusive');
  expect(many.reason).toContain('returned 4 series');
  const broken = await judge.judge({ name: 'broken', kind: 'custom', query: 'max(faultline_replication_lag_seconds', aggregate: 'max', comparator: '<=', threshold: 5, window: 'during' }, windows);
  expect(broken.verdict).toBe('inconclusive');
  expect(broken.reason).toContain('parse error');
});

test('no data is inconclusive, never a pass', async () => {
  const nowhere = await judge.judge({ name: 'mdn lag', kind: 'replicaLag', region: 'mdn', window: 'during', objective: '5s' }, windows);
  expect(nowhere.verdict).toBe('inconclusive');
  expect(nowhere.observed).toBeUndefined();
  expect(nowhere.reason).toMatch(/^no data during the fault: no service in region mdn reported its replication lag/);
  const past: RunWindows = { ...windows, during: { start: Date.parse('2001-01-01T00:00:00Z'), end: Date.parse('2001-01-01T00:05:00Z') } };
  expect((await judge.judge(lag('during'), past)).verdict).toBe('inconclusive');
  const rtoWithoutFault = await judge.judge({ name: 'x', kind: 'rto', region: 'jkt', sli: 'capacity', from: 'faultStart', fault: 'nope', objective: '10s', window: 'whole' }, windows);
  expect(rtoWithoutFault.verdict).toBe('inconclusive');
  expect(rtoWithoutFault.reason).toContain('no fault named "nope" ran');
});

test('an unreadable Prometheus makes every SLO inconclusive, and a guardrail read throws', async () => {
  const down = new PrometheusSloJudge(new PrometheusClient({ url: 'http://127.0.0.1:19415' }));
  for (const slo of [lag('during'), { name: 'rto', kind: 'rto', region: 'jkt', sli: 'capacity', from: 'faultStart', objective: '10s', window: 'whole' } as SloSpec]) {
    const r = await down.judge(slo, windows);
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toContain('Prometheus could not be read: cannot reach Prometheus at http://127.0.0.1:19415');
  }
  await expect(down.read(replicaLagQuery('bdg'))).rejects.toMatchObject({ code: 'FAULTLINE_PROMETHEUS_UNREACHABLE' });
});

test('read() gives a guardrail its number now, undefined without data, and refuses several series', async () => {
  expect(await judge.read(replicaLagGuardrail('lag', { region: 'bdg', above: '5s' }).query)).toBe(1);
  expect(await judge.read(replicaLagQuery('mdn'))).toBeUndefined();
  await expect(judge.read('faultline_replication_lag_seconds')).rejects.toMatchObject({ code: 'FAULTLINE_BAD_PROMQL' });
});

test('series() gives the report the replica lag per region over the run', async () => {
  const series = await judge.series([lag('during'), { name: 'jkt rto', kind: 'rto', region: 'jkt', sli: 'capacity', from: 'faultStart', objective: '10s', window: 'whole' }], windows.whole);
  const names = series.map((s) => s.name).sort();
  // No k6 ran here, so no availability or latency series: empty series are left out, not drawn as zero.
  expect(names).toEqual(['replica lag bdg', 'replica lag jkt']);
  const bdg = series.find((s) => s.name === 'replica lag bdg')!;
  expect(bdg.unit).toBe('s');
  expect(Math.max(...bdg.points.map(([, v]) => v))).toBe(8);
  expect(Math.min(...bdg.points.map(([, v]) => v))).toBe(1);
  expect(bdg.points[0]![0]).toBeGreaterThanOrEqual(windows.whole.start);
});
