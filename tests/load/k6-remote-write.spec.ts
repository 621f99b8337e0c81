import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { K6Metrics, type LoadProfile } from '../../core/index.ts';
import { queryPrometheus, startPrometheus, waitForPrometheusData } from '../../lab/index.ts';
import { LocalK6Runner } from '../../load/index.ts';
import { IngressStub, okBehaviour } from './ingress-stub.ts';

// Ports: Prometheus 19590, ingresses 19530-19532 (the load area's range).
test('k6 remote-writes the K6Metrics series to a real Prometheus, labelled as the SLO queries expect', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-k6-rw-'));
  const prometheus = await startPrometheus({ port: 19590, dataDir: join(dir, 'prometheus'), logFile: join(dir, 'prometheus.log'), scrapeConfigs: [] });
  try {
    // jkt healthy; bdg fails its writes; sby is slow enough that k6, held to 2 VUs, must drop iterations.
    await using stub = await IngressStub.start({ jkt: 19530, bdg: 19531, sby: 19532 }, (req) => {
      if (req.region === 'bdg' && req.method === 'POST') return { status: 500 };
      if (req.region === 'sby') return { status: 200, delayMs: 300 };
      return okBehaviour(req);
    });
    const profile: LoadProfile = {
      regions: {
        jkt: { executor: 'constant-arrival-rate', rate: 20 },
        bdg: { executor: 'constant-arrival-rate', rate: 20 },
        sby: { executor: 'constant-arrival-rate', rate: 20 },
      },
      writeRatio: 0.3,
      maxVUs: 2,
    };
    const runId = `rw-${Date.now()}`;
    const runner = new LocalK6Runner({ ingress: stub.urls, outDir: dir, prometheusUrl: prometheus.url });
    const summary = await (await runner.start(profile, { runId, scenario: 'remote write', durationMs: 8_000 })).done;
    const run = `testid="${runId}"`;

    // Every request k6 counted reached Prometheus, per region (k6 flushes its last samples when the test ends).
    const totals = await waitForPrometheusData(prometheus.url, `sum by (region) (${K6Metrics.requests}{${run}})`, {
      timeoutMs: 20_000,
      accept: (s) => s.length === 3 && s.every((x) => x.value === summary.regions.find((r) => r.region === x.metric.region)?.requests),
    });
    expect(totals.map((s) => s.metric.region).sort()).toEqual(['bdg', 'jkt', 'sby']);

    // The labels SLO queries group and filter by.
    const series = await queryPrometheus(prometheus.url, `sum by (region, route, status, expected_response) (${K6Metrics.requests}{${run}})`);
    const labels = series.map((s) => `${s.metric.region} ${s.metric.route} ${s.metric.status} ${s.metric.expected_response}`).sort();
    expect(labels).toEqual(
      expect.arrayContaining(['bdg read 200 true', 'bdg write 500 false', 'jkt read 200 true', 'jkt read 404 true', 'jkt write 201 true', 'sby read 200 true']),
    );
    const failed = await queryPrometheus(prometheus.url, `sum by (region) (${K6Metrics.requests}{${run}, expected_response="false"})`);
    expect(failed).toEqual([{ metric: { region: 'bdg' }, value: summary.regions.find((r) => r.region === 'bdg')!.failed }]);
    // One series per route, not per item id: the script names its requests and the options drop the `url` tag.
    const raw = await queryPrometheus(prometheus.url, `${K6Metrics.requests}{${run}, region="jkt", route="read"}`);
    expect(raw.every((s) => s.metric.url === undefined && s.metric.name === '/items/:id')).toBe(true);

    // Latency arrives as a native histogram that histogram_quantile reads directly.
    const p95 = await queryPrometheus(prometheus.url, `histogram_quantile(0.95, sum by (region) (rate(${K6Metrics.duration}{${run}}[30s])))`);
    expect(p95.map((s) => s.metric.region).sort()).toEqual(['bdg', 'jkt', 'sby']);
    const sbyP95 = p95.find((s) => s.metric.region === 'sby')!.value;
    expect(sbyP95).toBeGreaterThan(0.25); // seconds: the 300 ms service
    expect(sbyP95).toBeLessThan(1);
    expect(p95.find((s) => s.metric.region === 'jkt')!.value).toBeLessThan(sbyP95);

    // Dropped iterations carry the scenario name (= region), not the scenario's region tag.
    const dropped = await queryPrometheus(prometheus.url, `sum by (scenario, region) (${K6Metrics.droppedIterations}{${run}})`);
    expect(summary.regions.find((r) => r.region === 'sby')!.droppedIterations).toBeGreaterThan(0);
    // With only 2 VUs the fast regions may drop an iteration or two as well; whatever each dropped, both sides agree.
    const expected = summary.regions.filter((r) => r.droppedIterations > 0).map((r) => ({ metric: { scenario: r.region }, value: r.droppedIterations }));
    expect(dropped.sort((a, b) => a.metric.scenario!.localeCompare(b.metric.scenario!))).toEqual(expected.sort((a, b) => a.metric.scenario.localeCompare(b.metric.scenario)));
  } finally {
    await prometheus.stop();
  }
});
