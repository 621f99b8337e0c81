import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isFaultlineError, type LoadProfile, type RegionLoadSummary } from '../../core/index.ts';
import { LocalK6Runner } from '../../load/index.ts';
import { IngressStub, okBehaviour } from './ingress-stub.ts';

// Ports 19520-19529 (the load area's range), one set per test.
const outDir = () => mkdtempSync(join(tmpdir(), 'faultline-k6-'));
const region = (summary: { regions: RegionLoadSummary[] }, name: string) => summary.regions.find((r) => r.region === name)!;

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test('a constant arrival rate per region: the summary agrees with what the ingresses received', async () => {
  await using stub = await IngressStub.start({ jkt: 19520, bdg: 19521 });
  const profile: LoadProfile = {
    regions: { jkt: { executor: 'constant-arrival-rate', rate: 20 }, bdg: { executor: 'constant-arrival-rate', rate: 20 } },
    writeRatio: 0.3,
  };
  const runner = new LocalK6Runner({ ingress: stub.urls, outDir: outDir(), itemCount: 1000 });
  const run = await runner.start(profile, { runId: 'const-rate', scenario: 'constant rate', durationMs: 10_000 });
  const summary = await run.done;

  expect(summary.tool).toBe('k6');
  expect(summary.regions.map((r) => r.region)).toEqual(['jkt', 'bdg']);
  expect(summary.durationMs).toBeGreaterThanOrEqual(10_000);
  expect(summary.rawPath).toBe(run.summaryPath);
  for (const name of ['jkt', 'bdg']) {
    const r = region(summary, name);
    // k6 counted exactly the requests this region's ingress answered.
    expect(r.requests).toBe(stub.count(name));
    // constant-arrival-rate starts one iteration every 1/rate s, at 0 s and at the end included: rate × 10 s + 1.
    // A little slack either side for the boundary.
    expect(r.requests).toBeGreaterThanOrEqual(199);
    expect(r.requests).toBeLessThanOrEqual(203);
    expect(r.droppedIterations).toBe(0);
    expect(r.targetRate).toBe(20);
    // k6's run lasts the 10 s plus the last response and shutdown (milliseconds here), so the achieved rate is the
    // count over slightly more than 10 s: within 5 % of the target when k6 kept up.
    expect(Math.abs(r.achievedRate - 20) / 20).toBeLessThan(0.05);
    // 404s (ids above 500) are expected answers, not failures.
    expect(stub.count(name, (q) => q.status === 404)).toBeGreaterThan(0);
    expect(r.failed).toBe(0);
    const l = r.latencyMs;
    expect(l.avg).toBeGreaterThan(0);
    expect(l.p50).toBeLessThanOrEqual(l.p95);
    expect(l.p95).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
  }

  // The read/write mix: 30 % writes of ~400 requests; the binomial spread is ±2.3 %, so ±10 % is over four sigmas.
  const writes = stub.received.filter((q) => q.method === 'POST');
  expect(Math.abs(writes.length / stub.received.length - 0.3)).toBeLessThan(0.1);
  for (const w of writes) {
    expect(w.path).toBe('/items');
    // The reference service's contract: JSON like {"body": "..."}.
    expect(JSON.parse(w.body).body).toMatch(new RegExp(`^k6 ${w.region} \\d+$`));
  }
  const ids = stub.received.filter((q) => q.method === 'GET').map((q) => Number(q.path.match(/^\/items\/(\d+)$/)?.[1]));
  expect(ids.every((id) => Number.isInteger(id) && id >= 1 && id <= 1000)).toBe(true);
  expect(readFileSync(run.logPath, 'utf8')).toContain('faultline k6 summary');
});

test('server errors count as failed requests, in their own region only', async () => {
  // bdg's service fails every write and one read in four; jkt is healthy.
  let bdgReads = 0;
  await using stub = await IngressStub.start({ jkt: 19522, bdg: 19523 }, (req) => {
    if (req.region !== 'bdg') return okBehaviour(req);
    if (req.method === 'POST') return { status: 500 };
    return { status: ++bdgReads % 4 === 0 ? 503 : okBehaviour(req).status };
  });
  const profile: LoadProfile = {
    regions: { jkt: { executor: 'constant-arrival-rate', rate: 20 }, bdg: { executor: 'constant-arrival-rate', rate: 20 } },
    writeRatio: 0.3,
  };
  const run = await new LocalK6Runner({ ingress: stub.urls, outDir: outDir() }).start(profile, { runId: 'errors', scenario: 'errors', durationMs: 5_000 });
  const summary = await run.done;
  const bdg = region(summary, 'bdg');
  expect(bdg.failed).toBe(stub.count('bdg', (q) => q.status >= 500));
  expect(bdg.failed).toBeGreaterThan(0);
  expect(bdg.failed).toBeLessThan(bdg.requests);
  expect(region(summary, 'jkt').failed).toBe(0);
  expect(region(summary, 'jkt').requests).toBe(stub.count('jkt'));
});

test('k6 short of VUs drops iterations, and the summary says so per region', async () => {
  // One VU against a 200 ms service can start 5 iterations a second of the 20 asked for.
  await using stub = await IngressStub.start({ sby: 19524 }, () => ({ status: 200, delayMs: 200 }));
  const profile: LoadProfile = { regions: { sby: { executor: 'constant-arrival-rate', rate: 20 } }, writeRatio: 0, maxVUs: 1 };
  const run = await new LocalK6Runner({ ingress: stub.urls, outDir: outDir() }).start(profile, { runId: 'drops', scenario: 'drops', durationMs: 4_000 });
  const sby = region(await run.done, 'sby');
  expect(sby.droppedIterations).toBeGreaterThan(0);
  expect(sby.requests).toBe(stub.count('sby'));
  // Every scheduled iteration either ran or was dropped: 20/s × 4 s + 1.
  expect(sby.requests + sby.droppedIterations).toBeGreaterThanOrEqual(79);
  expect(sby.requests + sby.droppedIterations).toBeLessThanOrEqual(83);
  expect(sby.achievedRate).toBeLessThan(sby.targetRate!);
});

test('a ramping arrival rate runs as generated, and the target it reports is the ramp\'s mean', async () => {
  await using stub = await IngressStub.start({ bdg: 19527 });
  // 0 → 20/s over 3 s, then 20/s held for the rest of the 5 s run: 30 + 40 = 70 iterations.
  const profile: LoadProfile = { regions: { bdg: { executor: 'ramping-arrival-rate', startRate: 0, stages: [{ target: 20, duration: '3s' }] } }, writeRatio: 0.2 };
  const run = await new LocalK6Runner({ ingress: stub.urls, outDir: outDir() }).start(profile, { runId: 'ramp', scenario: 'ramp', durationMs: 5_000 });
  const bdg = region(await run.done, 'bdg');
  expect(bdg.requests).toBe(stub.count('bdg'));
  expect(bdg.requests).toBeGreaterThanOrEqual(67);
  expect(bdg.requests).toBeLessThanOrEqual(73);
  expect(bdg.droppedIterations).toBe(0);
  // (30 + 40) / 5 s = 14/s asked for on average; a few ms of shutdown past 5 s barely move it.
  expect(bdg.targetRate).toBeGreaterThan(13.9);
  expect(bdg.targetRate).toBeLessThan(14.1);
  expect(Math.abs(bdg.achievedRate - bdg.targetRate!) / bdg.targetRate!).toBeLessThan(0.05);
});

test('stop() mid-run ends k6 and still yields a truthful summary', async () => {
  await using stub = await IngressStub.start({ jkt: 19525, sby: 19526 });
  const profile: LoadProfile = {
    regions: { jkt: { executor: 'constant-arrival-rate', rate: 20 }, sby: { executor: 'constant-vus', vus: 2 } },
    writeRatio: 0.2,
  };
  const run = await new LocalK6Runner({ ingress: stub.urls, outDir: outDir() }).start(profile, { runId: 'stop', scenario: 'stopped early', durationMs: 120_000 });
  await until('40 requests in jkt', () => stub.count('jkt') >= 40);
  const summary = await run.stop();

  expect(summary.durationMs).toBeLessThan(120_000);
  const jkt = region(summary, 'jkt');
  expect(jkt.requests).toBeGreaterThanOrEqual(40);
  // A request in flight when k6 is interrupted reaches the ingress but never completes, so k6 does not count it:
  // at most one per VU (2 in sby; jkt's few-ms requests at 20/s rarely overlap the moment of the stop).
  for (const [name, vus] of [['jkt', 2], ['sby', 2]] as const) {
    expect(region(summary, name).requests).toBeLessThanOrEqual(stub.count(name));
    expect(region(summary, name).requests).toBeGreaterThanOrEqual(stub.count(name) - vus);
  }
  expect(region(summary, 'sby').targetRate).toBeUndefined();
  // rate × elapsed + 1 over elapsed: within 10 % of the target for a run of a few seconds.
  expect(Math.abs(jkt.achievedRate - 20) / 20).toBeLessThan(0.1);
  // The same summary again, and k6 is gone.
  expect(await run.stop()).toEqual(summary);
  expect(existsSync(`/proc/${run.pid}`)).toBe(false);
});

test('a k6 that ignores SIGINT is killed after the grace, and stop() says no summary was written', async () => {
  await using stub = await IngressStub.start({ jkt: 19528 });
  const profile: LoadProfile = { regions: { jkt: { executor: 'constant-vus', vus: 1 } }, writeRatio: 0 };
  const run = await new LocalK6Runner({ ingress: stub.urls, outDir: outDir(), stopGrace: '1s' }).start(profile, { runId: 'frozen', scenario: 'frozen', durationMs: 60_000 });
  await until('the first request', () => stub.count('jkt') > 0);
  // A frozen process cannot act on SIGINT; only SIGKILL ends it.
  process.kill(run.pid, 'SIGSTOP');
  const error = await run.stop().catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'FAULTLINE_HARNESS' });
  expect((error as Error).message).toMatch(/SIGKILL[\s\S]*without writing its summary/);
  expect((error as { hint: string }).hint).toContain(run.logPath);
  expect(existsSync(`/proc/${run.pid}`)).toBe(false);
});

test('a missing k6 binary is a setup error that says to run the setup', async () => {
  const profile: LoadProfile = { regions: { jkt: { executor: 'constant-vus', vus: 1 } }, writeRatio: 0 };
  const empty = outDir();
  const attempts = [
    () => new LocalK6Runner({ ingress: { jkt: 'http://127.0.0.1:19527' }, outDir: empty, toolsDir: empty }),
    () => {
      process.env.FAULTLINE_TOOLS = empty;
      return new LocalK6Runner({ ingress: { jkt: 'http://127.0.0.1:19527' }, outDir: empty });
    },
  ];
  try {
    for (const make of attempts) {
      const error = await make().start(profile, { runId: 'x', scenario: 'x', durationMs: 1_000 }).catch((e: unknown) => e);
      expect(isFaultlineError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'FAULTLINE_SETUP_MISSING' });
      expect((error as Error).message).toContain(join(empty, 'bin', 'k6'));
      expect((error as { hint: string }).hint).toContain('npm run setup');
    }
  } finally {
    delete process.env.FAULTLINE_TOOLS;
  }
});

test('a region without an ingress URL is refused before k6 starts', async () => {
  const dir = outDir();
  const profile: LoadProfile = { regions: { jkt: { executor: 'constant-vus', vus: 1 }, mars: { executor: 'constant-vus', vus: 1 } }, writeRatio: 0 };
  const error = await new LocalK6Runner({ ingress: { jkt: 'http://127.0.0.1:19527' }, outDir: dir })
    .start(profile, { runId: 'x', scenario: 'x', durationMs: 1_000 })
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'FAULTLINE_UNKNOWN_NAME' });
  expect((error as Error).message).toContain('"mars"');
  expect((error as { hint: string }).hint).toContain('jkt');
  expect(existsSync(join(dir, 'k6-x.log'))).toBe(false);
});
