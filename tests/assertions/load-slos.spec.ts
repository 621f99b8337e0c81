import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { K6Metrics, type FaultlineError, type LoadProfile, type RunWindows, type SloSpec } from '../../core/index.ts';
import { availabilityGuardrail, latencyGuardrail, PrometheusClient, PrometheusSloJudge } from '../../assertions/index.ts';
import { startPrometheus, waitForPrometheusData, type StartedPrometheus } from '../../lab/index.ts';
import { LocalK6Runner, type LocalK6Run } from '../../load/index.ts';
import { SwitchableIngress } from './support/switchable-ingress.ts';

/*
 * Client-side SLOs from the real k6 game-day script, remote-written to a real Prometheus (native histograms on),
 * against stand-in ingresses this file switches:
 *
 *   tA ── baseline 8s ── t1 ──────── during 10s ──────── t2 ── after 10s ── t3
 *   jkt  healthy          half the requests 500 after 400 ms    healthy
 *   bdg  healthy all along (the control)
 *   sby  healthy          ingress dead (connection refused)     healthy
 *   mdn  ingress dead all along: every request fails, there is never a success series
 *
 * Ports (assertions range): Prometheus 19420, ingresses 19421-19423, nothing on 19424.
 */

const REGIONS = ['jkt', 'bdg', 'sby', 'mdn'] as const;
let prometheus: StartedPrometheus;
let ingress: Record<'jkt' | 'bdg' | 'sby', SwitchableIngress>;
let load: LocalK6Run | undefined;
let judge: PrometheusSloJudge;
let windows: RunWindows;
let t: { tA: number; t1: number; t2: number; t3: number };
/** What preflight said while load flowed, and what guardrails read mid-fault. */
let preflightWhileHealthy: FaultlineError[];
let guardrailMidFault: { availability: number | undefined; latency: number | undefined };

const availability = (region: string, window: SloSpec['window'], objective = 0.99): SloSpec => ({ name: `${region} availability ${window}`, kind: 'availability', region, window, objective });

test.beforeAll(async () => {
  test.setTimeout(4 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-assertions-load-'));
  ingress = { jkt: await SwitchableIngress.start(19421), bdg: await SwitchableIngress.start(19422), sby: await SwitchableIngress.start(19423) };
  prometheus = await startPrometheus({ port: 19420, dataDir: join(dir, 'data'), logFile: join(dir, 'prometheus.log'), scrapeConfigs: [] });
  judge = new PrometheusSloJudge(new PrometheusClient({ url: prometheus.url }));
  const profile: LoadProfile = {
    regions: Object.fromEntries(REGIONS.map((r) => [r, { executor: 'constant-arrival-rate' as const, rate: 20 }])),
    writeRatio: 0.25,
    requestTimeout: '3s',
  };
  const runner = new LocalK6Runner({
    ingress: { jkt: ingress.jkt.url, bdg: ingress.bdg.url, sby: ingress.sby.url, mdn: 'http://127.0.0.1:19424' },
    outDir: dir,
    prometheusUrl: prometheus.url,
  });
  load = await runner.start(profile, { runId: `assertions-${Date.now()}`, scenario: 'assertions load slos', durationMs: 180_000 });
  // Wait for data: every region's requests have been pushed for a few seconds.
  await waitForPrometheusData(prometheus.url, `count_over_time(sum by (region) (${K6Metrics.requests})[4s:1s])`, {
    timeoutMs: 60_000,
    accept: (s) => s.length === REGIONS.length && s.every((x) => x.value >= 4),
  });

  const tA = Date.now();
  await sleep(4_000);
  preflightWhileHealthy = await judge.check(
    [availability('jkt', 'during'), { name: 'p95', kind: 'latency', region: 'jkt', quantile: 0.95, objective: '200ms', outcome: 'failed', window: 'during' }],
    [availabilityGuardrail('jkt availability', { region: 'jkt', below: 0.9 })],
  );
  await sleep(4_000);
  ingress.jkt.setMode({ failShare: 0.5, failDelayMs: 400 });
  await ingress.sby.kill();
  const t1 = Date.now();
  await sleep(8_000);
  guardrailMidFault = {
    availability: await judge.read(availabilityGuardrail('jkt availability', { region: 'jkt', below: 0.9 }).query),
    latency: await judge.read(latencyGuardrail('jkt p99', { region: 'jkt', quantile: 0.99, above: '1s' }).query),
  };
  await sleep(2_000);
  ingress.jkt.setMode({});
  await ingress.sby.revive();
  const t2 = Date.now();
  await sleep(10_000);
  const t3 = Date.now();
  await load.stop();
  t = { tA, t1, t2, t3 };
  windows = {
    baseline: { start: tA, end: t1 - 500 },
    during: { start: t1, end: t2 },
    // Failed jkt answers were still in flight for 400 ms after the heal, and k6 pushes once a second.
    after: { start: t2 + 1_500, end: t3 },
    whole: { start: tA, end: t3 },
    faults: [
      { name: 'jkt-errors', range: { start: t1, end: t2 } },
      { name: 'sby-ingress-down', range: { start: t1, end: t2 } },
    ],
  };
});

test.afterAll(async () => {
  await load?.stop().catch(() => {});
  await prometheus?.stop();
  await Promise.all(Object.values(ingress ?? {}).map((i) => i.kill()));
});

test('availability: healthy in the baseline, broken during the fault, healthy again after', async () => {
  expect(await judge.judge(availability('jkt', 'baseline'), windows)).toMatchObject({ verdict: 'pass', observed: 100, unit: '%', objective: '≥ 99%' });
  const during = await judge.judge(availability('jkt', 'during'), windows);
  expect(during.verdict).toBe('fail');
  expect(during.observed!).toBeGreaterThan(35);
  expect(during.observed!).toBeLessThan(65);
  expect(during.reason).toMatch(/^jkt availability during the fault was [\d.]+%, breaking the objective ≥ 99%\.$/);
  expect(await judge.judge(availability('jkt', 'after'), windows)).toMatchObject({ verdict: 'pass', observed: 100 });
  // The control region never noticed.
  expect(await judge.judge(availability('bdg', 'during', 0.995), windows)).toMatchObject({ verdict: 'pass', observed: 100 });
});

test('availability by route: the failed share applies to reads and writes alike', async () => {
  for (const route of ['read', 'write'] as const) {
    const r = await judge.judge({ ...availability('jkt', 'during'), name: `jkt ${route}`, route } as SloSpec, windows);
    expect(r.verdict).toBe('fail');
    expect(r.query).toContain(`route="${route}"`);
  }
});

test('a dead ingress is 0% available, not "no data"', async () => {
  const sby = await judge.judge(availability('sby', 'during'), windows);
  expect(sby.verdict).toBe('fail');
  // At most the last pre-fault push falls inside the window.
  expect(sby.observed!).toBeLessThan(15);
  // mdn never answered once: there is no success series at all, and that is still a measured 0%.
  expect(await judge.judge(availability('mdn', 'whole'), windows)).toMatchObject({ verdict: 'fail', observed: 0 });
});

test('latency: quantiles from the native histogram, restricted to failed or succeeded requests', async () => {
  const p95 = (region: string, outcome?: 'failed' | 'succeeded', quantile = 0.95): SloSpec => ({
    name: `${region} p${quantile * 100} ${outcome ?? 'all'}`,
    kind: 'latency',
    region,
    quantile,
    objective: '200ms',
    window: 'during',
    ...(outcome && { outcome }),
  });
  const failed = await judge.judge(p95('jkt', 'failed'), windows);
  expect(failed).toMatchObject({ verdict: 'fail', unit: 's', objective: '≤ 200ms' });
  // Every failed answer took 400 ms; the native histogram's buckets bound the error.
  expect(failed.observed!).toBeGreaterThan(0.35);
  expect(failed.observed!).toBeLessThan(0.6);
  expect(failed.reason).toContain('jkt p95 latency of failed requests during the fault');
  expect(failed.query).toContain('expected_response="false"');

  expect(await judge.judge(p95('jkt', 'succeeded'), windows)).toMatchObject({ verdict: 'pass' });
  expect(await judge.judge(p95('jkt', undefined, 0.99), windows)).toMatchObject({ verdict: 'fail' });
  expect(await judge.judge(p95('bdg'), windows)).toMatchObject({ verdict: 'pass' });
  const baseline = await judge.judge({ ...p95('jkt', 'failed'), window: 'baseline' }, windows);
  expect(baseline.verdict).toBe('inconclusive');
  expect(baseline.reason).toContain('no failed requests were recorded in region jkt');
});

test('throughput: the rate k6 achieved', async () => {
  const tp = (objective: number): SloSpec => ({ name: `bdg ≥ ${objective}`, kind: 'throughput', region: 'bdg', objective, window: 'during' });
  const r = await judge.judge(tp(10), windows);
  expect(r).toMatchObject({ verdict: 'pass', unit: 'req/s', objective: '≥ 10 req/s' });
  expect(r.observed!).toBeGreaterThan(16);
  expect(r.observed!).toBeLessThan(24);
  expect(await judge.judge(tp(100), windows)).toMatchObject({ verdict: 'fail' });
});

test('RTO of availability: from the fault start until back above 99% for good', async () => {
  const rto: SloSpec = { name: 'jkt rto', kind: 'rto', region: 'jkt', sli: 'availability', threshold: 0.99, from: 'faultStart', fault: 'jkt-errors', objective: '30s', window: 'whole' };
  const r = await judge.judge(rto, windows);
  const truth = (t.t2 - t.t1) / 1000;
  test.info().annotations.push({ type: 'rto', description: `availability RTO measured ${r.observed}s, truth ${truth}s` });
  expect(r.verdict).toBe('pass');
  // Dated to the start of the first clean 5 s lookback: within a step and a k6 push of the heal.
  expect(r.observed!).toBeGreaterThanOrEqual(truth - 1.5);
  expect(r.observed!).toBeLessThanOrEqual(truth + 2.5);
  expect(await judge.judge({ ...rto, objective: '5s' }, windows)).toMatchObject({ verdict: 'fail', observed: r.observed });
  const fromRevert = await judge.judge({ ...rto, from: 'faultEnd' }, windows);
  expect(fromRevert.verdict).toBe('pass');
  expect(fromRevert.observed!).toBeLessThanOrEqual(2.5);
  // bdg never dipped.
  expect(await judge.judge({ ...rto, name: 'bdg rto', region: 'bdg' }, windows)).toMatchObject({ verdict: 'pass', observed: 0 });
});

test('no load in a region is inconclusive, never a pass', async () => {
  const r = await judge.judge(availability('pdg', 'during'), windows);
  expect(r.verdict).toBe('inconclusive');
  expect(r.observed).toBeUndefined();
  expect(r.reason).toContain('no k6 requests from region pdg reached Prometheus');
});

test('guardrails read the live SLI: jkt availability and p99 mid-fault', async () => {
  expect(guardrailMidFault.availability).toBeDefined();
  expect(guardrailMidFault.availability!).toBeLessThan(0.9);
  expect(guardrailMidFault.availability!).toBeGreaterThan(0.2);
  expect(guardrailMidFault.latency!).toBeGreaterThan(0.35);
});

test('preflight while load flows finds nothing wrong', async () => {
  expect(preflightWhileHealthy.map((e) => e.message)).toEqual([]);
});

test('series() draws availability and p95 per region over the run', async () => {
  const series = await judge.series([availability('jkt', 'during'), availability('sby', 'during')], windows.whole);
  expect(series.map((s) => s.name).sort()).toEqual(['availability jkt', 'availability sby', 'p95 latency jkt', 'p95 latency sby']);
  const jkt = series.find((s) => s.name === 'availability jkt')!;
  expect(jkt.unit).toBe('%');
  // Each point covers the 10 s before it: at the heal, that is the fault alone.
  const atHeal = jkt.points.filter(([ts]) => ts >= t.t2 - 1_500 && ts <= t.t2 + 500);
  const before = jkt.points.filter(([ts]) => ts <= t.t1);
  expect(atHeal.length).toBeGreaterThan(0);
  expect(Math.max(...atHeal.map(([, v]) => v))).toBeLessThan(70);
  expect(Math.min(...before.map(([, v]) => v))).toBe(100);
});
